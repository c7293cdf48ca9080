package dev.inflight.tools.loadgen;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code inflight bench}: starts inflight as its own process, drives it with the {@link
 * LoadGenerator} at fixed rates and at its maximum, and reads its CPU time and memory from {@code
 * /proc} around each measured run; in the same run it measures the floor, {@code parseFrom} on the
 * same bytes, so each row's CPU per span is also a ratio to it.
 *
 * <p>Profiles:
 *
 * <ul>
 *   <li>{@code gateway}: the benchmark config: OTLP receivers → concurrency connector → prometheus
 *       exporter, and the traces forwarded by an {@code otlp} exporter to a {@link DiscardingSink}
 *       in this process.
 *   <li>{@code sidecar}: the default config, as {@code ./inflight} runs it (only its ports moved),
 *       at {@code sidecarRate}; also how long it takes from start to healthy.
 * </ul>
 *
 * <p>Every step sends {@code warmup} first (not counted), then measures for {@code duration}. Before
 * the first step of each protocol, a started gateway gets {@code processWarmup} at {@code
 * processWarmupRate} (a sidecar three times as long at its own rate): the JIT compiles per-request code (gRPC, Netty, the pipeline) after thousands of
 * requests, which at 10k spans/s (20 requests a second) takes minutes; a long-running process has
 * that behind it, so a step after a cold start would measure the compiler, not inflight.
 */
public final class BenchHarness {
  public static final Set<String> PROFILES = Set.of("gateway", "sidecar");
  /** After a "max" step, the rate that must be taken with nothing refused: 80% of the maximum. */
  static final double SAFE_SHARE = 0.8;
  private static final String REFUSED = "otelcol_receiver_refused_spans_total";

  /**
   * @param launcher the command that runs inflight (the {@code ./inflight} script, or java -jar)
   * @param javaOpts extra JVM flags, passed as {@code INFLIGHT_JAVA_OPTS}; null for none
   * @param rates spans per second of the gateway steps; 0 is "as fast as it takes them"
   * @param extraConfig YAML files merged over the gateway config (to add a component to measure)
   * @param soak how long the soak runs (the default config at {@code soakRate}); zero for none
   */
  public record Options(
      List<String> launcher,
      String javaOpts,
      Duration warmup,
      Duration duration,
      List<Double> rates,
      List<Protocol> protocols,
      int connections,
      int maxConnections,
      TraceShape shape,
      List<String> profiles,
      double sidecarRate,
      Duration soak,
      double soakRate,
      String forwardCompression,
      List<Path> extraConfig,
      Path workDir,
      Duration processWarmup,
      double processWarmupRate) {}

  /** One measured step. CPU and memory are inflight's; latency is the load generator's. */
  public record Row(String profile, Protocol protocol, String offered, double achieved, double cpuMicrosPerSpan,
      double ratioToParse, double cpuPercent, double rssMb, double p99Ms, long refused) {}

  /** RSS of the soaked process over time, and its CPU per span over the whole soak. */
  public record Soak(double rate, Duration length, List<double[]> rssMbAtSeconds, double achieved,
      double cpuMicrosPerSpan, long refused) {}

  public record Result(double floorMicrosPerSpan, int bytesPerRequest, List<Row> rows, Double sidecarStartSeconds,
      Soak soak) {}

  private final Options options;
  private final PrintWriter progress;

  public BenchHarness(Options options, PrintWriter progress) {
    this.options = options;
    this.progress = progress;
  }

