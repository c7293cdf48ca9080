package dev.inflight.connector.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.inflight.connector.concurrency.SweepOracle.Span;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The sweep oracle against the plain definitions, so that the engine's tests can trust it: the level
 * at an instant is the weight of spans with {@code start ≤ x < end}; the peak of a window is the
 * largest level at any instant of it; its mean is the sum of each span's overlap with it divided by
 * its width; the cumulative sums count spans ending before the window's end.
 *
 * <p>Times are small integers (nanoseconds) so that the peak and the integral can also be checked by
 * visiting every single instant of a window.
 */
class SweepOracleTest {
  private static final long[] BOUNDS = {0, 3, 10, 25};

  record Case(List<Span> spans, long resolution, long fromIdx, long toIdx) {}

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Long> resolution = Arbitraries.of(1L, 2L, 5L, 10L, 16L);
    return resolution.flatMap(res -> {
      long range = 24 * res;
      // Starts pile up on a few instants (window edges, a shared instant) to make equal times common.
      Arbitrary<Long> start = Arbitraries.frequencyOf(
          net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(-2 * res, range)),
          net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(-2, 24).map(k -> k * res)),
          net.jqwik.api.Tuple.of(1, Arbitraries.of(3 * res + 1, 7 * res - 1)));
      Arbitrary<Long> duration = Arbitraries.frequencyOf(
          net.jqwik.api.Tuple.of(2, Arbitraries.just(0L)),
          net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(1, res)),
          net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(1, 4 * res)),
          net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(4 * res, 30 * res)),
          net.jqwik.api.Tuple.of(1, Arbitraries.just(res)));
      Arbitrary<Double> weight = Arbitraries.frequencyOf(
          net.jqwik.api.Tuple.of(6, Arbitraries.just(1.0)),
          net.jqwik.api.Tuple.of(1, Arbitraries.of(2.0, 10.0, 1 / 0.3)));
      Arbitrary<Span> span = Combinators.combine(start, duration, weight, Arbitraries.integers().between(0, 2))
          .as((s, d, w, st) -> new Span(s, s + d, w, st));
      Arbitrary<List<Span>> spans = span.list().ofMinSize(0).ofMaxSize(40);
      Arbitrary<Long> from = Arbitraries.longs().between(-3, 26);
      return Combinators.combine(spans, from, Arbitraries.integers().between(1, 8))
          .as((l, f, n) -> new Case(l, res, f, f + n));
    });
  }

  @Property(tries = 300)
  void everyWindowMatchesTheDefinitions(@ForAll("cases") Case c) {
    List<SweepOracle.Window> windows =
        SweepOracle.windows(c.spans(), c.resolution(), c.fromIdx(), c.toIdx(), BOUNDS);
    assertThat(windows).hasSize((int) (c.toIdx() - c.fromIdx()));
    long res = c.resolution();
    for (int k = 0; k < windows.size(); k++) {
      SweepOracle.Window w = windows.get(k);
      long t = (c.fromIdx() + k) * res;
      long tEnd = t + res;
      assertThat(w.start()).isEqualTo(t);
      assertThat(w.end()).isEqualTo(tEnd);

      // Peak: the level can only rise at a start, so the candidates are t and every start inside.
      double peakAtCandidates = SweepOracle.levelAt(c.spans(), t);
      for (Span s : c.spans()) {
        if (s.start() > t && s.start() < tEnd) {
          peakAtCandidates = Math.max(peakAtCandidates, SweepOracle.levelAt(c.spans(), s.start()));
        }
      }
      // And from the definition itself: every instant of the window (time is in whole ns).
      double peakEverywhere = 0;
      double integralEverywhere = 0;
      for (long x = t; x < tEnd; x++) {
        double level = SweepOracle.levelAt(c.spans(), x);
        peakEverywhere = x == t ? level : Math.max(peakEverywhere, level);
        integralEverywhere += level;
      }
      assertThat(peakEverywhere).as("peak candidates vs every instant").isCloseTo(peakAtCandidates, within(1e-9));
      assertThat(w.activeMax()).as("activeMax of %s", w).isCloseTo(peakAtCandidates, within(1e-9 * Math.max(1, peakAtCandidates)));

      // Mean: each span's overlap with the window, summed.
      double overlaps = 0;
      double busy = 0;
      double[] statuses = new double[3];
      double[] buckets = new double[BOUNDS.length + 1];
      double durationSum = 0;
      for (Span s : c.spans()) {
        overlaps += s.weight() * Math.max(0, Math.min(s.end(), tEnd) - Math.max(s.start(), t));
        busy += s.weight() * Math.max(0, Math.min(s.end(), tEnd) - s.start());
        if (s.end() < tEnd) {
          statuses[s.status()] += s.weight();
          long d = s.end() - s.start();
          int b = 0;
          for (long bound : BOUNDS) {
            if (d <= bound) {
              break;
            }
            b++;
          }
          buckets[b] += s.weight();
          durationSum += s.weight() * d / 1e9;
        }
      }
      assertThat(integralEverywhere).as("instant-by-instant integral vs overlaps").isCloseTo(overlaps, within(1e-9 * Math.max(1, overlaps)));
      assertThat(w.active()).as("active of %s", w).isCloseTo(overlaps / res, within(1e-9 * Math.max(1, overlaps / res)));
      assertThat(w.busySeconds()).as("busy of %s", w).isCloseTo(busy / 1e9, within(1e-9 * Math.max(1e-9, busy / 1e9)));
      for (int st = 0; st < 3; st++) {
        assertThat(w.spans()[st]).as("spans[%d] of %s", st, w).isCloseTo(statuses[st], within(1e-9));
      }
      for (int b = 0; b < buckets.length; b++) {
        assertThat(w.bucketCounts()[b]).as("bucket %d of %s", b, w).isCloseTo(buckets[b], within(1e-9));
      }
      assertThat(w.durationSum()).isCloseTo(durationSum, within(1e-9 * Math.max(1e-9, durationSum)));
    }
  }

  @Property(tries = 100)
  void levelAtCountsHalfOpenSpans(@ForAll @IntRange(min = 0, max = 20) int start,
      @ForAll @IntRange(min = 0, max = 5) int length, @ForAll @IntRange(min = -2, max = 30) int x) {
    List<Span> spans = List.of(Span.of(start, start + length));
    boolean inside = start <= x && x < start + length;
    assertThat(SweepOracle.levelAt(spans, x)).isEqualTo(inside ? 1.0 : 0.0);
  }

  @Test
  void handComputedWindows() {
    // res 10: [0,10) and [10,20) touch but never overlap; [5,25) overlaps both; [12,12) is empty.
    List<Span> spans = new ArrayList<>(List.of(
        Span.of(0, 10), Span.of(10, 20), Span.of(5, 25), new Span(12, 12, 1, SweepOracle.ERROR)));
    List<SweepOracle.Window> w = SweepOracle.windows(spans, 10, 0, 3, BOUNDS);
    // Window 0: [0,5) level 1, [5,10) level 2.
    assertThat(w.get(0).activeMax()).isEqualTo(2);
    assertThat(w.get(0).active()).isEqualTo(1.5);
    assertThat(w.get(0).spanCount()).isZero();
    // Window 1: [10,20) level 2 (one ended at 10, one started at 10), [20,25) not here.
    assertThat(w.get(1).activeMax()).isEqualTo(2);
    assertThat(w.get(1).active()).isEqualTo(2);
    assertThat(w.get(1).spans()).containsExactly(1, 0, 1); // [0,10) ends at 10; [12,12) error
    assertThat(w.get(1).bucketCounts()).containsExactly(1, 0, 1, 0, 0); // durations 0 and 10
    // Window 2: [20,25) level 1.
    assertThat(w.get(2).activeMax()).isEqualTo(1);
    assertThat(w.get(2).active()).isEqualTo(0.5);
    assertThat(w.get(2).spanCount()).isEqualTo(4);
    assertThat(w.get(2).busySeconds()).isEqualTo((10 + 10 + 20) / 1e9);
    assertThat(w.get(2).durationSum()).isCloseTo(40 / 1e9, within(1e-18));
  }
}
