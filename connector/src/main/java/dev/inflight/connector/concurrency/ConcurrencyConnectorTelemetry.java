package dev.inflight.connector.concurrency;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.telemetry.ComponentTelemetry;
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
  static final String UNMATCHED_SPANS = "inflight_connector_concurrency_unmatched_spans";
  static final String UNMATCHED_SPANS_DESCRIPTION = "Spans whose name matches no worker type";
  static final String DROPPED_SPANS = "inflight_connector_concurrency_dropped_spans";
  static final String DROPPED_SPANS_DESCRIPTION =
      "Matched spans not counted, by reason (missing_timestamp, end_before_start)";
  static final String FUTURE_SPANS = "inflight_connector_concurrency_future_spans";
  static final String FUTURE_SPANS_DESCRIPTION =
      "Spans that ended more than 1s after they arrived: clock skew between sender and inflight";
  static final String REFUSED_POINTS = "inflight_connector_concurrency_refused_points";
  static final String REFUSED_POINTS_DESCRIPTION =
      "Data points the metrics pipeline refused; gauges of those windows are lost, sums catch up at"
          + " the next window";
  static final String ARRIVAL_LAG = "inflight_connector_concurrency_arrival_lag";
  static final String ARRIVAL_LAG_DESCRIPTION =
      "Arrival time minus span end: set allowed_lateness above what most spans need";
  static final String GROUPS = "inflight_connector_concurrency_groups";
  static final String GROUPS_DESCRIPTION =
      "Groups (worker type and dimension values) with open windows";
  static final String LATE_SPANS = "inflight_connector_concurrency_late_spans";
  static final String LATE_SPANS_DESCRIPTION =
      "Spans that began in a window already closed (counted in workers.late_spans too)";
  static final String OVERFLOW_SPANS = "inflight_connector_concurrency_overflow_spans";
  static final String OVERFLOW_SPANS_DESCRIPTION =
      "Spans counted in an overflow group because max_groups was reached";

  static final String SPANS = "{spans}";
  static final String DATAPOINTS = "{datapoints}";
  static final String GROUPS_UNIT = "{groups}";
  static final String SECONDS = "s";

  /** Arrival lag buckets, in seconds: from well inside to far beyond a typical lateness. */
  static final List<Double> ARRIVAL_LAG_BUCKETS =
      List.of(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0);

  /** Why a matched span was not counted: the {@code reason} attribute of {@link #DROPPED_SPANS}. */
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

  /**
   * @param groups, lateSpans, overflowSpans read at each collection from the engine
   */
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
    unmatched = meter.counterBuilder(UNMATCHED_SPANS).setUnit(SPANS)
        .setDescription(UNMATCHED_SPANS_DESCRIPTION).build();
    dropped = meter.counterBuilder(DROPPED_SPANS).setUnit(SPANS)
        .setDescription(DROPPED_SPANS_DESCRIPTION).build();
    future = meter.counterBuilder(FUTURE_SPANS).setUnit(SPANS)
        .setDescription(FUTURE_SPANS_DESCRIPTION).build();
    refusedPoints = meter.counterBuilder(REFUSED_POINTS).setUnit(DATAPOINTS)
        .setDescription(REFUSED_POINTS_DESCRIPTION).build();
    arrivalLag = meter.histogramBuilder(ARRIVAL_LAG).setUnit(SECONDS)
        .setDescription(ARRIVAL_LAG_DESCRIPTION)
        .setExplicitBucketBoundariesAdvice(ARRIVAL_LAG_BUCKETS)
        .build();
    this.groups = meter.gaugeBuilder(GROUPS).ofLongs().setUnit(GROUPS_UNIT)
        .setDescription(GROUPS_DESCRIPTION)
        .buildWithCallback(m -> m.record(groups.getAsLong(), attributes));
    late = meter.counterBuilder(LATE_SPANS).setUnit(SPANS)
        .setDescription(LATE_SPANS_DESCRIPTION)
        .buildWithCallback(m -> m.record(lateSpans.getAsLong(), attributes));
    overflow = meter.counterBuilder(OVERFLOW_SPANS).setUnit(SPANS)
        .setDescription(OVERFLOW_SPANS_DESCRIPTION)
        .buildWithCallback(m -> m.record(overflowSpans.getAsLong(), attributes));
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
