package dev.inflight.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code inflight trace <traceId>}: how many workers of each type were busy during one trace, from
 * the query extension's {@code /trace/{traceId}}, as a summary and seed 000's ASCII chart.
 */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Chart how many workers of each type were busy during one trace, from a running inflight's"
          + " query extension (its span store, or Tempo).",
      "Exit code 0; 3 when nothing answers at --url; 1 when the server answers with an error"
          + " (an unknown trace, a bad trace id or bucket size)."
    })
final class TraceCommand implements Callable<Integer> {
  static final int MIN_BUCKET_MS = 1;
  static final int MAX_BUCKET_MS = 60_000;
  static final int DEFAULT_WIDTH = 72;
  /** Ten times the server's limit per trace. */
  static final int MAX_BUCKETS = 100_000;
  static final int MAX_WIDTH = 1000;
  /** A trace read from Tempo can take a while. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  @Spec CommandSpec spec;

  @Mixin QueryOptions query;

  @Parameters(index = "0", paramLabel = "TRACE_ID", description = "Hex trace id, up to 32 digits.")
  String traceId;

  @Option(
      names = "--bucket-ms",
      paramLabel = "MS",
      defaultValue = "5",
      description = "Bucket width in milliseconds, " + MIN_BUCKET_MS + ".." + MAX_BUCKET_MS
          + "; a bucket shows the most workers busy at once within it. Default: ${DEFAULT-VALUE}.")
  int bucketMs;

  @Option(names = "--json", description = "Print the server's JSON instead, on one line.")
  boolean json;

  @Option(
      names = "--width",
      paramLabel = "COLUMNS",
      description = "Width of the chart in columns. Default: the terminal's width, else " + DEFAULT_WIDTH + ".")
  Integer width;

  /** Where stdout goes: detected when the command runs, unless a test set it. */
  Terminal terminal;

  @Override
  public Integer call() {
    if (bucketMs < MIN_BUCKET_MS || bucketMs > MAX_BUCKET_MS) {
      throw new ParameterException(spec.commandLine(),
          "--bucket-ms must be between " + MIN_BUCKET_MS + " and " + MAX_BUCKET_MS + ", got " + bucketMs);
    }
    if (width != null && (width < TraceChart.MIN_WIDTH || width > MAX_WIDTH)) {
      throw new ParameterException(spec.commandLine(),
          "--width must be between " + TraceChart.MIN_WIDTH + " and " + MAX_WIDTH + ", got " + width);
    }
    if (terminal == null) {
      terminal = Terminal.detect(width == null && !json);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    QueryClient client = new QueryClient(query.url, REQUEST_TIMEOUT);
    String path = "/trace/" + pathSegment(traceId.trim()) + "?bucket_ms=" + bucketMs;
    try {
      JsonNode document = client.get(path);
      if (json) {
        client.requireObject(document, path, "a trace's concurrency");
        out.println(QueryClient.compact(document));
      } else {
        TraceDocument trace = client.read(document, TraceDocument.class, path, "a trace's concurrency");
        int columns = width != null ? width
            : terminal.columns() >= TraceChart.MIN_WIDTH ? Math.min(terminal.columns(), MAX_WIDTH) : DEFAULT_WIDTH;
        out.print(render(trace, bucketMs, columns, terminal.colour(query.noColor), terminal.unicode()));
      }
      out.flush();
      return ExitCodes.OK;
    } catch (QueryFailedException e) {
      err.println("inflight trace: " + e.getMessage());
      err.flush();
      return e.exitCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.FAILED;
    }
  }

  /**
   * The trace line, one summary line per worker type, then the chart.
   *
   * @param requestedBucketMs what was asked for, used when the server does not say
   */
  static String render(TraceDocument trace, int requestedBucketMs, int width, boolean colour, boolean unicode) {
    int bucket = trace.bucketMs() != null && trace.bucketMs() > 0 ? trace.bucketMs() : requestedBucketMs;
    StringBuilder out = new StringBuilder();
    out.append(Ansi.BOLD.paint("trace " + trace.traceId(), colour))
        .append(": ").append(TopScreen.compact(trace.durationMs())).append(" ms, ")
        .append(bucket).append(" ms buckets")
        .append(trace.source() == null ? "" : ", from " + (trace.source().equals("store") ? "the store" : trace.source()))
        .append('\n');
    List<TraceChart.Line> lines = new ArrayList<>();
    for (Map.Entry<String, TraceDocument.WorkerType> e : trace.workerTypes().entrySet()) {
      TraceDocument.WorkerType w = e.getValue();
      out.append(e.getKey()).append(": ")
          .append(w.spanCount()).append(w.spanCount() == 1 ? " span" : " spans")
          .append(", max ").append(w.maxConcurrent()).append(" concurrent")
          .append(w.utilizationPct() == null ? "" : ", utilization " + TopScreen.compact(w.utilizationPct()) + "%")
          .append('\n');
      long[] active = buckets(w.series(), bucket);
      if (active.length > 0) {
        lines.add(new TraceChart.Line(e.getKey(), active));
      }
    }
    if (lines.isEmpty()) {
      out.append("no worker spans in this trace\n");
      return out.toString();
    }
    // Every line over the same buckets, so the columns line up in time.
    int n = lines.stream().mapToInt(l -> l.active().length).max().orElse(0);
    lines.replaceAll(l -> new TraceChart.Line(l.name(), Arrays.copyOf(l.active(), n)));
    out.append('\n');
    TraceChart.render(lines, bucket, width, colour, unicode).forEach(l -> out.append(l).append('\n'));
    return out.toString();
  }

  /** Active per bucket index (time_ms / bucket_ms); a bucket the server left out counts as 0. */
  static long[] buckets(List<TraceDocument.Point> series, int bucketMs) {
    int n = 0;
    for (TraceDocument.Point p : series) {
      n = Math.max(n, index(p, bucketMs) + 1);
    }
    long[] active = new long[n];
    for (TraceDocument.Point p : series) {
      int i = index(p, bucketMs);
      if (i >= 0) {
        active[i] = Math.max(active[i], p.active());
      }
    }
    return active;
  }

  /** The bucket of a point; -1 outside what a server may send (it allows 10000 buckets), so a bad time cannot exhaust memory. */
  private static int index(TraceDocument.Point p, int bucketMs) {
    double i = Math.rint(p.timeMs() / bucketMs);
    return i >= 0 && i < MAX_BUCKETS ? (int) i : -1;
  }

  /** The trace id as one path segment: the server says what is wrong with it, the URL stays intact. */
  static String pathSegment(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
