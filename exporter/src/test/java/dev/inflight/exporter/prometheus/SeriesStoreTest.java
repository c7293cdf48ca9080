package dev.inflight.exporter.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.translator.prometheus.TranslatedPoint;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBucket;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The latest point of every series, as a scrape sees it. */
class SeriesStoreTest {
  private static final long EXPIRATION = Duration.ofMinutes(5).toNanos();
  private static final Labels WORKER = Labels.of("worker_type", "account_workers");
  private static final double INF = Double.POSITIVE_INFINITY;

  private final SeriesStore store = new SeriesStore(EXPIRATION);
  private final List<String> invalid = new ArrayList<>();

  private static TranslatedPoint number(String name, MetricType type, Labels labels, long tMillis, boolean delta, double v) {
    return new TranslatedPoint(name, type, "help", null, labels, tMillis, 1_000, delta, false, v, null, null, 0,
        Double.NaN, null, null);
  }

  private static TranslatedPoint counter(long tMillis, double v) {
    return number("workers_busy_time_seconds", MetricType.COUNTER, WORKER, tMillis, false, v);
  }

  private static TranslatedPoint deltaCounter(long tMillis, double v) {
    return number("workers_busy_time_seconds", MetricType.COUNTER, WORKER, tMillis, true, v);
  }

  private static TranslatedPoint gauge(String name, long tMillis, double v) {
    return number(name, MetricType.GAUGE, WORKER, tMillis, false, v);
  }

  private static TranslatedPoint histogram(long tMillis, boolean delta, double[] bounds, long[] counts, double sum) {
    long count = 0;
    for (long c : counts) {
      count += c;
    }
    return new TranslatedPoint("workers_duration_seconds", MetricType.HISTOGRAM, "help", "seconds", WORKER, tMillis,
        1_000, delta, false, Double.NaN, bounds, counts, count, sum, null, null);
  }

  private static TranslatedPoint stale(TranslatedPoint p) {
    return new TranslatedPoint(p.name(), p.type(), p.help(), p.unit(), p.labels(), p.timestampMillis(), p.startMillis(),
        p.delta(), true, p.value(), p.upperBounds(), p.bucketCounts(), p.count(), p.sum(), p.quantiles(),
        p.quantileValues());
  }

  private MetricSnapshots snapshot() {
    return snapshot(n -> true, false);
  }

  private MetricSnapshots snapshot(Predicate<String> names, boolean sendTimestamps) {
    return store.snapshot(names, sendTimestamps, (family, e) -> invalid.add(family + ": " + e.getMessage()));
  }

