package dev.inflight.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inflight.tools.loadgen.LoadGenerator;
import dev.inflight.tools.loadgen.LoadReport;
import dev.inflight.tools.loadgen.TraceShape;
import dev.inflight.component.config.DurationFormat;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inflight loadgen}: OTLP trace load at a fixed rate or as fast as the server takes it. */
@Command(
    name = "loadgen",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Send OTLP traces to an endpoint (inflight, an OpenTelemetry Collector, any OTLP receiver) at a"
          + " fixed rate or as fast as it takes them, and report the achieved rate, errors by status"
          + " and export-call latency.",
      "Spans are realistic (a server root span, worker spans named by --worker-types, database"
          + " calls inside them, --attributes attributes each) and encoded once; each send only"
          + " restamps times (the last span ends now) and trace ids.",
      "Exit code 0 when every request was taken; 1 when some failed; 3 when none was.",
    })
final class LoadgenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin OtlpTargetOptions to;

  @Option(names = "--rate", paramLabel = "SPANS_PER_SECOND", defaultValue = "10000",
      description = "Spans per second, or max (as fast as the server answers). Default: ${DEFAULT-VALUE}.")
  String rate;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s",
      description = "How long to send, e.g. 15s, 2m. Default: ${DEFAULT-VALUE}.")
  String duration;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "0s",
      description = "Send at the same rate this long first, not counted (lets the JIT of both sides warm"
          + " up). Default: ${DEFAULT-VALUE}.")
  String warmup;

  @Option(names = "--connections", paramLabel = "N", defaultValue = "2",
      description = "Connections, each with one request in flight. Default: ${DEFAULT-VALUE}.")
  int connections;

  @Option(names = "--spans-per-request", paramLabel = "N", defaultValue = "512",
      description = "Spans per export request (an SDK's batch size). Default: ${DEFAULT-VALUE}.")
  int spansPerRequest;

  @Option(names = "--attributes", paramLabel = "N", defaultValue = "20",
      description = "Attributes per span. Default: ${DEFAULT-VALUE}.")
  int attributes;

  @Option(names = "--worker-types", paramLabel = "NAME", split = ",",
      description = "Span names of worker spans, comma-separated. Default: the default config's"
          + " worker types: account worker, storage write, queue wait.")
  List<String> workerTypes = TraceShape.DEFAULT_WORKER_NAMES;

  @Option(names = "--services", paramLabel = "N", defaultValue = "3",
      description = "Distinct service.name resources (one per request). Default: ${DEFAULT-VALUE}.")
  int services;

  @Option(names = "--json", description = "Print the report as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Settings s = settings();
    PrintWriter out = spec.commandLine().getOut();
    try (LoadGenerator generator = new LoadGenerator(s.target(), s.shape(), connections)) {
      if (!json) {
        out.printf(Locale.ROOT, "inflight loadgen: %s, %d connection%s, %d spans/request, %d attributes/span%n",
            s.target().display(), connections, connections == 1 ? "" : "s", spansPerRequest, attributes);
        out.flush();
      }
      if (!s.warmup().isZero()) {
        generator.run(s.rate(), s.warmup());
      }
      LoadReport report = generator.run(s.rate(), s.duration());
      if (json) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode o = report.json(mapper);
        o.put("endpoint", s.target().host() + ":" + s.target().port());
        out.println(mapper.writeValueAsString(o));
      } else {
        out.print(report.text());
      }
      out.flush();
      if (report.failedRequests() == 0) {
        return ExitCodes.OK;
      }
      return report.requests() == 0 ? ExitCodes.UNREACHABLE : ExitCodes.FAILED;
    }
  }

  record Settings(LoadGenerator.Target target, TraceShape shape, double rate, Duration duration, Duration warmup) {}

  /** The options checked and parsed; a bad one is a usage error naming it. */
  Settings settings() {
    LoadGenerator.Target target = to.target(spec.commandLine());
    TraceShape shape;
    try {
      shape = new TraceShape(spansPerRequest, attributes, workerTypes, services);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    if (connections < 1 || connections > 1024) {
      throw usage("--connections must be 1 to 1024, got " + connections);
    }
    double r = parseRate(rate);
    Duration d = duration("--duration", duration);
    if (d.isZero()) {
      throw usage("--duration must be longer than 0");
    }
    return new Settings(target, shape, r, d, duration("--warmup", warmup));
  }

  private double parseRate(String text) {
    double r = spansPerSecond(text);
    if (Double.isNaN(r)) {
      throw usage("--rate must be spans per second (e.g. 50000 or 50k) or max, got \"" + text + "\"");
    }
    if (!(r >= 0) || Double.isInfinite(r)) {
      throw usage("--rate must be 0 or more spans per second, got \"" + text + "\"");
    }
    return r;
  }

  /**
   * A rate as the commands take it: {@code 50000}, {@code 50k}, {@code 100_000}, or {@code max} (0:
   * as fast as the server answers). NaN when it is not a number; range checks are the caller's.
   */
  static double spansPerSecond(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT).replace("_", "");
    if (t.equals("max")) {
      return 0;
    }
    boolean thousands = t.endsWith("k");
    try {
      return Double.parseDouble(thousands ? t.substring(0, t.length() - 1) : t) * (thousands ? 1000 : 1);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  private Duration duration(String option, String text) {
    return nonNegativeDuration(spec.commandLine(), option, text);
  }

  /** A duration option ({@code 10s}, {@code 500ms}) that must not be negative, else a usage error. */
  static Duration nonNegativeDuration(CommandLine command, String option, String text) {
    try {
      Duration d = DurationFormat.parse(text);
      if (d.isNegative()) {
        throw new ParameterException(command, option + " must not be negative, got " + text);
      }
      return d;
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command, option + ": " + e.getMessage());
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
