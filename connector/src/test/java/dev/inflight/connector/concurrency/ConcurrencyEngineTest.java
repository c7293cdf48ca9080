package dev.inflight.connector.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine's rules one case at a time, with numbers worked out by hand (and the oracle). */
class ConcurrencyEngineTest {
  private static final long[] BOUNDS = {5, 10, 100};
  private static final long SECOND = 1_000_000_000L;
  private static final GroupKey A = key(0, "a");

  private static GroupKey key(int type, String svc) {
    return new GroupKey(type, new String[] {svc}, false);
  }

  private static ConcurrencyEngine engine(long res, long lateness, long idle, int maxGroups, boolean instances,
      long closedUntil) {
    return new ConcurrencyEngine(res, lateness, idle, maxGroups, BOUNDS, 2, instances, closedUntil);
  }

  private static void record(ConcurrencyEngine e, GroupKey k, long start, long end) {
    record(e, k, start, end, 1, SpanBatch.STATUS_UNSET, null);
  }

  private static void record(ConcurrencyEngine e, GroupKey k, long start, long end, double w, int status,
      String instance) {
    SpanBatch b = new SpanBatch();
    b.add(e.group(k), start, end, w, status, instance);
    e.record(b);
  }

  /** Points of one group by window start, checking they come in window order. */
  private static Map<Long, WindowPoint> byWindow(List<WindowPoint> points, GroupKey k) {
    Map<Long, WindowPoint> out = new LinkedHashMap<>();
    long last = Long.MIN_VALUE;
    for (WindowPoint p : points) {
      if (p.key().equals(k)) {
        assertThat(p.windowStart()).isGreaterThan(last);
        last = p.windowStart();
        out.put(p.windowStart(), p);
      }
    }
    return out;
  }

  private static void assertMatchesOracle(WindowPoint p, List<SweepOracle.Span> spans, long res) {
    SweepOracle.Window o = SweepOracle.windows(spans, res, p.windowStart() / res, p.windowStart() / res + 1, BOUNDS).get(0);
    assertThat(p.activeMax()).as("max %s", o).isEqualTo(o.activeMax());
    assertThat(p.active()).as("active %s", o).isCloseTo(o.active(), within(1e-9));
    assertThat(p.busySeconds()).as("busy %s", o).isCloseTo(o.busySeconds(), within(1e-18));
    assertThat(p.spans()).as("spans %s", o).containsExactly(o.spans());
    assertThat(p.bucketCounts()).as("buckets %s", o).containsExactly(o.bucketCounts());
    assertThat(p.durationSum()).as("durationSum %s", o).isCloseTo(o.durationSum(), within(1e-18));
  }

  @Test
  void lateSpanAddsToBusyTimeAndLateSpansButNeverToAClosedGauge() {
    ConcurrencyEngine e = engine(10, 0, 1000, 10, false, Long.MIN_VALUE);
    record(e, A, 0, 10);
    Map<Long, WindowPoint> first = byWindow(e.advance(10), A);
    assertThat(first).containsOnlyKeys(0L);
    assertThat(first.get(0L).active()).isEqualTo(1.0);
    assertThat(first.get(0L).activeMax()).isEqualTo(1.0);
    assertThat(first.get(0L).lateSpans()).isZero();

    // [5, 25) arrives after window 0 closed: 5 ns of it are late, the other 15 count as usual.
    record(e, A, 5, 25, 1, SpanBatch.STATUS_ERROR, null);
    assertThat(e.lateSpans.sum()).isEqualTo(1);
    Map<Long, WindowPoint> then = byWindow(e.advance(30), A);
    assertThat(then).as("window 0 is never reported again").containsOnlyKeys(10L, 20L);
    WindowPoint w1 = then.get(10L);
    assertThat(w1.active()).as("[5, 25) covers [10, 20); [0, 10) ended at 10").isEqualTo(1.0);
    assertThat(w1.activeMax()).isEqualTo(1.0);
    assertThat(w1.busySeconds()).isEqualTo((10 + 5 + 10) / 1e9);
    assertThat(w1.lateSpans()).isEqualTo(1.0);
    assertThat(w1.spans()).containsExactly(1, 0, 0);
    WindowPoint w2 = then.get(20L);
    assertThat(w2.active()).isEqualTo(0.5);
    assertThat(w2.activeMax()).isEqualTo(1.0);
    assertThat(w2.busySeconds()).isEqualTo(30 / 1e9);
    assertThat(w2.spans()).as("the late span counts where it ends").containsExactly(1, 0, 1);
    assertThat(w2.bucketCounts()).containsExactly(0, 1, 1, 0); // durations 10 and 20
    assertThat(w2.lateSpans()).isEqualTo(1.0);
    // Windows still open when it arrived match the oracle over both spans.
    List<SweepOracle.Span> both = List.of(SweepOracle.Span.of(0, 10), new SweepOracle.Span(5, 25, 1, SweepOracle.ERROR));
    assertMatchesOracle(w1, both, 10);
    assertMatchesOracle(w2, both, 10);
  }

