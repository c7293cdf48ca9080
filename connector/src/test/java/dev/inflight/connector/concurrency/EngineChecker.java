package dev.inflight.connector.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Drives a {@link ConcurrencyEngine} from one thread and checks every point it emits.
 *
 * <p>Each group's life (from the engine making a {@link Group} for its key to the engine forgetting
 * it) keeps the spans recorded into it. A window's gauges must equal {@link SweepOracle} over the
 * spans recorded before the window closed; its cumulative values must equal the oracle's over the
 * same spans (they count from the beginning of time, and a life sees every span since its start).
 *
 * <p>Which windows a group reports is predicted here from the spec, independently of the engine's
 * data structures. A window is <em>active</em> when a span recorded before it closed overlaps it
 * with positive length or ends in it, or a late span arrived since the group's last point. A
 * group's first reported window (its startTime) is its first active window; after that, window
 * {@code i} is reported iff {@code (i + 1) * res - (end of the last active window ≤ i) <
 * idle_expiration}. A group is forgotten at a close once nothing of it is pending (no recorded span
 * ends at or after the closed boundary) and it has been idle that long. A flush closes each group
 * through the last window a recorded span ends in, or one window further than it is closed when
 * nothing is pending but late spans wait to be reported.
 */
final class EngineChecker {
  /** A span to feed: the index of its group key, times (ns), weight, status, instance or null. */
  record Feed(int keyIdx, long start, long end, double weight, int status, String instance, long arrival) {}

  /** A span as one life recorded it. {@code visibleFrom}: what part of it can reach open windows. */
  private record Recorded(SweepOracle.Span span, String instance, boolean late, long visibleFrom) {}

  private static final class Life {
    final Group group;
    final List<Recorded> recorded = new ArrayList<>();
    final List<SweepOracle.Span> spans = new ArrayList<>();
    long closed;
    long startIdx = Long.MIN_VALUE;
    long lastActiveEnd;
    boolean lateFlag;
    double lateWeight;
    boolean removed;
    final List<Long> emitted = new ArrayList<>();
    boolean reported;
    /** Every provisional point read of each open window, with how many spans were recorded then. */
    final Map<Long, List<Provisional>> provisional = new HashMap<>();

    Life(Group group, long closed, long res) {
      this.group = group;
      this.closed = closed;
      if (closed != Long.MIN_VALUE) {
        lastActiveEnd = closed * res;
      }
    }
  }

  private record Provisional(WindowPoint point, int recorded) {}

  final ConcurrencyEngine engine;
  final long res;
  final long lateness;
  final long idle;
  final int maxGroups;
  final long[] bounds;
  final boolean trackInstances;
  final boolean exactMax;
  final GroupKey[] keys;

  private final Map<Group, Life> lives = new IdentityHashMap<>();
  private final Map<GroupKey, Life> current = new HashMap<>();
  private final List<Life> allLives = new ArrayList<>();
  private final SpanBatch batch = new SpanBatch();
  private long engineClosed;
  private int regularLive;
  private long lateCount;
  private long overflowCount;
  int pointsChecked;
  int provisionalChecked;
  /** Provisional windows read when no more spans reached them before they closed. */
  int provisionalSettled;
  /** Provisional windows that ended more spans by the time they closed. */
  int provisionalGrew;
  int lateSeen;
  int overflowLives;
  /** Lives of a key that began after an earlier life of the same key was forgotten. */
  int recreated;
  /** Groups forgotten between a request's lookup and its recording. */
  int staleRecorded;

  EngineChecker(long res, long lateness, long idle, int maxGroups, long[] bounds, int workerTypes,
      boolean trackInstances, long closedUntil, boolean exactMax, GroupKey[] keys) {
    this.engine = new ConcurrencyEngine(res, lateness, idle, maxGroups, bounds, workerTypes, trackInstances, closedUntil);
    this.res = res;
    this.lateness = lateness;
    this.idle = idle;
    this.maxGroups = maxGroups;
    this.bounds = bounds;
    this.trackInstances = trackInstances;
    this.exactMax = exactMax;
    this.keys = keys;
    this.engineClosed = closedUntil == Long.MIN_VALUE ? Long.MIN_VALUE : Math.floorDiv(closedUntil, res);
  }

