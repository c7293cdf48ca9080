package dev.inflight.exporter.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.inflight.exporter.file.FileExporterConfig.Compression;
import dev.inflight.exporter.file.FileExporterConfig.Format;
import dev.inflight.exporter.file.FileExporterConfig.Rotation;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.LogsExporter;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.TracesExporter;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.testing.TestData;
import dev.inflight.pdata.Traces;
import dev.inflight.service.telemetry.ScrapedTelemetry;
import dev.inflight.recording.RecordingFiles;
import dev.inflight.recording.RecordingFormat.Kind;
import dev.inflight.recording.RecordingReader;
import dev.inflight.recording.RecordingReader.Record;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FileExporterTest {
  private static final long MIB = 1 << 20;

  @TempDir Path dir;
  private ScrapedTelemetry telemetry;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    telemetry = new ScrapedTelemetry();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    telemetry.close();
  }

  /** A request of {@code spans} spans with random ids and attribute values (so zstd has work to do). */
  static ExportTraceServiceRequest traces(Random r, int spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      byte[] trace = new byte[16];
      byte[] span = new byte[8];
      r.nextBytes(trace);
      r.nextBytes(span);
      long start = 1_700_000_000_000_000_000L + r.nextInt(1_000_000_000);
      scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(trace)).setSpanId(ByteString.copyFrom(span))
          .setName("storage write").setStartTimeUnixNano(start).setEndTimeUnixNano(start + r.nextInt(9_000_000))
          .addAttributes(KeyValue.newBuilder().setKey("request.id")
              .setValue(AnyValue.newBuilder().setStringValue(Long.toHexString(r.nextLong())))));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build();
  }

  static ExportMetricsServiceRequest metrics() {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("workers.active")
            .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsDouble(2)))))).build();
  }

  private FileExporter exporter(FileExporterConfig config) throws Exception {
    CreateSettings settings = telemetry.settings("file");
    FileExporterFactory factory = new FileExporterFactory();
    TracesExporter traces = factory.createTraces(settings, config);
    MetricsExporter metrics = factory.createMetrics(settings, config);
    LogsExporter logs = factory.createLogs(settings, config);
    assertThat(metrics).as("one exporter for every signal: they share the file").isSameAs(traces);
    assertThat(logs).as("one exporter for every signal: they share the file").isSameAs(traces);
    FileExporter exporter = (FileExporter) traces;
    exporter.start(null);
    open.add(exporter::shutdown);
    return exporter;
  }

  private static FileExporterConfig config(Path path, Format format, Compression compression, Rotation rotation) {
    return new FileExporterConfig(path.toString(), format, compression, rotation, Duration.ofMillis(50));
  }

  private static List<Record> read(List<Path> files, List<String> warnings) throws IOException {
    List<Record> out = new ArrayList<>();
    for (Path f : files) {
      try (RecordingReader reader = RecordingReader.open(f, warnings::add)) {
        Record r;
        while ((r = reader.next()) != null) {
          out.add(r);
        }
      }
    }
    return out;
  }

  private List<Path> recordingFiles() throws IOException {
    return RecordingFiles.resolve(List.of(dir.toString()));
  }

  private long diskBytes() throws IOException {
    return consistentDiskBytes(dir);
  }

  /**
   * The bytes of the files in {@code dir} at one moment, or -1 when files were renamed or deleted
   * while they were being summed: a directory cannot be read atomically, and a sum of one file's
   * size before its deletion and another's after a later write would count bytes that were never on
   * disk together. Names are never reused (rotated names carry a timestamp), so an unchanged listing
   * before and after means nothing was renamed or deleted in between.
   */
  static long consistentDiskBytes(Path dir) throws IOException {
    List<Path> before = listing(dir);
    long sum = 0;
    for (Path p : before) {
      try {
        sum += Files.size(p);
      } catch (IOException gone) {
        return -1;
      }
    }
    return before.equals(listing(dir)) ? sum : -1;
  }

  private static List<Path> listing(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void afterEveryWriteAndFlushTheFilesFitTheBudget(Compression compression) throws Exception {
    // One writer, so the directory is still between writes: every state it passes through is seen.
    Path path = dir.resolve("spans.binpb");
    FileExporter exporter = exporter(config(path, Format.PROTO, compression, new Rotation(1, 2, null, null, null)));
    Random r = new Random(11);
    long largest = 0;
    int writes = compression == Compression.ZSTD ? 1500 : 150; // ~10 KiB each, zstd takes ~4x less
    for (int i = 0; i < writes; i++) {
      exporter.consumeTraces(Traces.of(traces(r, 100)));
      exporter.flushNow();
      long bytes = diskBytes();
      assertThat(bytes).as("after write %d", i).isNotNegative().isLessThanOrEqualTo(2 * MIB);
      largest = Math.max(largest, bytes);
    }
    assertThat(largest).as("the budget was reached, so files were deleted").isGreaterThan(MIB);
    assertThat(recordingFiles().size()).isBetween(2, 3);
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void tracesAndMetricsReadBackExactly(Format format) throws Exception {
    for (Compression compression : Compression.values()) {
      Path path = dir.resolve(compression + "/spans." + (format == Format.PROTO ? "binpb" : "json"));
      FileExporter exporter = exporter(config(path, format, compression, Rotation.defaults()));
      Random r = new Random(1);
      List<ExportTraceServiceRequest> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        sent.add(traces(r, 1 + r.nextInt(50)));
        exporter.consumeTraces(Traces.of(sent.get(i)));
      }
      exporter.consumeMetrics(Metrics.of(metrics()));
      exporter.shutdown();

      List<String> warnings = new ArrayList<>();
      List<Record> records = read(List.of(path), warnings);
      assertThat(warnings).isEmpty();
      assertThat(records).hasSize(21);
      for (int i = 0; i < 20; i++) {
        assertThat(records.get(i).kind()).isEqualTo(Kind.TRACES);
        assertThat(ExportTraceServiceRequest.parseFrom(records.get(i).encoded())).isEqualTo(sent.get(i));
      }
      assertThat(records.get(20).kind()).isEqualTo(Kind.METRICS);
      assertThat(ExportMetricsServiceRequest.parseFrom(records.get(20).encoded())).isEqualTo(metrics());
    }
    assertThat(telemetry.value("otelcol_exporter_sent_spans_total", Map.of("exporter", "file")))
        .isGreaterThan(0);
  }

  @ParameterizedTest
  @EnumSource(Compression.class)
  void theBudgetHoldsAtEveryMomentUnderConcurrentWriters(Compression compression) throws Exception {
    Path path = dir.resolve("spans.binpb");
    FileExporter exporter = exporter(config(path, Format.PROTO, compression, new Rotation(1, 3, null, null, null)));
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong largest = new AtomicLong();
    AtomicLong samples = new AtomicLong();
    Thread watcher = new Thread(() -> {
      while (writing.get()) {
        try {
          long bytes = diskBytes();
          if (bytes >= 0) {
            largest.accumulateAndGet(bytes, Math::max);
            samples.incrementAndGet();
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
    });
    watcher.start();
    List<Thread> writers = new ArrayList<>();
    AtomicLong requests = new AtomicLong();
    for (int w = 0; w < 4; w++) {
      Random r = new Random(w);
      Thread t = new Thread(() -> {
        // About 14 MiB in all: several times the budget, so files rotate and the oldest go.
        for (int i = 0; i < 300; i++) {
          exporter.consumeTraces(Traces.of(traces(r, 100)));
          requests.incrementAndGet();
        }
      });
      writers.add(t);
      t.start();
    }
    for (Thread t : writers) {
      t.join();
    }
    // Observable counters are read while the exporter runs (shutdown unregisters them).
    double rotated = telemetry.value("inflight_exporter_file_rotated_files_total", Map.of("exporter", "file"));
    double deleted = telemetry.value("inflight_exporter_file_deleted_files_total", Map.of("exporter", "file"));
    double written = telemetry.value("inflight_exporter_file_written_records_total", Map.of("exporter", "file"));
    exporter.shutdown();
    writing.set(false);
    watcher.join();

    assertThat(samples.get()).as("consistent samples of the directory").isGreaterThan(10);
    assertThat(largest.get()).as("largest total seen on disk").isLessThanOrEqualTo(3 * MIB);
    assertThat(diskBytes()).isLessThanOrEqualTo(3 * MIB);
    List<Path> files = recordingFiles();
    assertThat(files).hasSizeGreaterThan(1).last().isEqualTo(path);
    for (Path f : files) {
      assertThat(Files.size(f)).as("%s", f).isLessThanOrEqualTo(MIB);
      if (!f.equals(path)) {
        assertThat(f.getFileName().toString()).matches("spans-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{3}(-\\d+)?\\.binpb");
      }
    }
    List<String> warnings = new ArrayList<>();
    List<Record> kept = read(files, warnings);
    assertThat(warnings).isEmpty();
    assertThat(kept.size()).isGreaterThan(0).isLessThan((int) requests.get());
    assertThat(rotated).isGreaterThanOrEqualTo(files.size() - 1);
    assertThat(deleted).as("the budget is a few files: the oldest went").isPositive();
    assertThat(deleted).isEqualTo(rotated - (files.size() - 1));
    assertThat(written).isEqualTo(requests.get());
  }

  @Test
  void whatWasFlushedIsReadableWhileTheFileIsStillOpenAsAfterAKill() throws Exception {
    Path path = dir.resolve("spans.binpb.zst");
    FileExporter exporter = exporter(config(path, Format.PROTO, Compression.ZSTD, Rotation.defaults()));
    Random r = new Random(7);
    List<ExportTraceServiceRequest> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.add(traces(r, 30));
      exporter.consumeTraces(Traces.of(sent.get(i)));
    }
    // The flush interval is 50 ms: wait until the file holds all ten, as a reader after a kill -9.
    byte[] snapshot = new byte[0];
    List<Record> records = List.of();
    for (int attempt = 0; attempt < 100 && records.size() < 10; attempt++) {
      Thread.sleep(20);
      snapshot = Files.readAllBytes(path);
      Path copy = dir.resolve("killed.zst");
      Files.write(copy, snapshot);
      records = read(List.of(copy), new ArrayList<>());
    }
    assertThat(records).hasSize(10);
    // Cut the snapshot anywhere: each record before the cut point is still there, in order.
    for (int cut = snapshot.length - 1; cut > 0; cut -= Math.max(1, snapshot.length / 40)) {
      Path copy = dir.resolve("cut.zst");
      Files.write(copy, Arrays.copyOf(snapshot, cut));
      List<Record> prefix = read(List.of(copy), new ArrayList<>());
      for (int i = 0; i < prefix.size(); i++) {
        assertThat(ExportTraceServiceRequest.parseFrom(prefix.get(i).encoded())).isEqualTo(sent.get(i));
      }
    }
  }

  @Test
  void aFileLeftByAnEarlierRunIsRotatedNotAppendedTo() throws Exception {
    Path path = dir.resolve("spans.binpb");
    byte[] leftover = {0, 0, 1, 0, 42}; // a record cut off: 256 bytes announced, 1 there
    Files.write(path, leftover);
    FileExporter exporter = exporter(config(path, Format.PROTO, Compression.NONE, Rotation.defaults()));
    exporter.consumeTraces(Traces.of(traces(new Random(3), 5)));
    exporter.shutdown();

    List<Path> files = recordingFiles();
    assertThat(files).hasSize(2);
    assertThat(Files.readAllBytes(files.get(0))).isEqualTo(leftover);
    List<String> warnings = new ArrayList<>();
    assertThat(read(List.of(path), warnings)).hasSize(1);
    assertThat(warnings).isEmpty();
  }

  @Test
  void aRecordLargerThanAFileIsDroppedAndCounted() throws Exception {
    Path path = dir.resolve("spans.binpb");
    FileExporter exporter = exporter(config(path, Format.PROTO, Compression.NONE, new Rotation(1, 1, null, null, null)));
    ExportTraceServiceRequest huge = traces(new Random(5), 20_000); // ~1.6 MiB
    assertThat(huge.getSerializedSize()).isGreaterThan((int) MIB);
    exporter.consumeTraces(Traces.of(huge));
    exporter.consumeTraces(Traces.of(traces(new Random(6), 10)));
    exporter.shutdown();

    assertThat(telemetry.value("inflight_exporter_file_dropped_records_total",
        Map.of("exporter", "file", "reason", "too_large"))).isEqualTo(1);
    assertThat(telemetry.value("otelcol_exporter_send_failed_spans_total", Map.of("exporter", "file")))
        .isEqualTo(20_000);
    assertThat(read(List.of(path), new ArrayList<>())).hasSize(1);
  }

  @Test
  void maxBackupsKeepsTheNewestRotatedFiles() throws Exception {
    Path path = dir.resolve("spans.binpb");
    FileExporter exporter = exporter(config(path, Format.PROTO, Compression.NONE, new Rotation(1, 100, 2, null, null)));
    Random r = new Random(9);
    for (int i = 0; i < 500; i++) {
      exporter.consumeTraces(Traces.of(traces(r, 100))); // ~10 KiB each: about 5 rotations
    }
    exporter.shutdown();
    assertThat(recordingFiles()).hasSize(3);
  }

  @Test
  void aPathThatCannotBeCreatedFailsTheStartSayingWhy() throws Exception {
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    FileExporterConfig config = config(notADirectory.resolve("spans.binpb"), Format.PROTO, Compression.NONE,
        Rotation.defaults());
    FileExporter exporter = (FileExporter) new FileExporterFactory().createTraces(telemetry.settings("file"), config);
    assertThatThrownBy(() -> exporter.start(null)).isInstanceOf(IOException.class)
        .hasMessageContaining("cannot record to " + notADirectory.resolve("spans.binpb"))
        .hasMessageContaining("FileAlreadyExistsException");
    exporter.shutdown();
  }

  @Test
  void afterShutdownRecordsAreCountedAsDropped() throws Exception {
    FileExporter exporter = exporter(config(dir.resolve("s.binpb"), Format.PROTO, Compression.NONE, Rotation.defaults()));
    exporter.shutdown();
    exporter.consumeTraces(Traces.of(traces(new Random(1), 2)));
    assertThat(telemetry.value("inflight_exporter_file_dropped_records_total",
        Map.of("exporter", "file", "reason", "stopped"))).isEqualTo(1);
  }

  /** Logs whose first record has only a body: in proto only the exporter's marker says they are logs. */
  static ExportLogsServiceRequest bodyOnlyLogs(int records) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < records; i++) {
      scope.addLogRecords(LogRecord.newBuilder().setBody(TestData.logBody(i)));
    }
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(scope))
        .build();
  }

  @ParameterizedTest
  @EnumSource(Format.class)
  void tracesMetricsAndLogsReadBackExactlyEachInItsKind(Format format) throws Exception {
    long logRecords = 0;
    for (Compression compression : Compression.values()) {
      Path path = dir.resolve(compression + "/telemetry." + (format == Format.PROTO ? "binpb" : "json"));
      FileExporter exporter = exporter(config(path, format, compression, Rotation.defaults()));
      Random r = new Random(2);
      List<Message> sent = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        switch (i % 4) {
          case 0 -> {
            ExportTraceServiceRequest t = traces(r, 1 + r.nextInt(20));
            sent.add(t);
            exporter.consumeTraces(Traces.of(t));
          }
          case 1 -> {
            ExportLogsServiceRequest l = TestData.logsRequest(new int[][] {{1 + i, 3}, {2}});
            sent.add(l);
            exporter.consumeLogs(Logs.of(l));
          }
          case 2 -> {
            sent.add(metrics());
            exporter.consumeMetrics(Metrics.of(metrics()));
          }
          default -> {
            ExportLogsServiceRequest l = bodyOnlyLogs(1 + i);
            sent.add(l);
            exporter.consumeLogs(Logs.of(l));
          }
        }
      }
      // Nothing to replay: not recorded (in proto it would read as an empty traces request).
      exporter.consumeLogs(Logs.of(ExportLogsServiceRequest.newBuilder()
          .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.getDefaultInstance())).build()));
      exporter.shutdown();

      List<String> warnings = new ArrayList<>();
      List<Record> records = read(List.of(path), warnings);
      assertThat(warnings).isEmpty();
      assertThat(records).as(compression.toString()).hasSize(sent.size());
      for (int i = 0; i < sent.size(); i++) {
        Message expected = sent.get(i);
        Record got = records.get(i);
        String what = compression + " record " + i;
        if (expected instanceof ExportLogsServiceRequest l) {
          assertThat(got.kind()).as(what).isEqualTo(Kind.LOGS);
          assertThat(ExportLogsServiceRequest.parseFrom(got.encoded())).as(what).isEqualTo(l);
          logRecords += l.getResourceLogsList().stream().flatMap(rl -> rl.getScopeLogsList().stream())
              .mapToInt(ScopeLogs::getLogRecordsCount).sum();
          if (format == Format.PROTO && i % 4 == 1) {
            assertThat(got.encoded()).as("%s: the bytes as they came", what).isEqualTo(l.toByteArray());
          }
        } else if (expected instanceof ExportTraceServiceRequest t) {
          assertThat(got.kind()).as(what).isEqualTo(Kind.TRACES);
          assertThat(ExportTraceServiceRequest.parseFrom(got.encoded())).as(what).isEqualTo(t);
        } else {
          assertThat(got.kind()).as(what).isEqualTo(Kind.METRICS);
          assertThat(ExportMetricsServiceRequest.parseFrom(got.encoded())).as(what).isEqualTo(expected);
        }
      }
    }
    assertThat(telemetry.value("otelcol_exporter_sent_log_records_total", Map.of("exporter", "file")))
        .isEqualTo(logRecords);
  }

  @Test
  void logsLargerThanAFileAreDroppedAndCountedAsLogRecords() throws Exception {
    Path path = dir.resolve("logs.binpb");
    FileExporter exporter = exporter(config(path, Format.PROTO, Compression.NONE, new Rotation(1, 1, null, null, null)));
    ExportLogsServiceRequest huge = TestData.logsRequest(new int[][] {{12_000}});
    assertThat(huge.getSerializedSize()).isGreaterThan((int) MIB);
    exporter.consumeLogs(Logs.of(huge));
    exporter.shutdown();

    assertThat(telemetry.value("inflight_exporter_file_dropped_records_total",
        Map.of("exporter", "file", "reason", "too_large"))).isEqualTo(1);
    assertThat(telemetry.value("otelcol_exporter_send_failed_log_records_total", Map.of("exporter", "file")))
        .isEqualTo(12_000);
  }
}
