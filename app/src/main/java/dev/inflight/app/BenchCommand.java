package dev.inflight.app;

import dev.inflight.tools.loadgen.BenchHarness;
import dev.inflight.tools.loadgen.Protocol;
import dev.inflight.tools.loadgen.TraceShape;
import dev.inflight.component.config.DurationFormat;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inflight bench}: the benchmark harness; see {@link BenchHarness} and BENCHMARKS.md. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Benchmark inflight: start it as its own process, drive it with the load generator at fixed"
          + " rates and at its maximum, and print one table: offered and achieved spans/s, inflight's CPU"
          + " µs per span (from /proc, user+sys) and its ratio to ExportTraceServiceRequest.parseFrom on"
          + " the same bytes (measured in the same run), CPU % of a core, RSS, p99 ack latency and"
          + " refused spans. Linux only (reads /proc).",
      "Profiles: gateway (OTLP → concurrency connector → prometheus, traces forwarded with otlp to a"
          + " sink that discards them) and sidecar (the default config at --sidecar-rate, and its start"
          + " time). --soak adds a long run of the default config at --soak-rate that reports RSS over"
          + " time.",
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--profiles", split = ",", paramLabel = "PROFILE", defaultValue = "gateway,sidecar",
      description = "gateway, sidecar or both, in that order. Default: ${DEFAULT-VALUE}.")
  List<String> profiles;

  @Option(names = "--rates", split = ",", paramLabel = "RATE", defaultValue = "10000,100000,max",
      description = "Gateway steps in spans/s; max = as fast as it takes them, followed by a step at 80%% of"
          + " what max achieved. Default: ${DEFAULT-VALUE}.")
  List<String> rates;

  @Option(names = "--protocols", split = ",", paramLabel = "PROTOCOL", defaultValue = "grpc",
      description = "Gateway steps for each of grpc, http/protobuf, http/json. Default: ${DEFAULT-VALUE}.")
  List<String> protocols;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "10s",
      description = "Load sent before each measured step, not counted. Default: ${DEFAULT-VALUE}.")
  String warmup;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "20s",
      description = "Length of each measured step. Default: ${DEFAULT-VALUE}.")
  String duration;

  @Option(names = "--process-warmup", paramLabel = "DURATION", defaultValue = "20s",
      description = "Load sent to a freshly started inflight before the first step of each protocol, so"
          + " the JIT has compiled per-request code (0s: measure a cold process). Default: ${DEFAULT-VALUE}.")
  String processWarmup;

  @Option(names = "--process-warmup-rate", paramLabel = "SPANS_PER_SECOND", defaultValue = "100000",
      description = "Default: ${DEFAULT-VALUE}.")
  double processWarmupRate;

  @Option(names = "--connections", paramLabel = "N", defaultValue = "2",
      description = "Load generator connections at fixed rates. Default: ${DEFAULT-VALUE}.")
  int connections;

  @Option(names = "--max-connections", paramLabel = "N", defaultValue = "4",
      description = "Load generator connections at max. Default: ${DEFAULT-VALUE}.")
  int maxConnections;

  @Option(names = "--spans-per-request", paramLabel = "N", defaultValue = "512",
      description = "Default: ${DEFAULT-VALUE}.")
  int spansPerRequest;

  @Option(names = "--attributes", paramLabel = "N", defaultValue = "20", description = "Default: ${DEFAULT-VALUE}.")
  int attributes;

  @Option(names = "--services", paramLabel = "N", defaultValue = "3",
      description = "Distinct service.name values (groups per worker type). Default: ${DEFAULT-VALUE}.")
  int services;

  @Option(names = "--sidecar-rate", paramLabel = "SPANS_PER_SECOND", defaultValue = "10000",
      description = "Default: ${DEFAULT-VALUE}.")
  double sidecarRate;

  @Option(names = "--soak", paramLabel = "DURATION", defaultValue = "0s",
      description = "Also soak the default config this long (e.g. 10m). Default: none.")
  String soak;

  @Option(names = "--soak-rate", paramLabel = "SPANS_PER_SECOND", defaultValue = "50000",
      description = "Default: ${DEFAULT-VALUE}.")
  double soakRate;

  @Option(names = "--forward-compression", paramLabel = "gzip|zstd|none", defaultValue = "none",
      description = "The gateway's otlp exporter compression. Default: ${DEFAULT-VALUE} (the sink is on"
          + " loopback; gzip measures the compression too).")
  String forwardCompression;

  @Option(names = "--config", paramLabel = "FILE",
      description = "A Collector YAML merged over the gateway config, e.g. to add a component and measure"
          + " what it costs. May be repeated.")
  List<Path> extraConfig = new ArrayList<>();

  @Option(names = "--java-opts", paramLabel = "FLAGS",
      description = "JVM flags for inflight, passed as INFLIGHT_JAVA_OPTS (added to the launcher's own).")
  String javaOpts;

  @Option(names = "--launcher", paramLabel = "COMMAND",
      description = "How to start inflight. Default: the ./inflight script beside the jar's source tree,"
          + " else java -jar on this jar.")
  String launcher;

  @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "bench/target/bench-run",
      description = "Configs and inflight logs go here. Default: ${DEFAULT-VALUE}.")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(Path.of("/proc/self"))) {
      throw new ParameterException(spec.commandLine(), "inflight bench reads /proc: it runs on Linux only");
    }
    for (String p : profiles) {
      if (!BenchHarness.PROFILES.contains(p)) {
        throw new ParameterException(spec.commandLine(), "--profiles: unknown profile " + p + "; use gateway, sidecar");
      }
    }
    if (!List.of("gzip", "zstd", "none").contains(forwardCompression)) {
      throw new ParameterException(spec.commandLine(), "--forward-compression must be gzip, zstd or none");
    }
    TraceShape shape;
    try {
      shape = new TraceShape(spansPerRequest, attributes, TraceShape.DEFAULT_WORKER_NAMES, services);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    List<Protocol> protocolList = new ArrayList<>();
    for (String p : protocols) {
      try {
        protocolList.add(Protocol.parse(p));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--protocols: " + e.getMessage());
      }
    }
    BenchHarness.Options options = new BenchHarness.Options(launcher(), javaOpts, duration("--warmup", warmup),
        duration("--duration", duration), rateList(), protocolList, connections, maxConnections, shape, profiles,
        sidecarRate, duration("--soak", soak), soakRate, forwardCompression, extraConfig, workDir.toAbsolutePath(),
        duration("--process-warmup", processWarmup), processWarmupRate);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    err.printf(Locale.ROOT, "inflight bench: %d cores, %s %s; inflight started with %s%s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
        System.getProperty("java.runtime.version"), String.join(" ", options.launcher()),
        javaOpts == null ? "" : " (INFLIGHT_JAVA_OPTS=" + javaOpts + ")");
    BenchHarness.Result result = new BenchHarness(options, err).run();
    out.println();
    out.print(BenchHarness.table(result));
    out.flush();
    return ExitCodes.OK;
  }

  private List<Double> rateList() {
    List<Double> out = new ArrayList<>();
    for (String r : rates) {
      double v = LoadgenCommand.spansPerSecond(r);
      if (Double.isNaN(v) || v < 0 || Double.isInfinite(v) || (v == 0 && !r.strip().equalsIgnoreCase("max"))) {
        throw new ParameterException(spec.commandLine(), "--rates: \"" + r + "\" is not spans per second (e.g. 10000, 50k) or max");
      }
      out.add(v);
    }
    return out;
  }

  private Duration duration(String option, String text) {
    try {
      return DurationFormat.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }

  /** The ./inflight script of the source tree this jar was built in, else java -jar this jar. */
  private List<String> launcher() throws URISyntaxException {
    if (launcher != null) {
      return Arrays.asList(launcher.strip().split("\\s+"));
    }
    Path jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path script = jar.getParent() == null || jar.getParent().getParent() == null || jar.getParent().getParent().getParent() == null
        ? null : jar.getParent().getParent().getParent().resolve("inflight");
    if (script != null && Files.isExecutable(script)) {
      return List.of(script.toString());
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(java, "-jar", jar.toString());
  }
}
