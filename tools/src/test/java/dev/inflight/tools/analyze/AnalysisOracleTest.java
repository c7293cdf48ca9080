package dev.inflight.tools.analyze;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.inflight.connector.concurrency.SweepOracle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every number of the analysis against brute force on random span sets: the peak against {@link
 * SweepOracle}, busy union and idle gaps from the oracle's level at every elementary interval,
 * per-instance numbers from the same on each instance's spans, percentiles against a sort.
 */
class AnalysisOracleTest {
  private static final long BASE = 1_700_000_000_000_000_000L;

  record TestSpan(long start, long end, int instance, boolean error) {}

  @Test
  void matchesBruteForceOnRandomSpanSets() {
    for (int seed = 0; seed < 400; seed++) {
      Random random = new Random(seed);
      int n = random.nextInt(seed < 20 ? 4 : 120);
      int instances = 1 + random.nextInt(4);
      long spread = 1 + random.nextInt(random.nextBoolean() ? 50 : 5_000); // small: many ties
      List<TestSpan> spans = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long start = BASE + random.nextInt((int) spread);
        long length = random.nextInt(5) == 0 ? 0 : random.nextInt((int) spread);
        int instance = random.nextInt(10) == 0 ? -1 : random.nextInt(instances);
        spans.add(new TestSpan(start, start + length, instance, random.nextInt(7) == 0));
      }
      // Spans of no worker type widen the range on either side.
      long otherStart = BASE - random.nextInt(100);
      long otherEnd = BASE + spread + random.nextInt(100);
      long minIdle = random.nextBoolean() ? 0 : random.nextInt((int) spread);
      int top = random.nextInt(4);

      RecordedSpans store = new RecordedSpans(true, top);
      store.unmatched(otherStart, otherEnd);
      for (TestSpan s : spans) {
        long d = store.add(0, s.start(), s.end(), s.error(), s.instance());
        if (d >= 0) {
          store.offerLongest(0, new LongSpan("t", "s", "w", s.start(), d));
        }
      }
      WorkerTypeSet types = WorkerTypeSet.of(List.of(new dev.inflight.connector.concurrency
          .ConcurrencyConnectorConfig.WorkerType("w", List.of("w"), 4.0, null)));
      RecordingAnalysis a = RecordingAnalysis.of(new ReadSummary(List.of(), 0, 0, 0, 0, 0), "test", store, types,
          "thread.name", id -> "i" + id, new RecordingAnalysis.Options(minIdle, 30, top));
      String context = "seed " + seed;
      long rangeStart = Math.min(otherStart, spans.stream().mapToLong(TestSpan::start).min().orElse(otherStart));
      long rangeEnd = Math.max(otherEnd, spans.stream().mapToLong(TestSpan::end).max().orElse(otherEnd));
      assertThat(a.rangeStart()).as(context).isEqualTo(rangeStart);
      assertThat(a.rangeEnd()).as(context).isEqualTo(rangeEnd);
      assertThat(a.spans()).isEqualTo(n + 1);
      assertThat(a.unmatched()).isEqualTo(1);
      WorkerTypeStats t = a.workerTypes().get(0);
      List<SweepOracle.Span> oracle = spans.stream().map(s -> SweepOracle.Span.of(s.start(), s.end())).toList();

      assertThat(t.spans()).as(context).isEqualTo(n);
      assertThat(t.errors()).as(context).isEqualTo(spans.stream().filter(TestSpan::error).count());
      assertThat((double) t.peak()).as(context).isEqualTo(SweepOracle.peak(oracle));
      long busy = spans.stream().mapToLong(s -> s.end() - s.start()).sum();
      assertThat(t.busyNanos()).as(context).isEqualTo(busy);
      assertThat(t.meanConcurrency()).as(context).isCloseTo((double) busy / (rangeEnd - rangeStart), within(1e-12));
      assertThat(t.utilizationMean()).isCloseTo(t.meanConcurrency() / 4, within(1e-12));
      assertThat(t.utilizationPeak()).isCloseTo(t.peak() / 4.0, within(1e-12));

      // Union and gaps, brute force: the oracle's level on every elementary interval of the range.
      List<long[]> gaps = zeroRuns(oracle, rangeStart, rangeEnd);
      long union = (rangeEnd - rangeStart) - gaps.stream().mapToLong(g -> g[1] - g[0]).sum();
      assertThat(t.unionNanos()).as(context).isEqualTo(union);
      List<long[]> counted = gaps.stream().filter(g -> g[1] - g[0] > minIdle).toList();
      assertThat(t.idleGapCount()).as(context).isEqualTo(counted.size());
      assertThat(t.idleGapNanos()).as(context).isEqualTo(counted.stream().mapToLong(g -> g[1] - g[0]).sum());
      if (minIdle == 0) {
        assertThat(t.idleGapNanos()).as(context + ": total idle = range - union").isEqualTo(rangeEnd - rangeStart - union);
      }
      List<Long> gapLengths = counted.stream().map(g -> g[1] - g[0]).sorted(Comparator.reverseOrder()).toList();
      assertThat(t.longestIdleGaps().stream().map(IdleGap::durationNanos).toList()).as(context)
          .isEqualTo(gapLengths.subList(0, Math.min(top, gapLengths.size())));
      for (IdleGap g : t.longestIdleGaps()) {
        assertThat(SweepOracle.levelAt(oracle, g.start())).isZero();
        assertThat(SweepOracle.peakIn(oracle, g.start(), g.end())).isZero();
      }

      // Percentiles: nearest rank on a plain sort.
      long[] sorted = spans.stream().mapToLong(s -> s.end() - s.start()).sorted().toArray();
      if (n > 0) {
        assertThat(t.durations().p50()).as(context).isEqualTo(sorted[(int) Math.ceil(0.50 * n) - 1]);
        assertThat(t.durations().p90()).as(context).isEqualTo(sorted[(int) Math.ceil(0.90 * n) - 1]);
        assertThat(t.durations().p99()).as(context).isEqualTo(sorted[(int) Math.ceil(0.99 * n) - 1]);
        assertThat(t.durations().max()).as(context).isEqualTo(sorted[n - 1]);
      }
      List<Long> longest = new ArrayList<>();
      for (int i = sorted.length - 1; i >= 0 && longest.size() < top; i--) {
        longest.add(sorted[i]);
      }
      assertThat(t.longest().stream().map(LongSpan::durationNanos).toList()).as(context).isEqualTo(longest);

      // Per instance.
      InstanceSummary summary = t.instances();
      assertThat(summary.spansWithoutInstance()).isEqualTo(spans.stream().filter(s -> s.instance() < 0).count());
      List<Double> fractions = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        int inst = i;
        List<SweepOracle.Span> mine = spans.stream().filter(s -> s.instance() == inst)
            .map(s -> SweepOracle.Span.of(s.start(), s.end())).toList();
        InstanceStats stats = summary.instances().stream().filter(x -> x.instance().equals("i" + inst))
            .findFirst().orElse(null);
        if (mine.isEmpty()) {
          assertThat(stats).as(context).isNull();
          continue;
        }
        long mineUnion = (rangeEnd - rangeStart)
            - zeroRuns(mine, rangeStart, rangeEnd).stream().mapToLong(g -> g[1] - g[0]).sum();
        assertThat(stats.spans()).isEqualTo(mine.size());
        assertThat(stats.busyNanos()).as(context + " instance " + inst).isEqualTo(mineUnion);
        double fraction = (double) mineUnion / (rangeEnd - rangeStart);
        assertThat(stats.busyFraction()).isCloseTo(fraction, within(1e-12));
        assertThat((double) stats.peak()).as(context).isEqualTo(SweepOracle.peak(mine));
        assertThat(stats.idle()).isEqualTo(fraction * 100 < 30);
        fractions.add(fraction);
      }
      assertThat(summary.instances()).hasSize(fractions.size());
      if (!fractions.isEmpty()) {
        double max = fractions.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        double min = fractions.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double mean = fractions.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double variance = fractions.stream().mapToDouble(f -> (f - mean) * (f - mean)).sum() / fractions.size();
        if (min == 0) {
          assertThat(summary.maxMinRatio()).as(context).isNull();
        } else {
          assertThat(summary.maxMinRatio()).as(context).isCloseTo(max / min, within(1e-9));
        }
        if (mean > 0) {
          assertThat(summary.coefficientOfVariation()).as(context).isCloseTo(Math.sqrt(variance) / mean, within(1e-9));
        }
      }
    }
  }

  /** The maximal runs inside [from, to) where the oracle's level is 0, from its level on each elementary interval. */
  static List<long[]> zeroRuns(List<SweepOracle.Span> spans, long from, long to) {
    TreeSet<Long> times = new TreeSet<>();
    times.add(from);
    times.add(to);
    for (SweepOracle.Span s : spans) {
      times.add(s.start());
      times.add(s.end());
    }
    List<long[]> runs = new ArrayList<>();
    Long prev = null;
    long runStart = -1;
    for (long t : times) {
      if (prev != null) {
        boolean idle = SweepOracle.levelAt(spans, prev) == 0;
        if (idle && runStart < 0) {
          runStart = prev;
        } else if (!idle && runStart >= 0) {
          runs.add(new long[] {runStart, prev});
          runStart = -1;
        }
      }
      prev = t;
    }
    if (runStart >= 0) {
      runs.add(new long[] {runStart, to});
    }
    return runs;
  }

  @Test
  void nearestRankPercentiles() {
    long[] v = {1, 2, 3, 4};
    assertThat(DurationStats.nearestRank(v, 4, 50)).isEqualTo(2);
    assertThat(DurationStats.nearestRank(v, 4, 90)).isEqualTo(4);
    assertThat(DurationStats.nearestRank(new long[] {7}, 1, 1)).isEqualTo(7);
    long[] hundred = new long[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = i + 1;
    }
    assertThat(DurationStats.nearestRank(hundred, 100, 99)).isEqualTo(99);
    assertThat(DurationStats.nearestRank(hundred, 100, 50)).isEqualTo(50);
  }

  @Test
  void emptyWorkerTypeHasNoSpansAndAllIdle() {
    RecordedSpans store = new RecordedSpans(false, 5);
    store.unmatched(BASE, BASE + 10_000_000);
    WorkerTypeSet types = WorkerTypeSet.of(List.of(
        dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.WorkerType.of("w", "w*")));
    RecordingAnalysis a = RecordingAnalysis.of(new ReadSummary(List.of(), 0, 0, 0, 0, 0), "test", store, types, null,
        id -> "", RecordingAnalysis.Options.defaults());
    WorkerTypeStats t = a.workerTypes().get(0);
    assertThat(t.spans()).isZero();
    assertThat(t.peak()).isZero();
    assertThat(t.idleGapCount()).isEqualTo(1);
    assertThat(t.idleGapNanos()).isEqualTo(10_000_000);
    assertThat(t.instances()).isNull();
  }
}
