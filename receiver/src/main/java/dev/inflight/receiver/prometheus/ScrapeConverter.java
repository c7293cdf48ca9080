package dev.inflight.receiver.prometheus;

import dev.inflight.receiver.prometheus.ExpositionParser.Family;
import dev.inflight.receiver.prometheus.ExpositionParser.Sample;
import dev.inflight.receiver.prometheus.ExpositionParser.Type;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Turns one target's scraped families into OTLP metrics as the contrib receiver does: one
 * resource per job and instance ({@code service.name}, {@code service.instance.id}, {@code
 * server.address}, {@code server.port}, {@code url.scheme}; {@code target_info} labels join it),
 * counters as monotonic cumulative sums without {@code _total}, histograms as cumulative explicit
 * histograms, summaries as summaries, everything else as gauges, and the synthetic {@code up} and
 * {@code scrape_*} gauges. A cumulative point's start time is its {@code _created}, else when the
 * series was first seen, moved to the previous scrape when the series went down (a reset).
 *
 * <p>One instance per target, used by one scrape at a time: it keeps the start times.
 */
final class ScrapeConverter {
  static final String SCOPE_NAME =
      "github.com/open-telemetry/opentelemetry-collector-contrib/receiver/prometheusreceiver";

  private final ScrapeJob job;
  private final ScrapeJob.Target target;
  /** Labels every series of this target gets: job, instance, the target's labels. */
  private final Map<String, String> targetLabels;
  private final Map<String, StartState> starts = new HashMap<>();
  private long previousScrapeNanos;

  /** When a cumulative series started, and its last count (to see a reset). */
  private static final class StartState {
    long startNanos;
    double last;
    long seenInScrape;
  }

  private long scrapeSeq;

  ScrapeConverter(ScrapeJob job, ScrapeJob.Target target) {
    this.job = job;
    this.target = target;
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("job", job.jobName());
    labels.put("instance", target.address());
    for (Map.Entry<String, String> e : target.labels().entrySet()) {
      labels.put(e.getKey(), e.getValue());
    }
    this.targetLabels = labels;
  }

  /** What one scrape measured about itself, for the synthetic gauges. */
  record ScrapeStats(boolean up, double durationSeconds, long samplesScraped, long samplesPostRelabeling) {}

  /**
   * @param families what the target exposed (empty when the scrape failed)
   * @param scrapeNanos when the scrape started (epoch nanoseconds): the points' time unless a
   *     sample has its own and {@code honor_timestamps} is on
   */
  List<ResourceMetrics> convert(List<Family> families, long scrapeNanos, ScrapeStats stats) {
    scrapeSeq++;
    Map<List<String>, Out> outs = new LinkedHashMap<>();
    Out own = out(outs, job.jobName(), target.address());
    for (Family f : families) {
      if (isTargetInfo(f)) {
        for (Sample s : f.samples()) {
          Map<String, String> labels = new LinkedHashMap<>(s.labels());
          String j = labels.remove("job");
          String i = labels.remove("instance");
          Out o = out(outs, job.honorLabels() ? j : null, job.honorLabels() ? i : null);
          labels.forEach((k, v) -> o.resourceExtra.put(k, v));
        }
        continue;
      }
      switch (f.type()) {
        case COUNTER -> counter(outs, f, scrapeNanos);
        case HISTOGRAM -> histogram(outs, f, scrapeNanos);
        case SUMMARY -> summary(outs, f, scrapeNanos);
        default -> gauge(outs, f, scrapeNanos);
      }
    }
    Map<String, String> synthetic = new LinkedHashMap<>(target.labels());
    addExternal(synthetic);
    own.metrics.add(gauge("up", "", "The scraping was successful", scrapeNanos, stats.up() ? 1 : 0, synthetic));
    own.metrics.add(gauge("scrape_duration_seconds", "s", "Duration of the scrape", scrapeNanos,
        stats.durationSeconds(), synthetic));
    own.metrics.add(gauge("scrape_samples_scraped", "", "The number of samples the target exposed", scrapeNanos,
        stats.samplesScraped(), synthetic));
    own.metrics.add(gauge("scrape_samples_post_metric_relabeling", "",
        "The number of samples remaining after metric relabeling was applied", scrapeNanos,
        stats.samplesPostRelabeling(), synthetic));
    // Series that were not in this scrape start over if they come back.
    starts.values().removeIf(s -> s.seenInScrape != scrapeSeq);
    previousScrapeNanos = scrapeNanos;

    List<ResourceMetrics> result = new ArrayList<>();
    for (Out o : outs.values()) {
      if (o.metrics.isEmpty()) {
        continue;
      }
      Resource.Builder r = Resource.newBuilder();
      resource(r, o.job, o.instance);
      o.resourceExtra.forEach((k, v) -> r.addAttributes(kv(k, v)));
      result.add(ResourceMetrics.newBuilder()
          .setResource(r)
          .addScopeMetrics(ScopeMetrics.newBuilder()
              .setScope(InstrumentationScope.newBuilder().setName(SCOPE_NAME))
              .addAllMetrics(o.metrics))
          .build());
    }
    return result;
  }

