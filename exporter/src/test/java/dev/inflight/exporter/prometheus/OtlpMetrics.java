package dev.inflight.exporter.prometheus;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;

/** Hand-built OTLP metrics for the prometheus exporter's tests. */
public final class OtlpMetrics {
  private OtlpMetrics() {}

  /** Scope of the concurrency connector's metrics. */
  public static final String CONCURRENCY_SCOPE = "dev.inflight.connector.concurrency";

  /** 2023-11-14T22:13:20Z: a window end, in ns. */
  public static final long T0 = 1_700_000_000_000_000_000L;

  public static final long SECOND = 1_000_000_000L;

  public static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  public static KeyValue attr(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  /** key, value, key, value, ... as string attributes. */
  public static List<KeyValue> attrs(String... kv) {
    List<KeyValue> out = new ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.add(attr(kv[i], kv[i + 1]));
    }
    return out;
  }

  public static NumberDataPoint number(List<KeyValue> attributes, long start, long time, double value) {
    return NumberDataPoint.newBuilder().addAllAttributes(attributes).setStartTimeUnixNano(start).setTimeUnixNano(time)
        .setAsDouble(value).build();
  }

  public static NumberDataPoint intNumber(List<KeyValue> attributes, long start, long time, long value) {
    return NumberDataPoint.newBuilder().addAllAttributes(attributes).setStartTimeUnixNano(start).setTimeUnixNano(time)
        .setAsInt(value).build();
  }

  public static Metric gauge(String name, String unit, NumberDataPoint... points) {
    return Metric.newBuilder().setName(name).setUnit(unit).setDescription(name + " help")
        .setGauge(Gauge.newBuilder().addAllDataPoints(List.of(points))).build();
  }

  public static Metric sum(String name, String unit, boolean monotonic, boolean delta, NumberDataPoint... points) {
    return Metric.newBuilder().setName(name).setUnit(unit).setDescription(name + " help")
        .setSum(Sum.newBuilder().setIsMonotonic(monotonic).setAggregationTemporality(temporality(delta))
            .addAllDataPoints(List.of(points)))
        .build();
  }

  /** A cumulative monotonic sum. */
  public static Metric counter(String name, String unit, NumberDataPoint... points) {
    return sum(name, unit, true, false, points);
  }

  public static HistogramDataPoint histogramPoint(
      List<KeyValue> attributes, long start, long time, double[] bounds, long[] counts, double sum) {
    HistogramDataPoint.Builder b = HistogramDataPoint.newBuilder().addAllAttributes(attributes)
        .setStartTimeUnixNano(start).setTimeUnixNano(time).setSum(sum);
    long count = 0;
    for (double bound : bounds) {
      b.addExplicitBounds(bound);
    }
    for (long c : counts) {
      b.addBucketCounts(c);
      count += c;
    }
    return b.setCount(count).build();
  }

  public static Metric histogram(String name, String unit, boolean delta, HistogramDataPoint... points) {
    return Metric.newBuilder().setName(name).setUnit(unit).setDescription(name + " help")
        .setHistogram(Histogram.newBuilder().setAggregationTemporality(temporality(delta)).addAllDataPoints(List.of(points)))
        .build();
  }

  private static AggregationTemporality temporality(boolean delta) {
    return delta ? AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA
        : AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
  }

  public static ScopeMetrics scope(String name, String version, Metric... metrics) {
    return ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName(name).setVersion(version))
        .addAllMetrics(List.of(metrics)).build();
  }

  public static ResourceMetrics resource(List<KeyValue> attributes, ScopeMetrics... scopes) {
    return ResourceMetrics.newBuilder().setResource(Resource.newBuilder().addAllAttributes(attributes))
        .addAllScopeMetrics(List.of(scopes)).build();
  }

  public static ExportMetricsServiceRequest request(ResourceMetrics... resources) {
    return ExportMetricsServiceRequest.newBuilder().addAllResourceMetrics(List.of(resources)).build();
  }

  /** One resource (no attributes) and one scope (no version) holding {@code metrics}. */
  public static ExportMetricsServiceRequest request(String scope, Metric... metrics) {
    return request(resource(List.of(), scope(scope, "", metrics)));
  }

  /**
   * What the concurrency connector emits for one window ending at {@code end} (ns) for worker type
   * {@code account_workers} of service {@code checkout}, as ConcurrencyMetrics builds it: an empty
   * resource, the connector's scope, gauges stamped with the window end, cumulative sums and a
   * cumulative histogram since {@code T0 - 10s}.
   */
  public static ExportMetricsServiceRequest concurrencyWindow(long end, double busySeconds, long okSpans) {
    long windowStart = end - SECOND;
    long since = T0 - 10 * SECOND;
    List<KeyValue> a = attrs("worker.type", "account_workers", "service.name", "checkout");
    List<NumberDataPoint> spans = new ArrayList<>();
    String[] statuses = {"unset", "ok", "error"};
    long[] counts = {0, okSpans, 1};
    for (int i = 0; i < 3; i++) {
      List<KeyValue> withStatus = new ArrayList<>(a);
      withStatus.add(attr("status", statuses[i]));
      spans.add(number(withStatus, since, end, counts[i]));
    }
    double[] bounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    long[] buckets = {0, 0, 0, 1, 1, 0, okSpans - 1, 0, 0, 0, 0, 0};
    return request(CONCURRENCY_SCOPE,
        gauge("workers.active", "{worker}", number(a, windowStart, end, 1.25)),
        gauge("workers.active.max", "{worker}", number(a, windowStart, end, 3)),
        gauge("workers.utilization", "1", number(a, windowStart, end, 0.15625)),
        counter("workers.busy_time", "s", number(a, since, end, busySeconds)),
        counter("workers.spans", "{span}", spans.toArray(NumberDataPoint[]::new)),
        histogram("workers.duration", "s", false, histogramPoint(a, since, end, bounds, buckets, 1.5)),
        counter("workers.late_spans", "{span}", number(a, since, end, 0)));
  }
}
