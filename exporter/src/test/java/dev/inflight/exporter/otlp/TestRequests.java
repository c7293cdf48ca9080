package dev.inflight.exporter.otlp;

import com.google.protobuf.ByteString;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
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

/** OTLP requests for exporter tests. */
public final class TestRequests {
  private TestRequests() {}

  private static KeyValue attr(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  /** {@code spans} spans with ids, times and attributes, under one resource and scope. */
  public static Traces traces(int spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      byte[] traceId = new byte[16];
      traceId[0] = 1;
      traceId[15] = (byte) i;
      byte[] spanId = new byte[8];
      spanId[0] = 2;
      spanId[7] = (byte) i;
      scope.addSpans(
          Span.newBuilder()
              .setTraceId(ByteString.copyFrom(traceId))
              .setSpanId(ByteString.copyFrom(spanId))
              .setName("account worker " + i)
              .setStartTimeUnixNano(1_700_000_000_000_000_000L + i)
              .setEndTimeUnixNano(1_700_000_000_500_000_000L + i)
              .addAttributes(attr("job.id", "job-" + i)));
    }
    ExportTraceServiceRequest req =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(attr("service.name", "worker")))
                    .addScopeSpans(scope))
            .build();
    return Traces.ofEncoded(req.toByteArray());
  }

  /** One gauge with {@code points} data points. */
  public static Metrics metrics(int points) {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (int i = 0; i < points; i++) {
      gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(1_700_000_000_000_000_000L + i).setAsDouble(i));
    }
    return Metrics.of(
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(attr("service.name", "inflight")))
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("workers.active").setGauge(gauge))))
            .build());
  }
}
