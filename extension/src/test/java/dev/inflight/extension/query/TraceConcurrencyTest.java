package dev.inflight.extension.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.inflight.extension.query.TraceConcurrency.Interval;
import dev.inflight.extension.query.TraceConcurrency.Result;
import dev.inflight.extension.query.TraceConcurrency.WorkerTypeSeries;
import dev.inflight.connector.concurrency.SweepOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Per-trace concurrency against the brute force: every number is recomputed straight from {@link
 * SweepOracle#levelAt} (the spans of a type in flight at an instant, {@code start ≤ x < end}).
 * {@link TraceConcurrencyProperties} runs the same check on jqwik-generated traces.
 */
class TraceConcurrencyTest {
  private static final long MS = 1_000_000L;
  private static final long T0 = 1_795_392_000_000_000_000L;
  private static final String ACCOUNT = "account_workers";
  private static final String STORAGE = "storage_workers";

  private static int level(List<SweepOracle.Span> spans, long x) {
    return (int) SweepOracle.levelAt(spans, x);
  }

  /**
   * Checks every number of {@code analyze} against the brute force.
   *
   * @param spans within {@code [t0, t1]}
   */
  static Result assertMatchesBruteForce(List<Interval> spans, long t0, long t1, long bucket, List<String> order) {
    Result r = TraceConcurrency.analyze(spans, t0, t1, bucket, Integer.MAX_VALUE, order);

    long n = 1; // the fewest buckets from t0 that reach t1
    while (t0 + n * bucket < t1) {
      n++;
    }
    assertThat(TraceConcurrency.bucketCount(t0, t1, bucket)).isEqualTo(n);
    assertThat(r.buckets()).isEqualTo(n);
    assertThat(r.startNanos()).isEqualTo(t0);
    assertThat(r.endNanos()).isEqualTo(t1);
    assertThat(r.durationNanos()).isEqualTo(t1 - t0);
    assertThat(r.bucketNanos()).isEqualTo(bucket);

    // Listed types first (only those with spans), then the others as they first appear.
    List<String> expectedOrder = new ArrayList<>();
    for (String t : order) {
      if (!expectedOrder.contains(t) && spans.stream().anyMatch(s -> s.workerType().equals(t))) {
        expectedOrder.add(t);
      }
    }
    for (Interval s : spans) {
      if (!expectedOrder.contains(s.workerType())) {
        expectedOrder.add(s.workerType());
      }
    }
    assertThat(r.workerTypes()).extracting(WorkerTypeSeries::workerType).containsExactlyElementsOf(expectedOrder);

    long duration = t1 - t0;
    for (WorkerTypeSeries w : r.workerTypes()) {
      List<SweepOracle.Span> mine = spans.stream()
          .filter(s -> s.workerType().equals(w.workerType()))
          .map(s -> SweepOracle.Span.of(s.start(), s.end()))
          .toList();
      assertThat(w.spanCount()).as("%s span_count", w.workerType()).isEqualTo(mine.size());
      long busy = mine.stream().mapToLong(s -> s.end() - s.start()).sum();
      assertThat(w.busyNanos()).as("%s busy", w.workerType()).isEqualTo(busy);

      // The level rises only at starts: the peak over all instants is the peak at some start.
      int max = (int) SweepOracle.peak(mine);
      for (SweepOracle.Span s : mine) {
        assertThat(level(mine, s.end())).isLessThanOrEqualTo(max);
        assertThat(level(mine, s.end() - 1)).isLessThanOrEqualTo(max);
      }
      assertThat(w.maxConcurrent()).as("%s max_concurrent", w.workerType()).isEqualTo(max);

      assertThat(w.series()).as("%s series length", w.workerType()).hasSize((int) n);
      for (int k = 0; k < n; k++) {
        long from = t0 + k * bucket;
        long to = from + bucket;
        int peak = (int) SweepOracle.peakIn(mine, from, to);
        assertThat(w.series()[k]).as("%s bucket %d [%d, %d)", w.workerType(), k, from - t0, to - t0).isEqualTo(peak);
      }

      double utilization = max == 0 || duration == 0 ? 0 : (double) busy / ((double) max * duration) * 100;
      assertThat(w.utilizationPct()).as("%s utilization", w.workerType())
          .isCloseTo(utilization, offset(1e-9 * Math.max(1, utilization)));
      assertThat(w.utilizationPct()).as("busy time never exceeds max × duration").isBetween(0.0, 100.0 + 1e-9);
    }
    return r;
  }

  // ---- a hand case like seed 000's example ----------------------------------------------------

  /**
   * A 20 ms trace. Account workers: 4 spans at 6–12 ms, 8 more at 11–14 ms (12 at once), and 2
   * starting at 14 ms just as those 8 end (ends come first: 2, not 10). Storage workers: one span
   * over the whole trace, a zero-length one at 5 ms, and two identical at 10–15 ms.
   */
  private static List<Interval> seedLikeTrace() {
    List<Interval> spans = new ArrayList<>();
    spans.add(new Interval(STORAGE, T0, T0 + 20 * MS));
    spans.add(new Interval(STORAGE, T0 + 5 * MS, T0 + 5 * MS));
    spans.add(new Interval(STORAGE, T0 + 10 * MS, T0 + 15 * MS));
    spans.add(new Interval(STORAGE, T0 + 10 * MS, T0 + 15 * MS));
    for (int i = 0; i < 4; i++) {
      spans.add(new Interval(ACCOUNT, T0 + 6 * MS, T0 + 12 * MS));
    }
    for (int i = 0; i < 8; i++) {
      spans.add(new Interval(ACCOUNT, T0 + 11 * MS, T0 + 14 * MS));
    }
    for (int i = 0; i < 2; i++) {
      spans.add(new Interval(ACCOUNT, T0 + 14 * MS, T0 + 20 * MS));
    }
    return spans;
  }

  @Test
  void aSeedLikeTraceIn5MsBuckets() {
    Result r = TraceConcurrency.analyze(seedLikeTrace(), T0, T0 + 20 * MS, 5 * MS, 10_000, List.of(ACCOUNT, STORAGE));

    assertThat(r.buckets()).isEqualTo(4);
    assertThat(r.durationNanos()).isEqualTo(20 * MS);
    assertThat(r.workerTypes()).extracting(WorkerTypeSeries::workerType).containsExactly(ACCOUNT, STORAGE);
    WorkerTypeSeries account = r.workerTypes().get(0);
    assertThat(account.spanCount()).isEqualTo(14);
    assertThat(account.maxConcurrent()).isEqualTo(12);
    assertThat(account.busyNanos()).isEqualTo(60 * MS); // 4 × 6 + 8 × 3 + 2 × 6
    assertThat(account.utilizationPct()).isCloseTo(25.0, offset(1e-12)); // 60 / (12 × 20)
    assertThat(account.series()).containsExactly(0, 4, 12, 2);
    WorkerTypeSeries storage = r.workerTypes().get(1);
    assertThat(storage.spanCount()).isEqualTo(4);
    assertThat(storage.maxConcurrent()).isEqualTo(3);
    assertThat(storage.busyNanos()).isEqualTo(30 * MS);
    assertThat(storage.utilizationPct()).isCloseTo(50.0, offset(1e-12)); // 30 / (3 × 20)
    assertThat(storage.series()).containsExactly(1, 1, 3, 1);

    assertMatchesBruteForce(seedLikeTrace(), T0, T0 + 20 * MS, 5 * MS, List.of(ACCOUNT, STORAGE));
  }

  @Test
  void theSameTraceIn7MsBucketsThatDoNotDivideIt() {
    Result r = TraceConcurrency.analyze(seedLikeTrace(), T0, T0 + 20 * MS, 7 * MS, 10_000, List.of());

    assertThat(r.buckets()).isEqualTo(3); // [0, 7), [7, 14), [14, 21)
    // No order asked for: by first appearance, storage first.
    assertThat(r.workerTypes()).extracting(WorkerTypeSeries::workerType).containsExactly(STORAGE, ACCOUNT);
    assertThat(r.workerTypes().get(0).series()).containsExactly(1, 3, 3);
    assertThat(r.workerTypes().get(1).series()).containsExactly(4, 12, 2);
    assertMatchesBruteForce(seedLikeTrace(), T0, T0 + 20 * MS, 7 * MS, List.of());
  }

  @Test
  void listedTypesComeFirstAndListedTypesWithoutSpansAreLeftOut() {
    List<Interval> spans = List.of(
        new Interval("c", T0, T0 + 1), new Interval("a", T0, T0 + 2), new Interval("b", T0 + 1, T0 + 2),
        new Interval("d", T0, T0 + 2));
    Result r = TraceConcurrency.analyze(spans, T0, T0 + 2, 1, 10, List.of("b", "ghost", "d"));
    assertThat(r.workerTypes()).extracting(WorkerTypeSeries::workerType).containsExactly("b", "d", "c", "a");
    assertMatchesBruteForce(spans, T0, T0 + 2, 1, List.of("b", "ghost", "d"));
  }

  @Test
  void anEmptyTraceAndAZeroLengthTrace() {
    Result empty = TraceConcurrency.analyze(List.of(), T0, T0 + 10 * MS, 5 * MS, 10, List.of(ACCOUNT));
    assertThat(empty.buckets()).isEqualTo(2);
    assertThat(empty.workerTypes()).isEmpty();

    List<Interval> instant = List.of(new Interval(ACCOUNT, T0, T0), new Interval(ACCOUNT, T0, T0));
    Result r = assertMatchesBruteForce(instant, T0, T0, 5 * MS, List.of());
    assertThat(r.buckets()).isEqualTo(1);
    WorkerTypeSeries w = r.workerTypes().get(0);
    assertThat(w.spanCount()).isEqualTo(2);
    assertThat(w.maxConcurrent()).isZero();
    assertThat(w.utilizationPct()).isZero();
    assertThat(w.series()).containsExactly(0);
  }

  @Test
  void tooManyBucketsOrANonPositiveBucketIsRefused() {
    List<Interval> spans = seedLikeTrace();
    assertThat(TraceConcurrency.analyze(spans, T0, T0 + 20 * MS, 5 * MS, 4, List.of()).buckets()).isEqualTo(4);
    assertThatThrownBy(() -> TraceConcurrency.analyze(spans, T0, T0 + 20 * MS, 5 * MS, 3, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4 buckets");
    assertThatThrownBy(() -> TraceConcurrency.analyze(spans, T0, T0 + 20 * MS, MS / 1000, 10_000, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TraceConcurrency.analyze(spans, T0, T0 + 20 * MS, 0, 10_000, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TraceConcurrency.analyze(spans, T0, T0 + 20 * MS, -5, 10_000, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bucketCountCoversTheTraceWithAtLeastOneBucket() {
    assertThat(TraceConcurrency.bucketCount(T0, T0, 5)).isEqualTo(1);
    assertThat(TraceConcurrency.bucketCount(T0, T0 - 3, 5)).isEqualTo(1);
    Random rnd = new Random(2);
    for (int i = 0; i < 10_000; i++) {
      long bucket = 1 + rnd.nextInt(1000);
      long duration = rnd.nextInt(100_000);
      long n = TraceConcurrency.bucketCount(T0, T0 + duration, bucket);
      assertThat(n).isGreaterThanOrEqualTo(1);
      assertThat(n * bucket).isGreaterThanOrEqualTo(duration);
      if (n > 1) {
        assertThat((n - 1) * bucket).isLessThan(duration);
      }
    }
  }

  // ---- random traces, seeded -------------------------------------------------------------------

  private static final String[] TYPE_POOL = {ACCOUNT, STORAGE, "db_workers"};

  /** A random trace on a coarse grid: shared instants, zero-length, touching and identical spans. */
  static void randomCase(Random rnd) {
    long unit = new long[] {1, 3, 1000, MS}[rnd.nextInt(4)];
    long t0 = rnd.nextBoolean() ? T0 : rnd.nextInt(1000);
    int grid = rnd.nextInt(10) == 0 ? 0 : 1 + rnd.nextInt(60);
    int count = rnd.nextInt(40);
    List<Interval> spans = new ArrayList<>();
    long maxEnd = t0;
    for (int i = 0; i < count; i++) {
      Interval s;
      int kind = rnd.nextInt(10);
      if (kind == 0 && !spans.isEmpty()) { // identical to an earlier one
        s = spans.get(rnd.nextInt(spans.size()));
      } else if (kind == 1 && !spans.isEmpty()) { // starts as an earlier one ends
        Interval p = spans.get(rnd.nextInt(spans.size()));
        s = new Interval(TYPE_POOL[rnd.nextInt(3)], p.end(), p.end() + unit * rnd.nextInt(1 + grid / 2));
      } else {
        long start = t0 + unit * rnd.nextInt(grid + 1);
        long len = kind == 2 ? 0 : unit * rnd.nextInt(1 + grid / 2);
        s = new Interval(TYPE_POOL[rnd.nextInt(3)], start, start + len);
      }
      spans.add(s);
      maxEnd = Math.max(maxEnd, s.end());
    }
    long t1 = maxEnd + unit * rnd.nextInt(3);
    long duration = t1 - t0;
    long bucket = switch (rnd.nextInt(3)) {
      case 0 -> unit * (1 + rnd.nextInt(10));
      case 1 -> 1 + rnd.nextInt((int) Math.min(Integer.MAX_VALUE - 1, Math.max(1, duration)));
      default -> unit * (1 + rnd.nextInt(5)) + rnd.nextInt((int) Math.min(unit, 1000)); // off the grid
    };
    bucket = Math.max(bucket, (duration + 1999) / 2000); // at most ~2000 buckets
    List<String> order = new ArrayList<>();
    for (int i = rnd.nextInt(4); i > 0; i--) {
      order.add(rnd.nextInt(4) == 0 ? "ghost" : TYPE_POOL[rnd.nextInt(3)]);
    }
    assertMatchesBruteForce(spans, t0, t1, bucket, order);
  }

  @Test
  void randomTracesEqualTheBruteForce() {
    Random rnd = new Random(20261123);
    for (int i = 0; i < 3000; i++) {
      randomCase(rnd);
    }
  }
}
