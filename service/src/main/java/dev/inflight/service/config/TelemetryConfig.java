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

  /**
   * {@code service.telemetry.logs}, with the Collector's keys and defaults.
   *
   * @param level the lowest level logged; default info
   * @param development the Collector's zap development mode; accepted, not implemented (a WARN says so)
   * @param encoding {@code console} (default: one tab-separated line per event) or {@code json}
   *     (one JSON object per line: {@code level}, {@code ts}, {@code caller}, {@code msg}, fields)
   * @param disableCaller leave out the caller (inflight's: the logger, i.e. the component's class)
   * @param disableStacktrace leave out an exception's stack frames (its message stays)
   * @param sampling per tick, the first {@code initial} events of each level and message are
   *     logged, then every {@code thereafter}-th; on by default, as in the Collector
   * @param outputPaths {@code stdout}, {@code stderr} (default) or file paths, each gets every event
   * @param errorOutputPaths where the Collector's logger reports its own failures; inflight's logger
   *     has no such channel, so anything but the default {@code [stderr]} gets a WARN
   * @param initialFields added to every event
   * @param processors log record processors exporting inflight's own logs over OTLP, with the
   *     OpenTelemetry SDK ({@code batch} or {@code simple}, each with {@code exporter: {otlp: ...}})
   */
  public record Logs(
      LogLevel level,
      Boolean development,
      String encoding,
      Boolean disableCaller,
      Boolean disableStacktrace,
      Sampling sampling,
      List<String> outputPaths,
      List<String> errorOutputPaths,
      Map<String, Object> initialFields,
      List<LogProcessor> processors) {
    public static final List<String> DEFAULT_OUTPUT_PATHS = List.of("stderr");

    public Logs {
      level = level == null ? LogLevel.INFO : level;
      development = development != null && development;
      encoding = encoding == null ? "console" : encoding;
      disableCaller = disableCaller != null && disableCaller;
      disableStacktrace = disableStacktrace != null && disableStacktrace;
      sampling = sampling == null ? Sampling.defaults() : sampling;
      outputPaths = outputPaths == null ? DEFAULT_OUTPUT_PATHS : List.copyOf(outputPaths);
      errorOutputPaths = errorOutputPaths == null ? DEFAULT_OUTPUT_PATHS : List.copyOf(errorOutputPaths);
      // values may be null (YAML ~), which Map.copyOf refuses
      initialFields = initialFields == null ? Map.of()
          : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(initialFields));
      processors = processors == null ? List.of() : List.copyOf(processors);
    }

    public Logs(LogLevel level) {
      this(level, null, null, null, null, null, null, null, null, null);
    }

    static Logs defaults() {
      return new Logs(null);
    }

    void validate(ConfigProblems problems) {
      if (!List.of("console", "json").contains(encoding)) {
        problems.add("encoding", "encoding must be console or json, got " + encoding);
      }
      sampling.validate(problems.at("sampling"));
      if (outputPaths.isEmpty()) {
        problems.add("output_paths", "output_paths must name at least one of stdout, stderr or a file");
      }
      for (int i = 0; i < outputPaths.size(); i++) {
        String path = outputPaths.get(i);
        if (path == null || path.isBlank()) {
          problems.at("output_paths").at(i).add("an output path is stdout, stderr or a file path, got an empty one");
        }
      }
      for (int i = 0; i < processors.size(); i++) {
        LogProcessor processor = processors.get(i);
        if (processor == null) {
          problems.at("processors").at(i).add("a processor is batch: or simple:, with its exporter under it");
        } else {
          processor.validate(problems.at("processors").at(i));
        }
      }
    }

    /**
     * Keys this config sets that inflight accepts but does not act on, each with why: the WARN lines
     * the loader adds, by path under {@code service.telemetry.logs}.
     */
    public Map<String, String> unimplemented() {
      Map<String, String> out = new java.util.LinkedHashMap<>();
      if (development) {
        out.put("development", "development is accepted but not implemented: inflight logs as in production mode");
      }
      if (!errorOutputPaths.equals(DEFAULT_OUTPUT_PATHS)) {
        out.put("error_output_paths", "error_output_paths is accepted but not implemented: inflight's logger has no"
            + " error channel of its own; its failures go to stderr");
      }
      for (int i = 0; i < processors.size(); i++) {
        LogProcessor p = processors.get(i);
        LogExporter e = p == null ? null : p.exporter();
        if (e != null && e.console() != null) {
          out.put("processors[" + i + "]." + (p.batch() != null ? "batch" : "simple") + ".exporter.console",
              "the console log exporter is accepted but not implemented: use output_paths: [stdout] for logs on the console");
        }
      }
      return out;
    }
  }

  /**
   * {@code sampling}: zap's sampler, per level and message in each {@code tick}.
   *
   * @param enabled default true
   * @param tick default 10s
   * @param initial default 10
   * @param thereafter default 100; 0 drops every event past {@code initial}
   */
  public record Sampling(Boolean enabled, java.time.Duration tick, Integer initial, Integer thereafter) {
    public Sampling {
      enabled = enabled == null || enabled;
      tick = tick == null ? java.time.Duration.ofSeconds(10) : tick;
      initial = initial == null ? 10 : initial;
      thereafter = thereafter == null ? 100 : thereafter;
    }

    static Sampling defaults() {
      return new Sampling(null, null, null, null);
    }

    void validate(ConfigProblems problems) {
      if (tick.isNegative() || tick.isZero()) {
        problems.add("tick", "tick must be greater than 0");
      }
      if (initial < 0) {
        problems.add("initial", "initial must not be negative, got " + initial);
      }
      if (thereafter < 0) {
        problems.add("thereafter", "thereafter must not be negative, got " + thereafter);
      }
    }
  }

  /** One entry of {@code logs.processors}: exactly one of {@code batch} and {@code simple}. */
  public record LogProcessor(BatchLogProcessor batch, SimpleLogProcessor simple) {
    /** The exporter of whichever is set. */
    public LogExporter exporter() {
      return batch != null ? batch.exporter() : simple != null ? simple.exporter() : null;
    }

    void validate(ConfigProblems problems) {
      if ((batch == null) == (simple == null)) {
        problems.add("a processor is either batch: or simple:, with its exporter under it");
        return;
      }
      if (batch != null) {
        batch.validate(problems.at("batch"));
        checkExporter(batch.exporter(), problems.at("batch"));
      } else {
        checkExporter(simple.exporter(), problems.at("simple"));
      }
    }

    private static void checkExporter(LogExporter exporter, ConfigProblems problems) {
      if (exporter == null || (exporter.otlp() == null) == (exporter.console() == null)) {
        problems.add("exporter", "a log processor needs exporter: otlp: {protocol, endpoint}");
        return;
      }
      if (exporter.otlp() != null) {
        exporter.otlp().validate(problems.at("exporter").at("otlp"));
      }
    }
  }

  /**
   * {@code batch}: the SDK's batch log record processor, its defaults.
   *
   * @param scheduleDelay ms between exports; default 1000
   * @param exportTimeout ms an export may take; default 30000
   * @param maxQueueSize records held; default 2048 (more are dropped)
   * @param maxExportBatchSize records per export; default 512
   */
  public record BatchLogProcessor(
      Integer scheduleDelay, Integer exportTimeout, Integer maxQueueSize, Integer maxExportBatchSize,
      LogExporter exporter) {
    public BatchLogProcessor {
      scheduleDelay = scheduleDelay == null ? 1000 : scheduleDelay;
      exportTimeout = exportTimeout == null ? 30_000 : exportTimeout;
      maxQueueSize = maxQueueSize == null ? 2048 : maxQueueSize;
      maxExportBatchSize = maxExportBatchSize == null ? 512 : maxExportBatchSize;
    }

    void validate(ConfigProblems problems) {
      if (scheduleDelay <= 0) {
        problems.add("schedule_delay", "schedule_delay must be a positive number of milliseconds, got " + scheduleDelay);
      }
      if (exportTimeout <= 0) {
        problems.add("export_timeout", "export_timeout must be a positive number of milliseconds, got " + exportTimeout);
      }
      if (maxQueueSize <= 0) {
        problems.add("max_queue_size", "max_queue_size must be greater than 0, got " + maxQueueSize);
      }
      if (maxExportBatchSize <= 0 || maxExportBatchSize > maxQueueSize) {
        problems.add("max_export_batch_size", "max_export_batch_size must be from 1 to max_queue_size ("
            + maxQueueSize + "), got " + maxExportBatchSize);
      }
    }
  }

  /** {@code simple}: exports each record as it is logged. */
  public record SimpleLogProcessor(LogExporter exporter) {}

  /** {@code exporter}: {@code otlp}, or {@code console} (accepted, not implemented). */
  public record LogExporter(OtlpLogPush otlp, Map<String, Object> console) {}

  /**
   * OTLP push of inflight's own logs.
   *
   * @param protocol {@code http/protobuf} (default) or {@code grpc}
   * @param endpoint for {@code http/protobuf} the full URL ({@code http://host:4318/v1/logs}); for
   *     {@code grpc} {@code http(s)://host:4317}
   * @param headers sent with every export
   * @param compression {@code gzip} or {@code none} (default)
   * @param timeout ms an export may take; default 10000
   */
  public record OtlpLogPush(String protocol, String endpoint, List<Header> headers, String compression, Integer timeout) {
    public OtlpLogPush {
      protocol = protocol == null ? "http/protobuf" : protocol;
      headers = headers == null ? List.of() : List.copyOf(headers);
      compression = compression == null ? "none" : compression;
      timeout = timeout == null ? 10_000 : timeout;
    }

    void validate(ConfigProblems problems) {
      if (!List.of("http/protobuf", "grpc").contains(protocol)) {
        problems.add("protocol", "protocol must be http/protobuf or grpc, got " + protocol
            + (protocol.equals("http/json") ? " (OTLP/JSON is not supported for inflight's own logs)" : ""));
      }
      if (endpoint == null || endpoint.isBlank()) {
        problems.add("endpoint", "endpoint is required, e.g. http://localhost:4318/v1/logs");
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
      if (timeout <= 0) {
        problems.add("timeout", "timeout must be a positive number of milliseconds, got " + timeout);
      }
    }
  }

  public void validate(ConfigProblems problems) {
    metrics.validate(problems.at("metrics"));
    logs.validate(problems.at("logs"));
  }
}
