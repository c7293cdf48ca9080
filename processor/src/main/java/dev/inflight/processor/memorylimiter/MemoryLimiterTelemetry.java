package dev.inflight.processor.memorylimiter;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.Signal;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.component.telemetry.SelfMetric;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import java.util.function.BooleanSupplier;

/**
 * The memory limiter's self-metrics: what it refused, under the Collector's names ({@link
 * #REFUSED_SPANS}, {@link #REFUSED_METRIC_POINTS}, {@link #REFUSED_LOG_RECORDS}), and one of ours, {@link #REFUSING}, the state
 * itself, so a dashboard shows pressure even while no data arrives. Alert on refused &gt; 0.
 */
final class MemoryLimiterTelemetry {
  static final SelfMetric REFUSED_SPANS =
      new SelfMetric("otelcol_processor_refused_spans", "{spans}",
          "Number of spans refused by the memory limiter (senders were told to retry)");
  static final SelfMetric REFUSED_METRIC_POINTS =
      new SelfMetric("otelcol_processor_refused_metric_points", "{datapoints}",
          "Number of metric points refused by the memory limiter (senders were told to retry)");
  static final SelfMetric REFUSED_LOG_RECORDS =
      new SelfMetric("otelcol_processor_refused_log_records", "{records}",
          "Number of log records refused by the memory limiter (senders were told to retry)");
  static final SelfMetric REFUSING =
      new SelfMetric("inflight_memory_limiter_refusing", "1",
          "1 while the memory limiter refuses data, else 0");

  private final Meter meter;
  private final Attributes attributes;
  private final LongCounter refusedSpans;
  private final LongCounter refusedPoints;
  private final LongCounter refusedRecords;

  MemoryLimiterTelemetry(ComponentTelemetry telemetry) {
    meter = telemetry.meter();
    attributes = telemetry.attributes();
    refusedSpans = REFUSED_SPANS.counter(meter);
    refusedPoints = REFUSED_METRIC_POINTS.counter(meter);
    refusedRecords = REFUSED_LOG_RECORDS.counter(meter);
  }

  /** Records nothing: for tests that build a limiter without a service. */
  static MemoryLimiterTelemetry noop() {
    return new MemoryLimiterTelemetry(
        ComponentTelemetry.noop(ComponentKind.PROCESSOR, ComponentId.of("memory_limiter")));
  }

  /** A refused batch of {@code items} spans, data points or log records. */
  void refused(Signal signal, long items) {
    if (items <= 0) {
      return;
    }
    LongCounter counter =
        switch (signal) {
          case TRACES -> refusedSpans;
          case METRICS -> refusedPoints;
          case LOGS -> refusedRecords;
        };
    counter.add(items, attributes);
  }

  /**
   * Starts reporting {@link #REFUSING}; closing the result stops it, so a stopped limiter reports
   * nothing rather than a stale state.
   */
  ObservableLongGauge refusing(BooleanSupplier refusing) {
    return REFUSING.gauge(meter, m -> m.record(refusing.getAsBoolean() ? 1 : 0, attributes));
  }
}
