package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.inflight.otlp.json.OtlpJson;
import dev.inflight.recording.RecordingFormat.Kind;
import dev.inflight.recording.RecordingReader;
import dev.inflight.recording.RecordingReader.Record;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logs through recordings, as real processes: inflight reads an OTLP/JSON recording of traces,
 * metrics and logs with the {@code file} receiver, each signal in its own pipeline, and records them
 * again with the {@code file} exporter (proto, zstd). Every record must read back as the request
 * sent, in order and of its kind (including logs whose records have only a body, which only the
 * exporter's marker tells from metrics); {@code inflight convert --to otlp-json} gives the input
 * again, and {@code inflight analyze} skips and counts the logs.
 */
class LogsRecordingIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final long T0 = 1_790_000_000_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static ExportTraceServiceRequest traces(int n) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < n; i++) {
      scope.addSpans(Span.newBuilder()
          .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte) n}))
          .setSpanId(ByteString.copyFrom(new byte[] {0, 0, 0, 0, 0, 0, (byte) n, (byte) i}))
          .setName("account worker " + i).setStartTimeUnixNano(T0 + i * MS).setEndTimeUnixNano(T0 + (i + 5) * MS));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", "checkout"))).addScopeSpans(scope))
        .build();
  }

  private static ExportMetricsServiceRequest metrics() {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("queue.depth")
            .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                .setTimeUnixNano(T0 + 3 * MS).setAsInt(4)))))).build();
  }

  /** Logs as an SDK sends them: times, severities, attributes, trace context, several body kinds. */
  private static ExportLogsServiceRequest logs(int n) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < n; i++) {
      AnyValue body = switch (i % 3) {
        case 0 -> AnyValue.newBuilder().setStringValue("payment " + i + " declined: ünïcødé").build();
        case 1 -> AnyValue.newBuilder().setIntValue(-i).build();
        default -> AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(attr("k", "v" + i)))
            .build();
      };
      LogRecord.Builder r = LogRecord.newBuilder().setTimeUnixNano(i % 2 == 0 ? T0 + i * MS : 0)
          .setObservedTimeUnixNano(T0 + i * MS + 7).setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN)
          .setSeverityText("WARN").setBody(body).addAttributes(attr("log.no", "n" + i));
      if (i % 2 == 0) {
        r.setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8])).setFlags(1);
      }
      scope.addLogRecords(r);
    }
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", "checkout"))).addScopeLogs(scope))
        .build();
  }

  /** Logs whose records have only a body: in proto, bytes a Metric could be but for the marker. */
  private static ExportLogsServiceRequest bodyOnlyLogs(int n) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < n; i++) {
      scope.addLogRecords(LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue("line " + i)));
    }
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(scope))
        .build();
  }

  @Test
  void tracesMetricsAndLogsReplayedByTheFileReceiverAreRecordedAgainExactlyEachInItsKind() throws Exception {
    List<Message> sent = List.of(traces(3), logs(7), metrics(), bodyOnlyLogs(4), traces(2), logs(2));
    StringBuilder lines = new StringBuilder();
    for (Message m : sent) {
      lines.append(OtlpJson.print(m)).append('\n');
    }
    Path input = Files.writeString(dir.resolve("input.json"), lines.toString());
    Path recording = Files.createDirectories(dir.resolve("recording"));

    Ports ports = Ports.free();
    Path config = dir.resolve("rerecord.yaml");
    Files.writeString(config, """
        receivers:
          file:
            include: ["%s"]
        exporters:
          file:
            path: %s
            compression: zstd
        """.formatted(input, recording.resolve("telemetry.binpb")) + ports.service("""
        traces:
          receivers: [file]
          exporters: [file]
        metrics:
          receivers: [file]
          exporters: [file]
        logs:
          receivers: [file]
          exporters: [file]
        """));
    try (InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString())) {
      p.awaitHttp200(ports.healthUrl(), START);
      p.awaitStderr(err -> err.contains("idle until shutdown"), Duration.ofSeconds(60));
      assertThat(p.stderr()).contains("6 records, 5 spans, 1 metric points, 13 log records, 0 records skipped");
      EdgeSupport.awaitMetric(p, ports, "otelcol_receiver_accepted_log_records_total",
          Map.of("receiver", "file"), 13, Duration.ofSeconds(10));
      EdgeSupport.awaitMetric(p, ports, "otelcol_exporter_sent_log_records_total",
          Map.of("exporter", "file"), 13, Duration.ofSeconds(10));
      p.signal("TERM");
      assertThat(p.waitFor(Duration.ofSeconds(20))).as("exit code after SIGTERM; stderr:\n%s", p.stderr()).isZero();
    }

    List<Path> files;
    try (Stream<Path> s = Files.list(recording)) {
      files = s.toList();
    }
    assertThat(files).hasSize(1);
    Path recorded = files.get(0);
    List<String> warnings = new ArrayList<>();
    List<Record> records = new ArrayList<>();
    try (RecordingReader reader = RecordingReader.open(recorded, warnings::add)) {
      Record r;
      while ((r = reader.next()) != null) {
        records.add(r);
      }
    }
    assertThat(warnings).isEmpty();
    assertThat(records).extracting(Record::kind)
        .containsExactly(Kind.TRACES, Kind.LOGS, Kind.METRICS, Kind.LOGS, Kind.TRACES, Kind.LOGS);
    for (int i = 0; i < sent.size(); i++) {
      Message expected = sent.get(i);
      byte[] got = records.get(i).encoded();
      Message parsed = expected.getParserForType().parseFrom(got);
      assertThat(parsed).as("record %d", i).isEqualTo(expected);
    }
    assertThat(records.get(1).encoded()).as("SDK-shaped logs: the bytes as they came")
        .isEqualTo(sent.get(1).toByteArray());

    try (InflightProcess convert = InflightProcess.start(Map.of(), "convert", "--to", "otlp-json",
        recorded.toString())) {
      assertThat(convert.waitFor(Duration.ofSeconds(60))).as(convert.stderr()).isZero();
      assertThat(convert.stdout()).isEqualTo(lines.toString());
    }

    try (InflightProcess analyze = InflightProcess.start(Map.of(), "analyze", "--by-name", "--json",
        recorded.toString())) {
      assertThat(analyze.waitFor(Duration.ofSeconds(60))).as(analyze.stderr()).isZero();
      JsonNode report = JSON.readTree(analyze.stdout());
      assertThat(report.get("records").asLong()).isEqualTo(6);
      assertThat(report.get("logs_records_skipped").asLong()).isEqualTo(3);
      assertThat(report.get("metrics_records_skipped").asLong()).isEqualTo(1);
      assertThat(report.get("spans").asLong()).isEqualTo(5);
    }
  }
}
