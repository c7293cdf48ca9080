package dev.inflight.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.config.configauth.AuthConfig;
import dev.inflight.config.configtls.TestPki;
import dev.inflight.pdata.Traces;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenTelemetry Java SDK's own OTLP exporters as clients, over gRPC and over HTTP/protobuf:
 * what the receiver hands on parses to exactly the spans the SDK sent.
 */
class OtlpReceiverSdkTest {
  @RegisterExtension static final TestReceiver server = TestReceiver.shared(TestReceiver.bothProtocols());

  /** A span as sent, in the terms both sides share. */
  record SentSpan(String name, String traceId, String spanId, String parentSpanId, String kind,
      long start, long end, Map<String, String> attributes, String status, String service) {}

  @Test
  void grpcExporterSpansArriveUnchanged() throws Exception {
    OtlpGrpcSpanExporter exporter = OtlpGrpcSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.grpcPort())
        .setCompression("gzip")
        .build();
    assertArriveUnchanged(exporter);
  }

  @Test
  void httpProtobufExporterSpansArriveUnchanged() throws Exception {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.httpPort() + "/v1/traces")
        .build();
    assertArriveUnchanged(exporter);
  }

  @Test
  void httpExporterWithGzip() throws Exception {
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.httpPort() + "/v1/traces")
        .setCompression("gzip")
        .build();
    assertArriveUnchanged(exporter);
  }

  @Test
  void sdkExportersOverTlsWithABearerToken() throws Exception {
    TestPki pki = TestPki.get();
    byte[] ca = java.nio.file.Files.readAllBytes(pki.caCert);
    AuthConfig auth = AuthConfig.bearer("sdk-token");
    try (TestReceiver secure = TestReceiver.start(OtlpReceiverConfig.of(
        OtlpReceiverConfig.Grpc.at("127.0.0.1:0").withTls(pki.serverTls(false)).withAuth(auth),
        OtlpReceiverConfig.Http.at("127.0.0.1:0").withTls(pki.serverTls(false)).withAuth(auth)))) {
      List<SentSpan> sent = new ArrayList<>(sendSpans(OtlpGrpcSpanExporter.builder()
          .setEndpoint("https://127.0.0.1:" + secure.grpcPort())
          .setTrustedCertificates(ca)
          .addHeader("Authorization", "Bearer sdk-token")
          .build()));
      sent.addAll(sendSpans(OtlpHttpSpanExporter.builder()
          .setEndpoint("https://127.0.0.1:" + secure.httpPort() + "/v1/traces")
          .setTrustedCertificates(ca)
          .addHeader("Authorization", "Bearer sdk-token")
          .build()));
      assertThat(received(secure)).containsExactlyInAnyOrderElementsOf(sent);
    }
  }

  /** Records what the SDK hands its exporter, then exports it for real. */
  /** Sends spans through {@code exporter}: the receiver hands on exactly those. */
  private static void assertArriveUnchanged(SpanExporter exporter) {
    List<SentSpan> sent = sendSpans(exporter);
    assertThat(received()).containsExactlyInAnyOrderElementsOf(sent);
  }

  private static List<SentSpan> sendSpans(SpanExporter exporter) {
    List<SpanData> recorded = new CopyOnWriteArrayList<>();
    List<CompletableResultCode> results = new CopyOnWriteArrayList<>();
    SpanExporter recording = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        recorded.addAll(spans);
        CompletableResultCode r = exporter.export(spans);
        results.add(r);
        return r;
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return exporter.shutdown();
      }
    };
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "sdk-test"))))
        .addSpanProcessor(BatchSpanProcessor.builder(recording).setMaxExportBatchSize(4).build())
        .build();
    Tracer tracer = provider.get("dev.inflight.test", "1.0");
    for (int i = 0; i < 3; i++) {
      Span parent = tracer.spanBuilder("account worker").setSpanKind(SpanKind.SERVER)
          .setAttribute("job.id", "job-" + i).setAttribute("attempt", i).startSpan();
      Span child = tracer.spanBuilder("storage write").setParent(Context.current().with(parent))
          .setSpanKind(SpanKind.CLIENT).setAttribute("blob", "b" + i).setAttribute("ok", i % 2 == 0).startSpan();
      child.setStatus(i == 1 ? StatusCode.ERROR : StatusCode.OK);
      child.end();
      parent.end();
    }
    provider.forceFlush().join(20, TimeUnit.SECONDS);
    provider.shutdown().join(20, TimeUnit.SECONDS);
    assertThat(results).isNotEmpty().allSatisfy(r -> assertThat(r.isSuccess()).as("export result").isTrue());
    assertThat(recorded).hasSize(6);
    List<SentSpan> out = new ArrayList<>();
    for (SpanData s : recorded) {
      Map<String, String> attributes = new LinkedHashMap<>();
      s.getAttributes().forEach((k, v) -> attributes.put(k.getKey(), String.valueOf(v)));
      out.add(new SentSpan(s.getName(), s.getTraceId(), s.getSpanId(),
          s.getParentSpanContext().isValid() ? s.getParentSpanId() : "", s.getKind().name(),
          s.getStartEpochNanos(), s.getEndEpochNanos(), attributes, s.getStatus().getStatusCode().name(),
          s.getResource().getAttribute(AttributeKey.stringKey("service.name"))));
    }
    return out;
  }

  private static List<SentSpan> received() {
    return received(server);
  }

  private static List<SentSpan> received(TestReceiver from) {
    HexFormat hex = HexFormat.of();
    List<SentSpan> out = new ArrayList<>();
    int counted = 0;
    for (Traces t : from.traces) {
      counted += t.spanCount();
      for (ResourceSpans rs : t.request().getResourceSpansList()) {
        String service = rs.getResource().getAttributesList().stream()
            .filter(kv -> kv.getKey().equals("service.name")).map(kv -> kv.getValue().getStringValue())
            .findFirst().orElse(null);
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          assertThat(ss.getScope().getName()).isEqualTo("dev.inflight.test");
          for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            for (KeyValue kv : s.getAttributesList()) {
              var v = kv.getValue();
              attributes.put(kv.getKey(), switch (v.getValueCase()) {
                case STRING_VALUE -> v.getStringValue();
                case INT_VALUE -> Long.toString(v.getIntValue());
                case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
                case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
                default -> v.toString();
              });
            }
            String kind = s.getKind().name().substring("SPAN_KIND_".length());
            String status = switch (s.getStatus().getCode()) {
              case STATUS_CODE_OK -> "OK";
              case STATUS_CODE_ERROR -> "ERROR";
              default -> "UNSET";
            };
            out.add(new SentSpan(s.getName(), hex.formatHex(s.getTraceId().toByteArray()),
                hex.formatHex(s.getSpanId().toByteArray()), hex.formatHex(s.getParentSpanId().toByteArray()),
                kind, s.getStartTimeUnixNano(), s.getEndTimeUnixNano(), attributes, status, service));
          }
        }
      }
    }
    assertThat(counted).isEqualTo(out.size());
    return out;
  }
}
