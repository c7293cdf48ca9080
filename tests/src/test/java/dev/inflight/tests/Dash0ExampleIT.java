package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.Signal;
import io.opentelemetry.proto.logs.v1.LogRecord;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The repository's Dash0 example, docker/inflight/dash0.yaml (what docker/compose.dash0.yaml runs),
 * unchanged but for its listen ports (--set): an application's spans and logs in over OTLP/HTTP, out
 * through the {@code otlphttp/dash0} exporter with the Bearer token and gzip to an OTLP/HTTP recorder
 * standing in for Dash0, the logs on {@code /v1/logs}.
 */
class Dash0ExampleIT {
  private static final Path CONFIG = InflightProcess.ROOT.resolve("docker/inflight/dash0.yaml");

  @Test
  void spansAndLogsReachDash0() throws Exception {
    Ports ports = Ports.free();
    try (OtlpRecorders.HttpRecorder dash0 = new OtlpRecorders.HttpRecorder();
        InflightProcess p = InflightProcess.start(
            Map.of("DASH0_ENDPOINT", dash0.endpoint(), "DASH0_AUTH_TOKEN", "auth_test", "DASH0_DATASET", "it"),
            "--config", CONFIG.toString(),
            "--set", "receivers::otlp::protocols::grpc::endpoint=127.0.0.1:" + ports.grpc(),
            "--set", "receivers::otlp::protocols::http::endpoint=127.0.0.1:" + ports.http(),
            "--set", "extensions::health_check::endpoint=127.0.0.1:" + ports.health(),
            "--set", "extensions::query::endpoint=127.0.0.1:" + ports.query(),
            "--set", Ports.telemetryReader(ports.telemetry()))) {
      p.awaitHttp200(ports.healthUrl(), Duration.ofSeconds(60));

      HttpResponse<String> spans = ports.postOtlpJson("""
          {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
            "scopeSpans":[{"scope":{"name":"t"},"spans":[
              {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"GET /cart","kind":2,
               "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000100000000"}]}]}]}
          """);
      assertThat(spans.statusCode()).as(spans.body()).isEqualTo(200);
      HttpResponse<String> logs = ports.postOtlpJson("/v1/logs", """
          {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
            "scopeLogs":[{"scope":{"name":"t"},"logRecords":[
              {"timeUnixNano":"1700000000050000000","severityNumber":13,"severityText":"WARN",
               "body":{"stringValue":"cart is slow"},"traceId":"5b8efff798038103d269b633813fc60c",
               "spanId":"eee19b7ec3c1b174","flags":1},
              {"timeUnixNano":"1700000000060000000","severityNumber":9,"body":{"intValue":"42"}}]}]}]}
          """);
      assertThat(logs.statusCode()).as(logs.body()).isEqualTo(200);

      // batch (1s timeout) holds them; wait for "Dash0" to get both signals.
      List<CanonicalLogs.Log> got = dash0.awaitLogs(2, Duration.ofSeconds(30), Duration.ofMillis(300), p::stderr);
      dash0.awaitSpans(1, Duration.ofSeconds(30), Duration.ofMillis(0), p::stderr);
      assertThat(got).extracting(CanonicalLogs.Log::body).containsExactly("cart is slow", 42L);
      assertThat(got).extracting(CanonicalLogs.Log::traceId).containsExactly("5b8efff798038103d269b633813fc60c", "");
      assertThat(got).allSatisfy(l -> assertThat(l.resource().attributes()).containsEntry("service.name", "checkout"));
      for (Signal signal : List.of(Signal.TRACES, Signal.LOGS)) {
        assertThat(dash0.received(signal)).as("%s requests at Dash0", signal).allSatisfy(r -> {
          assertThat(r.authorization()).isEqualTo("Bearer auth_test");
          assertThat(r.contentEncoding()).isEqualTo("gzip");
          assertThat(r.contentType()).isEqualTo("application/x-protobuf");
        });
      }
      List<LogRecord> records = dash0.received(Signal.LOGS).get(0).logsRequest().getResourceLogs(0).getScopeLogs(0)
          .getLogRecordsList();
      assertThat(records.get(0).getSeverityText()).isEqualTo("WARN");

      p.signal("TERM");
      assertThat(p.waitFor(Duration.ofSeconds(10))).as("stderr:\n%s", p.stderr()).isZero();
    }
  }
}