  public Result run() throws IOException, InterruptedException {
    Files.createDirectories(options.workDir());
    List<byte[]> requests = new TraceGenerator(options.shape()).templates(LoadGenerator.TEMPLATES, false, 1)
        .stream().map(RequestTemplate::encoded).toList();
    say("parseFrom floor: %d requests of %d spans, %d bytes each...", requests.size(),
        options.shape().spansPerRequest(), requests.get(0).length);
    double floor = ParseFloor.nanosPerSpan(requests, Duration.ofSeconds(3), Duration.ofSeconds(5)) / 1000;
    say("parseFrom floor: %.3f µs CPU per span", floor);
    List<Row> rows = new ArrayList<>();
    Double start = null;
    Soak soak = null;
    for (String profile : options.profiles()) {
      switch (profile) {
        case "gateway" -> gateway(floor, rows);
        case "sidecar" -> start = sidecar(floor, rows);
        default -> throw new IllegalArgumentException("unknown profile " + profile + "; known: " + PROFILES);
      }
    }
    if (!options.soak().isZero()) {
      soak = soak();
    }
    return new Result(floor, requests.get(0).length, rows, start, soak);
  }

  private void gateway(double floor, List<Row> rows) throws IOException, InterruptedException {
    try (DiscardingSink sink = new DiscardingSink("127.0.0.1")) {
      BenchProcess.Ports ports = BenchProcess.Ports.free();
      Path config = options.workDir().resolve("bench-gateway.yaml");
      Files.writeString(config, gatewayConfig(ports, sink.port(), options.forwardCompression()));
      List<String> args = new ArrayList<>(List.of("--config", config.toString()));
      for (Path extra : options.extraConfig()) {
        args.add("--config");
        args.add(extra.toString());
      }
      try (BenchProcess inflight = start("gateway", args, ports)) {
        for (Protocol protocol : options.protocols()) {
          warmProcess(inflight, "gateway", protocol, options.processWarmupRate(), options.processWarmup());
          for (double rate : options.rates()) {
            Row row = step(inflight, "gateway", protocol, rate, floor, rate == 0);
            rows.add(row);
            if (rate == 0 && row.achieved() > 0) {
              // As many connections as max had: fewer would limit the rate by their latency.
              double safe = Math.floor(row.achieved() * SAFE_SHARE / 1000) * 1000;
              rows.add(step(inflight, "gateway", protocol, safe, floor, true));
            }
          }
        }
        long forwarded = sink.spans();
        say("gateway: the sink received %,d forwarded spans", forwarded);
      }
    }
  }

  private Double sidecar(double floor, List<Row> rows) throws IOException, InterruptedException {
    BenchProcess.Ports ports = BenchProcess.Ports.free();
    try (BenchProcess inflight = start("sidecar", defaultConfigArgs(ports), ports)) {
      // At its own rate, for longer: a sidecar warmed at 100k spans/s would have the heap and trace
      // store of a much busier process, and RSS is one of the things measured here.
      warmProcess(inflight, "sidecar", Protocol.GRPC, options.sidecarRate(), options.processWarmup().multipliedBy(3));
      rows.add(step(inflight, "sidecar", Protocol.GRPC, options.sidecarRate(), floor, false));
      return inflight.secondsToHealthy();
    }
  }

  private Soak soak() throws IOException, InterruptedException {
    BenchProcess.Ports ports = BenchProcess.Ports.free();
    try (BenchProcess inflight = start("soak", defaultConfigArgs(ports), ports);
        LoadGenerator generator = generator(inflight, Protocol.GRPC, options.connections())) {
      say("soak: %s at %,.0f spans/s, after %ss of warm-up", options.soak(), options.soakRate(),
          options.warmup().toSeconds());
      generator.run(options.soakRate(), options.warmup());
      List<double[]> rss = new ArrayList<>();
      double refused0 = inflight.selfMetric(REFUSED);
      ProcSample first = inflight.sample();
      rss.add(new double[] {0, first.rssBytes() / 1048576.0});
      long spans = 0;
      long failed = 0;
      Duration slice = Duration.ofSeconds(Math.min(60, Math.max(1, options.soak().toSeconds() / 10)));
      for (Duration done = Duration.ZERO; done.compareTo(options.soak()) < 0; done = done.plus(slice)) {
        LoadReport r = generator.run(options.soakRate(), slice);
        spans += r.spans();
        failed += r.failedSpans();
        ProcSample s = inflight.sample();
        double at = (s.atNanos() - first.atNanos()) / 1e9;
        rss.add(new double[] {at, s.rssBytes() / 1048576.0});
        say("soak: %4.0fs  RSS %.1f MB  achieved %,.0f spans/s", at, s.rssBytes() / 1048576.0, r.achievedRate());
      }
      ProcSample last = inflight.sample();
      double seconds = (last.atNanos() - first.atNanos()) / 1e9;
      long refused = Math.round(inflight.selfMetric(REFUSED) - refused0) + failed;
      return new Soak(options.soakRate(), options.soak(), rss, spans / seconds,
          spans == 0 ? 0 : last.cpuSecondsSince(first) * 1e6 / spans, refused);
    }
  }

