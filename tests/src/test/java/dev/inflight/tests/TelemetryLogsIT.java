package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inflight.component.Signal;
import dev.inflight.exporter.otlphttp.RecordingHttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * service.telemetry.logs of a running inflight: json encoding writes one JSON object per line, and
 * the processors' OTLP exporter delivers inflight's own logs to a real OTLP/HTTP endpoint.
 */
class TelemetryLogsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private Path config(String logs) throws Exception {
    int otlp = InflightProcess.freePort();
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        receivers:
          otlp:
            protocols:
              http:
                endpoint: 127.0.0.1:%d
        exporters:
          debug:
        service:
          telemetry:
            metrics:
              level: none
            logs:
        %s
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [debug]
        """.formatted(otlp, logs.indent(6).stripTrailing()));
    return config;
  }

  @Test
  void jsonEncodingIsOneObjectPerLineWithLevelTsMsg() throws Exception {
    Path config = config("""
        encoding: json
        initial_fields: {deployment: it}
        """);
    try (InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString())) {
      p.awaitStderr(s -> s.contains("Everything is ready"), Duration.ofSeconds(30));
      p.signal("TERM");
      assertThat(p.waitFor(Duration.ofSeconds(15))).as("stderr:\n%s", p.stderr()).isZero();

      List<String> lines = p.stderr().lines().toList();
      assertThat(lines).hasSizeGreaterThanOrEqualTo(4);
      List<String> messages = new ArrayList<>();
      for (String line : lines) {
        JsonNode event = JSON.readTree(line);
        assertThat(event.isObject()).as(line).isTrue();
        assertThat(event.path("level").asText()).as(line).isIn("debug", "info", "warn", "error");
        assertThat(event.path("ts").asText()).as(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(event.path("deployment").asText()).as(line).isEqualTo("it");
        messages.add(event.path("msg").asText());
      }
      assertThat(messages).contains("Everything is ready. Begin running and processing data.", "shutdown complete");
    }
  }

  @Test
  void processorsExportInflightsOwnLogsOverOtlp() throws Exception {
    try (RecordingHttpServer backend = RecordingHttpServer.start()) {
      Path config = config("""
          initial_fields: {deployment: it}
          processors:
            - batch:
                schedule_delay: 200
                exporter:
                  otlp:
                    protocol: http/protobuf
                    endpoint: %s/v1/logs
                    headers:
                      - name: X-Team
                        value: core
          """.formatted(backend.baseUrl()));
      try (InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString())) {
        p.awaitStderr(s -> s.contains("Everything is ready"), Duration.ofSeconds(30));
        // The batch processor exports within schedule_delay; no waiting for shutdown.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (records(backend).stream().noneMatch(r -> r.record().getBody().getStringValue().startsWith("Everything is ready"))) {
          assertThat(System.nanoTime()).as("the ready line exported within 20 s; stderr:\n%s", p.stderr()).isLessThan(deadline);
          Thread.sleep(100);
        }
        p.signal("TERM");
        assertThat(p.waitFor(Duration.ofSeconds(15))).as("stderr:\n%s", p.stderr()).isZero();
      }
      // Closing flushes the batch: the last line made it too.
      List<Exported> records = records(backend);
      assertThat(records).anySatisfy(r -> assertThat(r.record().getBody().getStringValue()).isEqualTo("shutdown complete"));
      Exported ready = records.stream()
          .filter(r -> r.record().getBody().getStringValue().startsWith("Everything is ready")).findFirst().orElseThrow();
      assertThat(ready.record().getSeverityText()).isEqualTo("INFO");
      assertThat(ready.record().getSeverityNumberValue()).isEqualTo(9);
      assertThat(ready.record().getTimeUnixNano()).isPositive();
      assertThat(ready.scope()).isEqualTo("inflight");
      assertThat(attr(ready.resource(), "service.name")).isEqualTo("inflight");
      assertThat(attr(ready.record().getAttributesList(), "deployment")).isEqualTo("it");
      assertThat(backend.requests(Signal.LOGS).get(0).header("X-Team")).isEqualTo("core");
      assertThat(backend.requests(Signal.LOGS).get(0).header("Content-Type")).isEqualTo("application/x-protobuf");
    }
  }

  private record Exported(List<KeyValue> resource, String scope, LogRecord record) {}

  private static List<Exported> records(RecordingHttpServer backend) throws Exception {
    List<Exported> out = new ArrayList<>();
    for (RecordingHttpServer.Request r : backend.requests(Signal.LOGS)) {
      for (ResourceLogs rl : ExportLogsServiceRequest.parseFrom(r.body()).getResourceLogsList()) {
        for (ScopeLogs sl : rl.getScopeLogsList()) {
          for (LogRecord lr : sl.getLogRecordsList()) {
            out.add(new Exported(rl.getResource().getAttributesList(), sl.getScope().getName(), lr));
          }
        }
      }
    }
    return out;
  }

  private static String attr(List<KeyValue> attrs, String key) {
    return attrs.stream().filter(kv -> kv.getKey().equals(key)).map(kv -> kv.getValue().getStringValue())
        .findFirst().orElse(null);
  }
}