  private MetricSnapshot family(String name) {
    return snapshot().stream().filter(s -> s.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  private double counterValue() {
    return ((CounterSnapshot) family("workers_busy_time_seconds")).getDataPoints().get(0).getValue();
  }

  /** client_java's buckets hold the count of each bucket; its writers add them up. */
  private static List<Long> bucketCounts(HistogramDataPointSnapshot p) {
    List<Long> out = new ArrayList<>();
    for (ClassicHistogramBucket b : p.getClassicBuckets()) {
      out.add(b.getCount());
    }
    return out;
  }

  @Test
  void theLatestCumulativePointWins() {
    assertThat(store.put(counter(2_000, 1), 0)).isNull();
    assertThat(store.put(counter(3_000, 4), 1)).isNull();

    assertThat(counterValue()).isEqualTo(4);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void anOlderCumulativePointIsOutOfOrder() {
    store.put(counter(3_000, 4), 0);

    assertThat(store.put(counter(2_000, 1), 1)).isEqualTo(SeriesStore.OUT_OF_ORDER);
    assertThat(counterValue()).isEqualTo(4);
    // The same time again (a resend) replaces: no drop.
    assertThat(store.put(counter(3_000, 5), 2)).isNull();
    assertThat(counterValue()).isEqualTo(5);
  }

  @Test
  void deltaSumsAddUpToATotal() {
    assertThat(store.put(deltaCounter(2_000, 1.5), 0)).isNull();
    assertThat(store.put(deltaCounter(3_000, 2), 1)).isNull();
    assertThat(store.put(deltaCounter(4_000, 0.5), 2)).isNull();

    CounterDataPointSnapshot p = ((CounterSnapshot) family("workers_busy_time_seconds")).getDataPoints().get(0);
    assertThat(p.getValue()).isEqualTo(4);
    assertThat(p.getCreatedTimestampMillis()).isEqualTo(1_000);
    // A delta repeated (same time) or older would count twice: dropped.
    assertThat(store.put(deltaCounter(4_000, 0.5), 3)).isEqualTo(SeriesStore.OUT_OF_ORDER);
    assertThat(store.put(deltaCounter(3_500, 1), 4)).isEqualTo(SeriesStore.OUT_OF_ORDER);
    assertThat(counterValue()).isEqualTo(4);
  }

  @Test
  void deltaHistogramsAddUpAndRestartWhenTheirBoundsChange() {
    double[] bounds = {0.1, 1, INF};
    store.put(histogram(2_000, true, bounds, new long[] {1, 0, 2}, 5), 0);
    store.put(histogram(3_000, true, bounds, new long[] {0, 3, 1}, 4), 1);

    HistogramDataPointSnapshot p = ((HistogramSnapshot) family("workers_duration_seconds")).getDataPoints().get(0);
    assertThat(bucketCounts(p)).containsExactly(1L, 3L, 3L);
    assertThat(p.getCount()).isEqualTo(7);
    assertThat(p.getSum()).isEqualTo(9);

    store.put(histogram(4_000, true, new double[] {0.5, INF}, new long[] {2, 1}, 1), 2);
    p = ((HistogramSnapshot) family("workers_duration_seconds")).getDataPoints().get(0);
    assertThat(p.getClassicBuckets().getUpperBound(0)).isEqualTo(0.5);
    assertThat(bucketCounts(p)).containsExactly(2L, 1L);
    assertThat(p.getCount()).isEqualTo(3);
    assertThat(p.getSum()).isEqualTo(1);
  }

  @Test
  void cumulativeHistogramsReplaceAndKeepNoSumWithout() {
    double[] bounds = {0.1, INF};
    store.put(histogram(2_000, false, bounds, new long[] {1, 1}, 5), 0);
    store.put(histogram(3_000, false, bounds, new long[] {2, 1}, Double.NaN), 1);

    HistogramDataPointSnapshot p = ((HistogramSnapshot) family("workers_duration_seconds")).getDataPoints().get(0);
    assertThat(bucketCounts(p)).containsExactly(2L, 1L);
    assertThat(p.hasSum()).isFalse();
  }

  @Test
  void aSwitchOfTemporalityStartsTheSeriesAgain() {
    store.put(deltaCounter(2_000, 3), 0);
    store.put(counter(3_000, 10), 1);
    assertThat(counterValue()).isEqualTo(10);
    store.put(deltaCounter(4_000, 1), 2);
    assertThat(counterValue()).isEqualTo(1);
  }

  @Test
  void aNameKeepsTheTypeOfItsFirstSeries() {
    store.put(gauge("workers_active", 2_000, 1), 0);

    TranslatedPoint asCounter = number("workers_active", MetricType.COUNTER, Labels.of("other", "x"), 2_000, false, 1);
    assertThat(store.put(asCounter, 1)).isEqualTo(SeriesStore.TYPE_CONFLICT);
    assertThat(store.size()).isEqualTo(1);
    assertThat(family("workers_active")).isInstanceOf(GaugeSnapshot.class);

    // Once the gauge's series are gone (expired), the name is free again.
    store.expire(EXPIRATION + 1);
    assertThat(store.put(asCounter, EXPIRATION + 2)).isNull();
    assertThat(family("workers_active")).isInstanceOf(CounterSnapshot.class);
  }

  @Test
  void noRecordedValueRemovesTheSeries() {
    store.put(gauge("workers_active", 2_000, 1), 0);
    store.put(number("workers_active", MetricType.GAUGE, Labels.of("worker_type", "other"), 2_000, false, 2), 0);

    assertThat(store.put(stale(gauge("workers_active", 3_000, 0)), 1)).isNull();

    assertThat(store.size()).isEqualTo(1);
    assertThat(((GaugeSnapshot) family("workers_active")).getDataPoints())
        .singleElement().satisfies(p -> assertThat(p.getLabels().get("worker_type")).isEqualTo("other"));
    // Of a series never seen: nothing to do.
    assertThat(store.put(stale(gauge("unknown", 3_000, 0)), 1)).isNull();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void seriesExpireWhenNotUpdatedForTheExpiration() {
    store.put(gauge("a", 2_000, 1), 0);
    store.put(gauge("b", 2_000, 1), 0);
    store.put(gauge("b", 3_000, 2), Duration.ofMinutes(2).toNanos()); // b updated 2 minutes later

    store.expire(EXPIRATION);
    assertThat(store.size()).as("exactly the expiration: still there").isEqualTo(2);

    store.expire(EXPIRATION + 1);
    assertThat(snapshot()).extracting(s -> s.getMetadata().getName()).containsExactly("b");

    store.expire(Duration.ofMinutes(7).toNanos() + 1);
    assertThat(store.size()).isZero();
    assertThat(snapshot().size()).isZero();
  }

  @Test
  void anOutOfOrderPointDoesNotKeepASeriesAlive() {
    store.put(counter(3_000, 4), 0);
    store.put(counter(2_000, 1), EXPIRATION);

    store.expire(EXPIRATION + 1);
    assertThat(store.size()).isZero();
  }

  @Test
  void familiesInNameOrderFilteredByName() {
    store.put(gauge("workers_active_max", 2_000, 3), 0);
    store.put(gauge("workers_active", 2_000, 1), 0);
    store.put(counter(2_000, 1.5), 0);

    assertThat(snapshot()).extracting(s -> s.getMetadata().getPrometheusName())
        .containsExactly("workers_active", "workers_active_max", "workers_busy_time_seconds");
    assertThat(snapshot("workers_active"::equals, false)).extracting(s -> s.getMetadata().getPrometheusName())
        .containsExactly("workers_active");
    assertThat(invalid).isEmpty();
  }

  @Test
  void timestampsOnlyWhenAsked() {
    store.put(gauge("workers_active", 2_000, 1), 0);
    store.put(counter(2_500, 1.5), 0);
    store.put(histogram(3_000, false, new double[] {INF}, new long[] {1}, 1), 0);

    for (MetricSnapshot s : snapshot()) {
      assertThat(s.getDataPoints()).allSatisfy(p -> assertThat(p.hasScrapeTimestamp()).isFalse());
    }
    Map<String, Long> stamped = new java.util.TreeMap<>();
    for (MetricSnapshot s : snapshot(n -> true, true)) {
      stamped.put(s.getMetadata().getName(), s.getDataPoints().get(0).getScrapeTimestampMillis());
    }
    assertThat(stamped).containsExactly(
        Map.entry("workers_active", 2_000L), Map.entry("workers_busy_time_seconds", 2_500L),
        Map.entry("workers_duration_seconds", 3_000L));
  }

  @Test
  void aFamilyClientJavaRefusesIsLeftOutAndReported() {
    // A histogram may not have a label named le.
    store.put(new TranslatedPoint("h", MetricType.HISTOGRAM, null, null, Labels.of("le", "x"), 2_000, 0, false, false,
        Double.NaN, new double[] {INF}, new long[] {1}, 1, 1, null, null), 0);
    store.put(gauge("workers_active", 2_000, 1), 0);

    assertThat(snapshot()).extracting(s -> s.getMetadata().getName()).containsExactly("workers_active");
    assertThat(invalid).singleElement().asString().startsWith("h: ");
  }

  @Test
  void twoFamiliesExposedUnderTheSameNameKeepTheFirst() {
    // A counter x is exposed as x_total, as is a gauge named x_total: one exposition cannot hold both.
    store.put(number("x", MetricType.COUNTER, Labels.EMPTY, 2_000, false, 1), 0);
    store.put(number("x_total", MetricType.GAUGE, Labels.EMPTY, 2_000, false, 2), 0);

    // So is a histogram h's h_count and a summary's or histogram's _sum.
    store.put(histogram(2_000, false, new double[] {INF}, new long[] {1}, 1), 0);
    store.put(number("workers_duration_seconds_count", MetricType.GAUGE, Labels.EMPTY, 2_000, false, 2), 0);
    // Different names that merely share a prefix are fine.
    store.put(number("x_totals", MetricType.GAUGE, Labels.EMPTY, 2_000, false, 3), 0);

    assertThat(snapshot()).extracting(s -> s.getMetadata().getName())
        .containsExactly("workers_duration_seconds", "x", "x_totals");
    assertThat(invalid).containsExactly(
        "workers_duration_seconds_count: another metric is exposed under the same name",
        "x_total: another metric is exposed under the same name");
  }
}