  private Row step(BenchProcess inflight, String profile, Protocol protocol, double rate, double floor,
      boolean manyConnections) throws IOException, InterruptedException {
    int connections = manyConnections ? options.maxConnections() : options.connections();
    try (LoadGenerator generator = generator(inflight, protocol, connections)) {
      String offered = rate == 0 ? "max" : String.format(Locale.ROOT, "%,.0f", rate);
      say("%s %s at %s spans/s: %ss warm-up, %ss measured...", profile, protocol, offered,
          options.warmup().toSeconds(), options.duration().toSeconds());
      generator.run(rate, options.warmup());
      double refused0 = inflight.selfMetric(REFUSED);
      ProcSample before = inflight.sample();
      LoadReport report = generator.run(rate, options.duration());
      ProcSample after = inflight.sample();
      long refused = Math.round(inflight.selfMetric(REFUSED) - refused0) + report.failedSpans();
      double cpuPerSpan = report.spans() == 0 ? 0 : after.cpuSecondsSince(before) * 1e6 / report.spans();
      Row row = new Row(profile, protocol, offered, report.achievedRate(), cpuPerSpan, cpuPerSpan / floor,
          after.cpuPercentSince(before), after.rssBytes() / 1048576.0, report.latencyMs(99), refused);
      say("  achieved %,.0f spans/s, %.2f µs CPU per span (%.2f× parseFrom), %.1f%% of a core, RSS %.0f MB,"
              + " p99 %.2f ms, refused %,d%s", row.achieved(), row.cpuMicrosPerSpan(), row.ratioToParse(),
          row.cpuPercent(), row.rssMb(), row.p99Ms(), row.refused(),
          report.errors().isEmpty() ? "" : " " + report.errors());
      return row;
    }
  }

  private void warmProcess(BenchProcess inflight, String profile, Protocol protocol, double rate, Duration length)
      throws InterruptedException {
    if (length.isZero()) {
      return;
    }
    say("%s %s: warming the process up, %ss at %,.0f spans/s...", profile, protocol, length.toSeconds(), rate);
    try (LoadGenerator generator = generator(inflight, protocol, options.maxConnections())) {
      generator.run(rate, length);
    }
  }

  private LoadGenerator generator(BenchProcess inflight, Protocol protocol, int connections) {
    int port = protocol == Protocol.GRPC ? inflight.ports().grpc() : inflight.ports().http();
    return new LoadGenerator(new LoadGenerator.Target(protocol, "127.0.0.1", port, Duration.ofSeconds(30)),
        options.shape(), connections);
  }

