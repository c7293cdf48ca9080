package dev.inflight.exporter.prometheus;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.telemetry.ComponentTelemetry;
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
  static final String DROPPED_POINTS = "inflight_exporter_prometheus_dropped_points";
  static final String DROPPED_POINTS_DESCRIPTION =
      "Data points the prometheus exporter could not expose, by reason";
  static final String SERIES = "inflight_exporter_prometheus_series";
  static final String SERIES_DESCRIPTION = "Series the prometheus exporter holds for scrapes";

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
    dropped = meter.counterBuilder(DROPPED_POINTS).setUnit("{datapoints}")
        .setDescription(DROPPED_POINTS_DESCRIPTION).build();
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
    series = meter.gaugeBuilder(SERIES).ofLongs().setUnit("{series}")
        .setDescription(SERIES_DESCRIPTION)
        .buildWithCallback(m -> m.record(held.getAsLong(), attributes));
  }

  void close() {
    ObservableLongGauge s = series;
    if (s != null) {
      s.close();
      series = null;
    }
  }
}
