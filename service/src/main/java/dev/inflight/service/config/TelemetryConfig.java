package dev.inflight.service.config;

import dev.inflight.component.config.ConfigProblems;
import dev.inflight.component.config.Endpoints;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
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

  /**
   * {@code service.telemetry.metrics}: how much to record, and where it goes: {@code readers}, the
   * Collector's current schema (a {@code pull} reader serves Prometheus text on host:port/metrics,
   * a {@code periodic} one pushes OTLP), or the older {@code address} (a pull reader there;
   * deprecated, as in the Collector). With neither, one pull reader on {@value
   * #DEFAULT_METRICS_ADDRESS}.
   */
  public record Metrics(Level level, String address, List<Reader> readers) {
    public Metrics {
      level = level == null ? Level.NORMAL : level;
      readers = readers == null ? null : List.copyOf(readers);
    }

    public Metrics(Level level, String address) {
      this(level, address, null);
    }

    static Metrics defaults() {
      return new Metrics(null, null, null);
    }

    /** The readers in effect: {@code readers}, or a pull reader on {@code address} or the default. */
    public List<Reader> effectiveReaders() {
      if (readers != null) {
        return readers;
      }
      String a = address == null ? DEFAULT_METRICS_ADDRESS : address;
      int colon = a.lastIndexOf(':');
      String host = colon <= 0 ? "" : a.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(a.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1; // validate() reports it
      }
      return List.of(new Reader(new Pull(new PullExporter(new PrometheusPull(host, port))), null));
    }

    void validate(ConfigProblems problems) {
      if (address != null && readers != null) {
        problems.add("address", "set readers or address, not both: address is the older way to give a pull reader;"
            + " give it as readers: [{pull: {exporter: {prometheus: {host: ..., port: ...}}}}] instead");
        return;
      }
      if (address != null && level != Level.NONE) {
        String problem = Endpoints.checkHostPort(address);
        if (problem != null) {
          problems.add("address", "address " + problem);
        }
      }
      if (readers != null) {
        for (int i = 0; i < readers.size(); i++) {
          readers.get(i).validate(problems.at("readers").at(i));
        }
      }
    }
  }

  /** One metric reader: exactly one of {@code pull} and {@code periodic}. */
  public record Reader(Pull pull, Periodic periodic) {
    void validate(ConfigProblems problems) {
      if ((pull == null) == (periodic == null)) {
        problems.add("a reader is either pull: or periodic:, with its exporter under it");
        return;
      }
      if (pull != null) {
        pull.validate(problems.at("pull"));
      } else {
        periodic.validate(problems.at("periodic"));
      }
    }
  }

  /** {@code pull: {exporter: {prometheus: {host, port}}}}. */
  public record Pull(PullExporter exporter) {
    void validate(ConfigProblems problems) {
      if (exporter == null || exporter.prometheus() == null) {
        problems.add("exporter", "a pull reader needs exporter: prometheus: {host, port}");
        return;
      }
      exporter.prometheus().validate(problems.at("exporter").at("prometheus"));
    }
  }

  public record PullExporter(PrometheusPull prometheus) {}

  /**
   * Serves {@code /metrics} on {@code host:port}.
   *
   * @param host an address or name to bind; empty or absent for every interface
   * @param port 1 to 65535, or 0 for any free port (as every endpoint takes {@code host:0})
   */
  public record PrometheusPull(String host, Integer port) {
    public PrometheusPull {
      host = host == null ? "" : host;
    }

    /** As {@code host:port}, for binding and messages. */
    public String address() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    void validate(ConfigProblems problems) {
      if (port == null || port < 0 || port > 65535) {
        problems.add("port", "port must be from 0 to 65535" + (port == null ? "" : ", got " + port));
      }
    }
  }

  /**
   * {@code periodic: {interval, timeout, exporter: {otlp: ...}}}: pushes every {@code interval}
   * milliseconds (default 60000, as the SDK), each export given {@code timeout} ms (default 30000).
   */
  public record Periodic(Integer interval, Integer timeout, PeriodicExporter exporter) {
    public Periodic {
      interval = interval == null ? 60_000 : interval;
      timeout = timeout == null ? 30_000 : timeout;
    }

    void validate(ConfigProblems problems) {
      if (interval <= 0) {
        problems.add("interval", "interval must be a positive number of milliseconds, got " + interval);
      }
      if (timeout <= 0) {
        problems.add("timeout", "timeout must be a positive number of milliseconds, got " + timeout);
      }
      if (exporter == null || exporter.otlp() == null) {
        problems.add("exporter", "a periodic reader needs exporter: otlp: {protocol, endpoint}");
        return;
      }
      exporter.otlp().validate(problems.at("exporter").at("otlp"));
    }
  }

  public record PeriodicExporter(OtlpPush otlp) {}

  /** One header to send: {@code {name, value}}, as the configuration schema lists them. */
  public record Header(String name, String value) {}

  /**
   * OTLP push of inflight's own metrics.
   *
   * @param protocol {@code http/protobuf} (default) or {@code grpc}
   * @param endpoint for {@code http/protobuf} the full URL ({@code http://host:4318/v1/metrics});
   *     for {@code grpc} {@code http(s)://host:4317}
   * @param headers sent with every export
   * @param compression {@code gzip} or {@code none} (default)
   * @param temporalityPreference {@code cumulative} (default), {@code delta} or {@code lowmemory}
   */
  public record OtlpPush(
      String protocol, String endpoint, List<Header> headers, String compression, String temporalityPreference) {
    public OtlpPush {
      protocol = protocol == null ? "http/protobuf" : protocol;
      headers = headers == null ? List.of() : List.copyOf(headers);
      compression = compression == null ? "none" : compression;
      temporalityPreference = temporalityPreference == null ? "cumulative" : temporalityPreference;
    }

    void validate(ConfigProblems problems) {
      if (!List.of("http/protobuf", "grpc").contains(protocol)) {
        problems.add("protocol", "protocol must be http/protobuf or grpc, got " + protocol
            + (protocol.equals("http/json") ? " (OTLP/JSON is not supported for inflight's own metrics)" : ""));
      }
      if (endpoint == null || endpoint.isBlank()) {
        problems.add("endpoint", "endpoint is required, e.g. http://localhost:4318/v1/metrics");
      } else if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
        problems.add("endpoint", "endpoint must be an http:// or https:// URL, got " + endpoint);
      }
      for (int i = 0; i < headers.size(); i++) {
        Header h = headers.get(i);
        if (h == null || h.name() == null || h.name().isBlank() || h.value() == null) {
          problems.at("headers").at(i).add("a header is {name: ..., value: ...}");
        }
      }
      if (!List.of("gzip", "none").contains(compression)) {
        problems.add("compression", "compression must be gzip or none, got " + compression);
      }
      if (!List.of("cumulative", "delta", "lowmemory").contains(temporalityPreference)) {
        problems.add("temporality_preference",
            "temporality_preference must be cumulative, delta or lowmemory, got " + temporalityPreference);
      }
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
    metrics.validate(problems.at("metrics"));
  }
}
