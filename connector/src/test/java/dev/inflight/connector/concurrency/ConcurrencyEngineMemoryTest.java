package dev.inflight.connector.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Memory is bounded by groups × open windows, not by the number of spans fed.
 *
 * <p>5 million spans across 200 groups (4 worker types) arrive at a fixed rate of 10,000 per second
 * of span time, each 0 to 10 s after it ended (skewed towards short lags), lasting mostly tens of
 * milliseconds and up to 5 s, with one in 100,000 lasting an hour (late: it started long before the
 * closed boundary). Resolution 1 s, allowed lateness 15 s, instances tracked (8 threads per group),
 * 15 histogram bounds. Spans are recorded in arrival order, 512 per request, and the watermark is
 * the arrival time. That is 500 s of span time; the engine holds the windows of the last ~16 s.
 *
 * <p>Retained size is measured deterministically with {@link RetainedSize} (a walk of the engine's
 * object graph, sized as HotSpot lays objects out) after 1, 2.5 and 5 million spans. The bound is
 * <b>{@value #BOUND_BYTES} bytes (16 MiB)</b>, from the engine's design: each group holds at most
 * lateness / resolution + 2 = 17 windows with data; a window costs ≈ 300 bytes of fixed parts
 * (object, status counts, a 16-bucket histogram) plus 8 bytes per sweep event (2 per span ending or
 * starting in it: 50 spans/s/group → ≈ 100 events), at most doubled by array growth → ≈ 1.9 KB; so
 * 200 × 17 × 1.9 KB ≈ 6.5 MB, plus per group ≈ 4 KB (ring, instance ranges, key) ≈ 0.8 MB: ≈ 7.3
 * MB, and the bound leaves 2× headroom. Keeping anything per span would cost ≥ 16 bytes × 5 M = 80
 * MB. Note the bound scales with the span rate × lateness (the events of spans in open windows are
 * kept to give exact peaks), not with the total fed: the test also requires the size after 5 M spans
 * to be within 25% of the size after 1 M.
 *
 * <p>Cross-check with the collector: heap used after {@code System.gc()} with the engine reachable
 * minus the same without it must be under {@value #GC_BOUND_BYTES} bytes (32 MiB: the GC figure
 * includes allocation slack the walk does not see, and must stay far below the 80 MB of per-span
 * retention). The final flush must account for every span fed.
 */
class ConcurrencyEngineMemoryTest {
  static final long BOUND_BYTES = 16L << 20;
  static final long GC_BOUND_BYTES = 32L << 20;
  private static final long SECOND = 1_000_000_000L;
  private static final int GROUPS = 200;
  private static final int SPANS = 5_000_000;
  private static final long[] BOUNDS = {
      5_000_000L, 10_000_000L, 25_000_000L, 50_000_000L, 100_000_000L, 250_000_000L, 500_000_000L,
      750_000_000L, SECOND, 2_500_000_000L, 5 * SECOND, 7_500_000_000L, 10 * SECOND, 30 * SECOND, 60 * SECOND};

  @Test
  void fiveMillionSpansAcross200GroupsStayWithinAFixedBound() {
    long res = SECOND;
    long lateness = 15 * SECOND;
    AtomicReference<ConcurrencyEngine> holder = new AtomicReference<>(
        new ConcurrencyEngine(res, lateness, 300 * SECOND, 1000, BOUNDS, 4, true, Long.MIN_VALUE));
    GroupKey[] keys = ConcurrencyEngineProperties.keys(GROUPS, 4);
    String[] threads = new String[8];
    for (int i = 0; i < threads.length; i++) {
      threads[i] = "pool-1-thread-" + i;
    }
    Random rnd = new Random(42);
    long t0 = 1_700_000_000L * SECOND;
    long dt = SECOND / 10_000;
    SpanBatch batch = new SpanBatch();
    List<Long> sizes = new ArrayList<>();
    long points = 0;
    ConcurrencyEngine engine = holder.get();
    for (int k = 0; k < SPANS; k++) {
      long arrival = t0 + k * dt;
      if (batch.size == 512) {
        engine.record(batch);
        batch.clear();
        points += engine.advance(arrival).size();
      }
      double u = rnd.nextDouble();
      long lag = (long) (10 * SECOND * u * u * u);
      long end = arrival - lag;
      long duration = rnd.nextInt(100_000) == 0
          ? 3600 * SECOND
          : Math.min(5 * SECOND, (long) (-Math.log(1 - rnd.nextDouble()) * 50_000_000L));
      int g = rnd.nextInt(GROUPS);
      batch.add(engine.group(keys[g]), end - duration, end, 1, rnd.nextInt(3), threads[rnd.nextInt(threads.length)]);
      if (k + 1 == 1_000_000 || k + 1 == 2_500_000 || k + 1 == SPANS) {
        engine.record(batch);
        batch.clear();
        RetainedSize r = RetainedSize.of(engine);
        sizes.add(r.bytes());
        System.out.printf("after %,d spans: engine retains %,d bytes in %,d objects (walk)%n", k + 1, r.bytes(), r.objects());
      }
    }
    assertThat(engine.groupCount()).isEqualTo(GROUPS);
    assertThat(points).as("windows closed along the way").isGreaterThan(GROUPS * 400L);
    for (long s : sizes) {
      assertThat(s).as("retained bytes (walk)").isLessThan(BOUND_BYTES);
    }
    assertThat(sizes.get(2)).as("size after 5 M spans vs after 1 M").isLessThan(sizes.get(0) * 5 / 4);

    long with = usedAfterGc();

    // Nothing was lost on the way: the last point of every group counts every span it was given.
    java.util.Map<GroupKey, WindowPoint> last = new java.util.HashMap<>();
    for (WindowPoint p : engine.flush()) {
      last.put(p.key(), p);
    }
    double counted = 0;
    for (WindowPoint p : last.values()) {
      counted += p.spanCount();
    }
    assertThat(last).hasSize(GROUPS);
    assertThat(counted).isEqualTo(SPANS);
    long late = engine.lateSpans.sum();

    engine = null;
    holder.set(null);
    last = null;
    long without = usedAfterGc();
    System.out.printf("heap used after GC: %,d with the engine, %,d without: %,d bytes%n", with, without, with - without);
    assertThat(with - without).as("retained bytes (GC)").isLessThan(GC_BOUND_BYTES);
    assertThat(late).as("the hour-long spans").isBetween(20L, 100L);
  }

  private static long usedAfterGc() {
    MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
