package dev.inflight.exporter.prometheusremotewrite;

import dev.inflight.translator.prometheus.MetricTranslator;
import dev.inflight.translator.prometheus.TranslatedPoint;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.Labels;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The time series of one batch of metrics, built from the translator's points as the Collector's
 * {@code prometheusremotewrite} exporter builds them:
 *
 * <ul>
 *   <li>gauge → {@code name}; counter → {@code name_total}; histogram → {@code name_bucket{le}}
 *       (cumulative counts, last {@code le="+Inf"}), {@code name_sum} (when the point has a sum),
 *       {@code name_count}; summary → {@code name{quantile}}, {@code name_sum}, {@code
 *       name_count}; {@code target_info} → {@code target_info} = 1;
 *   <li>labels: the point's (those with an empty value left out: Prometheus treats them as
 *       absent), then the external labels the series does not have, sorted by name;
 *   <li>every sample at the point's own time; a point flagged "no recorded value" puts
 *       Prometheus' staleness marker on each of its series.
 * </ul>
 *
 * Points Prometheus would refuse, or take wrongly, are dropped and counted by reason: {@code
 * delta_temporality}, {@code missing_timestamp}, {@code out_of_order} (older than, or at the same
 * time with another value than, the last sample sent for one of its series or a sample already in
 * this batch), and the translator's own ({@code unsupported_type}, {@code malformed}). A point is
 * kept or dropped whole: a histogram never loses some of its buckets. {@code target_info} samples
 * older than the last one sent are skipped without counting: they carry nothing new and are not
 * data points the batch held.
 *
 * <p>Not thread-safe: one per push.
 */
final class TimeSeriesBatch implements MetricTranslator.Sink {
  /** Prometheus' staleness marker ({@code value.StaleNaN}), a NaN with its own payload. */
  static final long STALE_NAN = 0x7ff0000000000002L;

  static final String DELTA_TEMPORALITY = "delta_temporality";
  static final String MISSING_TIMESTAMP = "missing_timestamp";
  static final String OUT_OF_ORDER = "out_of_order";

  private static final String NAME = "__name__";
  private static final Set<MetricType> SENT_TYPES =
      EnumSet.of(MetricType.GAUGE, MetricType.COUNTER, MetricType.HISTOGRAM, MetricType.SUMMARY, MetricType.INFO);

  private final Map<String, String> externalLabels;
  private final boolean targetInfo;
  private final LastSent lastSent;
  /** Series in the order first seen; per series, sample time → value bits. */
  private final LinkedHashMap<SeriesId, TreeMap<Long, Long>> series = new LinkedHashMap<>();
  private final Map<String, Long> dropped = new LinkedHashMap<>();
  private long droppedPoints;
  private long skippedTargetInfo;

  TimeSeriesBatch(Map<String, String> externalLabels, boolean targetInfo, LastSent lastSent) {
    this.externalLabels = externalLabels;
    this.targetInfo = targetInfo;
    this.lastSent = lastSent;
  }

  @Override
  public void accept(TranslatedPoint p) {
    boolean info = p.type() == MetricType.INFO;
    if (info && !targetInfo) {
      return;
    }
    if (!SENT_TYPES.contains(p.type())) {
      dropped(MetricTranslator.UNSUPPORTED_TYPE, 1);
      return;
    }
    if (p.delta()) {
      dropped(DELTA_TEMPORALITY, 1);
      return;
    }
    long t = p.timestampMillis();
    if (t <= 0) {
      if (!info) { // target_info has no time of its own only when its points had none: counted there
        dropped(MISSING_TIMESTAMP, 1);
      }
      return;
    }
    List<SeriesId> ids = new ArrayList<>(4);
    List<Long> values = new ArrayList<>(4);
    samples(p, ids, values);
    for (int i = 0; i < ids.size(); i++) {
      if (conflicts(ids.get(i), t, values.get(i))) {
        if (info) {
          skippedTargetInfo++;
        } else {
          dropped(OUT_OF_ORDER, 1);
        }
        return;
      }
    }
    for (int i = 0; i < ids.size(); i++) {
      series.computeIfAbsent(ids.get(i), k -> new TreeMap<>()).put(t, values.get(i));
    }
  }

  @Override
  public void dropped(String reason, long points) {
    dropped.merge(reason, points, Long::sum);
    droppedPoints += points;
  }

  /**
   * Whether Prometheus would refuse a sample at {@code t}: older than the last one it acknowledged
   * for the series, or at the same time with another value (an exact duplicate it ignores), or
   * at the time of a different sample already in this batch.
   */
  private boolean conflicts(SeriesId id, long t, long bits) {
    LastSent.Sample last = lastSent.get(id);
    if (last != null && (t < last.timestamp() || (t == last.timestamp() && bits != last.valueBits()))) {
      return true;
    }
    TreeMap<Long, Long> here = series.get(id);
    Long there = here == null ? null : here.get(t);
    return there != null && there != bits;
  }

