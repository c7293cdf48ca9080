package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 004's collector config, unchanged, as the sidecar it describes: spans in over OTLP/HTTP,
 * through memory_limiter, resource (upserts from env) and batch, out through the otlp exporter
 * with its Bearer header and gzip to an OTLP gRPC backend (here a grpc-java server that records
 * what it gets). Only the listen ports are moved with --set, so tests can run side by side. With a
 * logs pipeline added beside its traces pipeline (a second --config file, the same components), the
 * sidecar carries the application's logs the same way.
 */
class Seed004SidecarIT {
  @TempDir Path dir;

  @Test
  void spansReachTheBackendWithBearerGzipAndUpsertedResource() throws Exception {
    try (OtlpRecorders.GrpcRecorder backend = new OtlpRecorders.GrpcRecorder()) {
      run(backend);
    }
  }

  @Test
  void withALogsPipelineLogsReachTheBackendWithBearerGzipAndUpsertedResource() throws Exception {
    Path logsPipeline = Files.writeString(dir.resolve("logs-pipeline.yaml"), """
        # Seed 004's sidecar carrying the application's logs too: the same processors and exporter.
        service:
          pipelines:
            logs:
              receivers: [otlp]
              processors: [memory_limiter, resource, batch]
              exporters: [otlp]
        """);
    Ports ports = Ports.free();
    try (OtlpRecorders.GrpcRecorder backend = new OtlpRecorders.GrpcRecorder();
        InflightProcess p = start(backend, ports, "--config", logsPipeline.toString())) {
      p.awaitHttp200(ports.healthUrl(), Duration.ofSeconds(60));

      String logs = """
          {"resourceLogs":[{"resource":{"attributes":[
              {"key":"service.name","value":{"stringValue":"emp-worker"}},
              {"key":"machine.id","value":{"stringValue":"set-by-the-app"}}]},
            "scopeLogs":[{"scope":{"name":"job-processor"},"logRecords":[
              {"timeUnixNano":"1700000000000000000","observedTimeUnixNano":"1700000000000000001","severityNumber":9,
               "severityText":"INFO","body":{"stringValue":"Job processing started"},
               "attributes":[{"key":"job.id","value":{"stringValue":"j-42"}}],
               "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","flags":1},
              {"timeUnixNano":"1700000002500000000","observedTimeUnixNano":"1700000002500000001","severityNumber":17,
               "severityText":"ERROR","body":{"kvlistValue":{"values":[{"key":"error","value":{"stringValue":"boom"}}]}},
               "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","flags":1}]}]}]}
          """;
      HttpResponse<String> post = ports.postOtlpJson("/v1/logs", logs);
      assertThat(post.statusCode()).as(post.body()).isEqualTo(200);

      // batch holds them up to its 5s timeout; wait for the backend to get them.
      backend.awaitLogs(2, Duration.ofSeconds(30), Duration.ofMillis(300), p::stderr);
      List<OtlpRecorders.Received> received = backend.received(Signal.LOGS);
      assertThat(received).as("logs requests at the backend; inflight stderr:\n%s", p.stderr()).hasSize(1);
      OtlpRecorders.Received r = received.get(0);
      assertThat(r.authorization()).isEqualTo("Bearer auth_test");
      assertThat(r.contentEncoding()).isEqualTo("gzip");

      ExportLogsServiceRequest request = r.logsRequest();
      ResourceLogs rl = request.getResourceLogs(0);
      assertThat(stringAttributes(rl.getResource().getAttributesList()))
          .containsEntry("service.name", "emp-worker")
          .containsEntry("machine.id", "machine-prod-01") // upsert replaced the app's value
          .containsEntry("deployment.environment", "production")
          .containsEntry("service.region", "us-west1");
      List<LogRecord> out = rl.getScopeLogs(0).getLogRecordsList();
      assertThat(out).extracting(l -> l.getSeverityText()).containsExactly("INFO", "ERROR");
      assertThat(out.get(0).getBody().getStringValue()).isEqualTo("Job processing started");
      assertThat(out.get(1).getBody().getKvlistValue().getValues(0).getValue().getStringValue()).isEqualTo("boom");
      assertThat(CanonicalSpans.hex(out.get(1).getTraceId())).isEqualTo("5b8efff798038103d269b633813fc60c");
      assertThat(backend.received()).as("trace requests").isEmpty();

      String metrics = InflightProcess.get(ports.metricsUrl()).body();
      assertThat(metrics).containsPattern("otelcol_exporter_sent_log_records_total\\{[^}]*exporter=\"otlp\"[^}]*\\} 2(\\.0)?\\b");

      p.signal("TERM");
      assertThat(p.waitFor(Duration.ofSeconds(10))).as("stderr:\n%s", p.stderr()).isZero();
    }
  }

