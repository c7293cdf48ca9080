package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java SDK's OTLP/gRPC exporter sends spans of two services to inflight, whose traces pipeline
 * runs {@code resourcedetection} (env, system and a platform detector inflight does not implement)
 * and {@code attributes} (hash, extract, delete, convert, only on one service's spans, not on its
 * health checks) before its {@code otlp_grpc} exporter; the recorder behind it shows exactly what
 * inflight forwarded.
 */
class AttributesResourceDetectionIT {
  @TempDir Path dir;

  private static final String EMAIL = "jane@example.com";
  /** SHA-256 of {@link #EMAIL}'s UTF-8 bytes, computed apart from inflight (sha256sum). */
  private static final String EMAIL_SHA256 = "8c87b489ce35cf2e2f39f80e282cb2e804932a56a213983eeeb428407d43b52d";

  @Test
  void spansArriveWithDetectedResourcesAndChangedAttributes() throws Exception {
    try (OtlpRecorders.GrpcRecorder recorder = new OtlpRecorders.GrpcRecorder()) {
      Ports p = Ports.free();
      String components = """
          processors:
            resourcedetection:
              detectors: [env, system, ec2]
              system:
                hostname_sources: [os]
            attributes/redact:
              include:
                match_type: strict
                services: [checkout]
              exclude:
                match_type: regexp
                span_names: ["^health"]
              actions:
                - key: user.email
                  action: hash
                - key: http.url
                  pattern: ^(?P<url_scheme>[a-z]+)://(?P<url_host>[^/]+)(?P<url_path>/[^?]*)
                  action: extract
                - key: password
                  action: delete
                - key: http.status_code
                  action: convert
                  converted_type: int
          exporters:
            otlp_grpc:
              endpoint: %s
              retry_on_failure:
                initial_interval: 200ms
          """.formatted(recorder.endpoint());
      String pipelines = """
          traces:
            receivers: [otlp]
            processors: [resourcedetection, attributes/redact]
            exporters: [otlp_grpc]
          """;
      Path config = Files.writeString(dir.resolve("config.yaml"), p.otlpReceivers() + components + p.service(pipelines));
      Map<String, String> env = new HashMap<>();
      env.put("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=staging,team=checkout%20squad");
      try (InflightProcess inflight = InflightProcess.start(env, "--config", config.toString())) {
        inflight.awaitHttp200(p.healthUrl(), ForwardingChain.START);

        List<SpanData> sent = new ArrayList<>(spans("checkout"));
        sent.addAll(spans("billing"));
        OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + p.grpc()).setTimeout(Duration.ofSeconds(10)).build();
        try {
          CompletableResultCode result = exporter.export(sent).join(15, TimeUnit.SECONDS);
          assertThat(result.isSuccess()).as("export succeeded; %s", inflight.stderr()).isTrue();
        } finally {
          exporter.shutdown().join(5, TimeUnit.SECONDS);
        }
        recorder.awaitSpans(4, Duration.ofSeconds(30), Duration.ofMillis(300), inflight::stderr);

        Map<String, Map<String, Object>> resources = new LinkedHashMap<>();
        Map<String, Map<String, Object>> spans = new LinkedHashMap<>();
        for (OtlpRecorders.Received r : recorder.received()) {
          ExportTraceServiceRequest req = r.request();
          for (ResourceSpans rs : req.getResourceSpansList()) {
            Map<String, Object> res = plain(rs.getResource().getAttributesList());
            resources.put((String) res.get("service.name"), res);
            for (ScopeSpans ss : rs.getScopeSpansList()) {
              for (Span s : ss.getSpansList()) {
                spans.put(res.get("service.name") + " " + s.getName(), plain(s.getAttributesList()));
              }
            }
          }
        }

        String hostname = InetAddress.getLocalHost().getHostName();
        for (String service : List.of("checkout", "billing")) {
          assertThat(resources.get(service))
              .as("resource of %s", service)
              .containsEntry("service.name", service) // kept: no detector sets it
              .containsEntry("deployment.environment", "staging")
              .containsEntry("team", "checkout squad")
              .containsEntry("host.name", hostname)
              .containsEntry("os.type", "linux")
              .doesNotContainKey("cloud.provider");
        }
        assertThat(spans.get("checkout GET /cart"))
            .containsExactly(
                Map.entry("user.email", EMAIL_SHA256),
                Map.entry("http.url", "https://shop.example.com/cart/42?coupon=x"),
                Map.entry("http.status_code", 404L),
                Map.entry("url_scheme", "https"),
                Map.entry("url_host", "shop.example.com"),
                Map.entry("url_path", "/cart/42"));
        assertThat(spans.get("checkout health")).isEqualTo(original());
        assertThat(spans.get("billing GET /cart")).isEqualTo(original());
        assertThat(spans.get("billing health")).isEqualTo(original());
        assertThat(inflight.stderr())
            .contains("detectors ec2 are not implemented by inflight and add nothing");
      }
    }
  }

  private static Map<String, Object> original() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user.email", EMAIL);
    m.put("http.url", "https://shop.example.com/cart/42?coupon=x");
    m.put("password", "hunter2");
    m.put("http.status_code", "404");
    return m;
  }

  /** Two server spans of {@code service}, "GET /cart" and "health", with the same attributes. */
  private static List<SpanData> spans(String service) {
    CollectingSpanExporter collect = new CollectingSpanExporter();
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.empty().toBuilder().put("service.name", service).build())
        .addSpanProcessor(SimpleSpanProcessor.create(collect))
        .build()) {
      Tracer tracer = provider.get("dev.inflight.tests.attributes");
      for (String name : List.of("GET /cart", "health")) {
        tracer.spanBuilder(name).setSpanKind(SpanKind.SERVER)
            .setAttribute("user.email", EMAIL)
            .setAttribute("http.url", "https://shop.example.com/cart/42?coupon=x")
            .setAttribute("password", "hunter2")
            .setAttribute("http.status_code", "404")
            .startSpan().end();
      }
    }
    return collect.finished();
  }

  private static Map<String, Object> plain(List<KeyValue> kvs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      out.put(kv.getKey(), switch (v.getValueCase()) {
        case STRING_VALUE -> v.getStringValue();
        case INT_VALUE -> v.getIntValue();
        case DOUBLE_VALUE -> v.getDoubleValue();
        case BOOL_VALUE -> v.getBoolValue();
        default -> v.toString();
      });
    }
    return out;
  }
}
