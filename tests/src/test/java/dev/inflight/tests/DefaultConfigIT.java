package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The embedded otel-collector.yaml as `./inflight` runs it: OTLP → concurrency → debug for spans, and
 * OTLP → batch → debug for logs, so an application's logs are accepted out of the box. Only the
 * ports (free ones, so tests never collide) and the lateness (10s, so the test is quick but a slow first request is not late) are
 * overridden, with --set, as a user would.
 */
class DefaultConfigIT {
  private static final Duration START = Duration.ofSeconds(30);

  @Test
  void spansBecomeConcurrencyLinesInTheLog() throws Exception {
    Ports ports = Ports.free();
    try (InflightProcess p =
        InflightProcess.start(
            Map.of(), ports.defaultConfigArgs("connectors.concurrency.allowed_lateness=10s").toArray(String[]::new))) {
      p.awaitHttp200(ports.healthUrl(), START);

      // One window, [w, w + 1s), still open for at least 9 seconds: it ends after now, plus 10s lateness.
      Instant now = Instant.now();
      long w = (now.getEpochSecond() - 1) * 1_000_000_000L;
      long ms = 1_000_000L;
      String spans = """
          {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"it"}}]},
            "scopeSpans":[{"scope":{"name":"t"},"spans":[
              %s, %s, %s, %s, %s]}]}]}
          """.formatted(
              span("account worker 1", w + 100 * ms, w + 600 * ms, 0),
              span("account worker 2", w + 200 * ms, w + 700 * ms, 0),
              span("account worker 3", w + 300 * ms, w + 400 * ms, 2),
              span("queue wait", w, w + 500 * ms, 0),
              span("GET /", w, w + 900 * ms, 0));
      HttpResponse<String> post = ports.postOtlpJson(spans);
      assertThat(post.statusCode()).isEqualTo(200);

      // active = (0.5 + 0.5 + 0.1) / 1s = 1.1 of a capacity of 16; peak 3 at 300ms.
      p.awaitStderr(s -> s.contains(
          "[CONCURRENCY] account_workers{service.name=it} Active: 1.1/16 | Peak: 3 | Spans: 3 | Failed: 1"),
          Duration.ofSeconds(40));
      p.awaitStderr(s -> s.contains(
          "[CONCURRENCY] task_queue{service.name=it} Active: 0.5 | Peak: 1 | Spans: 1 | Failed: 0"),
          Duration.ofSeconds(5));
      assertThat(p.stderr()).doesNotContain("GET /");

      String metrics = InflightProcess.get(ports.metricsUrl()).body();
      assertThat(metrics)
          .containsPattern("inflight_connector_concurrency_unmatched_spans_total\\{[^}]*connector=\"concurrency\"[^}]*\\} 1(\\.0)?\\b")
          .containsPattern("inflight_connector_concurrency_arrival_lag_seconds_count\\{[^}]*\\} 4(\\.0)?\\b");

      p.signal("TERM");
      assertThat(p.waitFor(Duration.ofSeconds(10))).as("stderr:\n%s", p.stderr()).isZero();
    }
  }

  @Test
  void logsAreAcceptedOverGrpcAndHttpAndCounted() throws Exception {
    Ports ports = Ports.free();
    try (InflightProcess p = InflightProcess.start(Map.of(), ports.defaultConfigArgs().toArray(String[]::new))) {
      p.awaitHttp200(ports.healthUrl(), START);

      // OTLP/JSON, as a script or a browser would post it.
      HttpResponse<String> post = ports.postOtlpJson("/v1/logs", """
          {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"it"}}]},
            "scopeLogs":[{"scope":{"name":"t"},"logRecords":[
              {"timeUnixNano":"1700000000000000000","severityNumber":9,"severityText":"INFO","body":{"stringValue":"started"}},
              {"observedTimeUnixNano":"1700000000000000001","severityNumber":17,"body":{"stringValue":"failed"},
               "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","flags":1}]}]}]}
          """);
      assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
      // The Java SDK's exporters: OTLP/HTTP protobuf and OTLP/gRPC, a success being 200 and OK.
      int records = SdkLogs.COUNT;
      export(OtlpHttpLogRecordExporter.builder().setEndpoint(ports.httpUrl("/v1/logs")).build(), 1, p);
      export(OtlpGrpcLogRecordExporter.builder().setEndpoint(ports.grpcUrl()).build(), 2, p);

      EdgeSupport.awaitMetric(p, ports, "otelcol_receiver_accepted_log_records_total",
          Map.of("receiver", "otlp", "transport", "http"), 2 + records, Duration.ofSeconds(10));
      EdgeSupport.awaitMetric(p, ports, "otelcol_receiver_accepted_log_records_total",
          Map.of("receiver", "otlp", "transport", "grpc"), records, Duration.ofSeconds(10));
      assertThat(EdgeSupport.metric(ports, "otelcol_receiver_refused_log_records_total", Map.of())).isZero();
      // The batch processor hands them on within its 1s timeout, and the debug exporter takes them.
      EdgeSupport.awaitMetric(p, ports, "otelcol_exporter_sent_log_records_total",
          Map.of("exporter", "debug"), 2 + 2 * records, Duration.ofSeconds(10));

      p.signal("TERM");
      assertThat(p.waitFor(Duration.ofSeconds(10))).as("stderr:\n%s", p.stderr()).isZero();
    }
  }

  private static void export(LogRecordExporter exporter, int tag, InflightProcess p) {
    try {
      assertThat(exporter.export(SdkLogs.fixedLogs(tag)).join(15, TimeUnit.SECONDS).isSuccess())
          .as("%s to the default config succeeded; stderr:\n%s", exporter.getClass().getSimpleName(), p.stderr()).isTrue();
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  private static String span(String name, long start, long end, int status) {
    return """
        {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"%s","kind":1,
         "startTimeUnixNano":"%d","endTimeUnixNano":"%d","status":{"code":%d}}"""
        .formatted(name, start, end, status);
  }
}
