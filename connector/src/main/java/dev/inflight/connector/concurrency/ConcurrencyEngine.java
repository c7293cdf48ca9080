package dev.inflight.connector.concurrency;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The windows of every group: spans go in through {@link #record}, points for closed windows come
 * out of {@link #advance}. Knows nothing of OTLP or clocks: the caller decodes spans and says what
 * the watermark is, so tests drive it with plain numbers.
 *
 * <p>Thread-safe. Recording takes each group's monitor once per batch (spans are ordered by group
 * first); there is no lock shared by all groups on that path. Closing holds one lock so points come
 * out in window order, and takes each group's monitor in turn.
 */
final class ConcurrencyEngine {
  private final long resolution;
  private final long allowedLateness;
  private final long idleExpiration;
  private final int maxGroups;
  private final Group.Shape shape;
  private final GroupKey[] overflowKeys;

  private final ConcurrentHashMap<GroupKey, Group> groups = new ConcurrentHashMap<>();
  private final AtomicInteger regularGroups = new AtomicInteger();
  private final AtomicInteger nextId = new AtomicInteger();
  /** Windows below this index are closed for every group that existed at the last close. */
  private volatile long closedIdx;
  private final ReentrantLock closing = new ReentrantLock();
  private final OpenWindowsReader openReader = new OpenWindowsReader();
  /** The most open windows a reader gets per group: those within the lateness, and slack. */
  private final int maxOpenWindows;

  final LongAdder lateSpans = new LongAdder();
  final LongAdder overflowSpans = new LongAdder();

  /**
   * @param resolution window width, ns
   * @param allowedLateness how long a window waits after its end, ns
   * @param idleExpiration how long an idle group keeps reporting zeros, ns
   * @param boundsNanos duration histogram bounds, ns, increasing
   * @param workerTypes number of worker types (one overflow group each)
   * @param trackInstances whether spans carry an instance to count in {@code workers.instances}
   * @param closedUntil windows ending at or before this (ns) are closed from the start; {@link
   *     Long#MIN_VALUE} when nothing is closed until the first {@link #advance}
   */
  ConcurrencyEngine(
      long resolution,
      long allowedLateness,
      long idleExpiration,
      int maxGroups,
      long[] boundsNanos,
      int workerTypes,
      boolean trackInstances,
      long closedUntil) {
    if (resolution <= 0) {
      throw new IllegalArgumentException("resolution must be positive");
    }
    this.resolution = resolution;
    this.allowedLateness = allowedLateness;
    this.idleExpiration = idleExpiration;
    this.maxGroups = maxGroups;
    // The ring holds the windows a span can reach without waiting: those closing within the
    // lateness, plus slack. Far-future windows (clock skew) go to a sorted map instead.
    long open = allowedLateness / resolution + 4;
    int ring = Integer.highestOneBit((int) Math.min(1024, open) * 2 - 1);
    this.shape = new Group.Shape(resolution, boundsNanos.clone(), Math.max(4, ring), trackInstances);
    this.overflowKeys = new GroupKey[workerTypes];
    for (int i = 0; i < workerTypes; i++) {
      overflowKeys[i] = GroupKey.overflow(i);
    }
    this.maxOpenWindows = (int) Math.min(3600, open);
    this.closedIdx = closedUntil == Long.MIN_VALUE ? Long.MIN_VALUE : Math.floorDiv(closedUntil, resolution);
  }

  long resolution() {
    return resolution;
  }

  /** Windows ending at or before this are closed; {@link Long#MIN_VALUE} before the first close. */
  long closedUntil() {
    long c = closedIdx;
    return c == Long.MIN_VALUE ? c : c * resolution;
  }

  int groupCount() {
    return groups.size();
  }

  /**
   * The group for this key, made if new. Beyond {@code max_groups} a new key gets its worker type's
   * overflow group instead.
   */
  Group group(GroupKey key) {
    Group g = groups.get(key);
    if (g != null) {
      return g;
    }
    if (key.overflow) {
      // A recorder whose overflow group expired looks it up again: not a regular group, no slot.
      return groups.computeIfAbsent(key, k -> new Group(k, nextId.getAndIncrement(), shape, closedIdx));
    }
    g = groups.computeIfAbsent(key, k -> {
      if (regularGroups.incrementAndGet() > maxGroups) {
        regularGroups.decrementAndGet();
        return null;
      }
      return new Group(k, nextId.getAndIncrement(), shape, closedIdx);
    });
    if (g != null) {
      return g;
    }
    return groups.computeIfAbsent(
        overflowKeys[key.workerType], k -> new Group(k, nextId.getAndIncrement(), shape, closedIdx));
  }

  /**
   * Every group's open windows as they stand, up to the one holding {@code untilNanos}: the points
   * closing them now would give (see {@link OpenWindowsReader}). Windows beyond it (spans ending in
   * the future) are left out.
   */
  List<WindowPoint> openWindows(long untilNanos) {
    return openWindows(untilNanos, maxOpenWindows);
  }

  /** {@link #openWindows(long)} with at most {@code maxWindows} per group. */
  List<WindowPoint> openWindows(long untilNanos, int maxWindows) {
    long untilIdx = untilNanos == Long.MAX_VALUE ? Long.MAX_VALUE : Math.floorDiv(untilNanos, resolution) + 1;
    return openReader.read(groups.values(), untilIdx, maxWindows, idleExpiration);
  }

  /** Records the batch, each group's spans under one acquisition of its monitor. */
  void record(SpanBatch batch) {
    int n = batch.size;
    if (n == 0) {
      return;
    }
    batch.sortByGroup();
    long[] order = batch.order;
    int i = 0;
    while (i < n) {
      int first = (int) order[i];
      Group g = batch.groups[first];
      int j = i;
      while (j < n && batch.groups[(int) order[j]] == g) {
        j++;
      }
      recordRun(batch, order, i, j, g);
      i = j;
    }
  }

  private void recordRun(SpanBatch batch, long[] order, int from, int to, Group g) {
    while (true) {
      synchronized (g) {
        if (!g.removed()) {
          boolean overflow = g.key.overflow;
          long late = 0;
          for (int k = from; k < to; k++) {
            int s = (int) order[k];
            if (g.record(batch.starts[s], batch.ends[s], batch.weights[s], batch.statuses[s], batch.instances[s])) {
              late++;
            }
          }
          if (late > 0) {
            lateSpans.add(late);
          }
          if (overflow) {
            overflowSpans.add(to - from);
          }
          return;
        }
      }
      // Expired between lookup and lock: its key gets a fresh group.
      g = group(g.key);
    }
  }

  /**
   * Closes every window whose end plus the allowed lateness is at or before {@code watermark} (ns)
   * and returns their points, in window order per group. Returns nothing if another thread is
   * closing: its close covers this one's windows or the next call will.
   */
  List<WindowPoint> advance(long watermark) {
    return closeThrough(Math.floorDiv(watermark - allowedLateness, resolution), false);
  }

  /** Closes every window with data, lateness or not: the last word at shutdown or end of replay. */
  List<WindowPoint> flush() {
    return closeThrough(Long.MAX_VALUE, true);
  }

  private List<WindowPoint> closeThrough(long targetIdx, boolean flush) {
    if (flush) {
      closing.lock();
    } else if (!closing.tryLock()) {
      return List.of();
    }
    try {
      long current = closedIdx;
      if (!flush && current != Long.MIN_VALUE && targetIdx <= current) {
        return List.of();
      }
      List<WindowPoint> out = new ArrayList<>();
      long highest = flush ? current : targetIdx;
      for (Map.Entry<GroupKey, Group> e : groups.entrySet()) {
        Group g = e.getValue();
        synchronized (g) {
          long target = flush ? g.flushTarget() : targetIdx;
          highest = Math.max(highest, target);
          if (g.closeThrough(target, idleExpiration, out)) {
            g.markRemoved();
            groups.remove(e.getKey(), g);
            if (!g.key.overflow) {
              regularGroups.decrementAndGet();
            }
          }
        }
      }
      closedIdx = highest;
      return out;
    } finally {
      closing.unlock();
    }
  }
}
