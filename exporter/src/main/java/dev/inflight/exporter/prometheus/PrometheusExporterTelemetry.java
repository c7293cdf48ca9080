package dev.inflight.exporter.prometheus;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.component.telemetry.SelfMetric;
import dev.inflight.component.telemetry.ReasonAttributes;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import java.util.function.LongSupplier;

/**
 * The {@code prometheus} exporter's self-metrics (ours: the Collector's has none of its own). Alert
 * on {@link #DROPPED_POINTS}: those points are not on the scrape page. {@link #SERIES} is what a
 * scrape costs.
 */
final class PrometheusExporterTelemetry {
  static final SelfMetric DROPPED_POINTS =
      new SelfMetric("inflight_exporter_prometheus_dropped_points", "{datapoints}",
          "Data points the prometheus exporter could not expose, by reason");
  static final SelfMetric SERIES =
      new SelfMetric("inflight_exporter_prometheus_series", "{series}",
          "Series the prometheus exporter holds for scrapes");

  private final Meter meter;
  private final Attributes attributes;
  private final LongCounter dropped;
  /** Reasons come from the translator ({@code unsupported_type}, {@code out_of_order}, ...). */
  private final ReasonAttributes reasons;
  private ObservableLongGauge series;

  PrometheusExporterTelemetry(ComponentTelemetry telemetry) {
    meter = telemetry.meter();
    attributes = telemetry.attributes();
    reasons = new ReasonAttributes(attributes);
    dropped = DROPPED_POINTS.counter(meter);
  }

  /** Records nothing: for tests that build the exporter without a service. */
  static PrometheusExporterTelemetry noop() {
    return new PrometheusExporterTelemetry(
        ComponentTelemetry.noop(ComponentKind.EXPORTER, ComponentId.of("prometheus")));
  }

  void droppedPoints(String reason, long points) {
    dropped.add(points, reasons.of(reason));
  }

  /** Starts reporting the number of series held, read at each collection; until {@link #close}. */
  void observeSeries(LongSupplier held) {
    series = SERIES.gauge(meter, m -> m.record(held.getAsLong(), attributes));
  }

  void close() {
    ObservableLongGauge s = series;
    if (s != null) {
      s.close();
      series = null;
    }
  }
}
