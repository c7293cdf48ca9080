package dev.inflight.pdata.testing;

import com.google.protobuf.ByteString;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
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
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Optional;

/** Builds OTLP requests for tests, with the opentelemetry-proto classes. */
public final class TestData {
  private TestData() {}

  public static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  /**
   * A {@code resource_spans} without scopes: its resource has {@code service.name} and {@code
   * host.name}, its schema URL is semantic conventions 1.21.0.
   */
  public static ResourceSpans.Builder resourceSpans(String serviceName, String hostName) {
    return ResourceSpans.newBuilder()
        .setResource(
            Resource.newBuilder()
                .addAttributes(attr("service.name", serviceName))
                .addAttributes(attr("host.name", hostName)))
        .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0");
  }

  /**
   * A request with {@code spansPerScope[r][s]} spans in scope {@code s} of resource {@code r}. Every
   * span has attributes, an event and a status, every resource and scope has attributes, so a
   * decoder that miscounts nested fields shows it.
   */
  public static ExportTraceServiceRequest traceRequest(int[][] spansPerScope) {
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    long t = 1_700_000_000_000_000_000L;
    int spanNo = 0;
    for (int r = 0; r < spansPerScope.length; r++) {
      ResourceSpans.Builder rs = resourceSpans("svc-" + r, "host-" + r);
      for (int s = 0; s < spansPerScope[r].length; s++) {
        ScopeSpans.Builder ss =
            ScopeSpans.newBuilder()
                .setScope(
                    InstrumentationScope.newBuilder()
                        .setName("scope-" + s)
                        .setVersion("1.0")
                        .addAttributes(attr("scope.attr", "x")));
        for (int i = 0; i < spansPerScope[r][s]; i++) {
          spanNo++;
          byte[] traceId = new byte[16];
          traceId[15] = (byte) r;
          traceId[0] = 1;
          byte[] spanId = new byte[8];
          spanId[7] = (byte) spanNo;
          spanId[6] = (byte) (spanNo >> 8);
          spanId[0] = 2;
          ss.addSpans(
              Span.newBuilder()
                  .setTraceId(ByteString.copyFrom(traceId))
                  .setSpanId(ByteString.copyFrom(spanId))
                  .setName("account worker " + i)
                  .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                  .setStartTimeUnixNano(t + i * 1_000_000L)
                  .setEndTimeUnixNano(t + i * 1_000_000L + 5_000_000L)
                  .addAttributes(attr("job.id", "job-" + i))
                  .addAttributes(attr("queue", "q" + (i % 3)))
                  .addEvents(
                      Span.Event.newBuilder()
                          .setName("retry")
                          .setTimeUnixNano(t + i * 1_000_000L + 1_000L)
                          .addAttributes(attr("attempt", "2")))
                  .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK)));
        }
        rs.addScopeSpans(ss);
      }
      req.addResourceSpans(rs);
    }
    return req.build();
  }

  /** One resource, one scope, {@code spans} spans. */
  public static Traces traces(int spans) {
    return Traces.of(traceRequest(new int[][] {{spans}}));
  }

  /** One gauge per entry, with {@code points[i]} data points. */
  public static ExportMetricsServiceRequest metricsRequest(int... points) {
    ScopeMetrics.Builder sm = ScopeMetrics.newBuilder();
    for (int m = 0; m < points.length; m++) {
      Gauge.Builder g = Gauge.newBuilder();
      for (int p = 0; p < points[m]; p++) {
        g.addDataPoints(NumberDataPoint.newBuilder().setAsInt(p).setTimeUnixNano(1_000L + p));
      }
      sm.addMetrics(Metric.newBuilder().setName("m" + m).setGauge(g));
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", "svc")))
                .addScopeMetrics(sm))
        .build();
  }

  public static Metrics metrics(int... points) {
    return Metrics.of(metricsRequest(points));
  }

  /** The value of a string attribute of the first resource, if set. */
  public static Optional<String> resourceAttribute(Traces traces, String key) {
    return traces.request().getResourceSpans(0).getResource().getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst();
  }

  public static Optional<String> resourceAttribute(Metrics metrics, String key) {
    return metrics.request().getResourceMetrics(0).getResource().getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst();
  }
}