  /** Looks the groups up, records the spans as one batch, and models what that did. */
  void record(List<Feed> feeds) {
    record(feeds, Long.MIN_VALUE);
  }

  /**
   * Looks the groups up; if {@code watermarkBetween} is not {@link Long#MIN_VALUE}, advances to it
   * before recording, as when a close runs while a request is being decoded: groups forgotten by
   * that close must hand their spans to the group the engine finds for their key again.
   */
  void record(List<Feed> feeds, long watermarkBetween) {
    List<Life> targets = new ArrayList<>(feeds.size());
    for (Feed f : feeds) {
      GroupKey key = keys[f.keyIdx()];
      Group g = engine.group(key);
      Life life = lifeFor(key, g);
      targets.add(life);
      batch.add(g, f.start(), f.end(), f.weight(), f.status(), f.instance());
    }
    if (watermarkBetween != Long.MIN_VALUE) {
      advance(watermarkBetween);
    }
    engine.record(batch);
    batch.clear();
    // The engine records group by group in id order, looking a forgotten group's key up again.
    List<Life> stale = new ArrayList<>();
    for (Life l : targets) {
      if (l.removed && !stale.contains(l)) {
        stale.add(l);
      }
    }
    stale.sort(java.util.Comparator.comparingInt(l -> l.group.id));
    Map<Life, Life> moved = new IdentityHashMap<>();
    for (Life l : stale) {
      Group again = engine.group(l.group.key);
      moved.put(l, lifeFor(l.group.key, again));
      staleRecorded++;
    }
    for (int i = 0; i < feeds.size(); i++) {
      Feed f = feeds.get(i);
      Life life = moved.getOrDefault(targets.get(i), targets.get(i));
      boolean late = life.closed != Long.MIN_VALUE && f.start() < life.closed * res;
      if (late) {
        life.lateFlag = true;
        life.lateWeight += f.weight();
        lateCount++;
        lateSeen++;
      }
      if (life.group.key.overflow) {
        overflowCount++;
      }
      SweepOracle.Span s = new SweepOracle.Span(f.start(), f.end(), f.weight(), f.status());
      life.spans.add(s);
      life.recorded.add(new Recorded(s, f.instance(), late, late ? life.closed * res : f.start()));
    }
  }

  private Life lifeFor(GroupKey key, Group g) {
    Life known = lives.get(g);
    if (key.overflow) {
      // A request that held a forgotten overflow group looks the overflow key up again.
      assertThat(g.key).isEqualTo(key);
      if (known != null) {
        assertThat(known.removed).isFalse();
        return known;
      }
      overflowLives++;
      return newLife(g);
    }
    if (g.key.equals(key)) {
      Life cur = current.get(key);
      if (known != null) {
        assertThat(known).as("group of %s", key).isSameAs(cur);
        assertThat(known.removed).as("%s was expected to be forgotten, yet the engine still hands it out", key).isFalse();
        return known;
      }
      assertThat(cur == null || cur.removed)
          .as("a new group for %s while its previous one should still be alive", key).isTrue();
      assertThat(regularLive).as("a regular group for %s beyond max_groups", key).isLessThan(maxGroups);
      regularLive++;
      return newLife(g);
    }
    // Overflow: only when the regular groups are all taken.
    assertThat(g.key.overflow).as("%s got the group of another key: %s", key, g.key).isTrue();
    assertThat(g.key.workerType).isEqualTo(key.workerType);
    assertThat(g.key.dimensions).isEmpty();
    Life cur = current.get(key);
    assertThat(cur == null || cur.removed).as("%s has a live group yet got the overflow group", key).isTrue();
    assertThat(regularLive).as("overflow while regular groups are free").isEqualTo(maxGroups);
    if (known != null) {
      assertThat(known.removed).as("overflow group expected to be forgotten").isFalse();
      return known;
    }
    Life old = current.get(g.key);
    assertThat(old == null || old.removed).as("a second overflow group for type %d", key.workerType).isTrue();
    overflowLives++;
    return newLife(g);
  }

