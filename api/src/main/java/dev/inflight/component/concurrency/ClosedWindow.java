package dev.inflight.component.concurrency;

import java.util.Map;

/**
 * One group's numbers for one closed window {@code [windowStart, windowEnd)}, as the connector
 * exports them: the window's gauges and the cumulative counts at its end.
 *
 * @param workerType the worker type's name
 * @param dimensions the group's dimension values by attribute name (absent: the span had none);
 *     empty for the overflow group
 * @param overflow whether this is the worker type's overflow group (max_groups reached)
 * @param capacity the worker type's capacity, null without one
 * @param windowStartNanos window start, ns since the epoch
 * @param windowEndNanos window end, ns since the epoch
 * @param active time-weighted mean of in-flight spans over the window
 * @param activeMax exact peak of in-flight spans in the window
 * @param busySeconds cumulative span time
 * @param spansUnset cumulative spans that ended with status unset
 * @param spansOk cumulative spans that ended with status ok
 * @param spansError cumulative spans that ended with status error
 * @param bucketCounts cumulative duration histogram, one count per bound then the overflow bucket
 *     (see {@link ConcurrencyView#durationBoundsSeconds()})
 * @param lateSpans cumulative spans that reached a window already closed
 */
public record ClosedWindow(
    String workerType,
    Map<String, String> dimensions,
    boolean overflow,
    Double capacity,
    long windowStartNanos,
    long windowEndNanos,
    double active,
    double activeMax,
    double busySeconds,
    double spansUnset,
    double spansOk,
    double spansError,
    double[] bucketCounts,
    double lateSpans) {

  public double spansTotal() {
    return spansUnset + spansOk + spansError;
  }
}
