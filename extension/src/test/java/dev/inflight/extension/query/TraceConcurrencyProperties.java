package dev.inflight.extension.query;

import dev.inflight.extension.query.TraceConcurrency.Interval;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link TraceConcurrency} against the brute force of {@link
 * TraceConcurrencyTest#assertMatchesBruteForce} on generated traces: spans on a coarse grid (so
 * starts and ends share instants), zero-length spans, copies of earlier spans, spans starting as
 * another ends, trace bounds padded past the spans, bucket sizes on and off the grid, and an order
 * list that may name types without spans. Coverage checks fail the property if the generated traces
 * stop containing those cases.
 */
class TraceConcurrencyProperties {
  private static final String[] TYPES = {"account_workers", "storage_workers", "db_workers"};

  /** A generated span: type, start and length in grid units; copy: repeat span #copy instead. */
  record Raw(int type, int start, int length, int copy, boolean afterEnd) {}

  record Case(long unit, long t0, List<Raw> raws, int padUnits, long bucketUnits, long bucketExtra, List<String> order) {
    List<Interval> spans() {
      List<Interval> out = new ArrayList<>();
      for (Raw r : raws) {
        if (r.copy() >= 0 && r.copy() < out.size()) {
          out.add(out.get(r.copy()));
        } else if (r.afterEnd() && !out.isEmpty()) {
          Interval p = out.get(r.start() % out.size());
          out.add(new Interval(TYPES[r.type()], p.end(), p.end() + unit * r.length()));
        } else {
          long start = t0 + unit * r.start();
          out.add(new Interval(TYPES[r.type()], start, start + unit * r.length()));
        }
      }
      return out;
    }

    long t1() {
      return spans().stream().mapToLong(Interval::end).max().orElse(t0) + unit * padUnits;
    }

    long bucket() {
      return Math.max(1, unit * bucketUnits + bucketExtra % unit);
    }
  }

  @Provide
  Arbitrary<Case> traces() {
    Arbitrary<Raw> raw = Combinators.combine(
            Arbitraries.integers().between(0, TYPES.length - 1),
            Arbitraries.integers().between(0, 40),
            Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 20))),
            Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(-1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 30))),
            Arbitraries.of(false, false, false, false, true))
        .as(Raw::new);
    return Combinators.combine(
            Arbitraries.of(1L, 3L, 1000L, 1_000_000L),
            Arbitraries.of(0L, 17L, 1_795_392_000_000_000_000L),
            raw.list().ofMaxSize(40),
            Arbitraries.integers().between(0, 3),
            Arbitraries.longs().between(1, 12),
            Arbitraries.longs().between(0, 999),
            Arbitraries.of("account_workers", "storage_workers", "db_workers", "ghost").list().ofMaxSize(4))
        .as(Case::new);
  }

  @Property(tries = 500)
  void everyNumberEqualsTheBruteForce(@ForAll("traces") Case c) {
    List<Interval> spans = c.spans();
    TraceConcurrencyTest.assertMatchesBruteForce(spans, c.t0(), c.t1(), c.bucket(), c.order());

    boolean zeroLength = spans.stream().anyMatch(s -> s.start() == s.end());
    boolean identical = spans.size() != spans.stream().distinct().count();
    boolean touching = spans.stream().anyMatch(a -> a.start() < a.end()
        && spans.stream().anyMatch(b -> b.workerType().equals(a.workerType()) && b.start() == a.end() && b.end() > b.start()));
    Statistics.label("zero-length span").collect(zeroLength);
    Statistics.label("identical spans").collect(identical);
    Statistics.label("a span starts as one of its type ends").collect(touching);
    Statistics.label("bucket off the grid").collect(c.bucket() % c.unit() != 0);
    Statistics.label("zero-length span").coverage(k -> k.check(true).percentage(p -> p >= 20));
    Statistics.label("identical spans").coverage(k -> k.check(true).percentage(p -> p >= 20));
    Statistics.label("a span starts as one of its type ends").coverage(k -> k.check(true).percentage(p -> p >= 20));
    Statistics.label("bucket off the grid").coverage(k -> k.check(true).percentage(p -> p >= 10));
  }
}
