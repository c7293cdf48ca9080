package dev.inflight.extension.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many workers of each type were busy during one trace (seed 000): per worker type the span
 * count, the exact peak of spans in flight, the utilization of that peak over the trace, and the
 * peak within each bucket of the trace's time. The same sweep as the connector's: a span is {@code
 * [start, end)}, so one ending at t and one starting at t never overlap; every span counts once
 * (within a trace there is nothing to extrapolate for sampling).
 */
public final class TraceConcurrency {
  private TraceConcurrency() {}

  /** One span of the trace: its worker type's name and times, ns. */
  public record Interval(String workerType, long start, long end) {}

  /**
   * One worker type over the trace.
   *
   * @param maxConcurrent the highest number of its spans in flight at one instant
   * @param utilizationPct total span time / (maxConcurrent × trace duration) × 100; 0 when either is 0
   * @param busyNanos total span time
   * @param series per bucket, the peak in flight within it
   */
  public record WorkerTypeSeries(
      String workerType, int spanCount, int maxConcurrent, double utilizationPct, long busyNanos, int[] series) {}

  /** The trace's worker types, in the order asked for and then by first appearance. */
  public record Result(long startNanos, long endNanos, long bucketNanos, int buckets, List<WorkerTypeSeries> workerTypes) {
    public long durationNanos() {
      return endNanos - startNanos;
    }
  }

  /** Buckets needed to cover {@code [start, end)}: at least one. */
  public static long bucketCount(long startNanos, long endNanos, long bucketNanos) {
    long duration = Math.max(0, endNanos - startNanos);
    return Math.max(1, (duration + bucketNanos - 1) / bucketNanos);
  }

  /**
   * @param spans the worker spans; their extent must lie within {@code [startNanos, endNanos]}
   * @param startNanos the trace's start: bucket 0 begins here
   * @param endNanos the trace's end
   * @param order worker type names to list first (config order); others follow as they appear
   * @throws IllegalArgumentException if more than {@code maxBuckets} buckets would be needed
   */
  public static Result analyze(
      List<Interval> spans, long startNanos, long endNanos, long bucketNanos, int maxBuckets, List<String> order) {
    if (bucketNanos <= 0) {
      throw new IllegalArgumentException("bucket must be positive");
    }
    long n = bucketCount(startNanos, endNanos, bucketNanos);
    if (n > maxBuckets) {
      throw new IllegalArgumentException(n + " buckets needed, at most " + maxBuckets + " allowed");
    }
    Map<String, List<Interval>> byType = new LinkedHashMap<>();
    for (String t : order) {
      byType.put(t, null);
    }
    for (Interval s : spans) {
      List<Interval> list = byType.get(s.workerType());
      if (list == null) {
        list = new ArrayList<>();
        byType.put(s.workerType(), list);
      }
      list.add(s);
    }
    long duration = Math.max(0, endNanos - startNanos);
    List<WorkerTypeSeries> out = new ArrayList<>();
    for (Map.Entry<String, List<Interval>> e : byType.entrySet()) {
      if (e.getValue() != null) {
        out.add(series(e.getKey(), e.getValue(), startNanos, duration, bucketNanos, (int) n));
      }
    }
    return new Result(startNanos, endNanos, bucketNanos, (int) n, out);
  }

  private static WorkerTypeSeries series(
      String type, List<Interval> spans, long t0, long duration, long bucket, int n) {
    // Events as (time << 1 | isStart): sorted, ends come before starts at the same instant.
    long[] events = new long[spans.size() * 2];
    int e = 0;
    long busy = 0;
    for (Interval s : spans) {
      if (s.end() > s.start()) {
        events[e++] = (s.start() - t0) << 1 | 1;
        events[e++] = (s.end() - t0) << 1;
        busy += s.end() - s.start();
      }
    }
    Arrays.sort(events, 0, e);
    // Segments: from instant xs[i] (relative to t0) the level is lv[i], until xs[i + 1].
    long[] xs = new long[e];
    int[] lv = new int[e];
    int m = 0;
    int level = 0;
    int max = 0;
    for (int i = 0; i < e; ) {
      long x = events[i] >> 1;
      while (i < e && (events[i] >> 1) == x) {
        level += (events[i] & 1) == 1 ? 1 : -1;
        i++;
      }
      xs[m] = x;
      lv[m] = level;
      m++;
      max = Math.max(max, level);
    }
    int[] peaks = new int[n];
    int seg = -1; // the segment holding the bucket's start: the last with xs ≤ start (-1: level 0)
    for (int k = 0; k < n; k++) {
      long from = (long) k * bucket;
      long to = from + bucket;
      while (seg + 1 < m && xs[seg + 1] <= from) {
        seg++;
      }
      int peak = seg >= 0 ? lv[seg] : 0;
      for (int j = seg + 1; j < m && xs[j] < to; j++) {
        peak = Math.max(peak, lv[j]);
      }
      peaks[k] = peak;
    }
    double utilization = max == 0 || duration == 0 ? 0 : busy * 100.0 / ((double) max * duration);
    return new WorkerTypeSeries(type, spans.size(), max, utilization, busy, peaks);
  }
}
