package dev.inflight.connector.concurrency;

import java.util.Arrays;

/**
 * The open windows one instance (a thread, a pod) was busy in, as disjoint sorted ranges of window
 * indices. Consecutive tasks on one thread merge into one range, so the size stays near the number
 * of open windows however many spans the instance runs.
 */
final class WindowRanges {
  /** Pairs: from[i]..to[i], inclusive, sorted, disjoint and not adjacent. */
  private long[] from = new long[2];
  private long[] to = new long[2];
  private int size;

  void add(long a, long b) {
    // Find the first range that ends at or after a - 1 (could merge with [a, b]).
    int i = 0;
    while (i < size && to[i] < a - 1) {
      i++;
    }
    int j = i;
    long lo = a;
    long hi = b;
    while (j < size && from[j] <= b + 1) {
      lo = Math.min(lo, from[j]);
      hi = Math.max(hi, to[j]);
      j++;
    }
    // Ranges i..j-1 merge into [lo, hi].
    int removed = j - i;
    if (removed == 0) {
      if (size == from.length) {
        from = Arrays.copyOf(from, size * 2);
        to = Arrays.copyOf(to, size * 2);
      }
      System.arraycopy(from, i, from, i + 1, size - i);
      System.arraycopy(to, i, to, i + 1, size - i);
      size++;
    } else if (removed > 1) {
      System.arraycopy(from, j, from, i + 1, size - j);
      System.arraycopy(to, j, to, i + 1, size - j);
      size -= removed - 1;
    }
    from[i] = lo;
    to[i] = hi;
  }

  boolean contains(long idx) {
    for (int i = 0; i < size && from[i] <= idx; i++) {
      if (to[i] >= idx) {
        return true;
      }
    }
    return false;
  }

  /** Forgets every window up to and including {@code idx}. */
  void dropThrough(long idx) {
    int k = 0;
    while (k < size && to[k] <= idx) {
      k++;
    }
    if (k > 0) {
      System.arraycopy(from, k, from, 0, size - k);
      System.arraycopy(to, k, to, 0, size - k);
      size -= k;
    }
    if (size > 0 && from[0] <= idx) {
      from[0] = idx + 1;
    }
  }

  boolean isEmpty() {
    return size == 0;
  }
}