  @Test
  void lateSpanThatEndedInAClosedWindowCountsAtOnceAndKeepsTheGroupActive() {
    ConcurrencyEngine e = engine(10, 0, 30, 10, false, Long.MIN_VALUE);
    record(e, A, 0, 10);
    assertThat(byWindow(e.advance(30), A)).containsOnlyKeys(0L, 10L, 20L);
    record(e, A, 12, 18); // wholly inside closed window 1
    Map<Long, WindowPoint> w = byWindow(e.advance(40), A);
    assertThat(w).containsOnlyKeys(30L);
    WindowPoint p = w.get(30L);
    assertThat(p.active()).as("a closed window's gauge never moves; this one had nothing").isZero();
    assertThat(p.activeMax()).isZero();
    assertThat(p.spans()).containsExactly(2, 0, 0);
    assertThat(p.busySeconds()).isEqualTo(16 / 1e9);
    assertThat(p.durationSum()).isCloseTo(16 / 1e9, within(1e-20));
    assertThat(p.lateSpans()).isEqualTo(1.0);
    // The late arrival was activity at window 3: zeros follow until 30 ns after it, then the group goes.
    assertThat(byWindow(e.advance(100), A)).containsOnlyKeys(40L, 50L);
    assertThat(e.groupCount()).isZero();
  }

  @Test
  void flushReportsLateSpansRecordedAfterTheLastClose() {
    ConcurrencyEngine e = engine(10, 0, 1000, 10, false, Long.MIN_VALUE);
    record(e, A, 0, 10);
    assertThat(byWindow(e.advance(30), A)).containsOnlyKeys(0L, 10L, 20L);
    record(e, A, 12, 18, 1, SpanBatch.STATUS_ERROR, null); // wholly inside closed window 1
    // Shutdown: the late span's counts must come out in a last point, not vanish.
    Map<Long, WindowPoint> w = byWindow(e.flush(), A);
    assertThat(w).containsOnlyKeys(30L);
    assertThat(w.get(30L).spans()).containsExactly(1, 0, 1);
    assertThat(w.get(30L).lateSpans()).isEqualTo(1.0);
    assertThat(w.get(30L).busySeconds()).isEqualTo(16 / 1e9);

    // The same for a group whose only span was late (wall clock: windows before 100 closed).
    ConcurrencyEngine wall = engine(10, 0, 1000, 10, false, 100);
    record(wall, A, 40, 50);
    Map<Long, WindowPoint> only = byWindow(wall.flush(), A);
    assertThat(only).containsOnlyKeys(100L);
    assertThat(only.get(100L).spanCount()).isEqualTo(1.0);
    assertThat(only.get(100L).lateSpans()).isEqualTo(1.0);
  }

