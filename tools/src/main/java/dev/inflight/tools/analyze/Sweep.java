package dev.inflight.tools.analyze;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * One pass over the sorted starts and sorted ends of a set of half-open spans {@code [start, end)}:
 * +1 at each start, -1 at each end, ends before starts at equal times (a span ending at t and one
 * starting at t never overlap). Gives the exact peak, the union of the spans (time with at least
 * one active) and the idle gaps (time with none) inside a range.
 */
final class Sweep {
  /**
   * @param peak the highest number of spans active at one instant
   * @param unionNanos time with at least one span active
   * @param gapCount idle gaps longer than the minimum
   * @param gapNanos their total length
   * @param longestGaps the longest of them, longest first
   */
  record Result(int peak, long unionNanos, long gapCount, long gapNanos, List<IdleGap> longestGaps) {}

  private Sweep() {}

  /**
   * Sweeps {@code starts[from, to)} and {@code ends[from, to)}, each sorted ascending (start i and
   * end i need not belong to the same span).
   *
   * @param rangeStart idle gaps are looked for in {@code [rangeStart, rangeEnd)}; every span must
   *     lie inside it
   * @param minIdleNanos a gap counts when strictly longer than this
   * @param keepGaps how many of the longest gaps to return
   */
  static Result run(long[] starts, long[] ends, int from, int to, long rangeStart, long rangeEnd,
      long minIdleNanos, int keepGaps) {
    int level = 0;
    int peak = 0;
    long union = 0;
    long busySince = 0;
    long idleSince = rangeStart;
    long gapCount = 0;
    long gapNanos = 0;
    PriorityQueue<IdleGap> longest =
        new PriorityQueue<>(Comparator.comparingLong(IdleGap::durationNanos).thenComparing(g -> -g.start()));
    int i = from;
    int j = from;
    while (i < to || j < to) {
      if (j < to && (i >= to || ends[j] <= starts[i])) {
        long t = ends[j++];
        // A zero-length span's end comes before its own start: the level may dip below 0 for an
        // instant, and is right again once the starts at t are taken.
        if (--level == 0) {
          union += t - busySince;
          idleSince = t;
        }
      } else {
        long t = starts[i++];
        if (++level == 1) {
          busySince = t;
          long gap = t - idleSince;
          if (gap > minIdleNanos && gap > 0) {
            gapCount++;
            gapNanos += gap;
            keep(longest, new IdleGap(idleSince, t), keepGaps);
          }
        }
        if (level > peak) {
          peak = level;
        }
      }
    }
    long tail = rangeEnd - idleSince;
    if (level <= 0 && tail > minIdleNanos && tail > 0) {
      gapCount++;
      gapNanos += tail;
      keep(longest, new IdleGap(idleSince, rangeEnd), keepGaps);
    }
    List<IdleGap> gaps = new ArrayList<>(longest);
    gaps.sort(Comparator.comparingLong(IdleGap::durationNanos).reversed().thenComparingLong(IdleGap::start));
    return new Result(peak, union, gapCount, gapNanos, gaps);
  }

  private static void keep(PriorityQueue<IdleGap> heap, IdleGap gap, int n) {
    if (n <= 0) {
      return;
    }
    if (heap.size() < n) {
      heap.add(gap);
    } else if (gap.durationNanos() > heap.peek().durationNanos()) {
      heap.poll();
      heap.add(gap);
    }
  }
}
