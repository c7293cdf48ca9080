package dev.inflight.service.config;

import dev.inflight.component.config.ConfigProblems;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code service} section: which extensions run and how components connect into pipelines. */
public record ServiceConfig(
    List<String> extensions,
    Map<String, PipelineConfig> pipelines,
    TelemetryConfig telemetry,
    Duration shutdownTimeout) {
  /** How long a shutdown may take before the remaining components are abandoned. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

  public ServiceConfig {
    extensions = extensions == null ? List.of() : List.copyOf(extensions);
    pipelines = pipelines == null ? Map.of() : new LinkedHashMap<>(pipelines);
    telemetry = telemetry == null ? TelemetryConfig.defaults() : telemetry;
    shutdownTimeout = shutdownTimeout == null ? DEFAULT_SHUTDOWN_TIMEOUT : shutdownTimeout;
  }

  public static ServiceConfig defaults() {
    return new ServiceConfig(null, null, null, null);
  }

  public void validate(ConfigProblems problems) {
    if (shutdownTimeout.isNegative() || shutdownTimeout.isZero()) {
      problems.add("shutdown_timeout", "shutdown_timeout must be greater than 0");
    }
    telemetry.validate(problems.at("telemetry"));
  }
}
