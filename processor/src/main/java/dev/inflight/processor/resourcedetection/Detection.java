package dev.inflight.processor.resourcedetection;

import dev.inflight.processor.internal.attraction.ActionConfig;
import dev.inflight.processor.internal.attraction.ActionKind;
import dev.inflight.processor.internal.attraction.Attraction;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The detection of one processor, shared by its traces, metrics and logs instances: runs once, at
 * the first start, within {@code timeout}, and gives the change to make to every resource.
 * Thread-safe.
 */
final class Detection {
  private final ResourceDetectionProcessorConfig config;
  private final Function<String, @Nullable String> env;
  private final SystemDetector.Host host;
  private final Logger logger;
  private @Nullable Map<String, String> detected; // guarded by this

  Detection(
      ResourceDetectionProcessorConfig config, Function<String, @Nullable String> env,
      SystemDetector.Host host, Logger logger) {
    this.config = config;
    this.env = env;
    this.host = host;
    this.logger = logger;
  }

  /**
   * Detects, the first time only.
   *
   * @throws Exception when detection takes longer than {@code timeout}
   */
  synchronized Map<String, String> detect() throws Exception {
    if (detected != null) {
      return detected;
    }
    List<String> notImplemented =
        config.detectors().stream()
            .filter(ResourceDetectionProcessorConfig.NOT_IMPLEMENTED::contains)
            .toList();
    if (!notImplemented.isEmpty()) {
      logger.warn(
          "detectors {} are not implemented by inflight and add nothing (as the Collector's do when"
              + " not on that platform)",
          String.join(", ", notImplemented));
    }
    List<String> undetected =
        config.system().resourceAttributes().entrySet().stream()
            .filter(e -> ResourceDetectionProcessorConfig.SystemConfig.NOT_DETECTED.contains(e.getKey()))
            .filter(e -> Boolean.TRUE.equals(e.getValue().enabled()))
            .map(Map.Entry::getKey)
            .toList();
    if (config.detectors().contains("system") && !undetected.isEmpty()) {
      logger.warn("system: inflight does not detect {}; they are not added", String.join(", ", undetected));
    }
    // A DNS lookup can hang: run it on a thread of its own and wait at most timeout.
    FutureTask<Map<String, String>> task = new FutureTask<>(this::run);
    Thread t = new Thread(task, "resource-detection");
    t.setDaemon(true);
    t.start();
    try {
      detected = task.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      t.interrupt();
      throw new IllegalStateException(
          "resource detection did not finish within timeout " + config.timeout().toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
    logger.debug("detected resource attributes {}", detected);
    return detected;
  }

  private Map<String, String> run() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String detector : config.detectors()) {
      Map<String, String> found =
          switch (detector) {
            case "env" -> env();
            case "system" -> system();
            default -> Map.of();
          };
      found.forEach(out::putIfAbsent); // the first detector of a key wins, as in the Collector
    }
    return out;
  }

  /** A failing detector adds nothing and says why, as the Collector's "failed to detect resource". */
  private Map<String, String> system() {
    try {
      return SystemDetector.detect(config.system(), host);
    } catch (IllegalStateException e) {
      logger.warn("system: failed to detect resource: {}; it adds nothing", e.getMessage());
      return Map.of();
    }
  }

  private Map<String, String> env() {
    String value = env.apply(EnvDetector.VARIABLE);
    if (value == null || value.isBlank()) {
      value = env.apply(EnvDetector.DEPRECATED_VARIABLE); // as the Collector, the spec's old name
    }
    try {
      return EnvDetector.parse(value);
    } catch (IllegalArgumentException e) {
      logger.warn("env: {} is ignored: {}", EnvDetector.VARIABLE, e.getMessage());
      return Map.of();
    }
  }

  /** The change to every resource: the detected attributes, replacing existing ones with override. */
  static UnaryOperator<Resource> change(Map<String, String> detected, boolean override) {
    List<ActionConfig> actions = new ArrayList<>();
    detected.forEach(
        (k, v) -> actions.add(ActionConfig.of(override ? ActionKind.UPSERT : ActionKind.INSERT, k, v)));
    Attraction attraction = Attraction.of(actions);
    return resource -> {
      List<KeyValue> before = resource.getAttributesList();
      List<KeyValue> after = attraction.apply(before);
      return after == before ? resource : resource.toBuilder().clearAttributes().addAllAttributes(after).build();
    };
  }
}
