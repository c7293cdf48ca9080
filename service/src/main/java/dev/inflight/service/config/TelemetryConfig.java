package dev.inflight.service.config;

import dev.inflight.component.config.ConfigProblems;
import dev.inflight.component.config.Endpoints;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** {@code service.telemetry}: inflight's own metrics and logs. */
public record TelemetryConfig(Metrics metrics, Logs logs, Map<String, String> resource) {
  /** Collector default for the self-metrics endpoint. */
  public static final String DEFAULT_METRICS_ADDRESS = "0.0.0.0:8888";

  public TelemetryConfig {
    metrics = metrics == null ? Metrics.defaults() : metrics;
    logs = logs == null ? Logs.defaults() : logs;
    resource = resource == null ? Map.of() : Map.copyOf(resource);
  }

  public static TelemetryConfig defaults() {
    return new TelemetryConfig(null, null, null);
  }

  /** How much self-telemetry to record, as in the Collector. */
  public enum Level {
    @JsonProperty("none") NONE,
    @JsonProperty("basic") BASIC,
    @JsonProperty("normal") NORMAL,
    @JsonProperty("detailed") DETAILED
  }

  /** {@code service.telemetry.metrics}: served in Prometheus format at {@code address}/metrics. */
  public record Metrics(Level level, String address) {
    public Metrics {
      level = level == null ? Level.NORMAL : level;
      address = address == null ? DEFAULT_METRICS_ADDRESS : address;
    }

    static Metrics defaults() {
      return new Metrics(null, null);
    }
  }

  public enum LogLevel {
    @JsonProperty("debug") DEBUG,
    @JsonProperty("info") INFO,
    @JsonProperty("warn") WARN,
    @JsonProperty("error") ERROR
  }

  /** {@code service.telemetry.logs}. */
  public record Logs(LogLevel level) {
    public Logs {
      level = level == null ? LogLevel.INFO : level;
    }

    static Logs defaults() {
      return new Logs(null);
    }
  }

  public void validate(ConfigProblems problems) {
    if (metrics.level() != Level.NONE) {
      String problem = Endpoints.checkHostPort(metrics.address());
      if (problem != null) {
        problems.at("metrics").add("address", "address " + problem);
      }
    }
  }
}
