package dev.inflight.receiver.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

/** OTLP requests for tests, built with the opentelemetry-proto classes. */
public final class Requests {
  private Requests() {}

  public static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  public static ByteString id(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed * 31 + i + 1);
    }
    return ByteString.copyFrom(b);
  }

  public static Span.Builder span(int n) {
    long t = 1_700_000_000_000_000_000L + n * 1_000_000L;
    return Span.newBuilder()
        .setTraceId(id(16, 7))
        .setSpanId(id(8, n))
        .setParentSpanId(id(8, 1000 + n))
        .setName("account worker " + n)
        .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
        .setStartTimeUnixNano(t)
        .setEndTimeUnixNano(t + 5_000_000L)
        .addAttributes(attr("job.id", "job-" + n))
        .addAttributes(KeyValue.newBuilder().setKey("attempt").setValue(AnyValue.newBuilder().setIntValue(n)))
        .addEvents(Span.Event.newBuilder().setName("retry").setTimeUnixNano(t + 1).addAttributes(attr("why", "timeout")))
        .addLinks(Span.Link.newBuilder().setTraceId(id(16, 9)).setSpanId(id(8, 9)).addAttributes(attr("l", "x")))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK));
  }

  /** {@code spansPerScope[r][s]} spans in scope s of resource r. */
  public static ExportTraceServiceRequest traces(int[][] spansPerScope) {
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    int n = 0;
    for (int r = 0; r < spansPerScope.length; r++) {
      ResourceSpans.Builder rs =
          ResourceSpans.newBuilder()
              .setResource(Resource.newBuilder().addAttributes(attr("service.name", "svc-" + r)))
              .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0");
      for (int s = 0; s < spansPerScope[r].length; s++) {
        ScopeSpans.Builder ss =
            ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("scope-" + s).setVersion("1.0"));
        for (int i = 0; i < spansPerScope[r][s]; i++) {
          ss.addSpans(span(n++));
        }
        rs.addScopeSpans(ss);
      }
      req.addResourceSpans(rs);
    }
    return req.build();
  }

  public static ExportTraceServiceRequest traces(int spans) {
    return traces(new int[][] {{spans}});
  }

  public static ExportTraceServiceRequest withSpan(Span span) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
        .build();
  }

  /** A gauge with 2 points, a sum with 1, a histogram with 3: 6 data points. */
  public static ExportMetricsServiceRequest metrics() {
    long t = 1_700_000_000_000_000_000L;
    NumberDataPoint p = NumberDataPoint.newBuilder().setTimeUnixNano(t).setAsDouble(1.5).addAttributes(attr("k", "v")).build();
    HistogramDataPoint h =
        HistogramDataPoint.newBuilder().setTimeUnixNano(t).setCount(3).addBucketCounts(1).addBucketCounts(2)
            .addExplicitBounds(10.0).build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", "svc")))
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .addMetrics(Metric.newBuilder().setName("queue.depth").setDescription("items waiting")
                            .setGauge(Gauge.newBuilder().addDataPoints(p).addDataPoints(p)))
                        .addMetrics(Metric.newBuilder().setName("jobs.done").setUnit("{job}")
                            .setSum(Sum.newBuilder().setIsMonotonic(true).addDataPoints(p)))
                        .addMetrics(Metric.newBuilder().setName("job.duration")
                            .setHistogram(Histogram.newBuilder().addDataPoints(h).addDataPoints(h).addDataPoints(h)))))
        .build();
  }
}
