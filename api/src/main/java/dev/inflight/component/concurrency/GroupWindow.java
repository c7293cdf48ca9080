package dev.inflight.component.concurrency;

import java.util.Map;

/**
 * One group's numbers for one window {@code [windowStart, windowEnd)}: the window's gauges and the
 * cumulative counts at its end. A closed window holds what the connector exports, final; an open
 * one ({@code closed} false, from {@link ConcurrencyView#openWindows()}) what the spans received so
 * far give, a lower bound of the final numbers, which it equals once no more spans arrive.
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
 * @param closed whether the window is closed (final) rather than still open (provisional)
 */
public record GroupWindow(
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
    double lateSpans,
    boolean closed) {

  public double spansTotal() {
    return spansUnset + spansOk + spansError;
  }
}
