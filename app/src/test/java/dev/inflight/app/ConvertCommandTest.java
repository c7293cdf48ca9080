package dev.inflight.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.inflight.app.RecordingFixture.Run;
import dev.inflight.exporter.file.FileExporterConfig.Compression;
import dev.inflight.exporter.file.FileExporterConfig.Format;
import dev.inflight.otlp.json.OtlpJson;
import dev.inflight.pdata.testing.TestData;
import dev.inflight.recording.RecordingFormat.Kind;
import dev.inflight.recording.RecordingReader;
import dev.inflight.recording.RecordingReader.Record;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code inflight convert} end to end, on recordings written by the real file exporter. */
class ConvertCommandTest {
  @TempDir Path dir;

  @Test
  void jsonlHasTheFlatFieldsInOrder() throws Exception {
    Path file = dir.resolve("spans.binpb");
    RecordingFixture.record(file, Format.PROTO, Compression.ZSTD, RecordingFixture.knownRequests(),
        RecordingFixture.metrics());

    Run run = RecordingFixture.run(new ConvertCommand(), "--to", "jsonl", "--worker-type", "db=db *",
        "--worker-type", "cpu=cpu *", file.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(7);
    assertThat(lines.get(0)).isEqualTo("{\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4737\","
        + "\"span_id\":\"00000000000000a1\",\"parent_span_id\":\"00000000000000f0\",\"name\":\"db query\","
        + "\"service\":\"checkout\",\"worker_type\":\"db\",\"start_ns\":1700000000000000000,"
        + "\"end_ns\":1700000000010000000,\"duration_ms\":10.0,\"status\":\"error\","
        + "\"attributes\":{\"thread.name\":\"t1\"},"
        + "\"resource\":{\"service.name\":\"checkout\",\"service.instance.id\":\"pod-a\"}}");
    JsonNode root = new ObjectMapper().readTree(lines.get(4));
    assertThat(root.get("name").asText()).isEqualTo("GET /checkout");
    assertThat(root.get("parent_span_id").asText()).isEmpty();
    assertThat(root.get("worker_type").isNull()).isTrue();
    assertThat(root.get("status").asText()).isEqualTo("unset");
    assertThat(new ObjectMapper().readTree(lines.get(5)).get("worker_type").asText()).isEqualTo("cpu");
    assertThat(new ObjectMapper().readTree(lines.get(6)).get("duration_ms").asDouble()).isEqualTo(0.5);
    assertThat(run.err()).contains("7 spans from 3 records; 1 metrics records skipped");
  }

  @Test
  void jsonlAttributeValuesInTheirJsonTypes() throws Exception {
    Span span = RecordingFixture.span("00000000000000d1", "db query", 0, 1, null, false).toBuilder()
        .addAttributes(kv("b", AnyValue.newBuilder().setBoolValue(true).build()))
        .addAttributes(kv("i", AnyValue.newBuilder().setIntValue(-42).build()))
        .addAttributes(kv("d", AnyValue.newBuilder().setDoubleValue(2.5).build()))
        .addAttributes(kv("nan", AnyValue.newBuilder().setDoubleValue(Double.NaN).build()))
        .addAttributes(kv("a", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(AnyValue.newBuilder().setStringValue("x")).addValues(AnyValue.newBuilder().setIntValue(1)))
            .build()))
        .addAttributes(kv("kv", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
            .addValues(RecordingFixture.string("k", "v"))).build()))
        .addAttributes(kv("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build()))
        .addAttributes(kv("empty", AnyValue.getDefaultInstance()))
        .build();
    Path file = dir.resolve("spans.json");
    RecordingFixture.record(file, Format.JSON, Compression.NONE, List.of(RecordingFixture.request(span)), null);
    Path out = dir.resolve("out.jsonl");

    Run run = RecordingFixture.run(new ConvertCommand(), "--to", "jsonl", "--by-name", "-o", out.toString(),
        file.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
    String line = Files.readString(out).strip();
    assertThat(line).contains("\"worker_type\":\"db query\"");
    assertThat(line).contains("\"attributes\":{\"b\":true,\"i\":-42,\"d\":2.5,\"nan\":\"NaN\",\"a\":[\"x\",1],"
        + "\"kv\":{\"k\":\"v\"},\"bytes\":\"aGk=\",\"empty\":null}");
  }

  @Test
  void otlpJsonRoundTrips() throws Exception {
    Path file = dir.resolve("spans.binpb");
    List<ExportTraceServiceRequest> requests = RecordingFixture.knownRequests();
    RecordingFixture.record(file, Format.PROTO, Compression.NONE, requests, RecordingFixture.metrics());

    Run run = RecordingFixture.run(new ConvertCommand(), "--to", "otlp-json", "-o", "-", file.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines).hasSize(3);
    for (int i = 0; i < 2; i++) {
      byte[] decoded = OtlpJson.decodeTraces(lines.get(i).getBytes(StandardCharsets.UTF_8));
      assertThat(ExportTraceServiceRequest.parseFrom(decoded)).isEqualTo(requests.get(i));
    }
    byte[] metrics = OtlpJson.decodeMetrics(lines.get(2).getBytes(StandardCharsets.UTF_8));
    assertThat(ExportMetricsServiceRequest.parseFrom(metrics)).isEqualTo(RecordingFixture.metrics());
  }

  @Test
  void usage() {
    Run bad = RecordingFixture.run(new ConvertCommand(), "--to", "csv", "x");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--to must be jsonl, otlp-json or proto, got \"csv\"");
    Run binaryToStdout = RecordingFixture.run(new ConvertCommand(), "--to", "proto", "x");
    assertThat(binaryToStdout.exitCode()).isEqualTo(2);
    assertThat(binaryToStdout.err()).contains("--to proto writes binary records: name the file with -o");
    Run missing = RecordingFixture.run(new ConvertCommand(), "--to", "otlp-json", dir.resolve("none").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err().strip()).isEqualTo("inflight convert: " + dir.resolve("none")
        + ": no such recording file (nothing matches)");
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  // ---- logs ----

  /** Logs with every body kind, and logs whose records have only a body (in proto: marked as logs). */
  static List<ExportLogsServiceRequest> logs() {
    ScopeLogs.Builder bodyOnly = ScopeLogs.newBuilder();
    for (int i = 0; i < 8; i++) {
      bodyOnly.addLogRecords(LogRecord.newBuilder().setBody(TestData.logBody(i)));
    }
    return List.of(TestData.logsRequest(new int[][] {{5, 3}, {8}}),
        ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(bodyOnly)).build());
  }

  @ParameterizedTest
  @CsvSource({"PROTO,NONE", "PROTO,ZSTD", "JSON,NONE", "JSON,ZSTD"})
  void logsConvertToOtlpJsonAndProtoAndBack(Format format, Compression compression) throws Exception {
    Path file = dir.resolve("telemetry.rec");
    List<ExportTraceServiceRequest> traces = RecordingFixture.knownRequests();
    RecordingFixture.record(file, format, compression, traces, RecordingFixture.metrics(), logs());

    Run json = RecordingFixture.run(new ConvertCommand(), "--to", "otlp-json", file.toString());
    assertThat(json.exitCode()).as(json.err()).isZero();
    List<String> lines = json.out().lines().toList();
    assertThat(lines).hasSize(5);
    for (int i = 0; i < 2; i++) {
      assertThat(lines.get(3 + i)).startsWith("{\"resourceLogs\"");
      byte[] decoded = OtlpJson.decodeLogs(lines.get(3 + i).getBytes(StandardCharsets.UTF_8));
      assertThat(ExportLogsServiceRequest.parseFrom(decoded)).isEqualTo(logs().get(i));
    }

    // To proto and from it again: a recording every tool reads, logs still logs.
    Path proto = dir.resolve("telemetry.binpb");
    Run toProto = RecordingFixture.run(new ConvertCommand(), "--to", "proto", "-o", proto.toString(), file.toString());
    assertThat(toProto.exitCode()).as(toProto.err()).isZero();
    List<Record> records = new ArrayList<>();
    try (RecordingReader reader = RecordingReader.open(proto, w -> { throw new AssertionError(w); })) {
      Record r;
      while ((r = reader.next()) != null) {
        records.add(r);
      }
    }
    assertThat(records).extracting(Record::kind)
        .containsExactly(Kind.TRACES, Kind.TRACES, Kind.METRICS, Kind.LOGS, Kind.LOGS);
    assertThat(ExportTraceServiceRequest.parseFrom(records.get(1).encoded())).isEqualTo(traces.get(1));
    assertThat(ExportMetricsServiceRequest.parseFrom(records.get(2).encoded())).isEqualTo(RecordingFixture.metrics());
    for (int i = 0; i < 2; i++) {
      assertThat(ExportLogsServiceRequest.parseFrom(records.get(3 + i).encoded())).isEqualTo(logs().get(i));
    }
    Run back = RecordingFixture.run(new ConvertCommand(), "--to", "otlp-json", proto.toString());
    assertThat(back.out()).isEqualTo(json.out());
  }

  @Test
  void jsonlSkipsLogsRecordsCountingThemAndSayingWhatConvertsThem() throws Exception {
    Path file = dir.resolve("spans.binpb");
    RecordingFixture.record(file, Format.PROTO, Compression.NONE, RecordingFixture.knownRequests(),
        RecordingFixture.metrics(), logs());

    Run run = RecordingFixture.run(new ConvertCommand(), "--to", "jsonl", "--by-name", file.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines()).hasSize(7).allSatisfy(l -> assertThat(l).startsWith("{\"trace_id\""));
    assertThat(run.err()).contains("7 spans from 5 records; 1 metrics records and 2 logs records skipped"
        + " (jsonl is one object per span; --to otlp-json or --to proto converts them)");
  }
}
