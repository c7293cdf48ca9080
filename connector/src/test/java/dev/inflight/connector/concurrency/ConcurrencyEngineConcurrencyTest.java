package dev.inflight.connector.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Several threads record disjoint slices of one random span stream, each with its own {@link
 * SpanBatch} and in arrival order, while two other threads keep calling {@link
 * ConcurrencyEngine#advance} with the watermark the recorders allow (the lowest arrival time any of
 * them has yet to record; recorders wait when they get a few windows ahead of the closers, as time
 * would pass in a live system). Then every point must equal the oracle: gauges, cumulative sums and
 * distinct instances, one point per window, none missing, none twice.
 *
 * <p>The stream is built so the result does not depend on the interleaving: every span starts less
 * than {@code allowed_lateness - resolution} before it arrives (duration + lag), so no watermark a
 * recorder allows can close a window it still needs, and no span is ever late. Groups never expire
 * (idle expiration far beyond the stream). With {@code max_groups} below the number of keys, which
 * keys overflow depends on the race, but once made a key's group stays; the oracle for each group
 * is taken over the spans of the keys that landed in it.
 */
class ConcurrencyEngineConcurrencyTest {
  private static final long RES = 1_000;
  private static final long LATENESS = 20_000;
  private static final long MAX_DURATION = 6_000;
  private static final long MAX_LAG = LATENESS - MAX_DURATION - RES;
  private static final long[] BOUNDS = {100, 1_000, 5_000};
  private static final int RECORDERS = 4;
  private static final int KEYS = 30;
  private static final int TYPES = 3;

  private record S(int key, long start, long end, String instance, long arrival) {}

