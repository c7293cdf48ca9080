package dev.inflight.receiver.file;

import dev.inflight.recording.RecordingFormat;
import dev.inflight.recording.RecordingReader;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import com.google.protobuf.ByteString;
import dev.inflight.recording.RecordingFormat.Kind;
import dev.inflight.recording.RecordingReader.Record;
import dev.inflight.otlp.json.OtlpJson;
import dev.inflight.pdata.testing.TestData;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingReaderTest {
  @TempDir Path dir;

  static ExportTraceServiceRequest traces(int seed, int spans) {
    Random r = new Random(seed);
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      byte[] trace = new byte[16];
      byte[] span = new byte[8];
      r.nextBytes(trace);
      r.nextBytes(span);
      long start = 1_700_000_000_000_000_000L + r.nextInt(1_000_000_000);
      scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(trace)).setSpanId(ByteString.copyFrom(span))
          .setName("account worker " + i).setStartTimeUnixNano(start).setEndTimeUnixNano(start + r.nextInt(50_000_000))
          .addAttributes(KeyValue.newBuilder().setKey("thread.name")
              .setValue(AnyValue.newBuilder().setStringValue("pool-" + r.nextInt(4)))));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
            .setValue(AnyValue.newBuilder().setStringValue("svc-" + seed))))
        .addScopeSpans(scope)).build();
  }

  static ExportMetricsServiceRequest metrics() {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("workers.active")
            .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                .setTimeUnixNano(1_700_000_000_000_000_000L).setAsDouble(3.5)))))).build();
  }

  static byte[] lengthPrefixed(List<byte[]> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] r : records) {
      out.write(r.length >>> 24);
      out.write(r.length >>> 16);
      out.write(r.length >>> 8);
      out.write(r.length);
      out.writeBytes(r);
    }
    return out.toByteArray();
  }

  static byte[] zstd(byte[] plain) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZstdOutputStream z = new ZstdOutputStream(out, 3)) {
      z.write(plain);
    }
    return out.toByteArray();
  }

  private List<Record> readAll(Path file, List<String> warnings) throws IOException {
    List<Record> out = new ArrayList<>();
    try (RecordingReader reader = RecordingReader.open(file, warnings::add)) {
      Record r;
      while ((r = reader.next()) != null) {
        out.add(r);
      }
    }
    return out;
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static List<byte[]> sample() {
    return List.of(traces(1, 3).toByteArray(), metrics().toByteArray(), traces(2, 40).toByteArray());
  }

  private static void assertSample(List<Record> records) {
    List<byte[]> expected = sample();
    assertThat(records).hasSize(3);
    assertThat(records).extracting(Record::kind).containsExactly(Kind.TRACES, Kind.METRICS, Kind.TRACES);
    for (int i = 0; i < 3; i++) {
      assertThat(records.get(i).encoded()).isEqualTo(expected.get(i));
    }
  }

  @Test
  void readsLengthPrefixedProtoRecordsAndTellsTracesFromMetrics() throws IOException {
    List<String> warnings = new ArrayList<>();
    assertSample(readAll(write("plain.binpb", lengthPrefixed(sample())), warnings));
    assertThat(warnings).isEmpty();
  }

  @Test
  void readsOneZstdStreamOverTheWholeFile() throws IOException {
    List<String> warnings = new ArrayList<>();
    assertSample(readAll(write("z.binpb.zst", zstd(lengthPrefixed(sample()))), warnings));
    assertThat(warnings).isEmpty();
  }

  @Test
  void readsTheCollectorsZstdPerRecord() throws IOException {
    List<byte[]> compressed = sample().stream().map(b -> Zstd.compress(b, 3)).toList();
    List<String> warnings = new ArrayList<>();
    assertSample(readAll(write("collector.binpb", lengthPrefixed(compressed)), warnings));
    assertThat(warnings).isEmpty();
  }

  @Test
  void readsOtlpJsonLinesPlainAndCompressed() throws IOException {
    String lines = OtlpJson.print(traces(1, 3)) + "\n" + OtlpJson.print(metrics()) + "\n\n"
        + OtlpJson.print(traces(2, 40)) + "\n";
    byte[] bytes = lines.getBytes(StandardCharsets.UTF_8);
    List<String> warnings = new ArrayList<>();
    assertSample(readAll(write("spans.json", bytes), warnings));
    assertSample(readAll(write("spans.json.zst", zstd(bytes)), warnings));
    assertThat(warnings).isEmpty();
  }

  @Test
  void aRecordCutOffAtAnyByteIsSkippedWithAWarningAndTheOthersRead() throws IOException {
    List<byte[]> sample = sample();
    byte[] whole = lengthPrefixed(sample);
    int lastStart = whole.length - 4 - sample.get(2).length;
    // Every byte of the length, then through the payload (every 7th byte, and the last).
    for (int cut = lastStart + 1; cut < whole.length; cut = cut < lastStart + 6 || cut + 7 >= whole.length - 1 ? cut + 1 : cut + 7) {
      List<String> warnings = new ArrayList<>();
      List<Record> records = readAll(write("cut.binpb", Arrays.copyOf(whole, cut)), warnings);
      assertThat(records).as("cut at %d", cut).hasSize(2);
      assertThat(records.get(1).encoded()).isEqualTo(sample.get(1));
      assertThat(warnings).as("cut at %d", cut).singleElement().asString()
          .contains("cut.binpb").contains("cut off").contains("read 2 records before it");
    }
  }

  @Test
  void aZstdStreamCutAnywhereYieldsEveryRecordBeforeTheCut() throws IOException {
    // As the exporter writes it: flushed after each record, so each record ends a zstd block.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Integer> flushedAt = new ArrayList<>();
    List<byte[]> records = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      records.add(traces(10 + i, 20).toByteArray());
    }
    try (ZstdOutputStream z = new ZstdOutputStream(out, 3)) {
      for (byte[] r : records) {
        z.write(lengthPrefixed(List.of(r)));
        z.flush();
        flushedAt.add(out.size());
      }
    }
    byte[] whole = out.toByteArray();
    for (int cut = 5; cut <= whole.length; cut += 7) {
      int complete = 0;
      while (complete < flushedAt.size() && flushedAt.get(complete) <= cut) {
        complete++;
      }
      List<String> warnings = new ArrayList<>();
      List<Record> read = readAll(write("cut.zst", Arrays.copyOf(whole, cut)), warnings);
      assertThat(read.size()).as("cut at %d of %d", cut, whole.length).isGreaterThanOrEqualTo(complete);
      for (int i = 0; i < read.size(); i++) {
        assertThat(read.get(i).encoded()).isEqualTo(records.get(i));
      }
    }
  }

  @Test
  void aCutOffLastJsonLineIsSkippedAndABadLineInTheMiddleToo() throws IOException {
    String good = OtlpJson.print(traces(1, 3));
    String lines = good + "\n{\"resourceSpans\": [ nonsense\n" + good + "\n" + good.substring(0, good.length() / 2);
    List<String> warnings = new ArrayList<>();
    List<Record> records = readAll(write("spans.json", lines.getBytes(StandardCharsets.UTF_8)), warnings);
    assertThat(records).hasSize(2);
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).contains("skipped");
    assertThat(warnings.get(1)).contains("cut off");
  }

  @Test
  void anImpossibleLengthStopsReadingWithAWarning() throws IOException {
    byte[] good = lengthPrefixed(List.of(traces(1, 2).toByteArray()));
    byte[] bad = {(byte) 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3};
    byte[] both = Arrays.copyOf(good, good.length + bad.length);
    System.arraycopy(bad, 0, both, good.length, bad.length);
    List<String> warnings = new ArrayList<>();
    assertThat(readAll(write("damaged.binpb", both), warnings)).hasSize(1);
    assertThat(warnings).singleElement().asString().contains("damaged");
  }

  @Test
  void anEmptyFileHasNoRecords() throws IOException {
    List<String> warnings = new ArrayList<>();
    assertThat(readAll(write("empty.binpb", new byte[0]), warnings)).isEmpty();
    assertThat(warnings).isEmpty();
  }

  @Test
  void kindOfLooksPastEmptyResourcesAndScopes() {
    ExportMetricsServiceRequest m = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.getDefaultInstance()))
        .addAllResourceMetrics(metrics().getResourceMetricsList()).build();
    assertThat(RecordingFormat.kindOf(m.toByteArray())).isEqualTo(Kind.METRICS);
    ExportTraceServiceRequest t = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.getDefaultInstance())
        .addAllResourceSpans(traces(3, 1).getResourceSpansList()).build();
    assertThat(RecordingFormat.kindOf(t.toByteArray())).isEqualTo(Kind.TRACES);
    assertThat(RecordingFormat.kindOf(new byte[0])).isEqualTo(Kind.TRACES);
  }

  // ---- logs ----

  /**
   * Logs requests whose first record has none of the fields that tell a LogRecord from a Span or a
   * Metric by wire type: severity text, body, trace and span id, event name only. Bodies of {@code
   * bodyBytes} so lengths cross the varint boundaries (127, 16383) when the marker goes in.
   */
  static ExportLogsServiceRequest ambiguousLogs(int bodyBytes, boolean emptyFirst) {
    LogRecord.Builder first = LogRecord.newBuilder()
        .setBody(AnyValue.newBuilder().setStringValue("x".repeat(bodyBytes)));
    if (bodyBytes % 2 == 0) {
      first.setSeverityText("WARN").setTraceId(ByteString.copyFrom(new byte[16]))
          .setSpanId(ByteString.copyFrom(new byte[8])).setEventName("checkout.failed");
    }
    ScopeLogs.Builder scope = ScopeLogs.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("logger"))
        .addLogRecords(first)
        .addLogRecords(LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("second")));
    ResourceLogs.Builder resource = ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
            .setValue(AnyValue.newBuilder().setStringValue("svc"))));
    if (emptyFirst) {
      resource.addScopeLogs(ScopeLogs.newBuilder().setScope(InstrumentationScope.newBuilder().setName("idle")));
    }
    resource.addScopeLogs(scope).setSchemaUrl("https://opentelemetry.io/schemas/1.21.0");
    ExportLogsServiceRequest.Builder req = ExportLogsServiceRequest.newBuilder();
    if (emptyFirst) {
      req.addResourceLogs(ResourceLogs.getDefaultInstance());
    }
    return req.addResourceLogs(resource).addResourceLogs(resource).build();
  }

  @Test
  void kindOfTellsLogsFromSpansAndMetrics() {
    assertThat(RecordingFormat.kindOf(TestData.logsRequest(new int[][] {{3, 2}, {1}}).toByteArray()))
        .isEqualTo(Kind.LOGS);
    assertThat(RecordingFormat.kindOf(TestData.traceRequest(new int[][] {{3, 2}, {1}}).toByteArray()))
        .isEqualTo(Kind.TRACES);
    assertThat(RecordingFormat.kindOf(TestData.metricsRequest(1, 2, 3).toByteArray())).isEqualTo(Kind.METRICS);
    // Each field that tells logs on its own, in a first record with nothing else.
    List<LogRecord> telling = List.of(
        LogRecord.newBuilder().setTimeUnixNano(1).build(),
        LogRecord.newBuilder().setObservedTimeUnixNano(1).build(),
        LogRecord.newBuilder().setSeverityNumberValue(9).build(),
        LogRecord.newBuilder().addAttributes(KeyValue.newBuilder().setKey("k")).build(),
        LogRecord.newBuilder().setDroppedAttributesCount(1).build(),
        LogRecord.newBuilder().setFlags(1).build());
    for (LogRecord record : telling) {
      assertThat(RecordingFormat.kindOf(logs(record).toByteArray())).as("%s", record).isEqualTo(Kind.LOGS);
    }
    // Without any of them a record is bytes a Metric could be: what markAsLogs is for.
    assertThat(RecordingFormat.kindOf(ambiguousLogs(10, false).toByteArray())).isEqualTo(Kind.METRICS);
  }

  private static ExportLogsServiceRequest logs(LogRecord record) {
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record))).build();
  }

  @Test
  void markAsLogsMakesEveryLogsRequestReadAsLogsAndParseTheSame() throws IOException {
    byte[] telling = TestData.logsRequest(new int[][] {{2}}).toByteArray();
    assertThat(RecordingFormat.markAsLogs(telling)).as("already logs: the bytes as they came").isSameAs(telling);
    for (int bodyBytes : new int[] {0, 1, 2, 100, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128, 129,
        16_360, 16_370, 16_371, 16_372, 16_373, 16_374, 16_375, 16_376, 16_377, 16_378, 16_379, 16_380, 16_400}) {
      for (boolean emptyFirst : new boolean[] {false, true}) {
        ExportLogsServiceRequest request = ambiguousLogs(bodyBytes, emptyFirst);
        byte[] marked = RecordingFormat.markAsLogs(request.toByteArray());
        String what = bodyBytes + " body bytes" + (emptyFirst ? ", after an empty resource and scope" : "");
        assertThat(RecordingFormat.kindOf(marked)).as(what).isEqualTo(Kind.LOGS);
        assertThat(ExportLogsServiceRequest.parseFrom(marked)).as(what).isEqualTo(request);
        assertThat(ExportLogsServiceRequest.parseFrom(marked).toByteArray()).as(what)
            .isEqualTo(request.toByteArray());
        assertThat(marked.length - request.getSerializedSize()).as(what).isBetween(2, 5);
      }
    }
  }

  @Test
  void markAsLogsOfARequestWithoutLogRecordsIsNull() throws IOException {
    ExportLogsServiceRequest empty = ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.getDefaultInstance())).build();
    assertThat(RecordingFormat.markAsLogs(empty.toByteArray())).isNull();
    assertThat(RecordingFormat.markAsLogs(new byte[0])).isNull();
  }

  private static List<byte[]> sampleWithLogs() throws IOException {
    return List.of(traces(1, 3).toByteArray(), TestData.logsRequest(new int[][] {{4, 3}, {2}}).toByteArray(),
        metrics().toByteArray(), RecordingFormat.markAsLogs(ambiguousLogs(200, true).toByteArray()),
        traces(2, 40).toByteArray());
  }

  private static void assertSampleWithLogs(List<Record> records) throws IOException {
    List<byte[]> expected = sampleWithLogs();
    assertThat(records).extracting(Record::kind)
        .containsExactly(Kind.TRACES, Kind.LOGS, Kind.METRICS, Kind.LOGS, Kind.TRACES);
    assertThat(ExportLogsServiceRequest.parseFrom(records.get(1).encoded()))
        .isEqualTo(TestData.logsRequest(new int[][] {{4, 3}, {2}}));
    assertThat(ExportLogsServiceRequest.parseFrom(records.get(3).encoded())).isEqualTo(ambiguousLogs(200, true));
    assertThat(ExportTraceServiceRequest.parseFrom(records.get(4).encoded())).isEqualTo(traces(2, 40));
    assertThat(ExportMetricsServiceRequest.parseFrom(records.get(2).encoded())).isEqualTo(metrics());
    for (int i : new int[] {0, 2, 4}) {
      assertThat(records.get(i).encoded()).isEqualTo(expected.get(i));
    }
  }

  @Test
  void readsLogsBesideTracesAndMetricsInEveryLayout() throws IOException {
    List<byte[]> sample = sampleWithLogs();
    List<String> warnings = new ArrayList<>();
    assertSampleWithLogs(readAll(write("plain.binpb", lengthPrefixed(sample)), warnings));
    assertSampleWithLogs(readAll(write("z.binpb.zst", zstd(lengthPrefixed(sample))), warnings));
    assertSampleWithLogs(readAll(write("collector.binpb",
        lengthPrefixed(sample.stream().map(b -> Zstd.compress(b, 3)).toList())), warnings));

    StringBuilder lines = new StringBuilder();
    lines.append(OtlpJson.print(traces(1, 3))).append('\n')
        .append(OtlpJson.print(TestData.logsRequest(new int[][] {{4, 3}, {2}}))).append('\n')
        .append(OtlpJson.print(metrics())).append('\n')
        .append(OtlpJson.print(ambiguousLogs(200, true))).append('\n')
        .append(OtlpJson.print(traces(2, 40))).append('\n');
    byte[] json = lines.toString().getBytes(StandardCharsets.UTF_8);
    assertSampleWithLogs(readAll(write("spans.json", json), warnings));
    assertSampleWithLogs(readAll(write("spans.json.zst", zstd(json)), warnings));
    // The Collector's json with compression: each line its own zstd frame after a length.
    List<byte[]> frames = lines.toString().lines()
        .map(l -> Zstd.compress(l.getBytes(StandardCharsets.UTF_8), 3)).toList();
    assertSampleWithLogs(readAll(write("collector.json", lengthPrefixed(frames)), warnings));
    // proto names, as protojson may also write them
    byte[] protoNames = ("{\"resource_logs\":[{\"scope_logs\":[{\"log_records\":[{\"body\":{\"string_value\":\"x\"}}]}]}]}\n")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(readAll(write("names.json", protoNames), warnings)).singleElement()
        .extracting(Record::kind).isEqualTo(Kind.LOGS);
    assertThat(warnings).isEmpty();
  }
}
