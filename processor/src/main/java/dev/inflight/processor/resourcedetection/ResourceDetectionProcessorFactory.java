package dev.inflight.processor.resourcedetection;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.LogsConsumer;
import dev.inflight.component.LogsProcessor;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.MetricsProcessor;
import dev.inflight.component.ProcessorFactory;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesConsumer;
import dev.inflight.component.TracesProcessor;
import java.util.List;
import java.util.Set;

/**
 * {@code processors: resource_detection:} (or {@code resourcedetection:}, the name most configs
 * use): adds resource attributes detected at start from the environment and the host.
 */
public final class ResourceDetectionProcessorFactory
    implements ProcessorFactory<ResourceDetectionProcessorConfig> {
  public static final String TYPE = "resource_detection";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> aliases() {
    return List.of("resourcedetection");
  }

  @Override
  public String description() {
    return "adds resource attributes detected at start from the environment (env) and the host (system)";
  }

  @Override
  public Class<ResourceDetectionProcessorConfig> configClass() {
    return ResourceDetectionProcessorConfig.class;
  }

  @Override
  public ResourceDetectionProcessorConfig createDefaultConfig() {
    return ResourceDetectionProcessorConfig.DEFAULT;
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  /** One detection per processor id, whichever signals use it. */
  private static Detection detection(CreateSettings settings, ResourceDetectionProcessorConfig config) {
    return settings.shared(
        () -> new Detection(config, System::getenv, SystemDetector.Host.real(), settings.logger()));
  }

  @Override
  public TracesProcessor createTraces(
      CreateSettings settings, ResourceDetectionProcessorConfig config, TracesConsumer next) {
    return ResourceDetectionProcessor.traces(config, detection(settings, config), next);
  }

  @Override
  public MetricsProcessor createMetrics(
      CreateSettings settings, ResourceDetectionProcessorConfig config, MetricsConsumer next) {
    return ResourceDetectionProcessor.metrics(config, detection(settings, config), next);
  }

  @Override
  public LogsProcessor createLogs(
      CreateSettings settings, ResourceDetectionProcessorConfig config, LogsConsumer next) {
    return ResourceDetectionProcessor.logs(config, detection(settings, config), next);
  }
}