  private Life newLife(Group g) {
    if (current.containsKey(g.key)) {
      recreated++;
    }
    Life life = new Life(g, engineClosed, res);
    lives.put(g, life);
    current.put(g.key, life);
    allLives.add(life);
    return life;
  }

  /**
   * {@code engine.openWindows()}, checked: the windows a flush now would report, each equal to the
   * oracle over the spans recorded so far (a lower bound of its final value, checked when it
   * closes). Changes nothing in the model.
   */
  void checkOpen() {
    Map<Life, List<WindowPoint>> actual = new LinkedHashMap<>();
    for (WindowPoint p : engine.openWindows(Long.MAX_VALUE, Integer.MAX_VALUE)) {
      Life life = current.get(p.key());
      if (life == null || life.removed) {
        fail("open window for a group that has none: %s [%d, %d)", p.key(), p.windowStart(), p.windowEnd());
      }
      actual.computeIfAbsent(life, k -> new ArrayList<>()).add(p);
    }
    for (Life life : liveLives()) {
      long closed = life.closed;
      long startIdx = life.startIdx;
      long lastActiveEnd = life.lastActiveEnd;
      boolean lateFlag = life.lateFlag;
      boolean reported = life.reported;
      int live = regularLive;
      List<Long> expected = closeLife(life, flushTarget(life));
      List<WindowPoint> got = actual.getOrDefault(life, List.of());
      List<Long> gotIdx = new ArrayList<>();
      for (WindowPoint p : got) {
        gotIdx.add(Math.floorDiv(p.windowStart(), res));
      }
      assertThat(gotIdx).as("open windows of %s", life.group.key).containsExactlyElementsOf(expected);
      if (!got.isEmpty()) {
        long from = expected.get(0);
        List<SweepOracle.Window> oracle =
            SweepOracle.windows(life.spans, res, from, expected.get(expected.size() - 1) + 1, bounds);
        for (WindowPoint p : got) {
          long idx = Math.floorDiv(p.windowStart(), res);
          checkPoint(life, p, oracle.get((int) (idx - from)), idx);
          life.provisional.computeIfAbsent(idx, k -> new ArrayList<>()).add(new Provisional(p, life.spans.size()));
          provisionalChecked++;
        }
      }
      life.closed = closed;
      life.startIdx = startIdx;
      life.lastActiveEnd = lastActiveEnd;
      life.lateFlag = lateFlag;
      life.reported = reported;
      life.removed = false;
      regularLive = live;
    }
  }

  /** A closed window's point against what was read of it while open: never less, equal if nothing came since. */
  private void checkAgainstProvisional(Life life, WindowPoint p, long idx) {
    List<Provisional> reads = life.provisional.remove(idx);
    if (reads == null) {
      return;
    }
    for (Provisional pr : reads) {
      checkAgainstProvisional(life, p, idx, pr);
    }
  }

