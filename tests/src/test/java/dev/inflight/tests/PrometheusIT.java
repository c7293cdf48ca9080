package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.connector.concurrency.SweepOracle;
import dev.inflight.tests.PrometheusServer.Sample;
import dev.inflight.tests.PrometheusServer.ScrapeTarget;
import dev.inflight.tests.PrometheusServer.Series;
import dev.inflight.tests.SdkSpans.Planned;
import dev.inflight.tests.SdkSpans.Transport;
import io.opentelemetry.api.trace.StatusCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker concurrency in a real Prometheus (the Debian package's binary, 2.42), both ways in:
 *
 * <ul>
 *   <li>Prometheus scrapes the default config's {@code prometheus} exporter (only ports and the
 *       lateness changed): the counters, the peak, {@code rate()} and {@code histogram_quantile}
 *       as PromQL computes them equal what the brute-force {@link SweepOracle} gives for the spans
 *       the OpenTelemetry Java SDK sent.
 *   <li>{@code prometheusremotewrite} pushes every window, and Prometheus holds each sample at the
 *       window's end (event time), value for value equal to the oracle.
 *   <li>A Prometheus that is down: remote write retries, then counts the failure, and inflight
 *       keeps running.
 * </ul>
 *
 * <p>The schedule lies in the seven seconds before "now", in windows still open (lateness 10s).
 * Its first window holds only a zero-length span and the next three nothing, so every busy-time
 * counter starts at 0: then {@code rate()} over a range that reaches back to that 0 involves no
 * extrapolation and is exactly the busy time divided by the range.
 */
class PrometheusIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final long MS = 1_000_000L;
  private static final long RES = 1_000 * MS;
  private static final String SERVICE = "prom-it";
  private static final String ACCOUNT = "account_workers";
  private static final String STORAGE = "storage_workers";
  private static final double CAPACITY = 16; // the default config's account_workers
  private static final List<String> STATUSES = List.of("unset", "ok", "error");
  /** The connector's default duration buckets (ns) and the same in seconds. */
  private static final long[] BOUNDS = {
    5 * MS, 10 * MS, 25 * MS, 50 * MS, 100 * MS, 250 * MS, 500 * MS, 1000 * MS, 2500 * MS, 5000 * MS, 10_000 * MS
  };

  @TempDir Path dir;

  /**
   * Relative to {@code b}, the start of window W0; seven windows W0..W6, sent just after b + 7s.
   *
   * <ul>
   *   <li>account_workers: a zero-length span in W0; W1-W3 idle; four long spans from W4 to W6 and
   *       three short ones, so the peak is 5 in each of W4, W5 and W6 (a scrape every second
   *       cannot miss it); 3 errors, 1 ok; durations in several buckets.
   *   <li>storage_workers: two overlapping spans in W4, one error.
   *   <li>One span no worker type matches.
   * </ul>
   */
  private static List<Planned> schedule(long b, Map<String, String> resource) {
    return List.of(
        new Planned(SERVICE, "account worker warm-up", b + 100 * MS, b + 100 * MS, StatusCode.UNSET, ACCOUNT, resource),
        new Planned(SERVICE, "account worker #1", b + 4_100 * MS, b + 6_900 * MS, StatusCode.OK, ACCOUNT, resource),
        new Planned(SERVICE, "account worker #2", b + 4_200 * MS, b + 6_800 * MS + 3, StatusCode.ERROR, ACCOUNT, resource),
        new Planned(SERVICE, "account worker #3", b + 4_300 * MS, b + 6_700 * MS, StatusCode.UNSET, ACCOUNT, resource),
        new Planned(SERVICE, "account worker #4", b + 4_400 * MS + 7, b + 6_600 * MS, StatusCode.ERROR, ACCOUNT, resource),
        new Planned(SERVICE, "account worker #5", b + 4_450 * MS, b + 4_550 * MS, StatusCode.UNSET, ACCOUNT, resource),
        new Planned(SERVICE, "account worker #6", b + 5_500 * MS, b + 5_750 * MS, StatusCode.ERROR, ACCOUNT, resource),
        new Planned(SERVICE, "account worker #7", b + 6_200 * MS, b + 6_700 * MS, StatusCode.UNSET, ACCOUNT, resource),
        new Planned(SERVICE, "storage write a", b + 4_000 * MS, b + 4_300 * MS, StatusCode.UNSET, STORAGE, resource),
        new Planned(SERVICE, "storage write b", b + 4_200 * MS, b + 4_400 * MS, StatusCode.ERROR, STORAGE, resource),
        new Planned(SERVICE, "GET /health", b + 4_000 * MS, b + 4_010 * MS, StatusCode.UNSET, null, resource));
  }

  /** The schedule's spans of one worker type, for the oracle. */
  private static List<SweepOracle.Span> spansOf(List<Planned> planned, String workerType) {
    List<SweepOracle.Span> out = new ArrayList<>();
    for (Planned p : planned) {
      if (workerType.equals(p.workerType())) {
        out.add(p.oracleSpan());
      }
    }
    return out;
  }

  /** Waits for the next whole second s, then sends the schedule of windows [s - 7s, s) over OTLP/HTTP. */
  private static List<Planned> sendSchedule(Ports ports, InflightProcess p, Map<String, String> resource)
      throws InterruptedException {
    long s = Math.floorDiv(SdkSpans.nowNanos(), RES) * RES + RES;
    SdkSpans.sleepUntil(s + 100 * MS);
    List<Planned> planned = schedule(s - 7 * RES, resource);
    SdkSpans.send(Transport.HTTP, ports, planned, p);
    return planned;
  }

  @Test
  void prometheusScrapingTheDefaultConfigSeesTheOracleValues() throws Exception {
    Ports ports = Ports.free();
    try (InflightProcess p = InflightProcess.start(Map.of(),
            ports.defaultConfigArgs("connectors.concurrency.allowed_lateness=10s").toArray(String[]::new));
        PrometheusServer prometheus = PrometheusServer.start(
            List.of(ScrapeTarget.of("inflight", "127.0.0.1:" + ports.prometheus())))) {
      p.awaitHttp200(ports.healthUrl(), START);
      prometheus.awaitVector("up{job=\"inflight\"} == 1", v -> !v.isEmpty(), Duration.ofSeconds(30));

      List<Planned> planned = sendSchedule(ports, p, Map.of());
      long b = planned.get(0).start() - 100 * MS;
      List<SweepOracle.Span> account = spansOf(planned, ACCOUNT);
      // W0..W7: the last one idle, every span counted.
      List<SweepOracle.Window> windows = SweepOracle.windows(account, RES, b / RES, b / RES + 8, BOUNDS);
      SweepOracle.Window total = windows.get(windows.size() - 1);
      assertThat(total.spanCount()).as("fixture: every span counted by the last window").isEqualTo(account.size());

      String sel = "{worker_type=\"account_workers\",service_name=\"" + SERVICE + "\"}";
      String errors = "workers_spans_total{worker_type=\"account_workers\",service_name=\"" + SERVICE
          + "\",status=\"error\"}";
      // Every window has closed (at its end + 10s) and been scraped once the error count is complete.
      prometheus.awaitVector(errors, v -> v.size() == 1 && v.get(0).value() == total.spans()[SweepOracle.ERROR],
          Duration.ofSeconds(45));
      prometheus.awaitVector("workers_busy_time_seconds_total" + sel,
          v -> v.size() == 1 && within(v.get(0).value(), total.busySeconds(), 1e-9), Duration.ofSeconds(10));

      List<String> problems = new ArrayList<>();
      // The series and their labels, as the OpenTelemetry → Prometheus translation names them.
      List<Sample> busy = prometheus.vector("workers_busy_time_seconds_total" + sel);
      assertThat(busy).hasSize(1);
      assertThat(busy.get(0).labels()).containsEntry("job", "inflight")
          .containsEntry("otel_scope_name", "dev.inflight.connector.concurrency")
          .containsEntry("worker_type", ACCOUNT).containsEntry("service_name", SERVICE)
          .doesNotContainKeys("worker.type", "service.name");
      for (int s = 0; s < 3; s++) {
        OptionalDouble v = prometheus.single("workers_spans_total{worker_type=\"account_workers\",service_name=\""
            + SERVICE + "\",status=\"" + STATUSES.get(s) + "\"}");
        expect(problems, "workers_spans_total{status=" + STATUSES.get(s) + "}", v, total.spans()[s], 0);
      }

      // The peak: every window's workers_active_max, at most one second apart, reached Prometheus.
      double peak = windows.stream().mapToDouble(SweepOracle.Window::activeMax).max().orElseThrow();
      assertThat(peak).as("fixture: the peak").isEqualTo(5);
      expect(problems, "max_over_time(workers_active_max[2m])",
          prometheus.single("max_over_time(workers_active_max" + sel + "[2m])"), peak, 0);

      // rate() at the time of the latest scrape, over a minute that reaches back to the first
      // sample (0): no extrapolation, so exactly the busy time over 60s, i.e. the mean number of
      // busy workers in that minute.
      double t = prometheus.single("timestamp(workers_busy_time_seconds_total" + sel + ")").orElseThrow();
      Instant at = Instant.ofEpochMilli(Math.round(t * 1000));
      expect(problems, "rate(workers_busy_time_seconds_total[60s]) at " + at,
          prometheus.single("rate(workers_busy_time_seconds_total" + sel + "[60s])", at), total.busySeconds() / 60, 1e-9);

      // Quantiles of the duration histogram, as Prometheus interpolates them from the buckets.
      for (double q : new double[] {0.5, 0.9, 0.99}) {
        double expected = histogramQuantile(q, BOUNDS, total.bucketCounts());
        expect(problems, "histogram_quantile(" + q + ", workers_duration_seconds_bucket)",
            prometheus.single("histogram_quantile(" + q + ", workers_duration_seconds_bucket" + sel + ")"), expected,
            1e-9);
      }
      expect(problems, "workers_duration_seconds_count", prometheus.single("workers_duration_seconds_count" + sel),
          account.size(), 0);
      expect(problems, "workers_duration_seconds_sum", prometheus.single("workers_duration_seconds_sum" + sel),
          total.durationSum(), 1e-9);

      // The gauges fall to 0 with the first idle window (W7, closed a second after W6); utilization
      // only where there is a capacity.
      prometheus.awaitVector("workers_active_max" + sel + " == 0 and workers_utilization_ratio" + sel + " == 0",
          v -> v.size() == 1, Duration.ofSeconds(10));
      assertThat(prometheus.vector("workers_utilization_ratio{worker_type=\"storage_workers\"}"))
          .as("storage_workers has no capacity, so no utilization").isEmpty();
      expect(problems, "storage workers_spans_total{status=error}", prometheus.single(
          "workers_spans_total{worker_type=\"storage_workers\",status=\"error\"}"), 1, 0);
      assertThat(problems).as("Prometheus vs the sweep oracle; Prometheus log:\n%s", prometheus.logTail()).isEmpty();

      assertThat(EdgeSupport.metric(ports, "inflight_exporter_prometheus_dropped_points_total", Map.of()))
          .as("points the prometheus exporter dropped").isZero();
    }
  }

  @Test
  void remoteWriteStoresEveryWindowAtItsEventTime() throws Exception {
    try (PrometheusServer prometheus = PrometheusServer.start(List.of())) {
      Ports ports = Ports.free();
      Path config = dir.resolve("remote-write.yaml");
      Files.writeString(config, remoteWriteConfig(ports, prometheus.remoteWriteUrl().toString(), ""));
      try (InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString())) {
        p.awaitHttp200(ports.healthUrl(), START);
        // A dimension whose name is no Prometheus label name: translated to one, not refused.
        List<Planned> planned = sendSchedule(ports, p, Map.of("deployment.environment-name", "it/prod"));
        long b = planned.get(0).start() - 100 * MS;
        long first = b / RES;
        long last = first + 7; // W7, the first idle window after the schedule
        String sel = "{worker_type=\"account_workers\",service_name=\"" + SERVICE
            + "\",deployment_environment_name=\"it/prod\"}";
        prometheus.awaitVector("timestamp(workers_active_max" + sel + ")",
            v -> v.size() == 1 && v.get(0).value() * 1000 >= (last + 1) * 1000, Duration.ofSeconds(45));

        List<String> problems = new ArrayList<>();
        for (String type : List.of(ACCOUNT, STORAGE)) {
          String s = "{worker_type=\"" + type + "\",service_name=\"" + SERVICE
              + "\",deployment_environment_name=\"it/prod\"}";
          List<SweepOracle.Span> spans = spansOf(planned, type);
          long from = type.equals(ACCOUNT) ? first : first + 4; // a group reports from its first span's window
          List<SweepOracle.Window> windows = SweepOracle.windows(spans, RES, from, last + 1, BOUNDS);
          Map<Long, Double> active = byTime(prometheus, "workers_active" + s, problems);
          Map<Long, Double> activeMax = byTime(prometheus, "workers_active_max" + s, problems);
          Map<Long, Double> busy = byTime(prometheus, "workers_busy_time_seconds_total" + s, problems);
          Map<Long, Double> count = byTime(prometheus, "workers_duration_seconds_count" + s, problems);
          if (activeMax.isEmpty() || activeMax.keySet().iterator().next() != (from + 1) * 1000) {
            problems.add(type + ": first workers_active_max sample at " + activeMax.keySet()
                + ", expected the end of the group's first window " + (from + 1) * 1000);
          }
          for (SweepOracle.Window w : windows) {
            long end = w.end() / MS;
            String at = type + " window ending " + Instant.ofEpochMilli(end) + ": ";
            at(problems, at + "workers_active", active, end, w.active(), 1e-9);
            at(problems, at + "workers_active_max", activeMax, end, w.activeMax(), 0);
            at(problems, at + "workers_busy_time_seconds_total", busy, end, w.busySeconds(), 1e-9);
            at(problems, at + "workers_duration_seconds_count", count, end, w.spanCount(), 0);
          }
          for (int st = 0; st < 3; st++) {
            Map<Long, Double> spansByTime = byTime(prometheus, "workers_spans_total{worker_type=\"" + type
                + "\",service_name=\"" + SERVICE + "\",status=\"" + STATUSES.get(st) + "\"}", problems);
            for (SweepOracle.Window w : windows) {
              at(problems, type + " workers_spans_total{status=" + STATUSES.get(st) + "} at " + w.end() / MS,
                  spansByTime, w.end() / MS, w.spans()[st], 0);
            }
          }
          // Every bucket series: cumulative counts per le, at each window end.
          for (Series bucket : prometheus.stored("workers_duration_seconds_bucket" + s, Duration.ofMinutes(2))) {
            double le = PrometheusServer.parseValue(bucket.labels().get("le"));
            Map<Long, Double> values = new TreeMap<>();
            bucket.samples().forEach(x -> values.put(x.timestamp().toEpochMilli(), x.value()));
            for (SweepOracle.Window w : windows) {
              double cumulative = 0;
              for (int i = 0; i < w.bucketCounts().length; i++) {
                double upper = i < BOUNDS.length ? BOUNDS[i] / 1e9 : Double.POSITIVE_INFINITY;
                if (upper <= le) {
                  cumulative += w.bucketCounts()[i];
                }
              }
              at(problems, type + " workers_duration_seconds_bucket{le=" + bucket.labels().get("le") + "}",
                  values, w.end() / MS, cumulative, 0);
            }
          }
          if (type.equals(ACCOUNT)) {
            Map<Long, Double> util = byTime(prometheus, "workers_utilization_ratio" + s, problems);
            for (SweepOracle.Window w : windows) {
              at(problems, type + " workers_utilization_ratio", util, w.end() / MS, w.active() / CAPACITY, 1e-9);
            }
          }
        }

        // Queried at event time: the peak of W4 is there at W4's end.
        Instant w4End = Instant.ofEpochSecond(first + 5);
        List<SweepOracle.Span> account = spansOf(planned, ACCOUNT);
        SweepOracle.Window w4 = SweepOracle.windows(account, RES, first + 4, first + 5, BOUNDS).get(0);
        expect(problems, "workers_active_max @ " + w4End, prometheus.single("workers_active_max" + sel, w4End),
            w4.activeMax(), 0);
        // rate() over [W3 end - 0.5s, W6 end]: samples at W3..W6 ends, the first 0, so no extrapolation.
        Instant w6End = Instant.ofEpochSecond(first + 7);
        double busyW6 = SweepOracle.windows(account, RES, first, first + 7, BOUNDS).get(6).busySeconds();
        expect(problems, "rate(workers_busy_time_seconds_total[3500ms]) @ " + w6End,
            prometheus.single("rate(workers_busy_time_seconds_total" + sel + "[3500ms])", w6End), busyW6 / 3.5, 1e-9);
        assertThat(problems).as("remote-written samples vs the sweep oracle; Prometheus log:\n%s",
            prometheus.logTail()).isEmpty();

        assertThat(EdgeSupport.metric(ports, "otelcol_exporter_send_failed_metric_points_total",
            Map.of("exporter", "prometheusremotewrite"))).as("remote write failures").isZero();
        assertThat(EdgeSupport.metric(ports, "otelcol_exporter_sent_metric_points_total",
            Map.of("exporter", "prometheusremotewrite"))).as("points remote-written").isPositive();
      }
    }
  }

  @Test
  void remoteWriteToAPrometheusThatIsDownRetriesThenCountsTheFailureAndKeepsRunning() throws Exception {
    Ports ports = Ports.free();
    int nobody = InflightProcess.freePort(); // nothing listens there
    Path config = dir.resolve("down.yaml");
    Files.writeString(config, remoteWriteConfig(ports, "http://127.0.0.1:" + nobody + "/api/v1/write", """
            retry_on_failure:
              initial_interval: 100ms
              max_interval: 200ms
              max_elapsed_time: 1s
        """).replace("allowed_lateness: 10s", "allowed_lateness: 1s"));
    try (InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString())) {
      p.awaitHttp200(ports.healthUrl(), START);
      long now = SdkSpans.nowNanos();
      SdkSpans.send(Transport.GRPC, ports, List.of(
          new Planned(SERVICE, "account worker", now - 300 * MS, now - 100 * MS, StatusCode.OK, ACCOUNT)), p);

      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      double failed = 0;
      while (failed == 0 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        failed = EdgeSupport.metric(ports, "otelcol_exporter_send_failed_metric_points_total",
            Map.of("exporter", "prometheusremotewrite"));
      }
      assertThat(failed).as("metric points counted as failed after the retries; stderr:\n%s",
          EdgeSupport.tail(p.stderr(), 4000)).isPositive();
      assertThat(p.stderr()).as("the failure is logged with where it went").contains("127.0.0.1:" + nobody);

      // Still running: healthy, and still taking spans.
      assertThat(p.process.isAlive()).isTrue();
      p.awaitHttp200(ports.healthUrl(), Duration.ofSeconds(5));
      long later = SdkSpans.nowNanos();
      SdkSpans.send(Transport.HTTP, ports, List.of(
          new Planned(SERVICE, "account worker 2", later - 200 * MS, later - 100 * MS, StatusCode.OK, ACCOUNT)), p);
      assertThat(EdgeSupport.metric(ports, "otelcol_receiver_accepted_spans_total", Map.of())).isEqualTo(2);
    }
  }

  // ---- helpers

  private static String remoteWriteConfig(Ports ports, String url, String extraExporterKeys) {
    return ports.otlpReceivers() + """
        connectors:
          concurrency:
            allowed_lateness: 10s
            dimensions: [service.name, deployment.environment-name]
            worker_types:
              - name: account_workers
                match: "account worker*"
                capacity: 16
              - name: storage_workers
                match: "storage write*"
        exporters:
          prometheusremotewrite:
            endpoint: %s
        %s
        """.formatted(url, extraExporterKeys.stripTrailing()) + ports.service("""
        traces:
          receivers: [otlp]
          exporters: [concurrency]
        metrics:
          receivers: [concurrency]
          exporters: [prometheusremotewrite]
        """);
  }

  /** The one series of {@code selector} as stored: sample time (ms) → value. */
  private static Map<Long, Double> byTime(PrometheusServer prometheus, String selector, List<String> problems) {
    List<Series> series = prometheus.stored(selector, Duration.ofMinutes(2));
    Map<Long, Double> out = new TreeMap<>();
    if (series.size() != 1) {
      problems.add(selector + ": " + series.size() + " series, expected 1");
      return out;
    }
    long previous = Long.MIN_VALUE;
    for (Sample s : series.get(0).samples()) {
      long t = s.timestamp().toEpochMilli();
      if (t % 1000 != 0) {
        problems.add(selector + ": a sample at " + t + "ms, not at a window end");
      }
      if (t <= previous) {
        problems.add(selector + ": samples out of time order");
      }
      previous = t;
      out.put(t, s.value());
    }
    return out;
  }

  private static void at(List<String> problems, String what, Map<Long, Double> values, long timeMillis,
      double expected, double relative) {
    Double v = values.get(timeMillis);
    if (v == null) {
      problems.add(what + ": no sample at " + timeMillis + " (samples at " + values.keySet() + ")");
    } else if (!within(v, expected, relative)) {
      problems.add(what + " = " + v + " at " + timeMillis + ", expected " + expected);
    }
  }

  private static void expect(List<String> problems, String what, OptionalDouble actual, double expected,
      double relative) {
    if (actual.isEmpty()) {
      problems.add(what + ": no result, expected " + expected);
    } else if (!within(actual.getAsDouble(), expected, relative)) {
      problems.add(what + " = " + actual.getAsDouble() + ", expected " + expected);
    }
  }

  private static boolean within(double actual, double expected, double relative) {
    return actual == expected || Math.abs(actual - expected) <= relative * Math.abs(expected);
  }

  /**
   * PromQL's {@code histogram_quantile} over classic buckets (Prometheus' bucketQuantile): the
   * bucket where the rank falls, linear interpolation inside it, the lowest bucket starting at 0,
   * and the highest finite bound when the rank falls into +Inf.
   *
   * @param perBucket counts per bucket, not cumulative; the last one is +Inf
   */
  static double histogramQuantile(double q, long[] boundsNanos, double[] perBucket) {
    int n = perBucket.length;
    double[] upper = new double[n];
    double[] cumulative = new double[n];
    double running = 0;
    for (int i = 0; i < n; i++) {
      upper[i] = i < boundsNanos.length ? boundsNanos[i] / 1e9 : Double.POSITIVE_INFINITY;
      running += perBucket[i];
      cumulative[i] = running;
    }
    double observations = cumulative[n - 1];
    double rank = q * observations;
    int b = 0;
    while (b < n - 1 && cumulative[b] < rank) {
      b++;
    }
    if (b == n - 1) {
      return upper[n - 2];
    }
    if (b == 0 && upper[0] <= 0) {
      return upper[0];
    }
    double bucketStart = b == 0 ? 0 : upper[b - 1];
    double count = cumulative[b] - (b == 0 ? 0 : cumulative[b - 1]);
    double r = rank - (b == 0 ? 0 : cumulative[b - 1]);
    return bucketStart + (upper[b] - bucketStart) * (r / count);
  }
}
