package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.connector.concurrency.SweepOracle;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.inflight.tests.OtlpMetricsBackend.Point;
import dev.inflight.tests.SdkSpans.Planned;
import dev.inflight.tests.SdkSpans.Transport;

/**
 * The {@code concurrency} connector end to end: the OpenTelemetry Java SDK's OTLP exporters (gRPC,
 * and HTTP/protobuf) send a fixed schedule of spans with explicit start and end times to a running
 * inflight whose traces pipeline feeds the connector and whose metrics pipeline sends the {@code
 * workers.*} metrics with the {@code otlp} exporter to a gRPC {@code MetricsService} in this test.
 * Every value and timestamp of every point, for every window of every group, must equal what the
 * processor module's brute-force {@link SweepOracle} computes from the exact nanoseconds the SDK
 * sent; windows must come contiguously per group from the window of its first span, fall to zero
 * after the last span and stop after {@code idle_expiration}; at SIGTERM nothing more is sent. The
 * connector's self-metrics count the spans no worker type matches.
 *
 * <p>Span times lie in the last second and a bit before "now", inside windows still open (the
 * allowed lateness is 3s and the spans are sent about 0.1s after the last of them ends), so the
 * only timing assumption is that one local export takes well under 2.9s. No assertion is on timing.
 */
class ConcurrencyEndToEndIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final long MS = 1_000_000L;
  private static final long RES = 1_000 * MS;
  private static final long LATENESS = 3_000 * MS;
  private static final long IDLE = 3_000 * MS;
  /** Zero windows a group reports after its last active window: those ending less than IDLE after it. */
  private static final long IDLE_WINDOWS = Math.floorDiv(IDLE + RES - 1, RES) - 1;
  private static final double CAPACITY = 8;
  private static final String SCOPE = "dev.inflight.connector.concurrency";

  /** The default duration buckets (the Prometheus client's), ns and s. */
  private static final long[] BOUNDS = {
    5 * MS, 10 * MS, 25 * MS, 50 * MS, 100 * MS, 250 * MS, 500 * MS, 1000 * MS, 2500 * MS, 5000 * MS, 10_000 * MS
  };
  private static final List<Double> BOUNDS_SECONDS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

  private static final String BILLING = "e2e-billing";
  private static final String LEDGER = "e2e-ledger";
  private static final String ACCOUNT = "account_workers";
  private static final String STORAGE = "storage_workers";
  private static final List<String> STATUSES = List.of("unset", "ok", "error");

  private static final String ACTIVE = "workers.active";
  private static final String ACTIVE_MAX = "workers.active.max";
  private static final String UTILIZATION = "workers.utilization";
  private static final String BUSY_TIME = "workers.busy_time";
  private static final String SPANS = "workers.spans";
  private static final String DURATION = "workers.duration";
  private static final String LATE_SPANS = "workers.late_spans";

  @TempDir Path dir;

  @Test
  void otlpGrpcSpansBecomeWorkerMetricsEqualToTheSweepOracle() throws Exception {
    run(Transport.GRPC);
  }

  @Test
  void otlpHttpSpansBecomeWorkerMetricsEqualToTheSweepOracle() throws Exception {
    run(Transport.HTTP);
  }

  /** A group: worker type plus the one dimension, service.name. */
  private record Group(String workerType, String service) {
    Map<String, String> attributes() {
      return Map.of("worker.type", workerType, "service.name", service);
    }

    @Override
    public String toString() {
      return workerType + "/" + service;
    }
  }

  /**
   * The schedule, relative to {@code b}, the start of a window: W0 = [b, b+1s), W1 = [b+1s, b+2s).
   *
   * <ul>
   *   <li>account_workers / e2e-billing: #2 ends exactly when #3 starts (b+500ms: half-open, no
   *       overlap, the level stays 2); #5 lifts the peak to 3 (a1, a3, a5); a zero-length span;
   *       #3 crosses into W1; #2 lasts exactly 250ms (the le=0.25 bucket), #5 exactly 10ms; one OK,
   *       one ERROR, the rest unset; odd nanoseconds on some times.
   *   <li>storage_workers / e2e-billing: two overlapping "storage write" spans, one ERROR.
   *   <li>account_workers / e2e-ledger (a second group of the same worker type): #1 ends exactly at
   *       the W0/W1 boundary and #2 starts there.
   *   <li>One span of e2e-billing that matches no worker type.
   * </ul>
   */
  private static List<Planned> schedule(long b) {
    return List.of(
        new Planned(BILLING, "account worker #1", b + 100 * MS + 7, b + 700 * MS, StatusCode.OK, ACCOUNT),
        new Planned(BILLING, "account worker #2", b + 250 * MS, b + 500 * MS, StatusCode.UNSET, ACCOUNT),
        new Planned(BILLING, "account worker #3", b + 500 * MS, b + 1050 * MS + 11, StatusCode.UNSET, ACCOUNT),
        new Planned(BILLING, "account worker", b + 600 * MS + 3, b + 600 * MS + 3, StatusCode.UNSET, ACCOUNT),
        new Planned(BILLING, "account worker #5", b + 650 * MS, b + 660 * MS, StatusCode.ERROR, ACCOUNT),
        new Planned(BILLING, "storage write", b + 200 * MS, b + 260 * MS, StatusCode.ERROR, STORAGE),
        new Planned(BILLING, "storage write 2", b + 230 * MS + 3, b + 980 * MS, StatusCode.UNSET, STORAGE),
        new Planned(LEDGER, "account worker #1", b + 990 * MS, b + 1000 * MS, StatusCode.UNSET, ACCOUNT),
        new Planned(LEDGER, "account worker #2", b + 1000 * MS, b + 1040 * MS + 1, StatusCode.OK, ACCOUNT),
        new Planned(BILLING, "http handler", b + 100 * MS, b + 900 * MS, StatusCode.UNSET, null));
  }

  private void run(Transport transport) throws Exception {
    try (OtlpMetricsBackend backend = new OtlpMetricsBackend()) {
      Ports ports = Ports.free();
      Path config = dir.resolve("config.yaml");
      Files.writeString(config, config(ports, backend.port()));
      try (InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString())) {
        p.awaitHttp200(ports.healthUrl(), START);
        SpanExporter exporter = SdkSpans.exporter(transport, ports);
        List<Planned> planned;
        List<SpanData> sent;
        try {
          // Warm-up, so connection set-up and class loading are done before the timed schedule is
          // sent: one span that no worker type matches, counted in the connector's self-metric.
          long now = SdkSpans.nowNanos();
          SdkSpans.export(exporter, SdkSpans.build(List.of(
              new Planned(BILLING, "GET /warmup", now - 20 * MS, now - 10 * MS, StatusCode.UNSET, null))), p);
          EdgeSupport.awaitMetric(p, ports, "inflight_connector_concurrency_unmatched_spans_total", Map.of(), 1,
              Duration.ofSeconds(20));

          // Just after a whole second s: the schedule fills [s - 1s, s + 50ms], all in the past.
          long s = Math.floorDiv(SdkSpans.nowNanos(), RES) * RES + RES;
          SdkSpans.sleepUntil(s + 100 * MS);
          planned = schedule(s - RES);
          sent = SdkSpans.build(planned);
          SdkSpans.export(exporter, sent, p);
        } finally {
          exporter.shutdown().join(5, TimeUnit.SECONDS);
        }
        SdkSpans.assertSentExactly(planned, sent);

        Map<Group, List<SweepOracle.Span>> oracleSpans = new LinkedHashMap<>();
        for (Planned s : planned) {
          if (s.workerType() != null) {
            oracleSpans.computeIfAbsent(new Group(s.workerType(), s.service()), k -> new ArrayList<>())
                .add(new SweepOracle.Span(s.start(), s.end(), 1, s.oracleStatus()));
          }
        }
        assertThat(oracleSpans.keySet()).containsExactlyInAnyOrder(
            new Group(ACCOUNT, BILLING), new Group(STORAGE, BILLING), new Group(ACCOUNT, LEDGER));
        Map<Group, Long> expectedLast = new LinkedHashMap<>();
        oracleSpans.forEach((g, spans) -> expectedLast.put(g,
            spans.stream().mapToLong(x -> Math.floorDiv(x.end(), RES)).max().orElseThrow() + IDLE_WINDOWS));

        // Wait (generously) for the last window each group must report, then three windows more:
        // had the groups not stopped after idle_expiration, their next points would have come.
        long lastIdx = expectedLast.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!expectedLast.entrySet().stream().allMatch(e -> backend.has(ACTIVE, e.getKey().attributes(), (e.getValue() + 1) * RES))) {
          if (System.nanoTime() > deadline || !p.process.isAlive()) {
            throw new AssertionError("the metrics of the last windows " + expectedLast + " did not arrive within 60s;"
                + " got:\n" + backend.summary() + "\ninflight stderr (tail):\n" + EdgeSupport.tail(p.stderr(), 4000));
          }
          Thread.sleep(100);
        }
        SdkSpans.sleepUntil((lastIdx + 1 + 3) * RES + LATENESS + 500 * MS);

        List<Point> points = backend.points();
        List<String> problems = new ArrayList<>();
        checkMetricDescriptors(backend.received(), problems);
        for (Map.Entry<Group, List<SweepOracle.Span>> e : oracleSpans.entrySet()) {
          checkGroup(e.getKey(), e.getValue(), expectedLast.get(e.getKey()), points, problems);
        }
        Set<Map<String, String>> groupsSeen = points.stream()
            .map(x -> { Map<String, String> a = new TreeMap<>(x.attrs()); a.remove("status"); return a; })
            .collect(Collectors.toSet());
        Set<Map<String, String>> groupsExpected = oracleSpans.keySet().stream()
            .map(g -> new TreeMap<>(g.attributes())).collect(Collectors.toSet());
        if (!groupsSeen.equals(groupsExpected)) {
          problems.add("points for attribute sets " + groupsSeen + ", expected exactly " + groupsExpected);
        }
        assertThat(problems).as("differences from the sweep oracle (%s); metrics received:\n%s",
            transport, backend.summary()).isEmpty();

        // The connector's own metrics: the warm-up and the "http handler" span matched no worker
        // type; nothing was late, dropped or from the future; the groups expired.
        long matched = oracleSpans.values().stream().mapToLong(List::size).sum();
        String self = InflightProcess.get(ports.metricsUrl()).body();
        assertThat(EdgeSupport.metric(self, "inflight_connector_concurrency_unmatched_spans_total", Map.of()))
            .as("unmatched spans\n%s", connectorLines(self)).isEqualTo(2);
        assertThat(EdgeSupport.metric(self, "inflight_connector_concurrency_late_spans_total", Map.of()))
            .as("late spans\n%s", connectorLines(self)).isZero();
        assertThat(EdgeSupport.metric(self, "inflight_connector_concurrency_dropped_spans_total", Map.of()))
            .as("dropped spans\n%s", connectorLines(self)).isZero();
        assertThat(EdgeSupport.metric(self, "inflight_connector_concurrency_future_spans_total", Map.of()))
            .as("future spans\n%s", connectorLines(self)).isZero();
        assertThat(EdgeSupport.metric(self, "inflight_connector_concurrency_groups", Map.of()))
            .as("groups left after idle_expiration\n%s", connectorLines(self)).isZero();
        assertThat(EdgeSupport.metric(self, "inflight_connector_concurrency_arrival_lag_seconds_count", Map.of()))
            .as("arrival lag observations (one per matched span)\n%s", connectorLines(self)).isEqualTo(matched);
        assertThat(EdgeSupport.metric(self, "otelcol_receiver_accepted_spans_total", Map.of()))
            .isEqualTo(planned.size() + 1);

        // SIGTERM drains and exits 0; the expired groups send nothing more at shutdown.
        int before = backend.received().size();
        p.signal("TERM");
        assertThat(p.waitFor(Duration.ofSeconds(15))).as("exit code after SIGTERM; stderr:\n%s", p.stderr()).isZero();
        assertThat(backend.received()).as("requests after the groups expired, at shutdown").hasSize(before);
      }
    }
  }

  // ---- checks

  /** Every value and timestamp of one group's points, window by window, against the oracle. */
  private static void checkGroup(Group g, List<SweepOracle.Span> spans, long expectedLastIdx, List<Point> points,
      List<String> problems) {
    Map<String, String> attrs = g.attributes();
    TreeSet<Long> ends = new TreeSet<>();
    for (Point x : points) {
      if (x.metric().equals(ACTIVE) && x.attrs().equals(attrs)) {
        ends.add(x.time());
      }
    }
    if (ends.isEmpty()) {
      problems.add(g + ": no " + ACTIVE + " points");
      return;
    }
    for (long end : ends) {
      if (Math.floorMod(end, RES) != 0) {
        problems.add(g + ": a window ending at " + end + ", not a multiple of the resolution");
        return;
      }
    }
    long firstIdx = ends.first() / RES - 1;
    long lastIdx = ends.last() / RES - 1;
    long dataFirstIdx = spans.stream().mapToLong(x -> Math.floorDiv(x.start(), RES)).min().orElseThrow();
    if (ends.size() != lastIdx - firstIdx + 1) {
      problems.add(g + ": windows not contiguous: ends " + ends);
    }
    // A group reports from the window of its first span: nothing before it (no leading zeros).
    if (firstIdx != dataFirstIdx) {
      problems.add(g + ": first window begins at " + firstIdx * RES + ", expected " + dataFirstIdx * RES
          + " (the window of the group's first span)");
    }
    if (lastIdx != expectedLastIdx) {
      problems.add(g + ": last window ends at " + (lastIdx + 1) * RES + ", expected " + (expectedLastIdx + 1) * RES
          + " (the last span's window, then " + IDLE_WINDOWS + " zero windows until idle_expiration)");
    }
    long groupStart = firstIdx * RES;
    boolean capacity = g.workerType().equals(ACCOUNT);
    for (SweepOracle.Window w : SweepOracle.windows(spans, RES, firstIdx, lastIdx + 1, BOUNDS)) {
      String at = g + " window [" + w.start() + ", " + w.end() + ") (" + (w.start() - groupStart) / MS + "ms after the first): ";
      // Gauges: stamped [window start, window end].
      gauge(points, ACTIVE, attrs, w, at, problems).ifPresent(v -> relative(v, w.active(), at + ACTIVE, problems));
      gauge(points, ACTIVE_MAX, attrs, w, at, problems).ifPresent(v -> exact(v, w.activeMax(), at + ACTIVE_MAX, problems));
      if (capacity) {
        gauge(points, UTILIZATION, attrs, w, at, problems)
            .ifPresent(v -> relative(v, w.active() / CAPACITY, at + UTILIZATION, problems));
      } else if (!find(points, UTILIZATION, attrs, w.end()).isEmpty()) {
        problems.add(at + UTILIZATION + " without a capacity");
      }
      // Cumulative sums and histogram: [start of the group's first window, window end].
      sum(points, BUSY_TIME, attrs, groupStart, w, at, problems)
          .ifPresent(v -> relative(v, w.busySeconds(), at + BUSY_TIME, problems));
      sum(points, LATE_SPANS, attrs, groupStart, w, at, problems).ifPresent(v -> exact(v, 0, at + LATE_SPANS, problems));
      for (int s = 0; s < 3; s++) {
        Map<String, String> withStatus = new TreeMap<>(attrs);
        withStatus.put("status", STATUSES.get(s));
        double expected = w.spans()[s];
        String what = at + SPANS + "{status=" + STATUSES.get(s) + "}";
        sum(points, SPANS, withStatus, groupStart, w, at, problems).ifPresent(v -> exact(v, expected, what, problems));
      }
      List<Point> h = find(points, DURATION, attrs, w.end());
      if (h.size() != 1 || h.get(0).histogram() == null) {
        problems.add(at + DURATION + ": " + h.size() + " histogram points, expected 1");
      } else {
        HistogramDataPoint d = h.get(0).histogram();
        if (d.getStartTimeUnixNano() != groupStart || d.getTimeUnixNano() != w.end()) {
          problems.add(at + DURATION + " stamped [" + d.getStartTimeUnixNano() + ", " + d.getTimeUnixNano()
              + "], expected [" + groupStart + ", " + w.end() + "]");
        }
        if (!d.getExplicitBoundsList().equals(BOUNDS_SECONDS)) {
          problems.add(at + DURATION + " bounds " + d.getExplicitBoundsList() + ", expected " + BOUNDS_SECONDS);
        }
        List<Long> expectedCounts = new ArrayList<>();
        long count = 0;
        for (double c : w.bucketCounts()) {
          expectedCounts.add(Math.round(c));
          count += Math.round(c);
        }
        if (!d.getBucketCountsList().equals(expectedCounts)) {
          problems.add(at + DURATION + " bucket counts " + d.getBucketCountsList() + ", expected " + expectedCounts);
        }
        exact(d.getCount(), count, at + DURATION + " count", problems);
        relative(d.getSum(), w.durationSum(), at + DURATION + " sum", problems);
      }
    }
    // The fixture is what it means to be, so a change cannot quietly make it trivial.
    List<SweepOracle.Window> all = SweepOracle.windows(spans, RES, firstIdx, lastIdx + 1, BOUNDS);
    SweepOracle.Window last = all.get(all.size() - 1);
    if (last.spanCount() != spans.size() || last.active() != 0 || last.activeMax() != 0) {
      problems.add(g + ": fixture: the last window should be idle with every span counted: " + last);
    }
  }

  private static Optional<Double> gauge(List<Point> points, String metric, Map<String, String> attrs,
      SweepOracle.Window w, String at, List<String> problems) {
    return number(points, metric, attrs, w.start(), w, at, problems);
  }

  private static Optional<Double> sum(List<Point> points, String metric, Map<String, String> attrs,
      long start, SweepOracle.Window w, String at, List<String> problems) {
    return number(points, metric, attrs, start, w, at, problems);
  }

  /** The one number point of {@code metric} with exactly {@code attrs} at the window's end, stamped from {@code start}. */
  private static Optional<Double> number(List<Point> points, String metric, Map<String, String> attrs,
      long start, SweepOracle.Window w, String at, List<String> problems) {
    List<Point> found = find(points, metric, attrs, w.end());
    if (found.size() != 1 || found.get(0).number() == null) {
      problems.add(at + metric + attrs + ": " + found.size() + " points, expected 1");
      return Optional.empty();
    }
    Point x = found.get(0);
    if (x.start() != start) {
      problems.add(at + metric + attrs + " start_time_unix_nano " + x.start() + ", expected " + start);
    }
    NumberDataPoint n = x.number();
    return Optional.of(n.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? (double) n.getAsInt() : n.getAsDouble());
  }

  private static List<Point> find(List<Point> points, String metric, Map<String, String> attrs, long time) {
    List<Point> out = new ArrayList<>();
    for (Point x : points) {
      if (x.metric().equals(metric) && x.time() == time && x.attrs().equals(attrs)) {
        out.add(x);
      }
    }
    return out;
  }

  private static void exact(double actual, double expected, String what, List<String> problems) {
    if (actual != expected) {
      problems.add(what + " = " + actual + ", expected exactly " + expected);
    }
  }

  private static void relative(double actual, double expected, String what, List<String> problems) {
    if (!(Math.abs(actual - expected) <= 1e-9 * Math.abs(expected))) {
      problems.add(what + " = " + actual + ", expected " + expected + " (within 1e-9 relative)");
    }
  }

  /** Kinds, units, temporality and scope of every metric in every request. */
  private static void checkMetricDescriptors(List<ExportMetricsServiceRequest> requests, List<String> problems) {
    Map<String, String> units = Map.of(ACTIVE, "{worker}", ACTIVE_MAX, "{worker}", UTILIZATION, "1", BUSY_TIME, "s",
        SPANS, "{span}", DURATION, "s", LATE_SPANS, "{span}");
    for (ExportMetricsServiceRequest r : requests) {
      for (ResourceMetrics rm : r.getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          if (!sm.getScope().getName().equals(SCOPE)) {
            problems.add("scope " + sm.getScope().getName() + ", expected " + SCOPE);
          }
          for (Metric m : sm.getMetricsList()) {
            String name = m.getName();
            if (!units.containsKey(name)) {
              problems.add("unexpected metric " + name);
              continue;
            }
            if (!m.getUnit().equals(units.get(name))) {
              problems.add(name + " unit " + m.getUnit() + ", expected " + units.get(name));
            }
            Metric.DataCase expectedKind = switch (name) {
              case ACTIVE, ACTIVE_MAX, UTILIZATION -> Metric.DataCase.GAUGE;
              case DURATION -> Metric.DataCase.HISTOGRAM;
              default -> Metric.DataCase.SUM;
            };
            if (m.getDataCase() != expectedKind) {
              problems.add(name + " is a " + m.getDataCase() + ", expected " + expectedKind);
            } else if (expectedKind == Metric.DataCase.SUM && (!m.getSum().getIsMonotonic()
                || m.getSum().getAggregationTemporality() != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)) {
              problems.add(name + " is not a cumulative monotonic sum");
            } else if (expectedKind == Metric.DataCase.HISTOGRAM
                && m.getHistogram().getAggregationTemporality() != AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
              problems.add(name + " is not a cumulative histogram");
            }
          }
        }
      }
    }
  }

    // ---- config, clock

  private static String config(Ports ports, int metricsPort) {
    return ports.otlpReceivers() + """
        connectors:
          concurrency:
            worker_types:
              - name: account_workers
                match: "account worker*"
                capacity: 8
              - name: storage_workers
                match: ["storage*"]
            resolution: 1s
            allowed_lateness: 3s
            idle_expiration: 3s
            watermark: wall_clock
        exporters:
          otlp:
            endpoint: 127.0.0.1:%d
            tls:
              insecure: true
        """.formatted(metricsPort) + ports.service("""
        traces:
          receivers: [otlp]
          exporters: [concurrency]
        metrics:
          receivers: [concurrency]
          exporters: [otlp]
        """);
  }

  private static String connectorLines(String metrics) {
    return metrics.lines().filter(l -> l.contains("concurrency")).collect(Collectors.joining("\n"));
  }

}
