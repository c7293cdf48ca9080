package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 004's collector config, unchanged, as the sidecar it describes: spans in over OTLP/HTTP,
 * through memory_limiter, resource (upserts from env) and batch, out through the otlp exporter
 * with its Bearer header and gzip to an OTLP gRPC backend (here a grpc-java server that records
 * what it gets). Only the listen ports are moved with --set, so tests can run side by side.
 */
class Seed004SidecarIT {
  @TempDir Path dir;

  @Test
  void spansReachTheBackendWithBearerGzipAndUpsertedResource() throws Exception {
    try (OtlpRecorders.GrpcRecorder backend = new OtlpRecorders.GrpcRecorder()) {
      run(backend);
    }
  }

  private void run(OtlpRecorders.GrpcRecorder backend) throws Exception {
    Path config = dir.resolve("otel-collector-machine.yaml");
    try (InputStream in = getClass().getResourceAsStream("/seed-004-otel-collector.yaml")) {
      Files.write(config, in.readAllBytes());
    }
    Ports ports = Ports.free();
    Map<String, String> env = Map.of(
        "MACHINE_ID", "machine-prod-01", "RAILWAY_ENVIRONMENT", "production", "RAILWAY_REGION", "us-west1",
        "DASH0_OTLP_ENDPOINT", backend.endpoint(), "DASH0_API_TOKEN", "auth_test");
    try (InflightProcess p = InflightProcess.start(env, "--config", config.toString(),
        "--set", "receivers::otlp::protocols::grpc::endpoint=127.0.0.1:" + ports.grpc(),
        "--set", "receivers::otlp::protocols::http::endpoint=127.0.0.1:" + ports.http(),
        "--set", "extensions::health_check::endpoint=127.0.0.1:" + ports.health(),
        "--set", "service::telemetry::metrics::address=127.0.0.1:" + ports.telemetry())) {
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
      Map<String, String> resource = rs.getResource().getAttributesList().stream()
          .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
      assertThat(resource)
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