  private BenchProcess start(String name, List<String> args, BenchProcess.Ports ports)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(options.launcher());
    command.addAll(args);
    Map<String, String> env = new HashMap<>();
    // The ./inflight launcher would rebuild a jar older than its sources: not under a running bench.
    env.put("INFLIGHT_SKIP_BUILD", "1");
    if (options.javaOpts() != null) {
      env.put("INFLIGHT_JAVA_OPTS", options.javaOpts());
    }
    Path log = options.workDir().resolve("inflight-" + name + ".log");
    BenchProcess p = BenchProcess.start(command, env, ports, log, Duration.ofSeconds(120));
    say("%s: inflight pid %d healthy %.2fs after start (log: %s)", name, p.pid(), p.secondsToHealthy(), log);
    return p;
  }

  /** The default config with every port moved to a free one on 127.0.0.1. */
  static List<String> defaultConfigArgs(BenchProcess.Ports p) {
    return List.of(
        "--set", "receivers.otlp.protocols.grpc.endpoint=127.0.0.1:" + p.grpc(),
        "--set", "receivers.otlp.protocols.http.endpoint=127.0.0.1:" + p.http(),
        "--set", "extensions.health_check.endpoint=127.0.0.1:" + p.health(),
        "--set", "service.telemetry.metrics.readers=[{pull: {exporter: {prometheus: {host: 127.0.0.1, port: " + p.telemetry() + "}}}}]",
        "--set", "exporters.prometheus.endpoint=127.0.0.1:" + p.prometheus(),
        "--set", "extensions.query.endpoint=127.0.0.1:" + p.query());
  }

  /** The benchmark config: the default config's connector, no query extension, traces forwarded. */
  static String gatewayConfig(BenchProcess.Ports p, int sinkPort, String compression) {
    return """
        # inflight bench: the gateway profile.
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: "127.0.0.1:%d"}
              http: {endpoint: "127.0.0.1:%d"}
        connectors:
          concurrency:
            resolution: 1s
            allowed_lateness: 15s
            dimensions: [service.name]
            worker_types:
              - {name: account_workers, match: "account worker*", capacity: 16}
              - {name: storage_workers, match: ["storage worker*", "storage write*"]}
              - {name: task_queue, match: "queue wait*"}
        exporters:
          prometheus:
            endpoint: "127.0.0.1:%d"
          otlp/sink:
            endpoint: "127.0.0.1:%d"
            tls: {insecure: true}
            compression: %s
        extensions:
          health_check:
            endpoint: "127.0.0.1:%d"
        service:
          extensions: [health_check]
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [concurrency, otlp/sink]
            metrics:
              receivers: [concurrency]
              exporters: [prometheus]
          telemetry:
            metrics: {address: "127.0.0.1:%d"}
            logs: {level: warn}
        """.formatted(p.grpc(), p.http(), p.prometheus(), sinkPort, compression, p.health(), p.telemetry());
  }

  private void say(String format, Object... args) {
    progress.printf(Locale.ROOT, format + "%n", args);
    progress.flush();
  }

  /** The result as the markdown table BENCHMARKS.md shows. */
  public static String table(Result r) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT,
        "parseFrom floor: %.3f µs CPU per span (%d-byte requests)%n%n", r.floorMicrosPerSpan(), r.bytesPerRequest()));
    b.append("| profile | protocol | offered spans/s | achieved spans/s | CPU µs/span | × parseFrom | CPU % of a core | RSS MB | p99 ack ms | refused spans |\n");
    b.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for (Row row : r.rows()) {
      b.append(String.format(Locale.ROOT, "| %s | %s | %s | %,.0f | %.2f | %.2f | %.1f | %.0f | %.2f | %,d |%n",
          row.profile(), row.protocol(), row.offered(), row.achieved(), row.cpuMicrosPerSpan(), row.ratioToParse(),
          row.cpuPercent(), row.rssMb(), row.p99Ms(), row.refused()));
    }
    if (r.sidecarStartSeconds() != null) {
      b.append(String.format(Locale.ROOT, "%nsidecar (default config): start to healthy %.2f s%n", r.sidecarStartSeconds()));
    }
    if (r.soak() != null) {
      Soak s = r.soak();
      List<double[]> rss = s.rssMbAtSeconds();
      double max = rss.stream().mapToDouble(x -> x[1]).max().orElse(0);
      b.append(String.format(Locale.ROOT,
          "%nsoak (default config, %s at %,.0f spans/s): achieved %,.0f spans/s, %.2f µs CPU per span, refused %,d;"
              + " RSS %.0f MB at the start, %.0f MB at the end, %.0f MB at most%n",
          s.length(), s.rate(), s.achieved(), s.cpuMicrosPerSpan(), s.refused(), rss.get(0)[1],
          rss.get(rss.size() - 1)[1], max));
    }
    return b.toString();
  }
}