  @Test
  void groupsBeyondMaxGroupsGoToOneOverflowGroupPerWorkerType() {
    ConcurrencyEngine e = engine(10, 0, 20, 2, false, Long.MIN_VALUE);
    Group a = e.group(key(0, "a"));
    Group b = e.group(key(1, "b"));
    Group c = e.group(key(0, "c"));
    Group d = e.group(key(1, "d"));
    Group f = e.group(key(0, "f"));
    assertThat(a.key).isEqualTo(key(0, "a"));
    assertThat(b.key).isEqualTo(key(1, "b"));
    assertThat(c.key.overflow).isTrue();
    assertThat(c.key).isEqualTo(GroupKey.overflow(0));
    assertThat(c.key.dimensions).isEmpty();
    assertThat(d.key).isEqualTo(GroupKey.overflow(1));
    assertThat(f).as("one overflow group per worker type").isSameAs(c);
    assertThat(e.group(key(0, "a"))).as("a key keeps its group").isSameAs(a);
    assertThat(e.groupCount()).isEqualTo(4);

    SpanBatch batch = new SpanBatch();
    batch.add(c, 0, 10, 1, SpanBatch.STATUS_OK, null);
    batch.add(f, 5, 10, 1, SpanBatch.STATUS_ERROR, null);
    batch.add(a, 0, 4, 1, SpanBatch.STATUS_OK, null);
    e.record(batch);
    assertThat(e.overflowSpans.sum()).isEqualTo(2);

    List<WindowPoint> points = e.advance(10);
    Map<Long, WindowPoint> overflow = byWindow(points, GroupKey.overflow(0));
    assertThat(overflow).containsOnlyKeys(0L);
    assertThat(overflow.get(0L).activeMax()).as("c and f are counted together").isEqualTo(2.0);
    assertThat(overflow.get(0L).active()).isEqualTo(1.5);
    assertThat(byWindow(points, key(0, "a")).get(0L).activeMax()).isEqualTo(1.0);

    // Once the regular groups expire, a new key gets a regular group again.
    e.advance(1000);
    assertThat(e.groupCount()).isZero();
    assertThat(e.group(key(0, "g")).key).isEqualTo(key(0, "g"));
  }

  @Test
  void overflowGroupForgottenWhileARequestHoldsItDoesNotUseUpARegularSlot() {
    ConcurrencyEngine e = engine(10, 0, 20, 1, false, Long.MIN_VALUE);
    record(e, key(0, "a"), 0, 5);
    Group overflow = e.group(key(0, "b"));
    assertThat(overflow.key.overflow).isTrue();
    record(e, key(0, "b"), 0, 5);
    // A request looked its group up, then both groups idled out before it recorded.
    SpanBatch held = new SpanBatch();
    held.add(overflow, 200, 205, 1, SpanBatch.STATUS_OK, null);
    e.advance(190);
    assertThat(e.groupCount()).isZero();
    e.record(held);
    assertThat(e.groupCount()).isEqualTo(1);
    // No regular group exists, so a new key must get one (max_groups = 1).
    assertThat(e.group(key(0, "c")).key).isEqualTo(key(0, "c"));
  }

  @Test
  void groupForgottenWhileARequestHoldsItPassesTheSpansToAFreshGroup() {
    ConcurrencyEngine e = engine(10, 0, 20, 10, false, Long.MIN_VALUE);
    record(e, A, 0, 5);
    Group old = e.group(A);
    SpanBatch held = new SpanBatch();
    held.add(old, 200, 205, 1, SpanBatch.STATUS_OK, null);
    e.advance(190);
    assertThat(old.removed()).isTrue();
    e.record(held);
    Group fresh = e.group(A);
    assertThat(fresh).isNotSameAs(old);
    Map<Long, WindowPoint> w = byWindow(e.flush(), A);
    assertThat(w).containsOnlyKeys(200L);
    assertThat(w.get(200L).spans()).containsExactly(0, 1, 0);
    assertThat(w.get(200L).startTime()).isEqualTo(200L);
  }

