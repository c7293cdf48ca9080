package dev.inflight.exporter.prometheusremotewrite;

import dev.inflight.pdata.Metrics;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;

/** OTLP metrics for the tests, as the concurrency connector (or an SDK) would send them. */
final class Otlp {
  private Otlp() {}

  /** 2024-05-01T00:00:00Z in ms: a fixed, realistic point time. */
  static final long T = 1_714_521_600_000L;

  static long nanos(long millis) {
    return millis * 1_000_000L;
  }

  static List<KeyValue> attrs(String... kv) {
    List<KeyValue> out = new ArrayList<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.add(KeyValue.newBuilder().setKey(kv[i]).setValue(AnyValue.newBuilder().setStringValue(kv[i + 1])).build());
    }
    return out;
  }

  /** One resource ({@code service.name} and {@code resource} attributes), one scope {@code inflight}, these metrics. */
  static Metrics metrics(List<KeyValue> resource, Metric... metrics) {
    return Metrics.of(ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder()
            .setResource(Resource.newBuilder().addAllAttributes(resource))
            .addScopeMetrics(ScopeMetrics.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("inflight"))
                .addAllMetrics(List.of(metrics))))
        .build());
  }

  /** Resource {@code service.name=shop} only: no target_info. */
  static Metrics metrics(Metric... metrics) {
    return metrics(attrs("service.name", "shop"), metrics);
  }

  static NumberDataPoint number(long timeMillis, double value, String... attributes) {
    return NumberDataPoint.newBuilder()
        .setStartTimeUnixNano(nanos(T - 60_000))
        .setTimeUnixNano(nanos(timeMillis))
        .setAsDouble(value)
        .addAllAttributes(attrs(attributes))
        .build();
  }

  static NumberDataPoint stale(long timeMillis, String... attributes) {
    return number(timeMillis, 0, attributes).toBuilder()
        .setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE)
        .build();
  }

  static Metric gauge(String name, String unit, NumberDataPoint... points) {
    return Metric.newBuilder().setName(name).setUnit(unit)
        .setGauge(Gauge.newBuilder().addAllDataPoints(List.of(points))).build();
  }

  static Metric counter(String name, String unit, AggregationTemporality temporality, NumberDataPoint... points) {
    return Metric.newBuilder().setName(name).setUnit(unit)
        .setSum(Sum.newBuilder().setIsMonotonic(true).setAggregationTemporality(temporality)
            .addAllDataPoints(List.of(points)))
        .build();
  }

  static Metric counter(String name, String unit, NumberDataPoint... points) {
    return counter(name, unit, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, points);
  }

  static HistogramDataPoint histogramPoint(
      long timeMillis, double[] bounds, long[] counts, double sum, String... attributes) {
    HistogramDataPoint.Builder b = HistogramDataPoint.newBuilder()
        .setStartTimeUnixNano(nanos(T - 60_000))
        .setTimeUnixNano(nanos(timeMillis))
        .addAllAttributes(attrs(attributes))
        .setSum(sum);
    long count = 0;
    for (long c : counts) {
      b.addBucketCounts(c);
      count += c;
    }
    for (double bound : bounds) {
      b.addExplicitBounds(bound);
    }
    return b.setCount(count).build();
  }

  static Metric histogram(String name, String unit, HistogramDataPoint... points) {
    return Metric.newBuilder().setName(name).setUnit(unit)
        .setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
            .addAllDataPoints(List.of(points)))
        .build();
  }

  static Metric summary(String name, long timeMillis, long count, double sum, double[] quantiles, double[] values) {
    SummaryDataPoint.Builder p = SummaryDataPoint.newBuilder()
        .setStartTimeUnixNano(nanos(T - 60_000))
        .setTimeUnixNano(nanos(timeMillis))
        .setCount(count)
        .setSum(sum);
    for (int i = 0; i < quantiles.length; i++) {
      p.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(quantiles[i]).setValue(values[i]));
    }
    return Metric.newBuilder().setName(name).setSummary(Summary.newBuilder().addDataPoints(p)).build();
  }
}
