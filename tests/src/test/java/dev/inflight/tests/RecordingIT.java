package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inflight.connector.concurrency.SweepOracle;
import dev.inflight.recording.RecordingFiles;
import dev.inflight.recording.RecordingFormat.Kind;
import dev.inflight.recording.RecordingReader;
import dev.inflight.recording.RecordingReader.Record;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code file} exporter in a real inflight process under load from {@code inflight loadgen}: the
 * recording stays within its disk budget at every moment, a {@code kill -9} mid-load leaves
 * everything but at most the one record being written readable, and after SIGTERM the recording
 * holds exactly the spans inflight accepted, and the concurrency connector's last points, and
 * {@code inflight analyze} on it reports each worker type's spans and exact peak.
 */
class RecordingIT {
  private static final Duration START = Duration.ofSeconds(30);
  private static final String ACCEPTED = "otelcol_receiver_accepted_spans_total";
  private static final long MIB = 1 << 20;

  /** OTLP in; concurrency metrics and the spans both recorded by one file exporter. */
  private static String config(Ports ports, Path recording, String rotation) {
    return ports.otlpReceivers() + """
        connectors:
          concurrency:
            resolution: 1s
            allowed_lateness: 1s
            worker_types:
              - name: account_workers
                match: "account worker*"
              - name: storage_workers
                match: ["storage worker*", "storage write*"]
              - name: task_queue
                match: "queue wait*"
        exporters:
          file:
            path: %s
            compression: zstd
            flush_interval: 200ms
            rotation: %s
        """.formatted(recording, rotation) + ports.service("""
        traces:
          receivers: [otlp]
          exporters: [concurrency, file]
        metrics:
          receivers: [concurrency]
          exporters: [file]
        """);
  }

  private static InflightProcess loadgen(Ports ports, String rate, String duration) throws IOException {
    return InflightProcess.start(Map.of(), "loadgen", "--endpoint", "127.0.0.1:" + ports.grpc(), "--protocol", "grpc",
        "--rate", rate, "--duration", duration, "--connections", "2", "--warmup", "0s");
  }

  private record Recording(long traceRecords, long spans, long metricRecords, Set<String> metricNames,
      List<String> warnings, long skipped, Map<String, List<SweepOracle.Span>> byType) {}

  /** The config's worker types, by hand: first match wins. */
  private static String workerType(String name) {
    if (name.startsWith("account worker")) {
      return "account_workers";
    }
    if (name.startsWith("storage worker") || name.startsWith("storage write")) {
      return "storage_workers";
    }
    return name.startsWith("queue wait") ? "task_queue" : null;
  }

