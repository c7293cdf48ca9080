package dev.inflight.tools.analyze;

/**
 * Span durations of a worker type, nanoseconds, exact: the nearest-rank percentile {@code p} is the
 * ⌈p/100 · n⌉-th smallest duration (so p50 of 1, 2, 3, 4 is 2, and every value is a real span's).
 */
public record DurationStats(long p50, long p90, long p99, long max) {
  /** The percentiles of {@code sorted[0, n)}, ascending; all 0 when {@code n} is 0. */
  static DurationStats ofSorted(long[] sorted, int n) {
    if (n == 0) {
      return new DurationStats(0, 0, 0, 0);
    }
    return new DurationStats(nearestRank(sorted, n, 50), nearestRank(sorted, n, 90),
        nearestRank(sorted, n, 99), sorted[n - 1]);
  }

  /** The nearest-rank percentile: the ⌈p/100 · n⌉-th smallest value (1-based), at least the first. */
  static long nearestRank(long[] sorted, int n, int p) {
    long rank = ((long) p * n + 99) / 100; // ⌈p·n/100⌉ in integers
    return sorted[(int) Math.max(0, rank - 1)];
  }
}
