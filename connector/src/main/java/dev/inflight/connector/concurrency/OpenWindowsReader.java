package dev.inflight.connector.concurrency;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads every group's open windows as they stand ("so far"): what closing them now would report.
 * Spans only add to a window, so each value is a lower bound of the final one, and equals it once
 * no more spans arrive.
 *
 * <p>The reader pays, not the writers: it takes each group's monitor (the one recording takes)
 * only to copy the counts of its open windows and the events of those that changed since its last
 * read, then sorts and sweeps the copies after letting go. A window seen before at the same size is
 * not copied again: its sweep is remembered, and shifted when the level it starts from moved (a
 * span crossing it arrived; spans only add whole weights, so the shift is exact for unit weights).
 * Readers take turns on a lock of their own, never touched by recording or closing.
 */
final class OpenWindowsReader {
  /** A window's sweep at one size, from one start level. */
  private record Swept(int unitSize, int wSize, double startLevel, double integral, double max, double endLevel) {}

  private final ReentrantLock reading = new ReentrantLock();
  private Map<Group.Window, Swept> swept = new IdentityHashMap<>();

  /**
   * The open windows of {@code groups} below {@code untilIdx}, at most {@code maxWindows} per
   * group, in window order per group.
   */
  List<WindowPoint> read(Iterable<Group> groups, long untilIdx, int maxWindows, long idleExpiration) {
    reading.lock();
    try {
      Map<Group.Window, Swept> before = swept;
      Map<Group.Window, Swept> now = new IdentityHashMap<>();
      Group.SweptWindows known = (w, unitSize, wSize) -> {
        Swept s = before.get(w);
        return s != null && s.unitSize == unitSize && s.wSize == wSize;
      };
      List<WindowPoint> out = new ArrayList<>();
      for (Group g : groups) {
        Group.OpenState state;
        synchronized (g) {
          state = g.removed() ? null : g.copyOpen(untilIdx, maxWindows, known);
        }
        if (state != null) {
          sweep(state, before, now, idleExpiration, out);
        }
      }
      swept = now; // windows not seen this time have closed: forget them
      return out;
    } finally {
      reading.unlock();
    }
  }

  /** {@link Group#closeThrough}'s reporting rules, over the copies. */
  private static void sweep(
      Group.OpenState st, Map<Group.Window, Swept> before, Map<Group.Window, Swept> now,
      long idleExpiration, List<WindowPoint> out) {
    long res = st.shape().resolution();
    double level = st.base();
    boolean reported = st.reported();
    long startTime = st.startTime();
    long lastActiveEnd = st.lastActiveEnd();
    boolean late = st.lateSinceLastPoint();
    double busy = st.busyNanos();
    double[] spans = st.spans();
    double[] buckets = st.bucketCounts();
    double durationSum = st.durationSum();
    int noInstances = st.windows().isEmpty() || st.windows().get(0).busyInstances < 0 ? -1 : 0;
    double[] r = new double[3];
    for (Group.OpenCopy c : st.windows()) {
      long idx = c.idx;
      long windowEnd = (idx + 1) * res;
      if (level == 0 && !late && c.source == null) {
        // An idle window: zeros while the group is within idle_expiration of its last activity.
        if (reported && windowEnd - lastActiveEnd < idleExpiration) {
          out.add(new WindowPoint(st.key(), idx * res, windowEnd, startTime, 0, 0, busy / 1e9,
              spans.clone(), buckets.clone(), durationSum, st.lateSpans(), noInstances));
        }
        continue;
      }
      if (!reported) {
        reported = true;
        startTime = idx * res;
        lastActiveEnd = startTime;
      }
      sweepWindow(c, level, idx * res, res, before, now, r);
      double integral = r[0];
      level = r[2];
      busy += integral;
      boolean active = integral > 0 || late;
      if (c.endedAny) {
        active = true;
        for (int s = 0; s < 3; s++) {
          spans[s] += c.spans[s];
        }
        for (int b = 0; b < buckets.length; b++) {
          buckets[b] += c.buckets[b];
        }
        durationSum += c.durationSum;
      }
      if (active || level > 0) {
        lastActiveEnd = windowEnd;
      }
      if (windowEnd - lastActiveEnd < idleExpiration) {
        out.add(new WindowPoint(st.key(), idx * res, windowEnd, startTime, integral / res, r[1], busy / 1e9,
            spans.clone(), buckets.clone(), durationSum, st.lateSpans(), c.busyInstances));
        late = false;
      }
    }
  }

  /** Sweeps one copied window from {@code startLevel} into {@code r}, or reuses its last sweep. */
  private static void sweepWindow(
      Group.OpenCopy c, double startLevel, long t, long res,
      Map<Group.Window, Swept> before, Map<Group.Window, Swept> now, double[] r) {
    if (c.source == null) {
      Group.sweepEvents(null, 0, null, null, 0, startLevel, t, res, r);
      return;
    }
    Swept s = c.unit == null ? before.get(c.source) : null;
    if (s != null) {
      double shift = startLevel - s.startLevel;
      // Every level in the window moves by the shift: the integral by shift × width.
      r[0] = s.integral + shift * res;
      r[1] = s.max + shift;
      // Snapped as the sweep snaps: a true level is 0 or at least 1, so a shift of rounding dust
      // must not leave a level of 1e-16 that reads as work in flight.
      r[2] = s.endLevel + shift < 0.5 ? 0 : s.endLevel + shift;
      if (shift != 0) {
        s = new Swept(s.unitSize, s.wSize, startLevel, r[0], r[1], r[2]);
      }
    } else {
      long[] unit = c.unit;
      java.util.Arrays.sort(unit);
      if (c.wSize > 1) {
        Group.Window.sortPairs(c.wTimes, c.wDeltas, c.wSize);
      }
      Group.sweepEvents(unit, c.unitSize, c.wTimes, c.wDeltas, c.wSize, startLevel, t, res, r);
      s = new Swept(c.unitSize, c.wSize, startLevel, r[0], r[1], r[2]);
    }
    now.put(c.source, s);
  }
}
