package dev.inflight.connector.concurrency;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.component.telemetry.SelfMetric;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The {@code concurrency} connector's self-metrics. The Collector has no such connector, so the
 * names are ours ({@code inflight_connector_concurrency_*}). Alert on {@code refused_points} and on
 * {@code dropped_spans}; read {@code arrival_lag} to choose {@code allowed_lateness}.
 */
final class ConcurrencyConnectorTelemetry {
  static final SelfMetric UNMATCHED_SPANS =
      new SelfMetric("inflight_connector_concurrency_unmatched_spans", "{spans}",
          "Spans whose name matches no worker type");
  static final SelfMetric DROPPED_SPANS =
      new SelfMetric("inflight_connector_concurrency_dropped_spans", "{spans}",
          "Matched spans not counted, by reason (missing_timestamp, end_before_start)");
  static final SelfMetric FUTURE_SPANS =
      new SelfMetric("inflight_connector_concurrency_future_spans", "{spans}",
          "Spans that ended more than 1s after they arrived: clock skew between sender and inflight");
  static final SelfMetric REFUSED_POINTS =
      new SelfMetric("inflight_connector_concurrency_refused_points", "{datapoints}",
          "Data points the metrics pipeline refused; gauges of those windows are lost, sums catch up"
              + " at the next window");
  static final SelfMetric ARRIVAL_LAG =
      new SelfMetric("inflight_connector_concurrency_arrival_lag", "s",
          "Arrival time minus span end: set allowed_lateness above what most spans need");
  static final SelfMetric GROUPS =
      new SelfMetric("inflight_connector_concurrency_groups", "{groups}",
          "Groups (worker type and dimension values) with open windows");
  static final SelfMetric LATE_SPANS =
      new SelfMetric("inflight_connector_concurrency_late_spans", "{spans}",
          "Spans that began in a window already closed (counted in workers.late_spans too)");
  static final SelfMetric OVERFLOW_SPANS =
      new SelfMetric("inflight_connector_concurrency_overflow_spans", "{spans}",
          "Spans counted in an overflow group because max_groups was reached");

  /** Arrival lag buckets, in seconds: from well inside to far beyond a typical lateness. */
  static final List<Double> ARRIVAL_LAG_BUCKETS =
      List.of(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0);

  /** Why a matched span was not counted: the {@code reason} attribute of {@code dropped_spans}. */
  enum DropReason {
    MISSING_TIMESTAMP("missing_timestamp"),
    END_BEFORE_START("end_before_start");

    final String attribute;

    DropReason(String attribute) {
      this.attribute = attribute;
    }
  }

  private final Attributes attributes;
  private final Attributes missingTimestamp;
  private final Attributes endBeforeStart;
  private final LongCounter unmatched;
  private final LongCounter dropped;
  private final LongCounter future;
  private final LongCounter refusedPoints;
  private final DoubleHistogram arrivalLag;
  private final ObservableLongGauge groups;
  private final ObservableLongCounter late;
  private final ObservableLongCounter overflow;

  /** {@code groups}, {@code lateSpans} and {@code overflowSpans} are read from the engine at each collection. */
  ConcurrencyConnectorTelemetry(
      ComponentTelemetry telemetry,
      LongSupplier groups,
      LongSupplier lateSpans,
      LongSupplier overflowSpans) {
    Meter meter = telemetry.meter();
    attributes = telemetry.attributes();
    AttributeKey<String> reason = AttributeKey.stringKey("reason");
    missingTimestamp = attributes.toBuilder().put(reason, DropReason.MISSING_TIMESTAMP.attribute).build();
    endBeforeStart = attributes.toBuilder().put(reason, DropReason.END_BEFORE_START.attribute).build();
    unmatched = UNMATCHED_SPANS.counter(meter);
    dropped = DROPPED_SPANS.counter(meter);
    future = FUTURE_SPANS.counter(meter);
    refusedPoints = REFUSED_POINTS.counter(meter);
    arrivalLag = ARRIVAL_LAG.histogram(meter, ARRIVAL_LAG_BUCKETS);
    this.groups = GROUPS.gauge(meter, m -> m.record(groups.getAsLong(), attributes));
    late = LATE_SPANS.observedCounter(meter, m -> m.record(lateSpans.getAsLong(), attributes));
    overflow = OVERFLOW_SPANS.observedCounter(meter, m -> m.record(overflowSpans.getAsLong(), attributes));
  }

  /** Records nothing: for tests that build the connector's parts without a service. */
  static ConcurrencyConnectorTelemetry noop() {
    return new ConcurrencyConnectorTelemetry(
        ComponentTelemetry.noop(ComponentKind.CONNECTOR, ComponentId.of("concurrency")),
        () -> 0, () -> 0, () -> 0);
  }

  void unmatchedSpans(long spans) {
    if (spans > 0) {
      unmatched.add(spans, attributes);
    }
  }

  void droppedSpans(DropReason reason, long spans) {
    if (spans > 0) {
      dropped.add(spans, reason == DropReason.MISSING_TIMESTAMP ? missingTimestamp : endBeforeStart);
    }
  }

  void futureSpans(long spans) {
    if (spans > 0) {
      future.add(spans, attributes);
    }
  }

  /** One span's arrival time minus its end, in nanoseconds; a negative lag (skew) counts as 0. */
  void arrivalLag(long lagNanos) {
    arrivalLag.record(Math.max(0, lagNanos) / 1e9, attributes);
  }

  void refusedPoints(long points) {
    refusedPoints.add(points, attributes);
  }

  /** Stops the observed instruments: a stopped connector reports no groups. */
  void close() {
    groups.close();
    late.close();
    overflow.close();
  }
}
