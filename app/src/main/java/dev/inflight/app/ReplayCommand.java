package dev.inflight.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.inflight.tools.loadgen.LoadGenerator;
import dev.inflight.tools.loadgen.Protocol;
import dev.inflight.tools.loadgen.TraceSender;
import dev.inflight.component.config.DurationFormat;
import dev.inflight.pdata.MalformedDataException;
import dev.inflight.pdata.Traces;
import dev.inflight.receiver.file.EventTime;
import dev.inflight.recording.RecordingFiles;
import dev.inflight.recording.RecordingFormat.Kind;
import dev.inflight.recording.RecordingReader;
import dev.inflight.receiver.file.ReplayPacer;
import dev.inflight.otlp.json.OtlpJson;
import io.grpc.Metadata;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code inflight replay}: sends the traces of recordings (the {@code file} exporter's files) to an
 * OTLP endpoint, one export request per recorded record, paced as recorded (the {@code file}
 * receiver's {@link ReplayPacer}) or as fast as the endpoint takes them.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    sortOptions = false,
    description = {
      "Send the traces of recordings (files of the file exporter, inflight's or the Collector's: proto"
          + " or JSON lines, plain or zstd) to an OTLP endpoint, one request per recorded record, in the"
          + " order they were written and paced as recorded (--speed).",
      "Spans keep their recorded times: a live inflight whose concurrency connector uses watermark:"
          + " wall_clock counts spans older than its allowed_lateness as late (workers.late_spans) and"
          + " shows them in no gauge. Use --shift-time to move them to now, or replay into a pipeline"
          + " with watermark: event_time.",
      "Retries gRPC UNAVAILABLE, HTTP 429/502/503/504 and broken connections up to "
          + ReplayCommand.MAX_ATTEMPTS + " attempts per request. Exit code 0 when every request was"
          + " taken; 1 when some failed; 3 when none was.",
    })
final class ReplayCommand implements Callable<Integer> {
  /** Attempts per request, the first included: waits of 0.5s, 1s, 2s, 4s between them. */
  static final int MAX_ATTEMPTS = 5;

  static final Duration FIRST_BACKOFF = Duration.ofMillis(500);

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE",
      description = "Recording files, directories (their files) or globs (quote them: 'spans*.binpb'),"
          + " read oldest first.")
  List<String> files;

  @Mixin OtlpTargetOptions to;

  @Option(names = "--speed", paramLabel = "SPEED", defaultValue = "1",
      description = "1 = the gaps between records as recorded, 2 = twice as fast, max = as fast as the"
          + " endpoint answers. Default: ${DEFAULT-VALUE}.")
  String speed;

  @Option(names = "--max-gap", paramLabel = "DURATION", defaultValue = "1m",
      description = "A gap between two records longer than this (recorded time) is shortened to it."
          + " Default: ${DEFAULT-VALUE}.")
  String maxGap;

  @Option(names = "--shift-time",
      description = "Move every span's start and end (and its events) by the time between the"
          + " recording's first record and now, so a live pipeline takes them as current.")
  boolean shiftTime;

  @Option(names = "--header", paramLabel = "KEY=VALUE",
      description = "A header (gRPC metadata) sent with every request, e.g. 'Authorization=Bearer x';"
          + " repeat for more.")
  List<String> headers = List.of();

  @Option(names = "--json", description = "Print the report as one JSON object.")
  boolean json;

  record Settings(LoadGenerator.Target target, Map<String, String> headers, double speed, Duration maxGap) {}

  @Override
  public Integer call() throws Exception {
    Settings s = settings();
    List<Path> paths;
    try {
      paths = RecordingFiles.resolve(files);
    } catch (NoSuchFileException e) {
      throw usage("FILE: " + e.getFile() + ": no recording file matches");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!json) {
      out.printf(Locale.ROOT, "inflight replay: %d file%s → %s, speed %s%s%n", paths.size(),
          paths.size() == 1 ? "" : "s", s.target().display(), ReplayPacer.formatSpeed(s.speed()),
          shiftTime ? ", times shifted to now" : "");
      out.flush();
    }
    Replay replay = new Replay(s, err);
    try (TraceSender sender = TraceSender.open(s.target(), s.headers())) {
      replay.run(paths, sender);
    }
    Report report = replay.report(paths.size());
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode o = report.json(mapper);
      o.put("endpoint", s.target().host() + ":" + s.target().port());
      o.put("protocol", s.target().protocol().toString());
      o.put("speed", ReplayPacer.formatSpeed(s.speed()));
      out.println(mapper.writeValueAsString(o));
    } else {
      out.print(report.text());
    }
    out.flush();
    if (report.failedRecords() == 0 && report.rejectedSpans() == 0) {
      return ExitCodes.OK;
    }
    return report.sentRecords() == 0 ? ExitCodes.UNREACHABLE : ExitCodes.FAILED;
  }

  /** The options checked and parsed; a bad one is a usage error naming it. */
  Settings settings() {
    LoadGenerator.Target target = to.target(spec.commandLine());
    double sp;
    try {
      sp = ReplayPacer.parseSpeed(speed);
    } catch (IllegalArgumentException e) {
      throw usage("--" + e.getMessage());
    }
    Duration gap = duration("--max-gap", maxGap);
    if (gap.isZero()) {
      throw usage("--max-gap must be longer than 0");
    }
    return new Settings(target, headers(target.protocol()), sp, gap);
  }

  private Map<String, String> headers(Protocol p) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String h : headers) {
      int eq = h.indexOf('=');
      if (eq <= 0) {
        throw usage("--header must be KEY=VALUE, got \"" + h + "\"");
      }
      String key = h.substring(0, eq).strip();
      String value = h.substring(eq + 1).strip();
      try {
        if (p == Protocol.GRPC) {
          key = key.toLowerCase(Locale.ROOT);
          Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER);
        } else {
          HttpRequest.newBuilder(URI.create("http://localhost/")).header(key, value);
        }
      } catch (IllegalArgumentException e) {
        throw usage("--header " + key + ": cannot be sent: " + e.getMessage());
      }
      out.put(key, value);
    }
    return out;
  }

  private Duration duration(String option, String text) {
    return LoadgenCommand.nonNegativeDuration(spec.commandLine(), option, text);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** One replay: the files in order, each traces record one request; its counts. */
  private final class Replay {
    private final Settings settings;
    private final PrintWriter err;
    private final ReplayPacer pacer;
    private final Map<String, Long> errors = new TreeMap<>();
    private long startNanos;
    private long shiftNanos;
    private boolean shiftKnown;
    private long records;
    private long sentRecords;
    private long failedRecords;
    private long skippedMetrics;
    private long skippedLogs;
    private long skippedDamaged;
    private int truncatedFiles;
    private long sentSpans;
    private long failedSpans;
    private long rejectedSpans;
    private long retries;
    private boolean gaveUp;
    private double seconds;

    Replay(Settings settings, PrintWriter err) {
      this.settings = settings;
      this.err = err;
      this.pacer = ReplayPacer.create(settings.speed(), settings.maxGap(), (gap, max) -> warn(
          "a gap of " + DurationFormat.format(Duration.ofNanos(gap)) + " between two records is shortened to --max-gap "
              + DurationFormat.format(Duration.ofNanos(max))));
    }

    void run(List<Path> paths, TraceSender sender) throws IOException, InterruptedException {
      startNanos = System.nanoTime();
      try {
        for (Path file : paths) {
          if (gaveUp) {
            break;
          }
          try (RecordingReader in = RecordingReader.open(file, this::warn)) {
            RecordingReader.Record r;
            while (!gaveUp && (r = in.next()) != null) {
              records++;
              if (r.kind() == Kind.METRICS) {
                skippedMetrics++;
                continue;
              }
              if (r.kind() == Kind.LOGS) {
                skippedLogs++; // replay sends traces; the file receiver replays logs into a pipeline
                continue;
              }
              send(file, r.encoded(), sender);
            }
            skippedDamaged += in.skipped();
            if (in.truncated()) {
              truncatedFiles++;
            }
          }
        }
      } finally {
        seconds = (System.nanoTime() - startNanos) / 1e9;
      }
    }

    private void send(Path file, byte[] encoded, TraceSender sender) throws InterruptedException {
      int spans;
      try {
        spans = Traces.ofEncoded(encoded).spanCount();
      } catch (MalformedDataException e) {
        skippedDamaged++;
        warn(file + ": record " + records + " skipped: " + e.getMessage());
        return;
      }
      if (spans == 0) {
        return;
      }
      long eventTime = EventTime.latestSpanEnd(encoded);
      pacer.await(eventTime);
      byte[] body;
      try {
        body = body(encoded);
      } catch (InvalidProtocolBufferException e) {
        skippedDamaged++;
        warn(file + ": record " + records + " skipped: " + e.getMessage());
        return;
      }
      long backoff = FIRST_BACKOFF.toMillis();
      for (int attempt = 1; ; attempt++) {
        TraceSender.Result result = sender.send(body);
        if (result.ok()) {
          sentRecords++;
          sentSpans += spans - result.rejectedSpans();
          rejectedSpans += result.rejectedSpans();
          return;
        }
        if (!result.retryable() || attempt == MAX_ATTEMPTS) {
          failedRecords++;
          failedSpans += spans;
          errors.merge(result.error(), 1L, Long::sum);
          if (result.retryable() && sentRecords == 0) {
            // Nothing has taken a request yet and this one failed every attempt: no point in
            // trying every other record the same way.
            gaveUp = true;
            warn("nothing at " + settings.target().display() + " took a request (" + result.error() + " after "
                + MAX_ATTEMPTS + " attempts): stopping");
          }
          return;
        }
        retries++;
        Thread.sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
    }

    /** What to send for a record: shifted in time if asked, as JSON for http/json. */
    private byte[] body(byte[] encoded) throws InvalidProtocolBufferException {
      if (!shiftTime && !settings.target().protocol().json()) {
        return encoded;
      }
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(encoded);
      if (shiftTime) {
        if (!shiftKnown) {
          shiftKnown = true;
          shiftNanos = nowNanos() - pacer.firstEventNanos();
        }
        request = shift(request, shiftNanos);
      }
      return settings.target().protocol().json()
          ? OtlpJson.print(request).getBytes(StandardCharsets.UTF_8)
          : request.toByteArray();
    }

    private void warn(String message) {
      err.println("inflight replay: " + message);
      err.flush();
    }

    Report report(int files) {
      return new Report(files, truncatedFiles, records, sentRecords, failedRecords, skippedMetrics, skippedLogs,
          skippedDamaged, sentSpans, failedSpans, rejectedSpans, retries, errors, seconds, gaveUp);
    }
  }

  /** Every span's start and end, and its events' times, moved by {@code nanos} (unset times stay 0). */
  static ExportTraceServiceRequest shift(ExportTraceServiceRequest request, long nanos) {
    ExportTraceServiceRequest.Builder b = request.toBuilder();
    for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder span : ss.getSpansBuilderList()) {
          if (span.getStartTimeUnixNano() != 0) {
            span.setStartTimeUnixNano(span.getStartTimeUnixNano() + nanos);
          }
          if (span.getEndTimeUnixNano() != 0) {
            span.setEndTimeUnixNano(span.getEndTimeUnixNano() + nanos);
          }
          for (Span.Event.Builder e : span.getEventsBuilderList()) {
            if (e.getTimeUnixNano() != 0) {
              e.setTimeUnixNano(e.getTimeUnixNano() + nanos);
            }
          }
        }
      }
    }
    return b.build();
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** What a replay did. */
  record Report(
      int files,
      int truncatedFiles,
      long records,
      long sentRecords,
      long failedRecords,
      long skippedMetrics,
      long skippedLogs,
      long skippedDamaged,
      long sentSpans,
      long failedSpans,
      long rejectedSpans,
      long retries,
      Map<String, Long> errors,
      double seconds,
      boolean gaveUp) {

    double spansPerSecond() {
      return seconds > 0 ? sentSpans / seconds : 0;
    }

    long skippedRecords() {
      return skippedMetrics + skippedLogs + skippedDamaged;
    }

    String text() {
      StringBuilder b = new StringBuilder();
      b.append(String.format(Locale.ROOT, "files     %,d%s%n", files,
          truncatedFiles > 0 ? " (" + truncatedFiles + " cut off at the end)" : ""));
      b.append(String.format(Locale.ROOT, "records   %,d: %,d sent, %,d failed, %,d skipped (%,d metrics,%s %,d cut off"
          + " or damaged)%n", records, sentRecords, failedRecords, skippedRecords(), skippedMetrics,
          skippedLogs > 0 ? String.format(Locale.ROOT, " %,d logs,", skippedLogs) : "", skippedDamaged));
      b.append(String.format(Locale.ROOT, "spans     %,d sent, %,d failed%s%n", sentSpans, failedSpans,
          rejectedSpans > 0 ? String.format(Locale.ROOT, ", %,d rejected (partial success)", rejectedSpans) : ""));
      b.append(String.format(Locale.ROOT, "elapsed   %.2fs, %,.0f spans/s%n", seconds, spansPerSecond()));
      if (errors.isEmpty()) {
        b.append(retries > 0 ? String.format(Locale.ROOT, "errors    none (%,d retries)%n", retries) : "errors    none\n");
      } else {
        b.append("errors   ");
        errors.forEach((error, n) -> b.append(String.format(Locale.ROOT, " %s: %,d requests;", error, n)));
        b.setLength(b.length() - 1);
        b.append(String.format(Locale.ROOT, " (%,d retries)%s%n", retries, gaveUp ? "; stopped: nothing answered" : ""));
      }
      return b.toString();
    }

    ObjectNode json(ObjectMapper mapper) {
      ObjectNode o = mapper.createObjectNode();
      o.put("files", files);
      o.put("truncated_files", truncatedFiles);
      o.put("records", records);
      o.put("records_sent", sentRecords);
      o.put("records_failed", failedRecords);
      o.put("records_skipped", skippedRecords());
      o.put("spans_sent", sentSpans);
      o.put("spans_failed", failedSpans);
      o.put("spans_rejected", rejectedSpans);
      o.put("retries", retries);
      o.put("seconds", Math.round(seconds * 1000) / 1000.0);
      o.put("spans_per_second", Math.round(spansPerSecond() * 10) / 10.0);
      ObjectNode e = o.putObject("errors");
      errors.forEach(e::put);
      o.put("stopped_early", gaveUp);
      return o;
    }
  }
}