  private static boolean isTargetInfo(Family f) {
    return f.name().equals("target_info") || (f.type() == Type.INFO && f.name().equals("target"));
  }

  /** One resource's metrics (by job and instance: with honor_labels a target can speak for others). */
  private static final class Out {
    final String job;
    final String instance;
    final Map<String, String> resourceExtra = new LinkedHashMap<>();
    final List<Metric> metrics = new ArrayList<>();
    final Map<String, Metric.Builder> byName = new LinkedHashMap<>();

    Out(String job, String instance) {
      this.job = job;
      this.instance = instance;
    }
  }

  private Out out(Map<List<String>, Out> outs, @Nullable String jobName, @Nullable String instance) {
    String j = jobName == null ? job.jobName() : jobName;
    String i = instance == null ? target.address() : instance;
    return outs.computeIfAbsent(List.of(j, i), k -> new Out(j, i));
  }

  private void resource(Resource.Builder r, String jobName, String instance) {
    r.addAttributes(kv("service.name", jobName));
    String host = instance;
    String port = "";
    int colon = instance.lastIndexOf(':');
    if (colon > 0 && (instance.indexOf(':') == colon || instance.startsWith("["))) {
      host = instance.substring(0, colon);
      port = instance.substring(colon + 1);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    // As the contrib receiver: a loopback or unspecified host says nothing about where it runs.
    if (!Set.of("localhost", "127.0.0.1", "0.0.0.0", "::1", "::").contains(host)) {
      r.addAttributes(kv("server.address", host));
    }
    r.addAttributes(kv("service.instance.id", instance));
    r.addAttributes(kv("server.port", port));
    r.addAttributes(kv("url.scheme", job.scheme()));
  }

  /**
   * The series' labels after the target's: a scraped label that collides with a target label is
   * kept as {@code exported_<name>} unless {@code honor_labels}, as Prometheus does.
   */
  private Map<String, String> labels(Sample s) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : s.labels().entrySet()) {
      String k = e.getKey();
      if (!job.honorLabels() && targetLabels.containsKey(k)) {
        out.put("exported_" + k, e.getValue());
      } else {
        out.put(k, e.getValue());
      }
    }
    for (Map.Entry<String, String> e : targetLabels.entrySet()) {
      if (job.honorLabels() && out.containsKey(e.getKey())) {
        continue;
      }
      out.put(e.getKey(), e.getValue());
    }
    addExternal(out);
    // An empty label value is the label's absence in Prometheus.
    out.values().removeIf(String::isEmpty);
    return out;
  }

  private void addExternal(Map<String, String> labels) {
    job.externalLabels().forEach(labels::putIfAbsent);
  }

  private long time(Sample s, long scrapeNanos) {
    Long ts = s.timestampMs();
    return job.honorTimestamps() && ts != null ? TimeUnit.MILLISECONDS.toNanos(ts) : scrapeNanos;
  }

  /** The labels of a series without job and instance (they are the resource) and without {@code drop}. */
  private record Series(String job, String instance, Map<String, String> attributes) {}

  private Series series(Sample s, @Nullable String drop) {
    Map<String, String> labels = labels(s);
    String j = labels.remove("job");
    String i = labels.remove("instance");
    if (drop != null) {
      labels.remove(drop);
    }
    return new Series(j == null ? job.jobName() : j, i == null ? target.address() : i, labels);
  }

  private Metric.Builder metric(Out o, String name, Family f) {
    return o.byName.computeIfAbsent(name, n -> {
      Metric.Builder b = Metric.newBuilder().setName(n).setDescription(f.help()).setUnit(f.unit());
      return b;
    });
  }

  private long start(String name, Series series, double count, long timeNanos, @Nullable Double created) {
    if (created != null && !created.isNaN() && created > 0) {
      // Prometheus keeps timestamps in milliseconds (timestamp.FromFloatSeconds rounds the same way)
      return Math.round(created * 1000) * 1_000_000L;
    }
    String key = name + '\0' + series.job() + '\0' + series.instance() + '\0' + new TreeMap<>(series.attributes());
    StartState st = starts.get(key);
    if (st == null) {
      st = new StartState();
      st.startNanos = timeNanos;
      starts.put(key, st);
    } else if (count < st.last) {
      st.startNanos = previousScrapeNanos > 0 && previousScrapeNanos < timeNanos ? previousScrapeNanos : timeNanos;
    }
    st.last = count;
    st.seenInScrape = scrapeSeq;
    return st.startNanos;
  }

  private void counter(Map<List<String>, Out> outs, Family f, long scrapeNanos) {
    String name = f.name().endsWith("_total") ? f.name().substring(0, f.name().length() - 6) : f.name();
    Map<Map<String, String>, Double> created = new HashMap<>();
    for (Sample s : f.samples()) {
      if (s.name().equals(f.name() + "_created")) {
        created.put(s.labels(), s.value());
      }
    }
    for (Sample s : f.samples()) {
      if (s.name().equals(f.name() + "_created")) {
        continue;
      }
      Series series = series(s, null);
      Out o = out(outs, series.job(), series.instance());
      Metric.Builder m = metric(o, name, f);
      if (!m.hasSum()) {
        m.setSum(Sum.newBuilder().setIsMonotonic(true)
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE));
      }
      long t = time(s, scrapeNanos);
      m.getSumBuilder().addDataPoints(NumberDataPoint.newBuilder()
          .addAllAttributes(kvs(series.attributes()))
          .setStartTimeUnixNano(start(name, series, s.value(), t, created.get(s.labels())))
          .setTimeUnixNano(t)
          .setAsDouble(s.value()));
    }
    finish(outs);
  }

  private void gauge(Map<List<String>, Out> outs, Family f, long scrapeNanos) {
    for (Sample s : f.samples()) {
      Series series = series(s, null);
      Out o = out(outs, series.job(), series.instance());
      String name = f.type() == Type.UNKNOWN || f.type() == Type.GAUGE ? f.name() : s.name();
      Metric.Builder m = metric(o, name, f);
      if (!m.hasGauge()) {
        m.setGauge(Gauge.newBuilder());
      }
      m.getGaugeBuilder().addDataPoints(NumberDataPoint.newBuilder()
          .addAllAttributes(kvs(series.attributes()))
          .setTimeUnixNano(time(s, scrapeNanos))
          .setAsDouble(s.value()));
    }
    finish(outs);
  }

  /** A histogram or summary series being assembled from its samples. */
  private static final class Compound {
    Series series;
    long timeNanos;
    final TreeMap<Double, Double> parts = new TreeMap<>(); // le or quantile → value
    @Nullable Double sum;
    @Nullable Double count;
    @Nullable Double created;

    Compound(Series series, long timeNanos) {
      this.series = series;
      this.timeNanos = timeNanos;
    }
  }

  private Map<Series, Compound> group(Family f, String partLabel, long scrapeNanos) {
    Map<Series, Compound> series = new LinkedHashMap<>();
    for (Sample s : f.samples()) {
      Series key = series(s, partLabel);
      Compound c = series.computeIfAbsent(key, k -> new Compound(k, time(s, scrapeNanos)));
      String suffix = s.name().substring(f.name().length());
      switch (suffix) {
        case "_sum" -> c.sum = s.value();
        case "_count" -> c.count = s.value();
        case "_created" -> c.created = s.value();
        case "_bucket", "" -> {
          String part = s.labels().get(partLabel);
          Double bound = part == null ? null : ExpositionParser.parseDouble(part);
          if (bound != null && !bound.isNaN()) {
            c.parts.put(bound, s.value());
          }
        }
        default -> { }
      }
    }
    return series;
  }

  private void histogram(Map<List<String>, Out> outs, Family f, long scrapeNanos) {
    for (Compound c : group(f, "le", scrapeNanos).values()) {
      Double inf = c.parts.get(Double.POSITIVE_INFINITY);
      double count = c.count != null ? c.count : inf != null ? inf : c.parts.isEmpty() ? 0 : c.parts.lastEntry().getValue();
      HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder()
          .addAllAttributes(kvs(c.series.attributes()))
          .setTimeUnixNano(c.timeNanos)
          .setCount((long) count);
      if (c.sum != null) {
        p.setSum(c.sum);
      }
      double previous = 0;
      boolean valid = true;
      for (Map.Entry<Double, Double> b : c.parts.entrySet()) {
        if (b.getKey().isInfinite()) {
          continue;
        }
        double diff = b.getValue() - previous;
        if (diff < 0) {
          valid = false; // buckets must be cumulative; Prometheus refuses such a histogram too
          break;
        }
        p.addExplicitBounds(b.getKey());
        p.addBucketCounts((long) diff);
        previous = b.getValue();
      }
      if (!valid || count < previous) {
        continue;
      }
      if (!c.parts.isEmpty()) {
        p.addBucketCounts((long) (count - previous));
      }
      String name = f.name();
      p.setStartTimeUnixNano(start(name, c.series, count, c.timeNanos, c.created));
      Out o = out(outs, c.series.job(), c.series.instance());
      Metric.Builder m = metric(o, name, f);
      if (!m.hasHistogram()) {
        m.setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE));
      }
      m.getHistogramBuilder().addDataPoints(p);
    }
    finish(outs);
  }

  private void summary(Map<List<String>, Out> outs, Family f, long scrapeNanos) {
    for (Compound c : group(f, "quantile", scrapeNanos).values()) {
      double count = c.count == null ? 0 : c.count;
      SummaryDataPoint.Builder p = SummaryDataPoint.newBuilder()
          .addAllAttributes(kvs(c.series.attributes()))
          .setTimeUnixNano(c.timeNanos)
          .setCount((long) count)
          .setSum(c.sum == null ? 0 : c.sum);
      c.parts.forEach((q, v) -> p.addQuantileValues(
          SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(q).setValue(v)));
      String name = f.name();
      p.setStartTimeUnixNano(start(name, c.series, count, c.timeNanos, c.created));
      Out o = out(outs, c.series.job(), c.series.instance());
      Metric.Builder m = metric(o, name, f);
      if (!m.hasSummary()) {
        m.setSummary(Summary.newBuilder());
      }
      m.getSummaryBuilder().addDataPoints(p);
    }
    finish(outs);
  }

  /** Builds the metrics of one family, after those of the families before it. */
  private static void finish(Map<List<String>, Out> outs) {
    for (Out o : outs.values()) {
      if (o.byName.isEmpty()) {
        continue;
      }
      for (Metric.Builder b : o.byName.values()) {
        o.metrics.add(b.build());
      }
      o.byName.clear();
    }
  }

  private static Metric gauge(String name, String unit, String description, long timeNanos, double value,
      Map<String, String> attributes) {
    return Metric.newBuilder().setName(name).setUnit(unit).setDescription(description)
        .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
            .addAllAttributes(kvs(attributes)).setTimeUnixNano(timeNanos).setAsDouble(value)))
        .build();
  }

  private static List<KeyValue> kvs(Map<String, String> attributes) {
    List<KeyValue> out = new ArrayList<>(attributes.size());
    attributes.forEach((k, v) -> out.add(kv(k, v)));
    return out;
  }

  private static KeyValue kv(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }
}
