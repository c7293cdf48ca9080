package dev.inflight.connector.concurrency;

/**
 * Everything one group reports for one closed window {@code [windowStart, windowEnd)}: the window's
 * gauges, and the cumulative sums as they stand at the window's end (counting since {@code
 * startTime}, the start of the group's first window).
 *
 * @param active time-weighted mean of in-flight spans over the window
 * @param activeMax exact peak of in-flight spans in the window
 * @param busySeconds cumulative span time, seconds
 * @param spans cumulative spans that ended, by status ({@link SpanBatch#STATUS_UNSET}, ok, error)
 * @param bucketCounts cumulative duration histogram: one count per bound, then the overflow bucket
 * @param durationSum cumulative sum of span durations, seconds
 * @param lateSpans cumulative spans that reached a window already closed
 * @param instances distinct instances busy in the window, or -1 without {@code instance_attribute}
 */
record WindowPoint(
    GroupKey key,
    long windowStart,
    long windowEnd,
    long startTime,
    double active,
    double activeMax,
    double busySeconds,
    double[] spans,
    double[] bucketCounts,
    double durationSum,
    double lateSpans,
    int instances) {

  double spanCount() {
    return spans[0] + spans[1] + spans[2];
  }
}
