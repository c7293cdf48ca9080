package dev.inflight.connector.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.Dimension;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.Watermark;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.WorkerType;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Refusal;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The connector as the pipeline drives it: encoded OTLP requests in, OTLP metrics out, checked
 * against the sweep oracle. Covers decoding (resource and span attributes, status, tracestate),
 * classification, both watermarks and the self-metrics.
 */
class ConcurrencyConnectorTest extends ConnectorTestBase {
  private static final long[] BOUNDS =
      ConcurrencyConnectorConfig.DEFAULT_DURATION_BUCKETS.stream().mapToLong(Duration::toNanos).toArray();

  private ConcurrencyConnector connector(ConcurrencyConnectorConfig config, AtomicLong clock) {
    return new ConcurrencyConnector(
        config, sink, telemetry.settings(ComponentKind.CONNECTOR, "concurrency").telemetry(),
        LoggerFactory.getLogger("test"), clock::get);
  }

  /** 1s windows that wait 2s for late spans; groups idle for 3s expire. */
  private static ConcurrencyConnectorConfig config(Watermark watermark, WorkerType... types) {
    return ConcurrencyConnectorConfig.of(List.of(types))
        .withResolution(Duration.ofSeconds(1))
        .withAllowedLateness(Duration.ofSeconds(2))
        .withWatermark(watermark)
        .withIdleExpiration(Duration.ofSeconds(3));
  }

  // ---- building requests ------------------------------------------------------------------