  @Test
  void samplingWeightsScaleEveryNumberAndThePeakIsTheSumOfWeights() {
    ConcurrencyEngine weighted = engine(10, 0, 1000, 10, false, Long.MIN_VALUE);
    ConcurrencyEngine plain = engine(10, 0, 1000, 10, false, Long.MIN_VALUE);
    long[][] spans = {{0, 10}, {2, 8}, {5, 15}, {9, 9}, {12, 30}};
    for (long[] s : spans) {
      record(weighted, A, s[0], s[1], 10, SpanBatch.STATUS_OK, null);
      record(plain, A, s[0], s[1], 1, SpanBatch.STATUS_OK, null);
    }
    Map<Long, WindowPoint> w = byWindow(weighted.advance(40), A);
    Map<Long, WindowPoint> p = byWindow(plain.advance(40), A);
    assertThat(w.keySet()).containsExactly(0L, 10L, 20L, 30L);
    assertThat(w.keySet()).isEqualTo(p.keySet());
    assertThat(w.get(0L).activeMax()).as("three spans of weight 10 at 5").isEqualTo(30.0);
    for (long t : w.keySet()) {
      WindowPoint a = w.get(t);
      WindowPoint b = p.get(t);
      assertThat(a.activeMax()).isEqualTo(10 * b.activeMax());
      assertThat(a.active()).isCloseTo(10 * b.active(), within(1e-12));
      assertThat(a.busySeconds()).isCloseTo(10 * b.busySeconds(), within(1e-18));
      assertThat(a.spans()[SpanBatch.STATUS_OK]).isEqualTo(10 * b.spans()[SpanBatch.STATUS_OK]);
      for (int i = 0; i < BOUNDS.length + 1; i++) {
        assertThat(a.bucketCounts()[i]).isEqualTo(10 * b.bucketCounts()[i]);
      }
      assertThat(a.durationSum()).isCloseTo(10 * b.durationSum(), within(1e-18));
    }
    assertThat(w.get(30L).spans()[SpanBatch.STATUS_OK]).isEqualTo(50.0);

    // Mixed weights: the peak is the sum of the weights in flight.
    ConcurrencyEngine mixed = engine(10, 0, 1000, 10, false, Long.MIN_VALUE);
    record(mixed, A, 0, 10, 10, SpanBatch.STATUS_OK, null);
    record(mixed, A, 3, 7, 1 / 0.25, SpanBatch.STATUS_OK, null);
    record(mixed, A, 4, 6, 1, SpanBatch.STATUS_OK, null);
    WindowPoint m = byWindow(mixed.advance(10), A).get(0L);
    assertThat(m.activeMax()).isEqualTo(15.0);
    assertThat(m.active()).isCloseTo((10 * 10 + 4 * 4 + 2) / 10.0, within(1e-12));
  }

  @Test
  void idleGroupReportsZerosUntilIdleExpirationThenIsForgottenAndStartsAfresh() {
    ConcurrencyEngine e = engine(10, 0, 30, 10, false, Long.MIN_VALUE);
    record(e, A, 0, 10);
    Group first = e.group(A);
    Map<Long, WindowPoint> w = byWindow(e.advance(100), A);
    // Window [10, 20) is active too: the span ends in it. Then zeros while idle < 30 ns.
    assertThat(w).containsOnlyKeys(0L, 10L, 20L, 30L);
    assertThat(w.get(10L).active()).isZero();
    assertThat(w.get(10L).spans()).containsExactly(1, 0, 0);
    assertThat(w.get(20L).active()).isZero();
    assertThat(w.get(20L).activeMax()).isZero();
    assertThat(w.get(30L).spans()).as("cumulative values carry on").containsExactly(1, 0, 0);
    assertThat(w.get(30L).busySeconds()).isEqualTo(10 / 1e9);
    assertThat(e.groupCount()).isZero();
    assertThat(first.removed()).isTrue();

    record(e, A, 105, 108);
    assertThat(e.group(A)).isNotSameAs(first);
    Map<Long, WindowPoint> again = byWindow(e.advance(200), A);
    assertThat(again).containsOnlyKeys(100L, 110L, 120L);
    WindowPoint p = again.get(100L);
    assertThat(p.startTime()).as("a new life, a new start").isEqualTo(100L);
    assertThat(p.spans()).as("cumulative values start from zero").containsExactly(1, 0, 0);
    assertThat(p.busySeconds()).isEqualTo(3 / 1e9);
    assertThat(p.activeMax()).isEqualTo(1.0);
  }