  private void checkAgainstProvisional(Life life, WindowPoint p, long idx, Provisional pr) {
    WindowPoint o = pr.point();
    String what = life.group.key + " window " + idx + ": final " + p + " vs provisional " + o;
    double slack = 1e-9 * Math.abs(p.activeMax()) + 1e-12;
    assertThat(p.active()).as("active, " + what).isGreaterThanOrEqualTo(o.active() - 1e-9 * Math.abs(p.active()) - 1e-12);
    assertThat(p.activeMax()).as("activeMax, " + what).isGreaterThanOrEqualTo(o.activeMax() - slack);
    assertThat(p.spanCount()).as("spans, " + what).isGreaterThanOrEqualTo(o.spanCount() - 1e-9 * p.spanCount());
    assertThat(p.busySeconds()).as("busy, " + what).isGreaterThanOrEqualTo(o.busySeconds() * (1 - 1e-9) - 1e-12);
    if (p.spanCount() > o.spanCount()) {
      provisionalGrew++;
    }
    if (pr.recorded() == life.spans.size()) {
      provisionalSettled++;
      if (exactMax) {
        assertThat(p.active()).as("active, nothing arrived since, " + what).isEqualTo(o.active());
        assertThat(p.activeMax()).as("activeMax, nothing arrived since, " + what).isEqualTo(o.activeMax());
        assertThat(p.spans()).as("spans, nothing arrived since, " + what).containsExactly(o.spans());
        assertThat(p.bucketCounts()).as("buckets, nothing arrived since, " + what).containsExactly(o.bucketCounts());
        assertThat(p.busySeconds()).as("busy, nothing arrived since, " + what).isEqualTo(o.busySeconds());
      } else {
        assertClose(p.active(), o.active(), "active, nothing arrived since, " + what);
        assertClose(p.activeMax(), o.activeMax(), "activeMax, nothing arrived since, " + what);
        assertClose(p.busySeconds(), o.busySeconds(), "busy, nothing arrived since, " + what);
      }
      assertThat(p.startTime()).as("startTime, " + what).isEqualTo(o.startTime());
      assertThat(p.instances()).as("instances, " + what).isEqualTo(o.instances());
    }
  }

  /** {@code engine.advance(watermark)}, modelled and checked. */
  void advance(long watermark) {
    List<WindowPoint> points = engine.advance(watermark);
    long target = Math.floorDiv(watermark - lateness, res);
    Map<Life, List<Long>> expected = new LinkedHashMap<>();
    if (engineClosed == Long.MIN_VALUE || target > engineClosed) {
      for (Life life : liveLives()) {
        expected.put(life, closeLife(life, target));
      }
      engineClosed = target;
    }
    check(points, expected);
  }

  /** {@code engine.flush()}, modelled and checked. */
  void flush() {
    List<WindowPoint> points = engine.flush();
    Map<Life, List<Long>> expected = new LinkedHashMap<>();
    long highest = engineClosed;
    for (Life life : liveLives()) {
      long target = flushTarget(life);
      highest = Math.max(highest, target);
      expected.put(life, closeLife(life, target));
    }
    engineClosed = highest;
    check(points, expected);
  }

  private List<Life> liveLives() {
    List<Life> out = new ArrayList<>();
    for (Life l : current.values()) {
      if (!l.removed) {
        out.add(l);
      }
    }
    return out;
  }

  private long flushTarget(Life life) {
    long last = Long.MIN_VALUE;
    for (SweepOracle.Span s : life.spans) {
      long e = Math.floorDiv(s.end(), res);
      if (life.closed == Long.MIN_VALUE || e >= life.closed) {
        last = Math.max(last, e);
      }
    }
    if (last == Long.MIN_VALUE) {
      // Nothing pending, but late spans since the last point: one more window reports them.
      return life.lateFlag ? life.closed + 1 : life.closed;
    }
    return last + 1;
  }

  /** Whether window {@code i} shows activity from the spans recorded so far. */
  private boolean activeFromSpans(Life life, long i) {
    long t = i * res;
    long tEnd = t + res;
    for (Recorded r : life.recorded) {
      long end = r.span().end();
      if (Math.min(end, tEnd) - Math.max(r.visibleFrom(), t) > 0) {
        return true;
      }
      if (Math.floorDiv(end, res) == i && end >= r.visibleFrom()) {
        return true;
      }
    }
    return false;
  }