  private static Recording read(Path dir) throws IOException {
    List<String> warnings = new ArrayList<>();
    long traceRecords = 0;
    long spans = 0;
    long metricRecords = 0;
    long skipped = 0;
    Set<String> names = new TreeSet<>();
    Map<String, List<SweepOracle.Span>> byType = new TreeMap<>();
    for (Path file : RecordingFiles.resolve(List.of(dir.toString()))) {
      try (RecordingReader reader = RecordingReader.open(file, warnings::add)) {
        Record r;
        while ((r = reader.next()) != null) {
          if (r.kind() == Kind.TRACES) {
            traceRecords++;
            for (ResourceSpans rs : ExportTraceServiceRequest.parseFrom(r.encoded()).getResourceSpansList()) {
              for (ScopeSpans ss : rs.getScopeSpansList()) {
                spans += ss.getSpansCount();
                for (Span span : ss.getSpansList()) {
                  String type = workerType(span.getName());
                  if (type != null) {
                    byType.computeIfAbsent(type, t -> new ArrayList<>())
                        .add(SweepOracle.Span.of(span.getStartTimeUnixNano(), span.getEndTimeUnixNano()));
                  }
                }
              }
            }
          } else {
            metricRecords++;
            for (ResourceMetrics rm : ExportMetricsServiceRequest.parseFrom(r.encoded()).getResourceMetricsList()) {
              for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                sm.getMetricsList().forEach(m -> names.add(m.getName()));
              }
            }
          }
        }
        skipped += reader.skipped();
      }
    }
    return new Recording(traceRecords, spans, metricRecords, names, warnings, skipped, byType);
  }

  /**
   * The bytes of the recording's files at one moment, or -1 when a file was renamed or deleted while
   * they were summed (a directory cannot be read atomically; rotated names are never reused, so an
   * unchanged listing before and after means the sizes belong together).
   */
  private static long diskBytes(Path dir) {
    try {
      List<Path> before = listing(dir);
      long sum = 0;
      for (Path p : before) {
        sum += Files.size(p);
      }
      return before.equals(listing(dir)) ? sum : -1;
    } catch (IOException renamedOrDeleted) {
      return -1;
    }
  }

  private static List<Path> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  @Test
  void killedMidLoadTheRecordingStaysInBudgetAndReadsUpToTheCut(@TempDir Path dir) throws Exception {
    Ports ports = Ports.free();
    Path cfg = dir.resolve("inflight.yaml");
    Path recording = dir.resolve("rec");
    Files.writeString(cfg, config(ports, recording.resolve("spans.binpb"),
        "{max_megabytes: 1, max_total_megabytes: 4}"));
    AtomicBoolean sampling = new AtomicBoolean(true);
    AtomicLong largest = new AtomicLong();
    AtomicLong samples = new AtomicLong();
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        long bytes = Files.isDirectory(recording) ? diskBytes(recording) : -1;
        if (bytes >= 0) {
          largest.accumulateAndGet(bytes, Math::max);
          samples.incrementAndGet();
        }
        Thread.onSpinWait();
      }
    });
    try (InflightProcess inflight = InflightProcess.start(Map.of(), "--config", cfg.toString())) {
      inflight.awaitHttp200(ports.healthUrl(), START);
      sampler.start();
      try (InflightProcess load = loadgen(ports, "20000", "20s")) {
        // Until several files have rotated and some were deleted, then kill -9 in the middle of it.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        double deleted;
        while ((deleted = EdgeSupport.metric(ports, "inflight_exporter_file_deleted_files_total", Map.of())) < 2) {
          assertThat(System.nanoTime()).as("files deleted so far: %s\n%s", deleted, inflight.stderr()).isLessThan(deadline);
          assertThat(load.process.isAlive()).as("loadgen still sending\n%s", load.stderr()).isTrue();
          Thread.sleep(100);
        }
        inflight.process.destroyForcibly();
        inflight.process.waitFor();
      }
    } finally {
      sampling.set(false);
      sampler.join();
    }
    assertThat(samples.get()).as("consistent samples of the directory").isGreaterThan(100);
    assertThat(largest.get()).as("largest total on disk while recording").isPositive().isLessThanOrEqualTo(4 * MIB);

    Recording r = read(recording);
    assertThat(RecordingFiles.resolve(List.of(recording.toString()))).hasSizeBetween(2, 5);
    // Only the file being written when the process died can end inside a record.
    assertThat(r.skipped()).as("warnings: %s", r.warnings()).isLessThanOrEqualTo(1);
    assertThat(r.warnings()).allSatisfy(w -> assertThat(w).contains("spans.binpb").contains("cut off"));
    assertThat(r.spans()).as("spans readable after the kill").isGreaterThan(10_000);
    assertThat(r.spans() % 512).as("whole loadgen requests of 512 spans").isZero();
  }

  @Test
  void afterSigtermTheRecordingHoldsExactlyTheAcceptedSpansAndTheLastWindows(@TempDir Path dir) throws Exception {
    Ports ports = Ports.free();
    Path cfg = dir.resolve("inflight.yaml");
    Path recording = dir.resolve("rec");
    Files.writeString(cfg, config(ports, recording.resolve("spans.binpb"), "{max_megabytes: 64}"));
    double accepted;
    try (InflightProcess inflight = InflightProcess.start(Map.of(), "--config", cfg.toString())) {
      inflight.awaitHttp200(ports.healthUrl(), START);
      try (InflightProcess load = loadgen(ports, "10000", "3s")) {
        assertThat(load.waitFor(Duration.ofSeconds(60))).as("loadgen\n%s\n%s", load.stdout(), load.stderr()).isZero();
      }
      accepted = EdgeSupport.metric(ports, ACCEPTED, Map.of());
      inflight.signal("TERM");
      assertThat(inflight.waitFor(Duration.ofSeconds(20))).as("exit after SIGTERM\n%s", inflight.stderr()).isZero();
    }
    assertThat(accepted).isGreaterThanOrEqualTo(10_000);

    Recording r = read(recording);
    assertThat(r.warnings()).isEmpty();
    assertThat(r.spans()).isEqualTo((long) accepted);
    assertThat(r.metricRecords()).isPositive();
    assertThat(r.metricNames()).contains("workers.active", "workers.active.max", "workers.busy_time", "workers.spans");

    // One command answers from the recording: per worker type, spans and the exact peak, checked
    // against a sweep over the spans read back here.
    try (InflightProcess analyze = InflightProcess.start(Map.of(), "analyze", recording.toString(),
        "--config", cfg.toString(), "--json")) {
      assertThat(analyze.waitFor(Duration.ofSeconds(60))).as("analyze\n%s", analyze.stderr()).isZero();
      JsonNode report = new ObjectMapper().readTree(analyze.stdout());
      assertThat(report.get("spans").asLong()).isEqualTo(r.spans());
      assertThat(report.get("metrics_records_skipped").asLong()).isEqualTo(r.metricRecords());
      Map<String, long[]> analysed = new TreeMap<>();
      for (JsonNode type : report.get("worker_types")) {
        analysed.put(type.get("name").asText(),
            new long[] {type.get("spans").asLong(), type.get("peak_concurrency").asLong()});
      }
      assertThat(analysed).containsOnlyKeys("account_workers", "storage_workers", "task_queue");
      r.byType().forEach((type, spans) -> {
        assertThat(analysed.get(type)[0]).as("%s spans", type).isEqualTo(spans.size());
        assertThat(analysed.get(type)[1]).as("%s peak", type).isEqualTo((long) SweepOracle.peak(spans));
      });
    }
  }
}