  @Test
  void oneHourSpanAtOneSecondResolutionHoldsTwoWindowsNotThreeThousandSixHundred() {
    long t0 = 1_700_000_000L * SECOND;
    long lateness = 15 * SECOND;
    ConcurrencyEngine e = engine(SECOND, lateness, 300 * SECOND, 10, false, Long.MIN_VALUE);
    record(e, A, t0, t0 + 3600 * SECOND);
    Group g = e.group(A);
    assertThat(g.openWindowCount()).as("a start event and an end event").isEqualTo(2);
    List<WindowPoint> points = new ArrayList<>();
    for (long m = 1; m <= 61; m++) {
      points.addAll(e.advance(t0 + m * 60 * SECOND + lateness));
      synchronized (g) {
        assertThat(g.openWindowCount()).as("after minute %d", m).isLessThanOrEqualTo(2);
      }
    }
    Map<Long, WindowPoint> w = byWindow(points, A);
    assertThat(w).hasSize(3660);
    for (long s = 0; s < 3600; s++) {
      WindowPoint p = w.get(t0 + s * SECOND);
      assertThat(p.active()).isEqualTo(1.0);
      assertThat(p.activeMax()).isEqualTo(1.0);
      assertThat(p.spanCount()).isZero();
      assertThat(p.busySeconds()).isCloseTo(s + 1, within(1e-9));
    }
    WindowPoint end = w.get(t0 + 3600 * SECOND);
    assertThat(end.activeMax()).isZero();
    assertThat(end.spanCount()).isEqualTo(1.0);
    assertThat(end.bucketCounts()[BOUNDS.length]).isEqualTo(1.0);
    assertThat(end.durationSum()).isEqualTo(3600.0);

    // Arriving when it ends (wall clock: all but the last 15 s closed): late, one window held.
    ConcurrencyEngine live = engine(SECOND, lateness, 300 * SECOND, 10, false, t0 + 3600 * SECOND - lateness);
    record(live, A, t0, t0 + 3600 * SECOND);
    assertThat(live.group(A).openWindowCount()).isEqualTo(1);
    assertThat(live.lateSpans.sum()).isEqualTo(1);
    WindowPoint firstLive = byWindow(live.advance(t0 + 3600 * SECOND - lateness + SECOND + lateness), A)
        .get(t0 + 3600 * SECOND - lateness);
    assertThat(firstLive.active()).isEqualTo(1.0);
    assertThat(firstLive.busySeconds()).as("the late part at once, then the open window").isCloseTo(3586, within(1e-6));
    assertThat(firstLive.lateSpans()).isEqualTo(1.0);
  }

  @Test
  void instancesCountsDistinctInstancesBusyInEachWindow() {
    ConcurrencyEngine e = engine(10, 0, 1000, 10, true, Long.MIN_VALUE);
    record(e, A, 0, 5, 1, 0, "t1");
    record(e, A, 5, 10, 1, 0, "t1");
    record(e, A, 10, 12, 1, 0, "t1");
    record(e, A, 3, 25, 1, 0, "t2");
    record(e, A, 15, 15, 1, 0, "t3"); // zero length: busy at its instant
    record(e, A, 20, 20, 1, 0, "t4");
    record(e, A, 0, 30, 1, 0, null); // no instance attribute: counts as a span, not an instance
    Map<Long, WindowPoint> w = byWindow(e.advance(50), A);
    assertThat(w.get(0L).instances()).as("t1 twice, t2").isEqualTo(2);
    assertThat(w.get(10L).instances()).as("t1, t2, t3").isEqualTo(3);
    assertThat(w.get(20L).instances()).as("t2, t4").isEqualTo(2);
    assertThat(w.get(30L).instances()).as("a span ending at 30 is not busy in [30, 40)").isZero();
    assertThat(w.get(40L).instances()).isZero();
    assertThat(w.get(0L).activeMax()).isEqualTo(3.0);

    ConcurrencyEngine untracked = engine(10, 0, 1000, 10, false, Long.MIN_VALUE);
    record(untracked, A, 0, 5, 1, 0, "t1");
    assertThat(byWindow(untracked.advance(10), A).get(0L).instances()).isEqualTo(-1);
  }

