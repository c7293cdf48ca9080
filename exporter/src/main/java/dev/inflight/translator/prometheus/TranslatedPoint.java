package dev.inflight.translator.prometheus;

import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * One OTLP data point in Prometheus terms: its family (name, type, help, unit), its full label set
 * and its value. Which value fields mean something depends on {@link #type}:
 *
 * <ul>
 *   <li>{@code GAUGE}, {@code COUNTER}: {@link #value}
 *   <li>{@code HISTOGRAM}: {@link #upperBounds} (ending with +Inf), {@link #bucketCounts} (per
 *       bucket, not cumulative, same length), {@link #count}, {@link #sum} (NaN when the point has
 *       none)
 *   <li>{@code SUMMARY}: {@link #quantiles}, {@link #quantileValues}, {@link #count}, {@link #sum}
 *   <li>{@code INFO} ({@code target_info}): the labels only
 * </ul>
 *
 * @param name the family name: a counter's without {@code _total} (client_java's writers and the
 *     remote write series add it), e.g. {@code workers_busy_time_seconds}
 * @param unit the Prometheus unit word the name ends with ({@code seconds}), or null
 * @param timestampMillis the point's time (for the concurrency connector: the window's end)
 * @param startMillis the point's start time, 0 when unknown
 * @param delta the point is a delta (sums and histograms of delta temporality), not cumulative
 * @param noRecordedValue the OTLP flag: the series has stopped (a staleness marker)
 */
public record TranslatedPoint(
    String name,
    MetricType type,
    String help,
    String unit,
    Labels labels,
    long timestampMillis,
    long startMillis,
    boolean delta,
    boolean noRecordedValue,
    double value,
    double[] upperBounds,
    long[] bucketCounts,
    long count,
    double sum,
    double[] quantiles,
    double[] quantileValues) {

  /** The series this point belongs to: family name and labels. */
  public SeriesKey key() {
    return new SeriesKey(name, labels);
  }

  /** A series: family name plus labels (the sample name adds {@code _total}, {@code _bucket}, ...). */
  public record SeriesKey(String name, Labels labels) {}
}
