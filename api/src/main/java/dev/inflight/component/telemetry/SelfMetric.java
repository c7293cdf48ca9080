package dev.inflight.component.telemetry;

import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleCounter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.List;
import java.util.function.Consumer;

/**
 * One self-metric as its component's telemetry class declares it: name, unit and description in
 * one line, and the instrument built from them, so no name is spelt twice.
 *
 * @param unit UCUM, e.g. {@code s}, {@code By}, or an annotation such as {@code {spans}}
 */
public record SelfMetric(String name, String unit, String description) {
  public LongCounter counter(Meter meter) {
    return meter.counterBuilder(name).setUnit(unit).setDescription(description).build();
  }

  /** A counter read at each collection, for totals the component keeps itself. */
  public ObservableLongCounter observedCounter(Meter meter, Consumer<ObservableLongMeasurement> read) {
    return meter.counterBuilder(name).setUnit(unit).setDescription(description).buildWithCallback(read);
  }

  public ObservableDoubleCounter observedDoubleCounter(
      Meter meter, Consumer<ObservableDoubleMeasurement> read) {
    return meter
        .counterBuilder(name)
        .ofDoubles()
        .setUnit(unit)
        .setDescription(description)
        .buildWithCallback(read);
  }

  public ObservableLongGauge gauge(Meter meter, Consumer<ObservableLongMeasurement> read) {
    return meter
        .gaugeBuilder(name)
        .ofLongs()
        .setUnit(unit)
        .setDescription(description)
        .buildWithCallback(read);
  }

  public DoubleHistogram histogram(Meter meter, List<Double> buckets) {
    return meter
        .histogramBuilder(name)
        .setUnit(unit)
        .setDescription(description)
        .setExplicitBucketBoundariesAdvice(buckets)
        .build();
  }

  public LongHistogram longHistogram(Meter meter, List<Long> buckets) {
    return meter
        .histogramBuilder(name)
        .ofLongs()
        .setUnit(unit)
        .setDescription(description)
        .setExplicitBucketBoundariesAdvice(buckets)
        .build();
  }
}