  /** The point's series and their values (raw bits). */
  private void samples(TranslatedPoint p, List<SeriesId> ids, List<Long> values) {
    TreeMap<String, String> base = new TreeMap<>();
    Labels labels = p.labels();
    for (int i = 0; i < labels.size(); i++) {
      String value = labels.getValue(i);
      if (value != null && !value.isEmpty()) {
        base.put(labels.getName(i), value);
      }
    }
    externalLabels.forEach(base::putIfAbsent);
    boolean stale = p.noRecordedValue();
    String name = p.name();
    switch (p.type()) {
      case GAUGE -> add(ids, values, base, name, null, null, bits(p.value(), stale));
      case COUNTER -> add(ids, values, base, name + "_total", null, null, bits(p.value(), stale));
      case HISTOGRAM -> {
        double[] bounds = p.upperBounds();
        long[] counts = p.bucketCounts();
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
          cumulative += counts[i];
          add(ids, values, base, name + "_bucket", "le", formatFloat(bounds[i]), bits(cumulative, stale));
        }
        addSumAndCount(p, ids, values, base, stale);
      }
      case SUMMARY -> {
        double[] q = p.quantiles();
        double[] v = p.quantileValues();
        for (int i = 0; q != null && i < q.length; i++) {
          add(ids, values, base, name, "quantile", formatFloat(q[i]), bits(v[i], stale));
        }
        addSumAndCount(p, ids, values, base, stale);
      }
      case INFO -> add(ids, values, base, name + "_info", null, null, Double.doubleToRawLongBits(1));
      default -> throw new IllegalStateException("no remote write form for " + p.type()); // see SENT_TYPES
    }
  }

  private static void addSumAndCount(
      TranslatedPoint p, List<SeriesId> ids, List<Long> values, TreeMap<String, String> base, boolean stale) {
    if (!Double.isNaN(p.sum())) {
      add(ids, values, base, p.name() + "_sum", null, null, bits(p.sum(), stale));
    }
    add(ids, values, base, p.name() + "_count", null, null, bits(p.count(), stale));
  }

  private static long bits(double value, boolean stale) {
    return stale ? STALE_NAN : Double.doubleToRawLongBits(value);
  }

  /** One series: the base labels, {@code __name__} and the bucket's or quantile's own label. */
  private static void add(
      List<SeriesId> ids, List<Long> values, TreeMap<String, String> base, String name, String extraName,
      String extraValue, long bits) {
    TreeMap<String, String> all = new TreeMap<>(base);
    all.put(NAME, name);
    if (extraName != null) {
      all.put(extraName, extraValue);
    }
    String[] pairs = new String[all.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> e : all.entrySet()) {
      pairs[i++] = e.getKey();
      pairs[i++] = e.getValue();
    }
    ids.add(new SeriesId(pairs));
    values.add(bits);
  }

  /**
   * A bucket bound or quantile as Prometheus writes it, Go's {@code strconv.FormatFloat(f, 'f', -1,
   * 64)}: the shortest decimal that reads back as {@code f}, never in exponent form ({@code 0.005},
   * {@code 1}, {@code 100000}), and {@code +Inf} / {@code -Inf} / {@code NaN}.
   */
  static String formatFloat(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    if (Double.isInfinite(f)) {
      return f > 0 ? "+Inf" : "-Inf";
    }
    if (f == 0) {
      return Double.doubleToRawLongBits(f) == 0 ? "0" : "-0";
    }
    return new BigDecimal(Double.toString(f)).stripTrailingZeros().toPlainString();
  }

  /** The series with their samples in time order, in the order first seen. */
  List<WriteRequests.Series> series() {
    List<WriteRequests.Series> out = new ArrayList<>(series.size());
    series.forEach((id, samples) -> {
      long[] ts = new long[samples.size()];
      long[] vs = new long[samples.size()];
      int i = 0;
      for (Map.Entry<Long, Long> e : samples.entrySet()) {
        ts[i] = e.getKey();
        vs[i++] = e.getValue();
      }
      out.add(new WriteRequests.Series(id, ts, vs));
    });
    return out;
  }

  /** Points dropped by reason (the translator's reasons included). */
  Map<String, Long> dropped() {
    return dropped;
  }

  /** Data points of the batch that are not sent. */
  long droppedPoints() {
    return droppedPoints;
  }

  /** {@code target_info} samples left out as older than the one already sent. */
  long skippedTargetInfo() {
    return skippedTargetInfo;
  }
}