  static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  static Span span(String name, long start, long end) {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(new byte[16]))
        .setSpanId(ByteString.copyFrom(new byte[8]))
        .setName(name)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(end)
        .addAttributes(attr("noise", "x".repeat(40)))
        .build();
  }

  static Span withStatus(Span s, Status.StatusCode code) {
    return s.toBuilder().setStatus(Status.newBuilder().setCode(code)).build();
  }

  static ResourceSpans resource(String service, Span... spans) {
    return ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", service)))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))
        .build();
  }

  static Traces traces(ResourceSpans... rs) {
    return Traces.of(ExportTraceServiceRequest.newBuilder().addAllResourceSpans(List.of(rs)).build());
  }

  // ---- reading metrics -----------------------------------------------------------------------

  /** One data point, flattened: metric name, attributes as strings, times, value. */
  record Point(String metric, Map<String, String> attributes, long start, long time, double value, HistogramDataPoint histogram) {}

  private List<Point> points() {
    return points(received);
  }

  /** Every data point the connector sent, flattened; ConcurrencySourceTest reads them too. */
  static List<Point> points(List<Metrics> received) {
    List<Point> out = new ArrayList<>();
    for (Metrics m : received) {
      for (ResourceMetrics rm : m.request().getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          assertThat(sm.getScope().getName()).isEqualTo("dev.inflight.connector.concurrency");
          for (Metric metric : sm.getMetricsList()) {
            switch (metric.getDataCase()) {
              case GAUGE -> metric.getGauge().getDataPointsList().forEach(p -> out.add(number(metric, p)));
              case SUM -> metric.getSum().getDataPointsList().forEach(p -> out.add(number(metric, p)));
              case HISTOGRAM -> metric.getHistogram().getDataPointsList().forEach(p ->
                  out.add(new Point(metric.getName(), attrs(p.getAttributesList()), p.getStartTimeUnixNano(),
                      p.getTimeUnixNano(), p.getCount(), p)));
              default -> throw new AssertionError("unexpected metric " + metric);
            }
          }
        }
      }
    }
    return out;
  }

  private static Point number(Metric m, NumberDataPoint p) {
    double v = p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
    return new Point(m.getName(), attrs(p.getAttributesList()), p.getStartTimeUnixNano(), p.getTimeUnixNano(), v, null);
  }

  private static Map<String, String> attrs(List<KeyValue> kvs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      m.put(kv.getKey(), v.hasBoolValue() ? Boolean.toString(v.getBoolValue()) : v.getStringValue());
    }
    return m;
  }

  private List<Point> series(String metric, Map<String, String> attributes) {
    return points().stream()
        .filter(p -> p.metric().equals(metric) && p.attributes().equals(attributes))
        .toList();
  }

  /** Checks every window the oracle describes for one group against what the connector sent. */
  private void assertMatchesOracle(Map<String, String> group, List<SweepOracle.Span> spans, Double capacity) {
    long first = Math.floorDiv(spans.stream().mapToLong(SweepOracle.Span::start).min().orElseThrow(), S);
    long last = Math.floorDiv(spans.stream().mapToLong(SweepOracle.Span::end).max().orElseThrow(), S);
    List<SweepOracle.Window> expected = SweepOracle.windows(spans, S, first, last + 1, BOUNDS);
    Map<Long, Point> active = byTime(series("workers.active", group));
    Map<Long, Point> max = byTime(series("workers.active.max", group));
    Map<Long, Point> busy = byTime(series("workers.busy_time", group));
    Map<Long, Point> duration = byTime(series("workers.duration", group));
    Map<Long, Point> utilization = byTime(series("workers.utilization", group));
    for (SweepOracle.Window w : expected) {
      assertThat(active).as("workers.active at %d", w.end()).containsKey(w.end());
      assertThat(active.get(w.end()).start()).isEqualTo(w.start());
      assertThat(active.get(w.end()).value()).as("active at %d", w.end()).isCloseTo(w.active(), within(1e-9));
      assertThat(max.get(w.end()).value()).as("max at %d", w.end()).isEqualTo(w.activeMax());
      assertThat(busy.get(w.end()).value()).as("busy at %d", w.end()).isCloseTo(w.busySeconds(), within(1e-9));
      assertThat(busy.get(w.end()).start()).isEqualTo(first * S);
      HistogramDataPoint h = duration.get(w.end()).histogram();
      for (int b = 0; b < w.bucketCounts().length; b++) {
        assertThat((double) h.getBucketCounts(b)).as("bucket %d at %d", b, w.end()).isEqualTo(w.bucketCounts()[b]);
      }
      assertThat(h.getSum()).isCloseTo(w.durationSum(), within(1e-9));
      for (int s = 0; s < 3; s++) {
        Map<String, String> withStatus = new LinkedHashMap<>(group);
        withStatus.put("status", ConcurrencyMetrics.STATUS_VALUES[s]);
        assertThat(byTime(series("workers.spans", withStatus)).get(w.end()).value())
            .as("spans %s at %d", ConcurrencyMetrics.STATUS_VALUES[s], w.end())
            .isEqualTo(w.spans()[s]);
      }
      if (capacity != null) {
        assertThat(utilization.get(w.end()).value()).isCloseTo(w.active() / capacity, within(1e-12));
      } else {
        assertThat(utilization).isEmpty();
      }
    }
  }

  private static Map<Long, Point> byTime(List<Point> points) {
    Map<Long, Point> m = new HashMap<>();
    for (Point p : points) {
      assertThat(m.put(p.time(), p)).as("one point per window for %s", p).isNull();
    }
    return m;
  }

  // ---- tests --------------------------------------------------------------------------------

  @Test
  void encodedSpansBecomePointsEqualToTheOracle() throws Exception {
    ConcurrencyConnector c =
        connector(config(Watermark.EVENT_TIME, ACCOUNT, STORAGE), new AtomicLong());
    List<Span> account =
        List.of(
            span("account worker 1", T0 + 100 * MS, T0 + 900 * MS),
            span("account worker 2", T0 + 300 * MS, T0 + 1500 * MS),
            withStatus(span("account worker 3", T0 + 900 * MS, T0 + 900 * MS), Status.StatusCode.STATUS_CODE_OK),
            withStatus(span("account worker 1", T0 + 900 * MS, T0 + 2 * S), Status.StatusCode.STATUS_CODE_ERROR));
    List<Span> storage =
        List.of(span("storage write", T0 + 200 * MS, T0 + 250 * MS), span("blob write", T0 + 240 * MS, T0 + 2500 * MS));

    c.consumeTraces(traces(resource("checkout", account.get(0), storage.get(0), span("GET /", T0, T0 + S))));
    c.consumeTraces(traces(resource("checkout", account.get(1), account.get(2)), resource("checkout", storage.get(1))));
    c.consumeTraces(traces(resource("checkout", account.get(3))));
    c.shutdown();

    assertMatchesOracle(
        Map.of("worker.type", "account_workers", "service.name", "checkout"), oracleSpans(account), 8.0);
    assertMatchesOracle(
        Map.of("worker.type", "storage_workers", "service.name", "checkout"), oracleSpans(storage), null);
    assertThat(points()).noneMatch(p -> p.attributes().containsValue("GET /"));
    assertThat(telemetry.await("inflight_connector_concurrency_unmatched_spans_total", Map.of("connector", "concurrency"), 1))
        .isEqualTo(1);
  }

  private static List<SweepOracle.Span> oracleSpans(List<Span> spans) {
    return spans.stream()
        .map(s -> new SweepOracle.Span(s.getStartTimeUnixNano(), s.getEndTimeUnixNano(), 1,
            switch (s.getStatus().getCode()) {
              case STATUS_CODE_OK -> SweepOracle.OK;
              case STATUS_CODE_ERROR -> SweepOracle.ERROR;
              default -> SweepOracle.UNSET;
            }))
        .toList();
  }

  @Test
  void servicesKeepTheirOwnGroups() throws Exception {
    ConcurrencyConnector c = connector(config(Watermark.EVENT_TIME, ACCOUNT), new AtomicLong());

    c.consumeTraces(traces(
        resource("a", span("account worker", T0, T0 + 500 * MS)),
        resource("b", span("account worker", T0, T0 + 500 * MS), span("account worker", T0, T0 + 700 * MS))));
    c.shutdown();

    assertThat(series("workers.active.max", Map.of("worker.type", "account_workers", "service.name", "a")))
        .extracting(Point::value).first().isEqualTo(1.0);
    assertThat(series("workers.active.max", Map.of("worker.type", "account_workers", "service.name", "b")))
        .extracting(Point::value).first().isEqualTo(2.0);
  }

  @Test
  void theFirstMatchingWorkerTypeWinsAndServiceFiltersApply() throws Exception {
    WorkerType onlyPayments = new WorkerType("payment_workers", List.of("account worker*"), null, List.of("pay*"));
    ConcurrencyConnector c =
        connector(config(Watermark.EVENT_TIME, onlyPayments, ACCOUNT).withDimensions(List.of()), new AtomicLong());

    c.consumeTraces(traces(
        resource("payments", span("account worker", T0, T0 + 500 * MS)),
        resource("checkout", span("account worker", T0, T0 + 500 * MS))));
    c.shutdown();

    assertThat(series("workers.active.max", Map.of("worker.type", "payment_workers"))).extracting(Point::value).first().isEqualTo(1.0);
    assertThat(series("workers.active.max", Map.of("worker.type", "account_workers"))).extracting(Point::value).first().isEqualTo(1.0);
  }

  @Test
  void aDimensionMissingOnTheResourceIsReadFromTheSpanOrDefaulted() throws Exception {
    ConcurrencyConnector c =
        connector(
            config(Watermark.EVENT_TIME, ACCOUNT)
                .withDimensions(List.of(new Dimension("service.name", null), new Dimension("http.route", "other"))),

            new AtomicLong());
    Span withRoute = span("account worker", T0, T0 + 500 * MS).toBuilder().addAttributes(attr("http.route", "/pay")).build();

    c.consumeTraces(traces(resource("svc", withRoute, span("account worker", T0, T0 + 200 * MS))));
    c.shutdown();

    assertThat(series("workers.active.max", Map.of("worker.type", "account_workers", "service.name", "svc", "http.route", "/pay")))
        .isNotEmpty();
    assertThat(series("workers.active.max", Map.of("worker.type", "account_workers", "service.name", "svc", "http.route", "other")))
        .isNotEmpty();
  }

  @Test
  void aGroupWithoutTheDimensionHasNoSuchAttribute() throws Exception {
    ConcurrencyConnector c = connector(config(Watermark.EVENT_TIME, ACCOUNT), new AtomicLong());
    ResourceSpans noService =
        ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span("account worker", T0, T0 + S))).build();

    c.consumeTraces(traces(noService));
    c.shutdown();

    assertThat(series("workers.active.max", Map.of("worker.type", "account_workers"))).isNotEmpty();
  }

  @Test
  void theSamplingThresholdInTracestateWeighsEachSpan() throws Exception {
    ConcurrencyConnector c = connector(config(Watermark.EVENT_TIME, ACCOUNT).withDimensions(List.of()), new AtomicLong());
    // th:e6666666666668 rejects 90% (p = 0.1): each kept span stands for 10.
    Span tenPercent = span("account worker", T0, T0 + 500 * MS).toBuilder().setTraceState("vendor=x,ot=th:e6666666666668;rv:0123").build();
    Span always = span("account worker", T0 + 100 * MS, T0 + 600 * MS).toBuilder().setTraceState("ot=th:0").build();

    c.consumeTraces(traces(resource("svc", tenPercent, always)));
    c.shutdown();

    double p = 1 - (double) 0xe6666666666668L / 0x1p56;
    Map<String, String> group = Map.of("worker.type", "account_workers");
    assertThat(series("workers.active.max", group)).extracting(Point::value).first()
        .satisfies(v -> assertThat(v).isCloseTo(1 / p + 1, within(1e-9)));
    assertThat(1 / p).isCloseTo(10, within(1e-9));
  }

  @Test
  void samplingRatioWeighsSpansWithoutAThreshold() throws Exception {
    ConcurrencyConnector c = connector(config(Watermark.EVENT_TIME, ACCOUNT).withDimensions(List.of()).withSamplingRatio(0.25), new AtomicLong());
    Span thresholded = span("account worker", T0, T0 + 500 * MS).toBuilder().setTraceState("ot=th:8").build(); // p = 0.5

    c.consumeTraces(traces(resource("svc", span("account worker", T0, T0 + 500 * MS), thresholded)));
    c.shutdown();

    Map<String, String> group = Map.of("worker.type", "account_workers");
    assertThat(series("workers.active.max", group)).extracting(Point::value).first().isEqualTo(4.0 + 2.0);
    Map<String, String> unset = Map.of("worker.type", "account_workers", "status", "unset");
    assertThat(series("workers.spans", unset)).extracting(Point::value).last().isEqualTo(6.0);
  }

  @Test
  void wallClockClosesAWindowOnlyAfterItsLatenessAndMeasuresArrivalLag() throws Exception {
    AtomicLong clock = new AtomicLong(T0 + 10 * S);
    ConcurrencyConnector c = connector(config(Watermark.WALL_CLOCK, ACCOUNT).withDimensions(List.of()), clock);

    c.consumeTraces(traces(resource("svc", span("account worker", T0 + 9 * S, T0 + 9 * S + 500 * MS))));
    clock.set(T0 + 12 * S - 1); // window [9s, 10s) is due at 10s + 2s lateness
    c.closeDue();
    assertThat(received).isEmpty();
    clock.set(T0 + 12 * S);
    c.closeDue();

    assertThat(series("workers.active", Map.of("worker.type", "account_workers")))
        .singleElement()
        .satisfies(p -> {
          assertThat(p.time()).isEqualTo(T0 + 10 * S);
          assertThat(p.value()).isEqualTo(0.5);
        });
    Map<String, String> labels = Map.of("connector", "concurrency");
    assertThat(telemetry.await("inflight_connector_concurrency_arrival_lag_seconds_count", labels, 1)).isEqualTo(1);
    assertThat(telemetry.value("inflight_connector_concurrency_arrival_lag_seconds_sum", labels)).isCloseTo(0.5, within(1e-9));
    c.shutdown();
  }

  @Test
  void aSpanEndingInTheFutureIsCountedAsClockSkew() throws Exception {
    AtomicLong clock = new AtomicLong(T0 + 10 * S);
    ConcurrencyConnector c = connector(config(Watermark.WALL_CLOCK, ACCOUNT).withDimensions(List.of()), clock);

    c.consumeTraces(traces(resource("svc",
        span("account worker", T0 + 9 * S, T0 + 10 * S + 900 * MS), // within the 1s skew allowed
        span("account worker", T0 + 9 * S, T0 + 13 * S))));

    assertThat(telemetry.await("inflight_connector_concurrency_future_spans_total", Map.of("connector", "concurrency"), 1))
        .isEqualTo(1);
    c.shutdown();
  }

  @Test
  void aLateSpanCountsInBusyTimeAndLateSpansButNotInClosedGauges() throws Exception {
    AtomicLong clock = new AtomicLong(T0 + 10 * S);
    ConcurrencyConnector c = connector(config(Watermark.WALL_CLOCK, ACCOUNT).withDimensions(List.of()), clock);
    // Closed so far: windows ending at or before 8s. The span covers [7.5s, 8.5s): half closed.
    c.consumeTraces(traces(resource("svc", span("account worker", T0 + 7500 * MS, T0 + 8500 * MS))));
    clock.set(T0 + 11 * S);
    c.closeDue();
    assertThat(telemetry.await("inflight_connector_concurrency_late_spans_total", Map.of("connector", "concurrency"), 1))
        .isEqualTo(1);
    c.shutdown();

    Map<String, String> group = Map.of("worker.type", "account_workers");
    assertThat(series("workers.active", group)).singleElement().satisfies(p -> {
      assertThat(p.time()).isEqualTo(T0 + 9 * S);
      assertThat(p.value()).isEqualTo(0.5);
    });
    assertThat(series("workers.busy_time", group)).singleElement().extracting(Point::value).isEqualTo(1.0);
    assertThat(series("workers.late_spans", group)).singleElement().extracting(Point::value).isEqualTo(1.0);
  }

  @Test
  void spansWithoutTimesOrEndingBeforeTheyStartAreDroppedAndCountedByReason() throws Exception {
    ConcurrencyConnector c = connector(config(Watermark.EVENT_TIME, ACCOUNT).withDimensions(List.of()), new AtomicLong());

    c.consumeTraces(traces(resource("svc",
        span("account worker", 0, T0),
        span("account worker", T0 + S, T0),
        span("account worker", T0, T0 + S))));
    c.shutdown();

    Map<String, String> labels = Map.of("connector", "concurrency");
    assertThat(telemetry.await("inflight_connector_concurrency_dropped_spans_total",
        Map.of("connector", "concurrency", "reason", "missing_timestamp"), 1)).isEqualTo(1);
    assertThat(telemetry.value("inflight_connector_concurrency_dropped_spans_total",
        Map.of("connector", "concurrency", "reason", "end_before_start"))).isEqualTo(1);
    assertThat(series("workers.spans", Map.of("worker.type", "account_workers", "status", "unset")))
        .extracting(Point::value).last().isEqualTo(1.0);
    assertThat(telemetry.value("inflight_connector_concurrency_unmatched_spans_total", labels)).isZero();
  }

  @Test
  void malformedBytesAreRefusedPermanently() {
    ConcurrencyConnector c = connector(config(Watermark.EVENT_TIME, ACCOUNT).withDimensions(List.of()), new AtomicLong());

    assertThatThrownBy(() -> c.consumeTraces(Traces.ofEncoded(new byte[] {0x0a, 0x7f, 0x01})))
        .isInstanceOf(Refusal.class)
        .satisfies(e -> assertThat(((Refusal) e).isRetryable()).isFalse());
  }

  @Test
  void instancesCountDistinctBusyThreads() throws Exception {
    ConcurrencyConnector c = connector(config(Watermark.EVENT_TIME, ACCOUNT).withDimensions(List.of()).withInstanceAttribute("thread.name"), new AtomicLong());
    Span t1 = span("account worker", T0, T0 + 300 * MS).toBuilder().addAttributes(attr("thread.name", "pool-1")).build();
    Span t1again = span("account worker", T0 + 400 * MS, T0 + 1200 * MS).toBuilder().addAttributes(attr("thread.name", "pool-1")).build();
    Span t2 = span("account worker", T0 + 100 * MS, T0 + 200 * MS).toBuilder().addAttributes(attr("thread.name", "pool-2")).build();

    c.consumeTraces(traces(resource("svc", t1, t1again, t2)));
    c.shutdown();

    Map<Long, Point> instances = byTime(series("workers.instances", Map.of("worker.type", "account_workers")));
    assertThat(instances.get(T0 + S).value()).isEqualTo(2.0);
    assertThat(instances.get(T0 + 2 * S).value()).isEqualTo(1.0);
  }

  @Test
  void theRefusalOfTheMetricsPipelineIsCountedNotThrown() throws Exception {
    MetricsConsumer refusing = m -> {
      throw Refusal.retryable("queue full");
    };
    ConcurrencyConnector c =
        new ConcurrencyConnector(
            config(Watermark.EVENT_TIME, ACCOUNT).withDimensions(List.of()), refusing,
            telemetry.settings(ComponentKind.CONNECTOR, "concurrency").telemetry(), LoggerFactory.getLogger("test"),
            () -> 0);

    c.consumeTraces(traces(resource("svc", span("account worker", T0, T0 + S))));
    c.shutdown();

    assertThat(telemetry.await("inflight_connector_concurrency_refused_points_total", Map.of("connector", "concurrency"), 1))
        .isGreaterThan(0);
  }
}