  @Test
  void halfOpenSpansTouchingAtAnInstantNeverOverlap() {
    ConcurrencyEngine e = engine(10, 0, 1000, 10, false, Long.MIN_VALUE);
    List<SweepOracle.Span> spans = List.of(
        SweepOracle.Span.of(0, 10), SweepOracle.Span.of(10, 20), // end == next start, on a window edge
        SweepOracle.Span.of(23, 25), SweepOracle.Span.of(25, 27), // and inside a window
        SweepOracle.Span.of(30, 30), // zero length on a window edge
        SweepOracle.Span.of(33, 33), SweepOracle.Span.of(33, 36), SweepOracle.Span.of(31, 33));
    for (SweepOracle.Span s : spans) {
      record(e, A, s.start(), s.end());
    }
    Map<Long, WindowPoint> w = byWindow(e.advance(50), A);
    assertThat(w.get(0L).activeMax()).isEqualTo(1.0);
    assertThat(w.get(0L).active()).isEqualTo(1.0);
    assertThat(w.get(0L).spanCount()).as("a span ending at 10 ends in [10, 20)").isZero();
    assertThat(w.get(10L).activeMax()).isEqualTo(1.0);
    assertThat(w.get(10L).active()).isEqualTo(1.0);
    assertThat(w.get(10L).spanCount()).isEqualTo(1.0);
    assertThat(w.get(20L).activeMax()).isEqualTo(1.0);
    assertThat(w.get(20L).active()).isEqualTo(0.4);
    assertThat(w.get(30L).activeMax()).as("zero-length spans are never in flight").isEqualTo(1.0);
    assertThat(w.get(30L).active()).isEqualTo(0.5);
    assertThat(w.get(40L).spanCount()).isEqualTo(8.0);
    assertThat(w.get(40L).bucketCounts()[0]).as("durations 0, 0, 2, 2, 2, 3 fall in le=5").isEqualTo(6.0);
    for (WindowPoint p : w.values()) {
      assertMatchesOracle(p, spans, 10);
    }
  }

  @Test
  void spansBeforeTheEpochSweepLikeAnyOther() {
    ConcurrencyEngine e = engine(10, 0, 1000, 10, false, Long.MIN_VALUE);
    List<SweepOracle.Span> spans = List.of(SweepOracle.Span.of(-8, 5), SweepOracle.Span.of(-8, -3), SweepOracle.Span.of(-3, -3));
    for (SweepOracle.Span s : spans) {
      record(e, A, s.start(), s.end());
    }
    Map<Long, WindowPoint> w = byWindow(e.advance(20), A);
    assertThat(w).containsOnlyKeys(-10L, 0L, 10L);
    assertThat(w.get(-10L).active()).isEqualTo(1.3);
    assertThat(w.get(-10L).activeMax()).isEqualTo(2.0);
    for (WindowPoint p : w.values()) {
      assertMatchesOracle(p, spans, 10);
    }
  }

  @Test
  void eventTimeFirstCloseBeginsAtTheEarliestWindowWithData() {
    long t = 1_577_836_800L * SECOND; // replaying spans from 2020
    ConcurrencyEngine e = engine(SECOND, 2 * SECOND, 60 * SECOND, 10, false, Long.MIN_VALUE);
    assertThat(e.closedUntil()).isEqualTo(Long.MIN_VALUE);
    record(e, A, t + 5 * SECOND, t + 7 * SECOND + 1);
    Map<Long, WindowPoint> w = byWindow(e.advance(t + 12 * SECOND), A);
    assertThat(w.keySet()).containsExactly(
        t + 5 * SECOND, t + 6 * SECOND, t + 7 * SECOND, t + 8 * SECOND, t + 9 * SECOND);
    assertThat(w.values()).allSatisfy(p -> assertThat(p.startTime()).isEqualTo(t + 5 * SECOND));
    assertThat(w.get(t + 7 * SECOND).active()).isCloseTo(1e-9, within(1e-15));
    assertThat(w.get(t + 7 * SECOND).spanCount()).isEqualTo(1.0);
    assertThat(e.closedUntil()).isEqualTo(t + 10 * SECOND);

    // Wall clock: windows before the boundary are closed from the start, so the span is late there.
    ConcurrencyEngine wall = engine(SECOND, 2 * SECOND, 60 * SECOND, 10, false, t + 6 * SECOND);
    record(wall, A, t + 5 * SECOND, t + 7 * SECOND + 1);
    assertThat(wall.lateSpans.sum()).isEqualTo(1);
    Map<Long, WindowPoint> l = byWindow(wall.advance(t + 12 * SECOND), A);
    assertThat(l.keySet()).first().isEqualTo(t + 6 * SECOND);
    assertThat(l.get(t + 6 * SECOND).busySeconds()).isCloseTo(2.0, within(1e-9));
    assertThat(l.get(t + 6 * SECOND).lateSpans()).isEqualTo(1.0);
  }
}
