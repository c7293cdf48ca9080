package dev.inflight.connector.concurrency;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One worker type with one set of dimension values: its open windows as sweep events, and its
 * cumulative sums. Every method runs under the group's monitor, taken once per request per group
 * by {@link ConcurrencyEngine}, never once per span.
 *
 * <p>A span adds two events (+w at its start, -w at its end) to the windows that contain those
 * instants, whatever its length: an hour-long span costs two events, not 3600 slices. What it
 * contributes to the windows in between is carried by {@link #base}, the level at the start of the
 * first open window, as each window closes.
 */
final class Group {
  final GroupKey key;
  final int id;
  private final Shape shape;

  /** Windows with an index below this are closed; {@link Long#MIN_VALUE} until the first close. */
  private long closedIdx;
  /** In-flight weight at the start of window {@link #closedIdx}: spans begun earlier, not yet ended. */
  private double base;
  /** Open windows near the closing edge, by index modulo the ring's length. */
  private final Window[] ring;
  /** Open windows outside the ring: before the first close, and spans that end far in the future. */
  private final TreeMap<Long, Window> far = new TreeMap<>();
  private final Map<String, WindowRanges> instances;

  private long startTime = Long.MIN_VALUE;
  private double busyNanos;
  private final double[] spans = new double[3];
  private final double[] bucketCounts;
  private double durationSum;
  private double lateSpans;
  /** Late spans since the last point: they make a window count as active. */
  private boolean lateSinceLastPoint;
  /** End of the last window with activity; idle expiration counts from here. */
  private long lastActiveEnd;
  private boolean removed;
  /** Whether a point was emitted yet: windows before the group's first activity are not reported. */
  private boolean reported;

  /** What every group of one engine shares: window width, buckets, whether instances are tracked. */
  record Shape(long resolution, long[] boundsNanos, int ringSize, boolean trackInstances) {}

  Group(GroupKey key, int id, Shape shape, long closedIdx) {
    this.key = key;
    this.id = id;
    this.shape = shape;
    this.closedIdx = closedIdx;
    this.ring = new Window[shape.ringSize];
    this.bucketCounts = new double[shape.boundsNanos.length + 1];
    this.instances = shape.trackInstances ? new HashMap<>() : null;
    if (closedIdx != Long.MIN_VALUE) {
      startTime = closedIdx * shape.resolution;
      lastActiveEnd = startTime;
    }
  }

  boolean removed() {
    return removed;
  }

  /** Marks the group gone: a recorder still holding it must look its key up again. */
  void markRemoved() {
    removed = true;
  }

  /** Open windows holding data (in the ring and beyond it): what the group's memory grows with. For tests. */
  int openWindowCount() {
    int n = far.size();
    for (Window w : ring) {
      if (w != null) {
        n++;
      }
    }
    return n;
  }

  /**
   * Records one span of weight {@code w} (its adjusted count). Returns whether it was late: it
   * began in a window already closed, so that part counts only in the cumulative sums.
   */
  boolean record(long start, long end, double w, int status, String instance) {
    long res = shape.resolution;
    boolean late = closedIdx != Long.MIN_VALUE && start < closedIdx * res;
    long duration = end - start;
    if (late) {
      long closedUntil = closedIdx * res;
      lateSpans += w;
      lateSinceLastPoint = true;
      busyNanos += w * (double) (Math.min(end, closedUntil) - start);
      if (end > closedUntil) {
        base += w;
        window(Math.floorDiv(end, res)).addEvent(end, -w);
      }
      if (end < closedUntil) {
        spans[status] += w;
        bucketCounts[bucket(duration, shape.boundsNanos)] += w;
        durationSum += w * (duration / 1e9);
      } else {
        window(Math.floorDiv(end, res)).ended(status, duration, w, shape.boundsNanos);
      }
    } else {
      Window endWindow = window(Math.floorDiv(end, res));
      if (duration > 0) {
        window(Math.floorDiv(start, res)).addEvent(start, w);
        endWindow.addEvent(end, -w);
      }
      endWindow.ended(status, duration, w, shape.boundsNanos);
    }
    if (instance != null && instances != null) {
      long from = late ? closedIdx * res : start;
      if (end > from) {
        addInstance(instance, Math.floorDiv(from, res), Math.floorDiv(end - 1, res));
      } else if (!late) { // zero-length span: busy at its instant
        addInstance(instance, Math.floorDiv(start, res), Math.floorDiv(start, res));
      }
    }
    return late;
  }

  private void addInstance(String instance, long fromIdx, long toIdx) {
    instances.computeIfAbsent(instance, k -> new WindowRanges()).add(fromIdx, toIdx);
  }

  /** Index of the first bound ≥ the duration (Prometheus {@code le}), or the overflow bucket. */
  static int bucket(long durationNanos, long[] boundsNanos) {
    int i = Arrays.binarySearch(boundsNanos, durationNanos);
    return i >= 0 ? i : -i - 1;
  }

  private Window window(long idx) {
    if (closedIdx == Long.MIN_VALUE || idx >= closedIdx + ring.length) {
      return far.computeIfAbsent(idx, Window::new);
    }
    int slot = (int) (idx & (ring.length - 1));
    Window w = ring[slot];
    if (w == null) {
      w = far.isEmpty() ? null : far.remove(idx);
      if (w == null) {
        w = new Window(idx);
      }
      ring[slot] = w;
    }
    return w;
  }

  private Window take(long idx) {
    Window w = null;
    if (closedIdx != Long.MIN_VALUE && idx < closedIdx + ring.length) {
      int slot = (int) (idx & (ring.length - 1));
      w = ring[slot];
      ring[slot] = null;
    }
    if (w == null && !far.isEmpty()) {
      w = far.remove(idx);
    }
    return w;
  }

  /** The lowest index of an open window holding data, or {@link Long#MAX_VALUE}. */
  private long nextDataIdx() {
    long next = far.isEmpty() ? Long.MAX_VALUE : far.firstKey();
    for (Window w : ring) {
      if (w != null && w.idx < next) {
        next = w.idx;
      }
    }
    return next;
  }

  /** The index just past the last open window holding data: where a flush closes to. */
  long flushTarget() {
    long last = far.isEmpty() ? Long.MIN_VALUE : far.lastKey();
    for (Window w : ring) {
      if (w != null && w.idx > last) {
        last = w.idx;
      }
    }
    if (last == Long.MIN_VALUE) {
      // Late spans since the last point are only in the sums: one more window reports them.
      return lateSinceLastPoint ? closedIdx + 1 : closedIdx;
    }
    return last + 1;
  }

  /**
   * Closes every window below {@code targetIdx} and adds a point for each one that is reported
   * (all of them, until the group has been idle for {@code idleExpiration}). Returns whether the
   * group is now idle past expiration with nothing pending, and should be forgotten.
   */
  boolean closeThrough(long targetIdx, long idleExpiration, List<WindowPoint> out) {
    if (closedIdx == Long.MIN_VALUE) {
      // First close: begin at the earliest window with data (nothing before it is reported).
      long first = nextDataIdx();
      closedIdx = Math.min(first, targetIdx);
      startTime = closedIdx * shape.resolution;
      lastActiveEnd = startTime;
      // Windows now within the ring's reach move there.
      for (Iterator<Map.Entry<Long, Window>> it = far.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Long, Window> e = it.next();
        if (e.getKey() >= closedIdx + ring.length) {
          break;
        }
        ring[(int) (e.getKey() & (ring.length - 1))] = e.getValue();
        it.remove();
      }
    }
    long res = shape.resolution;
    while (closedIdx < targetIdx) {
      long idx = closedIdx;
      if (base == 0 && !lateSinceLastPoint) {
        // Idle stretch: nothing in flight and no data until the next window holding some. Report
        // zeros until the group has been idle for idle_expiration, then skip ahead.
        long next = Math.min(nextDataIdx(), targetIdx);
        if (next > idx) {
          if (!reported) {
            closedIdx = next;
            continue;
          }
          for (long i = idx; i < next && (i + 1) * res - lastActiveEnd < idleExpiration; i++) {
            out.add(point(i, 0, 0, instances == null ? -1 : 0));
          }
          closedIdx = next;
          continue;
        }
      }
      Window w = take(idx);
      if (!reported) {
        reported = true;
        startTime = idx * res;
        lastActiveEnd = startTime;
      }
      double[] result = sweep(w, idx * res, res);
      double integral = result[0];
      double max = result[1];
      busyNanos += integral;
      boolean active = integral > 0 || lateSinceLastPoint;
      if (w != null && w.endedAny) {
        active = true;
        for (int s = 0; s < 3; s++) {
          spans[s] += w.spans[s];
        }
        for (int b = 0; b < bucketCounts.length; b++) {
          bucketCounts[b] += w.buckets[b];
        }
        durationSum += w.durationSum;
      }
      long windowEnd = (idx + 1) * res;
      if (active || base > 0) {
        lastActiveEnd = windowEnd;
      }
      closedIdx = idx + 1;
      int busyInstances = busyInstances(idx);
      if (windowEnd - lastActiveEnd < idleExpiration) {
        out.add(point(idx, integral / res, max, busyInstances));
        lateSinceLastPoint = false;
      }
    }
    return base == 0 && nextDataIdx() == Long.MAX_VALUE
        && closedIdx * res - lastActiveEnd >= idleExpiration;
  }

  /** What a reader already has swept, so it is not copied again ({@link OpenWindowsReader}). */
  interface SweptWindows {
    boolean knows(Window w, int unitSize, int wSize);
  }

  /** One open window as a reader copied it under the group's monitor. */
  static final class OpenCopy {
    final long idx;
    /** The window, or null when it holds no data; the reader's cache knows it by identity. */
    final Window source;
    final int unitSize;
    final int wSize;
    /** Its events, copied only when the reader has not swept the window at this size: else null. */
    final long[] unit;
    final long[] wTimes;
    final double[] wDeltas;
    final double[] spans;
    final double[] buckets;
    final double durationSum;
    final boolean endedAny;
    final int busyInstances;

    OpenCopy(long idx, Window w, boolean copyEvents, int busyInstances) {
      this.idx = idx;
      this.source = w;
      this.busyInstances = busyInstances;
      if (w == null) {
        unitSize = 0;
        wSize = 0;
        unit = null;
        wTimes = null;
        wDeltas = null;
        spans = null;
        buckets = null;
        durationSum = 0;
        endedAny = false;
        return;
      }
      unitSize = w.unitSize;
      wSize = w.wSize;
      unit = copyEvents ? Arrays.copyOf(w.unit, w.unitSize) : null;
      wTimes = copyEvents && w.wSize > 0 ? Arrays.copyOf(w.wTimes, w.wSize) : null;
      wDeltas = copyEvents && w.wSize > 0 ? Arrays.copyOf(w.wDeltas, w.wSize) : null;
      spans = w.spans.clone();
      buckets = w.buckets == null ? null : w.buckets.clone();
      durationSum = w.durationSum;
      endedAny = w.endedAny;
    }
  }

  /**
   * A group's open windows and sums as a reader copied them under the monitor: what {@link
   * #closeThrough} would start from, so the reader computes each window as closing it now would.
   */
  record OpenState(
      GroupKey key, Shape shape, long fromIdx, double base, boolean reported, long startTime,
      long lastActiveEnd, boolean lateSinceLastPoint, double busyNanos, double[] spans,
      double[] bucketCounts, double durationSum, double lateSpans, List<OpenCopy> windows) {}

  /**
   * Copies the open windows from the first one not closed up to {@code untilIdx} (exclusive), at
   * most {@code maxWindows}: their ended-span counts always, their events only where {@code swept}
   * does not know them. Null when nothing is open. Runs under the monitor; the sweeps run after.
   */
  OpenState copyOpen(long untilIdx, int maxWindows, SweptWindows swept) {
    long from = closedIdx;
    if (closedIdx == Long.MIN_VALUE || (!reported && base == 0 && !lateSinceLastPoint)) {
      from = nextDataIdx(); // nothing is reported before the group's first activity
    }
    if (from == Long.MAX_VALUE) {
      return null;
    }
    long to = Math.min(Math.min(flushTarget(), untilIdx), from + maxWindows);
    if (to <= from) {
      return null;
    }
    List<OpenCopy> copies = new java.util.ArrayList<>((int) (to - from));
    for (long idx = from; idx < to; idx++) {
      Window w = find(idx);
      boolean copyEvents = w != null && !swept.knows(w, w.unitSize, w.wSize);
      copies.add(new OpenCopy(idx, w, copyEvents, countInstances(idx)));
    }
    long start = reported ? startTime : from * shape.resolution;
    return new OpenState(
        key, shape, from, base, reported, start, reported ? lastActiveEnd : start, lateSinceLastPoint,
        busyNanos, spans.clone(), bucketCounts.clone(), durationSum, lateSpans, copies);
  }

  /** The open window {@code idx} if it holds data, without making one. */
  private Window find(long idx) {
    if (closedIdx != Long.MIN_VALUE && idx >= closedIdx && idx < closedIdx + ring.length) {
      Window w = ring[(int) (idx & (ring.length - 1))];
      if (w != null && w.idx == idx) {
        return w;
      }
    }
    return far.isEmpty() ? null : far.get(idx);
  }

  /** Instances busy in window {@code idx}, forgetting nothing; -1 when not tracked. */
  private int countInstances(long idx) {
    if (instances == null) {
      return -1;
    }
    int busy = 0;
    for (WindowRanges r : instances.values()) {
      if (r.contains(idx)) {
        busy++;
      }
    }
    return busy;
  }

  /** Instances busy in window {@code idx}, forgetting what lies before it; -1 when not tracked. */
  private int busyInstances(long idx) {
    if (instances == null) {
      return -1;
    }
    int busy = 0;
    for (Iterator<WindowRanges> it = instances.values().iterator(); it.hasNext(); ) {
      WindowRanges r = it.next();
      if (r.contains(idx)) {
        busy++;
      }
      r.dropThrough(idx);
      if (r.isEmpty()) {
        it.remove();
      }
    }
    return busy;
  }

  /**
   * Sweeps window {@code [t, t + res)} from {@link #base}: returns {integral of the level in
   * weight·ns, peak level}, and leaves {@link #base} at the level where the window ends.
   */
  private double[] sweep(Window w, long t, long res) {
    double[] r = new double[3];
    if (w == null) {
      sweepEvents(null, 0, null, null, 0, base, t, res, r);
    } else {
      w.sort();
      sweepEvents(w.unit, w.unitSize, w.wTimes, w.wDeltas, w.wSize, base, t, res, r);
    }
    base = r[2];
    return r;
  }

  /**
   * Sweeps the sorted events of window {@code [t, t + res)} starting at level {@code startLevel}:
   * puts {integral of the level in weight·ns, peak level, level at the window's end} in {@code
   * out}. The level is measured only after all events at one instant are applied (half-open spans:
   * one ending at x and one starting at x never overlap). Closing and the open-window reader both
   * sweep here, so a provisional window equals its final value once no more spans arrive.
   */
  static void sweepEvents(
      long[] unit, int nu, long[] wt, double[] wd, int nw, double startLevel, long t, long res, double[] out) {
    double level = startLevel;
    double integral = 0;
    double max = Double.NaN;
    long prev = t;
    int i = 0;
    int j = 0;
    while (i < nu || j < nw) {
      long x = Long.MAX_VALUE;
      if (i < nu) {
        x = unit[i] >> 1; // arithmetic shift: times before 1970 stay negative
      }
      if (j < nw && wt[j] < x) {
        x = wt[j];
      }
      if (x > prev) {
        if (Double.isNaN(max)) {
          max = level;
        }
        integral += level * (double) (x - prev);
        prev = x;
      }
      while (i < nu && (unit[i] >> 1) == x) {
        level += (unit[i] & 1) == 1 ? 1 : -1;
        i++;
      }
      while (j < nw && wt[j] == x) {
        level += wd[j];
        j++;
      }
      // Weights are adjusted counts (≥ 1), so a true level is 0 or at least 1: snap rounding dust.
      if (level < 0.5) {
        level = 0;
      }
      max = Double.isNaN(max) ? level : Math.max(max, level);
    }
    if (Double.isNaN(max)) {
      max = level;
    }
    integral += level * (double) (t + res - prev);
    out[0] = integral;
    out[1] = max;
    out[2] = level;
  }

  private WindowPoint point(long idx, double active, double max, int busyInstances) {
    long res = shape.resolution;
    return new WindowPoint(
        key, idx * res, (idx + 1) * res, startTime, active, max, busyNanos / 1e9,
        spans.clone(), bucketCounts.clone(), durationSum, lateSpans, busyInstances);
  }

  /** One open window: its sweep events and the spans that ended in it. */
  static final class Window {
    final long idx;
    /** Events of weight 1: (time << 1) | 1 for a start, (time << 1) for an end. */
    long[] unit = new long[8];
    int unitSize;
    long[] wTimes;
    double[] wDeltas;
    int wSize;
    final double[] spans = new double[3];
    double[] buckets;
    double durationSum;
    boolean endedAny;

    Window(long idx) {
      this.idx = idx;
    }

    void addEvent(long time, double delta) {
      if (delta == 1 || delta == -1) {
        if (unitSize == unit.length) {
          unit = Arrays.copyOf(unit, unitSize * 2);
        }
        unit[unitSize++] = (time << 1) | (delta > 0 ? 1 : 0);
        return;
      }
      if (wTimes == null) {
        wTimes = new long[8];
        wDeltas = new double[8];
      } else if (wSize == wTimes.length) {
        wTimes = Arrays.copyOf(wTimes, wSize * 2);
        wDeltas = Arrays.copyOf(wDeltas, wSize * 2);
      }
      wTimes[wSize] = time;
      wDeltas[wSize] = delta;
      wSize++;
    }

    void ended(int status, long durationNanos, double w, long[] boundsNanos) {
      if (buckets == null) {
        buckets = new double[boundsNanos.length + 1];
      }
      endedAny = true;
      spans[status] += w;
      buckets[bucket(durationNanos, boundsNanos)] += w;
      durationSum += w * (durationNanos / 1e9);
    }

    void sort() {
      Arrays.sort(unit, 0, unitSize);
      if (wSize > 1) {
        sortPairs(wTimes, wDeltas, wSize);
      }
    }

    /** Heap sort of (time, delta) pairs by time: in place, no boxing. */
    static void sortPairs(long[] k, double[] v, int n) {
      for (int i = n / 2 - 1; i >= 0; i--) {
        siftDown(k, v, i, n);
      }
      for (int end = n - 1; end > 0; end--) {
        swap(k, v, 0, end);
        siftDown(k, v, 0, end);
      }
    }

    private static void siftDown(long[] k, double[] v, int i, int n) {
      while (true) {
        int child = 2 * i + 1;
        if (child >= n) {
          return;
        }
        if (child + 1 < n && k[child + 1] > k[child]) {
          child++;
        }
        if (k[i] >= k[child]) {
          return;
        }
        swap(k, v, i, child);
        i = child;
      }
    }

    private static void swap(long[] k, double[] v, int a, int b) {
      long tk = k[a];
      k[a] = k[b];
      k[b] = tk;
      double tv = v[a];
      v[a] = v[b];
      v[b] = tv;
    }
  }
}
