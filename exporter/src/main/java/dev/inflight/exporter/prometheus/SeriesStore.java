package dev.inflight.exporter.prometheus;

import dev.inflight.translator.prometheus.TranslatedPoint;
import dev.inflight.translator.prometheus.TranslatedPoint.SeriesKey;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The latest point of every series, as a scrape shows it. Cumulative points replace older ones;
 * delta points are added up into a cumulative series (as the Collector's accumulator does), so a
 * scrape always sees totals. A series not updated for {@code metric_expiration} is forgotten, and
 * a point with the "no recorded value" flag removes its series at once.
 *
 * <p>A metric name keeps the type of its first series: a later point of another type under the
 * same name is dropped ({@link #TYPE_CONFLICT}), because one exposition cannot hold both.
 */
final class SeriesStore {
  static final String TYPE_CONFLICT = "type_conflict";
  static final String OUT_OF_ORDER = "out_of_order";

  private record Entry(TranslatedPoint point, long updatedNanos) {}

  private final ConcurrentHashMap<SeriesKey, Entry> series = new ConcurrentHashMap<>();
  /** Family name → its type, while it has series. */
  private final ConcurrentHashMap<String, MetricType> types = new ConcurrentHashMap<>();
  private final long expirationNanos;

  SeriesStore(long expirationNanos) {
    this.expirationNanos = expirationNanos;
  }

  /**
   * Stores a point.
   *
   * @return null when stored, else why it was dropped
   */
  String put(TranslatedPoint p, long nowNanos) {
    MetricType known = types.putIfAbsent(p.name(), p.type());
    if (known != null && known != p.type()) {
      return TYPE_CONFLICT;
    }
    SeriesKey key = p.key();
    if (p.noRecordedValue()) {
      series.remove(key);
      return null;
    }
    String[] dropped = new String[1];
    series.compute(key, (k, old) -> {
      if (old == null || (p.delta() != old.point().delta())) {
        return new Entry(p, nowNanos);
      }
      TranslatedPoint prev = old.point();
      if (p.timestampMillis() < prev.timestampMillis() || (p.delta() && p.timestampMillis() == prev.timestampMillis())) {
        dropped[0] = OUT_OF_ORDER;
        return old;
      }
      return new Entry(p.delta() ? accumulate(prev, p) : p, nowNanos);
    });
    return dropped[0];
  }

  /** A delta point added onto the running total (a histogram whose buckets changed restarts). */
  private static TranslatedPoint accumulate(TranslatedPoint total, TranslatedPoint d) {
    if (d.type() == MetricType.HISTOGRAM) {
      if (!Arrays.equals(total.upperBounds(), d.upperBounds())) {
        return d;
      }
      long[] counts = total.bucketCounts().clone();
      for (int i = 0; i < counts.length; i++) {
        counts[i] += d.bucketCounts()[i];
      }
      double sum = Double.isNaN(total.sum()) || Double.isNaN(d.sum()) ? Double.NaN : total.sum() + d.sum();
      return new TranslatedPoint(d.name(), d.type(), d.help(), d.unit(), d.labels(), d.timestampMillis(),
          total.startMillis(), true, false, Double.NaN, d.upperBounds(), counts, total.count() + d.count(), sum,
          null, null);
    }
    return new TranslatedPoint(d.name(), d.type(), d.help(), d.unit(), d.labels(), d.timestampMillis(),
        total.startMillis(), true, false, total.value() + d.value(), null, null, 0, Double.NaN, null, null);
  }

  int size() {
    return series.size();
  }

  /** Forgets series not updated within the expiration, and the types of names left without series. */
  void expire(long nowNanos) {
    series.values().removeIf(e -> nowNanos - e.updatedNanos() > expirationNanos);
    if (types.size() > 0) {
      Set<String> live = new HashSet<>();
      for (SeriesKey k : series.keySet()) {
        live.add(k.name());
      }
      types.keySet().removeIf(name -> !live.contains(name));
    }
  }

  /**
   * Everything as client_java snapshots, families in name order.
   *
   * @param names which family names to include (the scraper's {@code name[]} filter)
   * @param sendTimestamps stamp samples with their point's time
   * @param invalid called with a family that client_java refused, and why; it is left out
   */
  MetricSnapshots snapshot(
      Predicate<String> names, boolean sendTimestamps, java.util.function.BiConsumer<String, RuntimeException> invalid) {
    Map<String, List<TranslatedPoint>> families = new TreeMap<>();
    for (Entry e : series.values()) {
      TranslatedPoint p = e.point();
      families.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(p);
    }
    MetricSnapshots.Builder out = MetricSnapshots.builder();
    Set<String> exposed = new HashSet<>();
    for (Map.Entry<String, List<TranslatedPoint>> f : families.entrySet()) {
      try {
        MetricSnapshot s = family(f.getValue(), sendTimestamps);
        if (!names.test(s.getMetadata().getPrometheusName())) {
          continue;
        }
        // Two families whose samples would share a name (a counter "x" and a gauge "x_total") cannot
        // both be exposed: the first in name order wins.
        List<String> samples = sampleNames(f.getValue().get(0).type(), s.getMetadata().getPrometheusName());
        if (samples.stream().anyMatch(exposed::contains)) {
          invalid.accept(f.getKey(), new IllegalArgumentException("another metric is exposed under the same name"));
          continue;
        }
        exposed.addAll(samples);
        out.metricSnapshot(s);
      } catch (IllegalArgumentException e) {
        invalid.accept(f.getKey(), e);
      }
    }
    return out.build();
  }

  /** The family name and the names of the samples the writers expose for it. */
  private static List<String> sampleNames(MetricType type, String name) {
    return switch (type) {
      case COUNTER -> List.of(name, name + "_total", name + "_created");
      case HISTOGRAM -> List.of(name, name + "_bucket", name + "_count", name + "_sum", name + "_created");
      case SUMMARY -> List.of(name, name + "_count", name + "_sum", name + "_created");
      case INFO -> List.of(name, name + "_info");
      default -> List.of(name);
    };
  }

  /** The data point stamped with its point's time when the exporter sends timestamps. */
  private static <B extends DataPointSnapshot.Builder<B>> B scraped(B d, TranslatedPoint p, boolean sendTimestamps) {
    if (sendTimestamps) {
      d.scrapeTimestampMillis(p.timestampMillis());
    }
    return d;
  }

  private static MetricSnapshot family(List<TranslatedPoint> points, boolean sendTimestamps) {
    TranslatedPoint first = points.get(0);
    String help = first.help() == null || first.help().isEmpty() ? null : first.help();
    Unit unit = first.unit() == null ? null : new Unit(first.unit());
    switch (first.type()) {
      case COUNTER -> {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(first.name()).help(help).unit(unit);
        for (TranslatedPoint p : points) {
          CounterDataPointSnapshot.Builder d = CounterDataPointSnapshot.builder().value(p.value()).labels(p.labels());
          if (p.startMillis() > 0) {
            d.createdTimestampMillis(p.startMillis());
          }
          b.dataPoint(scraped(d, p, sendTimestamps).build());
        }
        return b.build();
      }
      case HISTOGRAM -> {
        HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(first.name()).help(help).unit(unit);
        for (TranslatedPoint p : points) {
          HistogramDataPointSnapshot.Builder d = HistogramDataPointSnapshot.builder()
              .classicHistogramBuckets(ClassicHistogramBuckets.of(p.upperBounds(), p.bucketCounts()))
              .labels(p.labels());
          if (!Double.isNaN(p.sum())) {
            d.sum(p.sum());
          }
          if (p.startMillis() > 0) {
            d.createdTimestampMillis(p.startMillis());
          }
          b.dataPoint(scraped(d, p, sendTimestamps).build());
        }
        return b.build();
      }
      case SUMMARY -> {
        SummarySnapshot.Builder b = SummarySnapshot.builder().name(first.name()).help(help).unit(unit);
        for (TranslatedPoint p : points) {
          List<Quantile> q = new ArrayList<>(p.quantiles().length);
          for (int i = 0; i < p.quantiles().length; i++) {
            q.add(new Quantile(p.quantiles()[i], p.quantileValues()[i]));
          }
          SummaryDataPointSnapshot.Builder d = SummaryDataPointSnapshot.builder()
              .quantiles(Quantiles.of(q)).count(p.count()).sum(p.sum()).labels(p.labels());
          b.dataPoint(scraped(d, p, sendTimestamps).build());
        }
        return b.build();
      }
      case INFO -> {
        InfoSnapshot.Builder b = InfoSnapshot.builder().name(first.name()).help(help);
        for (TranslatedPoint p : points) {
          InfoDataPointSnapshot.Builder d = InfoDataPointSnapshot.builder().labels(p.labels());
          b.dataPoint(scraped(d, p, sendTimestamps).build());
        }
        return b.build();
      }
      default -> {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(first.name()).help(help).unit(unit);
        for (TranslatedPoint p : points) {
          GaugeDataPointSnapshot.Builder d = GaugeDataPointSnapshot.builder().value(p.value()).labels(p.labels());
          b.dataPoint(scraped(d, p, sendTimestamps).build());
        }
        return b.build();
      }
    }
  }
}