  /** Models closing {@code life} through {@code target}: returns the windows it must report. */
  private List<Long> closeLife(Life life, long target) {
    if (life.closed == Long.MIN_VALUE) {
      long first = Long.MAX_VALUE;
      for (SweepOracle.Span s : life.spans) {
        first = Math.min(first, Math.floorDiv(s.start(), res));
      }
      life.closed = Math.min(first, target);
      life.lastActiveEnd = life.closed * res;
    }
    List<Long> out = new ArrayList<>();
    for (long i = life.closed; i < target; i++) {
      boolean active = life.lateFlag || activeFromSpans(life, i);
      if (!life.reported) {
        if (!active) {
          continue; // nothing is reported before the group's first activity
        }
        life.reported = true;
        life.startIdx = i;
      }
      if (active) {
        life.lastActiveEnd = (i + 1) * res;
      }
      if ((i + 1) * res - life.lastActiveEnd < idle) {
        out.add(i);
        life.lateFlag = false;
      }
    }
    life.closed = Math.max(life.closed, target);
    boolean pending = false;
    for (SweepOracle.Span s : life.spans) {
      if (s.end() >= life.closed * res) {
        pending = true;
        break;
      }
    }
    if (!pending && life.closed * res - life.lastActiveEnd >= idle) {
      life.removed = true;
      if (!life.group.key.overflow) {
        regularLive--;
      }
    }
    return out;
  }

  private void check(List<WindowPoint> points, Map<Life, List<Long>> expected) {
    Map<Life, List<WindowPoint>> actual = new LinkedHashMap<>();
    for (WindowPoint p : points) {
      Life life = current.get(p.key());
      if (life == null || !expected.containsKey(life)) {
        fail("point for a group that had nothing to close: %s [%d, %d)", p.key(), p.windowStart(), p.windowEnd());
      }
      actual.computeIfAbsent(life, k -> new ArrayList<>()).add(p);
    }
    assertThat(engine.closedUntil()).as("engine's closed boundary")
        .isEqualTo(engineClosed == Long.MIN_VALUE ? Long.MIN_VALUE : engineClosed * res);
    for (Map.Entry<Life, List<Long>> e : expected.entrySet()) {
      Life life = e.getKey();
      List<WindowPoint> got = actual.getOrDefault(life, List.of());
      List<Long> gotIdx = new ArrayList<>();
      for (WindowPoint p : got) {
        gotIdx.add(Math.floorDiv(p.windowStart(), res));
      }
      assertThat(gotIdx).as("windows reported by %s (start window %d)", life.group.key, life.startIdx)
          .containsExactlyElementsOf(e.getValue());
      if (got.isEmpty()) {
        continue;
      }
      long from = e.getValue().get(0);
      long to = e.getValue().get(e.getValue().size() - 1) + 1;
      List<SweepOracle.Window> oracle = SweepOracle.windows(life.spans, res, from, to, bounds);
      for (WindowPoint p : got) {
        long idx = Math.floorDiv(p.windowStart(), res);
        checkPoint(life, p, oracle.get((int) (idx - from)), idx);
        checkAgainstProvisional(life, p, idx);
        life.emitted.add(idx);
      }
    }
    for (Life life : expected.keySet()) {
      assertThat(life.group.removed()).as("whether %s is forgotten", life.group.key).isEqualTo(life.removed);
    }
  }

  private void checkPoint(Life life, WindowPoint p, SweepOracle.Window o, long idx) {
    String what = life.group.key + " window " + idx + " (" + p.windowStart() + ".." + p.windowEnd() + ") expected " + o;
    assertThat(p.key()).isEqualTo(life.group.key);
    assertThat(p.windowEnd()).as(what).isEqualTo(p.windowStart() + res);
    assertThat(p.startTime()).as("startTime of " + what).isEqualTo(life.startIdx * res);
    if (exactMax) {
      assertThat(p.activeMax()).as("activeMax of " + what).isEqualTo(o.activeMax());
    } else {
      assertClose(p.activeMax(), o.activeMax(), "activeMax of " + what);
    }
    assertClose(p.active(), o.active(), "active of " + what);
    assertClose(p.busySeconds(), o.busySeconds(), "busySeconds of " + what);
    if (exactMax) {
      assertThat(p.spans()).as("spans of " + what).containsExactly(o.spans());
      assertThat(p.bucketCounts()).as("bucketCounts of " + what).containsExactly(o.bucketCounts());
    } else {
      for (int s = 0; s < 3; s++) {
        assertClose(p.spans()[s], o.spans()[s], "spans of " + what);
      }
      assertThat(p.bucketCounts()).hasSameSizeAs(o.bucketCounts());
      for (int b = 0; b < o.bucketCounts().length; b++) {
        assertClose(p.bucketCounts()[b], o.bucketCounts()[b], "bucket " + b + " of " + what);
      }
    }
    assertClose(p.durationSum(), o.durationSum(), "durationSum of " + what);
    assertClose(p.lateSpans(), life.lateWeight, "lateSpans of " + what);
    assertThat(p.instances()).as("instances of " + what).isEqualTo(expectedInstances(life, idx));
    pointsChecked++;
  }

