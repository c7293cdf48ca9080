package dev.inflight.connector.concurrency;

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

/**
 * Turns closed windows into OTLP metrics: the names, units and attributes
 * docs/components/concurrency.md lists. Gauges are stamped with the window's end (start time: the window's
 * start); sums and the histogram are cumulative from the group's first window.
 */
final class ConcurrencyMetrics {
  /** Scope of every metric this connector emits; the debug exporter recognises it by this name. */
  static final String SCOPE = "dev.inflight.connector.concurrency";

  static final String ACTIVE = "workers.active";
  static final String ACTIVE_MAX = "workers.active.max";
  static final String BUSY_TIME = "workers.busy_time";
  static final String SPANS = "workers.spans";
  static final String DURATION = "workers.duration";
  static final String UTILIZATION = "workers.utilization";
  static final String LATE_SPANS = "workers.late_spans";
  static final String INSTANCES = "workers.instances";

  static final String WORKER_TYPE = "worker.type";
  static final String STATUS = "status";
  static final String OVERFLOW = "otel.metric.overflow";
  static final String[] STATUS_VALUES = {"unset", "ok", "error"};

  private final String[] workerTypeNames;
  private final Double[] capacities;
  private final String[] dimensionNames;
  private final double[] boundsSeconds;

  ConcurrencyMetrics(String[] workerTypeNames, Double[] capacities, String[] dimensionNames, long[] boundsNanos) {
    this.workerTypeNames = workerTypeNames.clone();
    this.capacities = capacities.clone();
    this.dimensionNames = dimensionNames.clone();
    this.boundsSeconds = new double[boundsNanos.length];
    for (int i = 0; i < boundsNanos.length; i++) {
      boundsSeconds[i] = boundsNanos[i] / 1e9;
    }
  }

  /** The request for these points, or null when there are none. */
  ExportMetricsServiceRequest toRequest(List<WindowPoint> points) {
    if (points.isEmpty()) {
      return null;
    }
    Gauge.Builder active = Gauge.newBuilder();
    Gauge.Builder activeMax = Gauge.newBuilder();
    Gauge.Builder utilization = Gauge.newBuilder();
    Gauge.Builder instances = Gauge.newBuilder();
    Sum.Builder busy = cumulativeSum();
    Sum.Builder spans = cumulativeSum();
    Sum.Builder late = cumulativeSum();
    Histogram.Builder duration =
        Histogram.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);

    for (WindowPoint p : points) {
      List<KeyValue> attrs = attributes(p.key());
      long start = p.windowStart();
      long end = p.windowEnd();
      active.addDataPoints(gaugePoint(attrs, start, end, p.active()));
      activeMax.addDataPoints(gaugePoint(attrs, start, end, p.activeMax()));
      Double capacity = capacities[p.key().workerType];
      if (capacity != null) {
        utilization.addDataPoints(gaugePoint(attrs, start, end, p.active() / capacity));
      }
      if (p.instances() >= 0) {
        instances.addDataPoints(
            NumberDataPoint.newBuilder().addAllAttributes(attrs)
                .setStartTimeUnixNano(start).setTimeUnixNano(end).setAsInt(p.instances()));
      }
      busy.addDataPoints(sumPoint(attrs, p.startTime(), end, p.busySeconds()));
      late.addDataPoints(sumPoint(attrs, p.startTime(), end, p.lateSpans()));
      for (int s = 0; s < STATUS_VALUES.length; s++) {
        List<KeyValue> withStatus = new ArrayList<>(attrs.size() + 1);
        withStatus.addAll(attrs);
        withStatus.add(stringAttribute(STATUS, STATUS_VALUES[s]));
        spans.addDataPoints(sumPoint(withStatus, p.startTime(), end, p.spans()[s]));
      }
      duration.addDataPoints(histogramPoint(attrs, p));
    }

    ScopeMetrics.Builder scope =
        ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName(SCOPE));
    scope.addMetrics(metric(ACTIVE, "{worker}", "Time-weighted mean of in-flight spans over the window").setGauge(active));
    scope.addMetrics(metric(ACTIVE_MAX, "{worker}", "Peak of in-flight spans in the window").setGauge(activeMax));
    if (utilization.getDataPointsCount() > 0) {
      scope.addMetrics(metric(UTILIZATION, "1", "workers.active divided by the worker type's capacity").setGauge(utilization));
    }
    if (instances.getDataPointsCount() > 0) {
      scope.addMetrics(metric(INSTANCES, "{instance}", "Distinct instances busy in the window").setGauge(instances));
    }
    scope.addMetrics(metric(BUSY_TIME, "s", "Total span time; its rate is the mean concurrency").setSum(busy));
    scope.addMetrics(metric(SPANS, "{span}", "Spans that ended, by status").setSum(spans));
    scope.addMetrics(metric(DURATION, "s", "Span durations").setHistogram(duration));
    scope.addMetrics(metric(LATE_SPANS, "{span}", "Spans that reached a window already closed").setSum(late));
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder().setResource(Resource.getDefaultInstance()).addScopeMetrics(scope))
        .build();
  }

  private List<KeyValue> attributes(GroupKey key) {
    List<KeyValue> attrs = new ArrayList<>(dimensionNames.length + 2);
    attrs.add(stringAttribute(WORKER_TYPE, workerTypeNames[key.workerType]));
    if (key.overflow) {
      attrs.add(KeyValue.newBuilder().setKey(OVERFLOW).setValue(AnyValue.newBuilder().setBoolValue(true)).build());
      return attrs;
    }
    for (int i = 0; i < dimensionNames.length; i++) {
      String v = key.dimensions[i];
      if (v != null) {
        attrs.add(stringAttribute(dimensionNames[i], v));
      }
    }
    return attrs;
  }

  private HistogramDataPoint histogramPoint(List<KeyValue> attrs, WindowPoint p) {
    HistogramDataPoint.Builder b =
        HistogramDataPoint.newBuilder().addAllAttributes(attrs)
            .setStartTimeUnixNano(p.startTime()).setTimeUnixNano(p.windowEnd());
    for (double bound : boundsSeconds) {
      b.addExplicitBounds(bound);
    }
    // Counts are integers on the wire; adjusted counts (1/p) are not, so the cumulative count is
    // rounded, which keeps it monotonic.
    long count = 0;
    for (double c : p.bucketCounts()) {
      long r = Math.round(c);
      b.addBucketCounts(r);
      count += r;
    }
    return b.setCount(count).setSum(p.durationSum()).build();
  }

  private static Sum.Builder cumulativeSum() {
    return Sum.newBuilder()
        .setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
  }

  private static Metric.Builder metric(String name, String unit, String description) {
    return Metric.newBuilder().setName(name).setUnit(unit).setDescription(description);
  }

  private static NumberDataPoint gaugePoint(List<KeyValue> attrs, long start, long end, double value) {
    return NumberDataPoint.newBuilder().addAllAttributes(attrs)
        .setStartTimeUnixNano(start).setTimeUnixNano(end).setAsDouble(value).build();
  }

  private static NumberDataPoint sumPoint(List<KeyValue> attrs, long start, long end, double value) {
    return NumberDataPoint.newBuilder().addAllAttributes(attrs)
        .setStartTimeUnixNano(start).setTimeUnixNano(end).setAsDouble(value).build();
  }

  static KeyValue stringAttribute(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
