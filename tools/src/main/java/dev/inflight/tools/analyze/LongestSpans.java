package dev.inflight.tools.analyze;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The {@code n} longest spans offered (of equal durations, the earliest starts), kept in a min-heap
 * so that a span shorter than the shortest kept costs one comparison and no allocation.
 */
final class LongestSpans {
  private final int n;
  /** Heap order: the first out is the shortest, of equal durations the latest start. */
  private static final Comparator<LongSpan> WORST_FIRST =
      Comparator.comparingLong(LongSpan::durationNanos).thenComparing(LongSpan::start, Comparator.reverseOrder());

  private final PriorityQueue<LongSpan> heap = new PriorityQueue<>(WORST_FIRST);

  LongestSpans(int n) {
    this.n = n;
  }

  /** Whether a span of this duration would be kept: only then build its {@link LongSpan}. */
  boolean wants(long durationNanos) {
    return n > 0 && (heap.size() < n || durationNanos >= heap.peek().durationNanos());
  }

  void offer(LongSpan span) {
    if (n <= 0) {
      return;
    }
    if (heap.size() < n) {
      heap.add(span);
    } else if (WORST_FIRST.compare(span, heap.peek()) > 0) {
      heap.poll();
      heap.add(span);
    }
  }

  /** Longest first; equal durations by start. */
  List<LongSpan> list() {
    List<LongSpan> out = new ArrayList<>(heap);
    out.sort(Comparator.comparingLong(LongSpan::durationNanos).reversed().thenComparingLong(LongSpan::start));
    return out;
  }
}
