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
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
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
}