  /** Seed 004's config, unchanged, then {@code moreArgs}, on this test's ports, sending to {@code backend}. */
  private InflightProcess start(OtlpRecorders.GrpcRecorder backend, Ports ports, String... moreArgs) throws Exception {
    Path config = dir.resolve("otel-collector-machine.yaml");
    try (InputStream in = getClass().getResourceAsStream("/seed-004-otel-collector.yaml")) {
      Files.write(config, in.readAllBytes());
    }
    Map<String, String> env = Map.of(
        "MACHINE_ID", "machine-prod-01", "RAILWAY_ENVIRONMENT", "production", "RAILWAY_REGION", "us-west1",
        "DASH0_OTLP_ENDPOINT", backend.endpoint(), "DASH0_API_TOKEN", "auth_test");
    List<String> args = new ArrayList<>(List.of("--config", config.toString()));
    args.addAll(List.of(moreArgs));
    args.addAll(List.of(
        "--set", "receivers::otlp::protocols::grpc::endpoint=127.0.0.1:" + ports.grpc(),
        "--set", "receivers::otlp::protocols::http::endpoint=127.0.0.1:" + ports.http(),
        "--set", "extensions::health_check::endpoint=127.0.0.1:" + ports.health(),
        "--set", Ports.telemetryReader(ports.telemetry())));
    return InflightProcess.start(env, args.toArray(String[]::new));
  }

  private static Map<String, String> stringAttributes(List<KeyValue> kvs) {
    return kvs.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
  }

  private void run(OtlpRecorders.GrpcRecorder backend) throws Exception {
    Ports ports = Ports.free();
    try (InflightProcess p = start(backend, ports)) {
      p.awaitHttp200(ports.healthUrl(), Duration.ofSeconds(60));

      String spans = """
          {"resourceSpans":[{"resource":{"attributes":[
              {"key":"service.name","value":{"stringValue":"emp-worker"}},
              {"key":"machine.id","value":{"stringValue":"set-by-the-app"}}]},
            "scopeSpans":[{"scope":{"name":"job-processor"},"spans":[
              {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"process-job",
               "kind":1,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000002500000000",
               "status":{"code":2,"message":"boom"}},
              {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b175","parentSpanId":"eee19b7ec3c1b174",
               "name":"redis-claim-job","kind":3,"startTimeUnixNano":"1700000000000000000",
               "endTimeUnixNano":"1700000000100000000"}]}]}]}
          """;
      HttpResponse<String> post = ports.postOtlpJson(spans);
      assertThat(post.statusCode()).as(post.body()).isEqualTo(200);

      // batch holds spans up to its 5s timeout; wait for the backend to get them.
      backend.awaitSpans(2, Duration.ofSeconds(30), Duration.ofMillis(300), p::stderr);
      assertThat(backend.received()).as("requests at the backend; inflight stderr:\n%s", p.stderr()).hasSize(1);
      OtlpRecorders.Received r = backend.received().get(0);
      assertThat(r.authorization()).isEqualTo("Bearer auth_test");
      assertThat(r.contentEncoding()).isEqualTo("gzip");

      ExportTraceServiceRequest request = r.request();
      ResourceSpans rs = request.getResourceSpans(0);
      assertThat(stringAttributes(rs.getResource().getAttributesList()))
          .containsEntry("service.name", "emp-worker")
          .containsEntry("machine.id", "machine-prod-01") // upsert replaced the app's value
          .containsEntry("deployment.environment", "production")
          .containsEntry("service.region", "us-west1");
      List<Span> out = rs.getScopeSpans(0).getSpansList();
      assertThat(out).extracting(Span::getName).containsExactly("process-job", "redis-claim-job");
      assertThat(out.get(1).getParentSpanId()).isEqualTo(out.get(0).getSpanId());
      assertThat(out.get(0).getStatus().getMessage()).isEqualTo("boom");

      String metrics = InflightProcess.get(ports.metricsUrl()).body();
      assertThat(metrics).containsPattern("otelcol_exporter_sent_spans_total\\{[^}]*exporter=\"otlp\"[^}]*\\} 2(\\.0)?\\b");

      p.signal("TERM");
      assertThat(p.waitFor(Duration.ofSeconds(10))).as("stderr:\n%s", p.stderr()).isZero();
    }
  }
}