  @ParameterizedTest(name = "seed {0}, max_groups {1}")
  @CsvSource({"1, 1000", "2, 1000", "3, 1000", "4, 10", "5, 10", "6, 10"})
  void concurrentRecordersAndClosersGiveTheOracleNumbers(long seed, int maxGroups) throws Exception {
    Random rnd = new Random(seed);
    int n = 30_000;
    List<S> spans = new ArrayList<>(n);
    long t0 = 1_700_000_000_000_000_000L;
    for (int i = 0; i < n; i++) {
      long end = t0 + rnd.nextInt(400) * RES + (rnd.nextInt(4) == 0 ? 0 : rnd.nextInt((int) RES));
      long duration = rnd.nextInt(5) == 0 ? 0 : 1 + rnd.nextInt((int) MAX_DURATION);
      long lag = rnd.nextInt(4) == 0 ? MAX_LAG : rnd.nextInt((int) MAX_LAG + 1);
      int key = rnd.nextInt(3) == 0 ? rnd.nextInt(KEYS) : rnd.nextInt(5); // a few busy keys
      spans.add(new S(key, end - duration, end, "worker-" + rnd.nextInt(6), end + lag));
    }
    spans.sort(Comparator.comparingLong(S::arrival));
    GroupKey[] keys = ConcurrencyEngineProperties.keys(KEYS, TYPES);
    ConcurrencyEngine engine =
        new ConcurrencyEngine(RES, LATENESS, Long.MAX_VALUE / 4, maxGroups, BOUNDS, TYPES, true, Long.MIN_VALUE);

    ConcurrentLinkedQueue<WindowPoint> provisional = new ConcurrentLinkedQueue<>();
    List<WindowPoint> points = runConcurrently(engine, spans, keys, seed, 6, provisional);
    points.addAll(engine.flush());

    assertThat(engine.lateSpans.sum()).as("no span can be late by construction").isZero();

    // Which group each key's spans went to (the race decides overflow; afterwards it is fixed).
    Map<GroupKey, List<SweepOracle.Span>> byGroup = new HashMap<>();
    Map<GroupKey, List<S>> rawByGroup = new HashMap<>();
    int regular = 0;
    for (int k = 0; k < KEYS; k++) {
      Group g = engine.group(keys[k]);
      if (g.key.equals(keys[k])) {
        regular++;
      } else {
        assertThat(g.key).isEqualTo(GroupKey.overflow(keys[k].workerType));
      }
    }
    assertThat(regular).isLessThanOrEqualTo(maxGroups);
    long overflowSpans = 0;
    for (S s : spans) {
      GroupKey gk = engine.group(keys[s.key()]).key;
      byGroup.computeIfAbsent(gk, k -> new ArrayList<>())
          .add(new SweepOracle.Span(s.start(), s.end(), 1, SweepOracle.OK));
      rawByGroup.computeIfAbsent(gk, k -> new ArrayList<>()).add(s);
      if (gk.overflow) {
        overflowSpans++;
      }
    }
    assertThat(engine.overflowSpans.sum()).isEqualTo(overflowSpans);
    if (maxGroups < KEYS) {
      assertThat(overflowSpans).as("the stream overflows").isPositive();
    }

    Map<GroupKey, List<WindowPoint>> got = new HashMap<>();
    for (WindowPoint p : points) {
      got.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
    }
    assertThat(got.keySet()).isEqualTo(byGroup.keySet());
    int checked = 0;
    for (Map.Entry<GroupKey, List<WindowPoint>> e : got.entrySet()) {
      List<WindowPoint> ps = e.getValue();
      ps.sort(Comparator.comparingLong(WindowPoint::windowStart));
      List<SweepOracle.Span> mine = byGroup.get(e.getKey());
      long firstData = Long.MAX_VALUE;
      long lastData = Long.MIN_VALUE;
      for (SweepOracle.Span s : mine) {
        firstData = Math.min(firstData, Math.floorDiv(s.start(), RES));
        lastData = Math.max(lastData, Math.floorDiv(s.end(), RES));
      }
      long first = ps.get(0).windowStart() / RES;
      assertThat(first).as("%s starts at its first span", e.getKey()).isEqualTo(firstData);
      assertThat(ps.get(ps.size() - 1).windowStart() / RES).as("%s ends with its last span", e.getKey()).isEqualTo(lastData);
      List<SweepOracle.Window> oracle = SweepOracle.windows(mine, RES, first, lastData + 1, BOUNDS);
      assertThat(ps).as("%s: one point per window, none twice, none missing", e.getKey()).hasSize(oracle.size());
      for (int i = 0; i < ps.size(); i++) {
        WindowPoint p = ps.get(i);
        SweepOracle.Window o = oracle.get(i);
        String what = e.getKey() + " " + o;
        assertThat(p.windowStart()).as(what).isEqualTo(o.start());
        assertThat(p.startTime()).as(what).isEqualTo(first * RES);
        assertThat(p.activeMax()).as("max " + what).isEqualTo(o.activeMax());
        EngineChecker.assertClose(p.active(), o.active(), "active " + what);
        EngineChecker.assertClose(p.busySeconds(), o.busySeconds(), "busy " + what);
        assertThat(p.spans()).as("spans " + what).containsExactly(o.spans());
        assertThat(p.bucketCounts()).as("buckets " + what).containsExactly(o.bucketCounts());
        EngineChecker.assertClose(p.durationSum(), o.durationSum(), "durationSum " + what);
        assertThat(p.lateSpans()).isZero();
        assertThat(p.instances()).as("instances " + what).isEqualTo(busyInstances(rawByGroup.get(e.getKey()), o.start()));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(KEYS);

    // What the reader saw while recorders and closers ran: never more than the window's final
    // numbers, in a window that was open then (a window is read once closed only in a race the
    // reader loses, which must still give at most the final values).
    Map<String, WindowPoint> finals = new HashMap<>();
    for (WindowPoint p : points) {
      finals.put(p.key() + "@" + p.windowStart(), p);
    }
    assertThat(provisional).as("open windows read while the stream ran").isNotEmpty();
    int lower = 0;
    for (WindowPoint o : provisional) {
      WindowPoint f = finals.get(o.key() + "@" + o.windowStart());
      assertThat(f).as("a final window for provisional %s", o).isNotNull();
      String what = "provisional " + o + " vs final " + f;
      assertThat(o.activeMax()).as(what).isLessThanOrEqualTo(f.activeMax());
      assertThat(o.active()).as(what).isLessThanOrEqualTo(f.active() + 1e-9);
      assertThat(o.spanCount()).as(what).isLessThanOrEqualTo(f.spanCount());
      assertThat(o.busySeconds()).as(what).isLessThanOrEqualTo(f.busySeconds() * (1 + 1e-12) + 1e-15);
      // Before a group's first close, spans can still reach windows before its first one so far.
      assertThat(o.startTime()).as(what).isGreaterThanOrEqualTo(f.startTime());
      if (o.spanCount() < f.spanCount()) {
        lower++;
      }
    }
    assertThat(lower).as("provisional windows read before all their spans arrived").isPositive();
  }

  /**
   * Keys work in bursts (phases of 20 windows, each key busy in about a third of them) and groups
   * idle out after 3 windows, so groups are forgotten and made again while recorders hold them.
   * Lives of one key never share a window (a life ends with nothing pending, and a new one begins
   * at the closed boundary, which no span reaches by construction), so: every window a key reports
   * has the oracle's gauges over all that key's spans; each life's cumulative values are the
   * oracle's over the spans that started in its windows; no window is reported twice; every span
   * is counted once; and at the end every group is gone.
   */
  @ParameterizedTest(name = "seed {0}")
  @CsvSource({"11", "12", "13"})
  void groupsExpiringAndComingBackUnderConcurrentRecordingLoseNothing(long seed) throws Exception {
    Random rnd = new Random(seed);
    int n = 20_000;
    long idle = 3 * RES;
    long t0 = 1_700_000_000_000_000_000L;
    List<S> spans = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int phase = rnd.nextInt(30);
      int key;
      do {
        key = rnd.nextInt(KEYS);
      } while (Math.floorMod(key * 7 + phase * 13, 3) != 0);
      long end = t0 + (phase * 20L + rnd.nextInt(12)) * RES + rnd.nextInt((int) RES);
      long duration = rnd.nextInt(5) == 0 ? 0 : 1 + rnd.nextInt((int) MAX_DURATION);
      long lag = rnd.nextInt((int) MAX_LAG + 1);
      spans.add(new S(key, end - duration, end, "worker-" + rnd.nextInt(6), end + lag));
    }
    spans.sort(Comparator.comparingLong(S::arrival));
    GroupKey[] keys = ConcurrencyEngineProperties.keys(KEYS, TYPES);
    ConcurrencyEngine engine = new ConcurrencyEngine(RES, LATENESS, idle, 1000, BOUNDS, TYPES, true, Long.MIN_VALUE);
    List<WindowPoint> points = runConcurrently(engine, spans, keys, seed, 2);
    long lastEnd = spans.stream().mapToLong(S::end).max().orElseThrow();
    points.addAll(engine.advance(lastEnd + LATENESS + idle + 3 * RES));
    assertThat(engine.groupCount()).as("all groups idled out").isZero();
    assertThat(engine.lateSpans.sum()).isZero();

    Map<GroupKey, List<S>> byKey = new HashMap<>();
    for (S sp : spans) {
      byKey.computeIfAbsent(keys[sp.key()], k -> new ArrayList<>()).add(sp);
    }
    int lives = 0;
    double spansCounted = 0;
    for (Map.Entry<GroupKey, List<S>> e : byKey.entrySet()) {
      GroupKey key = e.getKey();
      List<SweepOracle.Span> all = new ArrayList<>();
      for (S sp : e.getValue()) {
        all.add(new SweepOracle.Span(sp.start(), sp.end(), 1, SweepOracle.OK));
      }
      List<WindowPoint> mine = new ArrayList<>();
      for (WindowPoint p : points) {
        if (p.key().equals(key)) {
          mine.add(p);
        }
      }
      mine.sort(Comparator.comparingLong(WindowPoint::windowStart));
      // Lives by start time; each span belongs to the last life starting at or before its start.
      java.util.TreeMap<Long, List<S>> lifeSpans = new java.util.TreeMap<>();
      for (WindowPoint p : mine) {
        lifeSpans.putIfAbsent(p.startTime(), new ArrayList<>());
      }
      for (S sp : e.getValue()) {
        Map.Entry<Long, List<S>> life = lifeSpans.floorEntry(sp.start());
        assertThat(life).as("%s: a span before the first life", key).isNotNull();
        life.getValue().add(sp);
      }
      lives += lifeSpans.size();
      long fromIdx = mine.get(0).windowStart() / RES;
      long toIdx = mine.get(mine.size() - 1).windowStart() / RES + 1;
      List<SweepOracle.Window> gaugeOracle = SweepOracle.windows(all, RES, fromIdx, toIdx, BOUNDS);
      Map<Long, List<SweepOracle.Window>> lifeOracle = new HashMap<>();
      for (Map.Entry<Long, List<S>> life : lifeSpans.entrySet()) {
        List<SweepOracle.Span> os = new ArrayList<>();
        for (S sp : life.getValue()) {
          os.add(new SweepOracle.Span(sp.start(), sp.end(), 1, SweepOracle.OK));
        }
        lifeOracle.put(life.getKey(), SweepOracle.windows(os, RES, fromIdx, toIdx, BOUNDS));
      }
      Map<Long, WindowPoint> lastOfLife = new HashMap<>();
      long prev = Long.MIN_VALUE;
      for (WindowPoint p : mine) {
        assertThat(p.windowStart()).as("%s reported a window twice", key).isGreaterThan(prev);
        prev = p.windowStart();
        long idx = p.windowStart() / RES;
        SweepOracle.Window gauges = gaugeOracle.get((int) (idx - fromIdx));
        String what = key + " " + gauges;
        assertThat(gauges.start()).isEqualTo(p.windowStart());
        assertThat(p.activeMax()).as("max " + what).isEqualTo(gauges.activeMax());
        EngineChecker.assertClose(p.active(), gauges.active(), "active " + what);
        SweepOracle.Window cumulative = lifeOracle.get(p.startTime()).get((int) (idx - fromIdx));
        EngineChecker.assertClose(p.busySeconds(), cumulative.busySeconds(), "busy " + what);
        assertThat(p.spans()).as("spans " + what).containsExactly(cumulative.spans());
        assertThat(p.bucketCounts()).as("buckets " + what).containsExactly(cumulative.bucketCounts());
        assertThat(p.instances()).as("instances " + what).isEqualTo(busyInstances(e.getValue(), p.windowStart()));
        lastOfLife.put(p.startTime(), p);
      }
      for (WindowPoint last : lastOfLife.values()) {
        spansCounted += last.spanCount();
      }
    }
    assertThat(spansCounted).as("every span counted once, in some life").isEqualTo(n);
    assertThat(lives).as("groups came back after expiring").isGreaterThan(2 * byKey.size());
  }

  private static int busyInstances(List<S> spans, long t) {
    Set<String> busy = new HashSet<>();
    for (S s : spans) {
      boolean meets = s.end() == s.start()
          ? Math.floorDiv(s.start(), RES) * RES == t
          : Math.min(s.end(), t + RES) > Math.max(s.start(), t);
      if (meets) {
        busy.add(s.instance());
      }
    }
    return busy.size();
  }

  /**
   * Records {@code spans} (sorted by arrival) from {@link #RECORDERS} threads, each taking every
   * RECORDERS-th span, while two closers advance to the watermark the recorders allow. A recorder
   * waits while the closed boundary is more than {@code aheadWindows} behind its next span's arrival
   * minus the lateness, as time would pass in a live system (the recorder holding the watermark back
   * never waits, so this cannot deadlock). Returns every point emitted while they ran.
   */
  private static List<WindowPoint> runConcurrently(ConcurrencyEngine engine, List<S> spans, GroupKey[] keys, long seed,
      int aheadWindows) throws InterruptedException {
    return runConcurrently(engine, spans, keys, seed, aheadWindows, new ConcurrentLinkedQueue<>());
  }

  /**
   * Also reads the open windows all along, from a thread of its own, as the query extension does,
   * into {@code provisional}.
   */
  private static List<WindowPoint> runConcurrently(ConcurrencyEngine engine, List<S> spans, GroupKey[] keys, long seed,
      int aheadWindows, java.util.Collection<WindowPoint> provisional) throws InterruptedException {
    int n = spans.size();
    List<List<S>> slices = new ArrayList<>();
    for (int t = 0; t < RECORDERS; t++) {
      slices.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      slices.get(i % RECORDERS).add(spans.get(i));
    }
    // progress[t]: the arrival time of the first span recorder t has not recorded yet.
    AtomicLongArray progress = new AtomicLongArray(RECORDERS);
    for (int t = 0; t < RECORDERS; t++) {
      progress.set(t, slices.get(t).get(0).arrival());
    }
    ConcurrentLinkedQueue<WindowPoint> points = new ConcurrentLinkedQueue<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> recorders = new ArrayList<>();
    for (int t = 0; t < RECORDERS; t++) {
      int id = t;
      List<S> mine = slices.get(t);
      Random r = new Random(seed * 31 + t);
      recorders.add(new Thread(() -> {
        try {
          go.await();
          SpanBatch batch = new SpanBatch();
          int i = 0;
          while (i < mine.size()) {
            // Time passes: do not run more than a few windows ahead of the closers.
            long due = mine.get(i).arrival() - LATENESS - aheadWindows * RES;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (engine.closedUntil() == Long.MIN_VALUE ? i > 0 : engine.closedUntil() < due) {
              if (System.nanoTime() > deadline) {
                throw new AssertionError("closers stopped following the recorders");
              }
              Thread.yield();
            }
            int size = Math.min(1 + r.nextInt(64), mine.size() - i);
            for (int k = i; k < i + size; k++) {
              S s = mine.get(k);
              batch.add(engine.group(keys[s.key()]), s.start(), s.end(), 1, SpanBatch.STATUS_OK, s.instance());
            }
            engine.record(batch);
            batch.clear();
            i += size;
            progress.set(id, i < mine.size() ? mine.get(i).arrival() : Long.MAX_VALUE);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          progress.set(id, Long.MAX_VALUE);
        }
      }, "recorder-" + t));
    }
    List<Thread> closers = new ArrayList<>();
    for (int c = 0; c < 2; c++) {
      closers.add(new Thread(() -> {
        try {
          go.await();
          while (true) {
            long wm = Long.MAX_VALUE;
            for (int t = 0; t < RECORDERS; t++) {
              wm = Math.min(wm, progress.get(t));
            }
            if (wm == Long.MAX_VALUE) {
              return;
            }
            points.addAll(engine.advance(wm));
            Thread.yield();
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }, "closer-" + c));
    }
    java.util.concurrent.atomic.AtomicBoolean recording = new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread reader = new Thread(() -> {
      try {
        go.await();
        while (recording.get()) {
          provisional.addAll(engine.openWindows(Long.MAX_VALUE));
        }
      } catch (Throwable e) {
        failure.compareAndSet(null, e);
      }
    }, "open-window-reader");
    recorders.forEach(Thread::start);
    closers.forEach(Thread::start);
    reader.start();
    go.countDown();
    for (Thread th : recorders) {
      th.join(TimeUnit.SECONDS.toMillis(60));
    }
    for (Thread th : closers) {
      th.join(TimeUnit.SECONDS.toMillis(60));
    }
    recording.set(false);
    reader.join(TimeUnit.SECONDS.toMillis(60));
    assertThat(failure.get()).isNull();
    assertThat(reader.isAlive()).isFalse();
    assertThat(recorders).noneMatch(Thread::isAlive);
    assertThat(closers).noneMatch(Thread::isAlive);

    assertThat(points).as("windows closed while recorders ran").isNotEmpty();
    return new ArrayList<>(points);
  }
}