  /** Distinct instances busy in window idx: the span's visible part meets it (a zero-length span: its instant). */
  private int expectedInstances(Life life, long idx) {
    if (!trackInstances) {
      return -1;
    }
    long t = idx * res;
    long tEnd = t + res;
    Set<String> busy = new HashSet<>();
    for (Recorded r : life.recorded) {
      if (r.instance() == null) {
        continue;
      }
      long end = r.span().end();
      boolean meets = r.late()
          ? Math.min(end, tEnd) > Math.max(r.visibleFrom(), t)
          : end == r.span().start()
              ? Math.floorDiv(end, res) == idx
              : Math.min(end, tEnd) > Math.max(r.span().start(), t);
      if (meets) {
        busy.add(r.instance());
      }
    }
    return busy.size();
  }

  static void assertClose(double actual, double expected, String what) {
    double tolerance = 1e-9 * Math.abs(expected) + 1e-12;
    if (!(Math.abs(actual - expected) <= tolerance)) {
      fail("%s: got %s, expected %s (tolerance %s)", what, actual, expected, tolerance);
    }
  }

  /** After the run: counters agree, and no group skipped a window it owed (see class doc). */
  void finish(boolean expectAllForgotten) {
    assertThat(engine.lateSpans.sum()).as("late spans counted").isEqualTo(lateCount);
    assertThat(engine.overflowSpans.sum()).as("overflow spans counted").isEqualTo(overflowCount);
    int alive = liveLives().size();
    assertThat(engine.groupCount()).as("groups the engine still holds").isEqualTo(alive);
    if (expectAllForgotten) {
      assertThat(alive).as("groups left after idling past expiration").isZero();
    }
    for (Life life : allLives) {
      checkNoMissingWindows(life);
    }
  }

  /**
   * Restates the reporting rule over a whole life, from the final spans: between two reported
   * windows, every skipped window must be inactive and at least idle_expiration past the last
   * activity; and the first reported window is the life's first window.
   */
  private void checkNoMissingWindows(Life life) {
    List<Long> em = life.emitted;
    if (em.isEmpty()) {
      return;
    }
    assertThat(em.get(0)).as("first window of %s", life.group.key).isEqualTo(life.startIdx);
    for (int k = 1; k < em.size(); k++) {
      long a = em.get(k - 1);
      long b = em.get(k);
      assertThat(b).as("windows of %s in order", life.group.key).isGreaterThan(a);
      if (b == a + 1) {
        continue;
      }
      long lastActiveEnd = life.startIdx * res;
      for (long i = life.startIdx; i <= a; i++) {
        if (activeFromSpans(life, i)) {
          lastActiveEnd = (i + 1) * res;
        }
      }
      for (long g = a + 1; g < b; g++) {
        assertThat(activeFromSpans(life, g)).as("%s skipped window %d that had activity", life.group.key, g).isFalse();
        assertThat((g + 1) * res - lastActiveEnd)
            .as("%s skipped window %d before idle_expiration", life.group.key, g).isGreaterThanOrEqualTo(idle);
      }
    }
  }
}
