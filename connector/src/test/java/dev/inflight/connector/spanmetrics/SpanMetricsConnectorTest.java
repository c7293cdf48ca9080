package dev.inflight.connector.spanmetrics;

import static dev.inflight.connector.spanmetrics.SpanMetricsFixture.MS;
import static dev.inflight.connector.spanmetrics.SpanMetricsFixture.S;
import static dev.inflight.connector.spanmetrics.SpanMetricsFixture.T0;
import static dev.inflight.connector.spanmetrics.SpanMetricsFixture.attrs;
import static dev.inflight.connector.spanmetrics.SpanMetricsFixture.bytes;
import static dev.inflight.connector.spanmetrics.SpanMetricsFixture.config;
import static dev.inflight.connector.spanmetrics.SpanMetricsFixture.integer;
import static dev.inflight.connector.spanmetrics.SpanMetricsFixture.metric;
import static dev.inflight.connector.spanmetrics.SpanMetricsFixture.service;
import static dev.inflight.connector.spanmetrics.SpanMetricsFixture.span;
import static dev.inflight.connector.spanmetrics.SpanMetricsFixture.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.inflight.component.Refusal;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The connector as the pipeline drives it: encoded requests of generated spans in, OTLP metrics out
 * on flush, compared with counts, bucket counts and sums the test computes itself from the spans.
 */
class SpanMetricsConnectorTest {
  /** contrib's default bounds, written out here rather than taken from the config. */
  private static final double[] CONTRIB_BOUNDS_MS = {
    2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10_000, 15_000
  };
  private static final String[] NAMES = {"GET /cart", "POST /checkout", "SELECT orders"};
  private static final SpanKind[] KINDS = {SpanKind.SPAN_KIND_SERVER, SpanKind.SPAN_KIND_CLIENT, SpanKind.SPAN_KIND_INTERNAL};
  private static final StatusCode[] STATUSES = {
    StatusCode.STATUS_CODE_UNSET, StatusCode.STATUS_CODE_OK, StatusCode.STATUS_CODE_ERROR
  };
  /** Durations in ms, bounds themselves among them (a bound is inclusive), 0 and beyond the last bound. */
  private static final double[] DURATIONS_MS = {0, 0.5, 2, 2.000001, 3, 10, 49.9, 50, 120, 999, 1400, 7000, 15000, 20000};

  private final List<Metrics> received = new CopyOnWriteArrayList<>();
  private final AtomicLong clock = new AtomicLong(T0);

  private SpanMetricsConnector connector(String yaml) {
    return new SpanMetricsConnector(config(yaml), received::add, LoggerFactory.getLogger("test"), clock::get);
  }

  private ExportMetricsServiceRequest flush(SpanMetricsConnector c) {
    int before = received.size();
    c.flush();
    assertThat(received).hasSize(before + 1);
    return received.get(received.size() - 1).request();
  }

  private static ResourceSpans resource(List<KeyValue> attributes, List<Span> spans) {
    return ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAllAttributes(attributes))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))
        .build();
  }

  private static Traces request(ResourceSpans... rs) {
    return Traces.of(ExportTraceServiceRequest.newBuilder().addAllResourceSpans(List.of(rs)).build());
  }

  /** What one series should hold, computed from the spans. */
  private static final class Expected {
    long count;
    double sumMs;
    final long[] buckets = new long[CONTRIB_BOUNDS_MS.length + 1];

    void add(double ms) {
      count++;
      sumMs += ms;
      int i = 0;
      while (i < CONTRIB_BOUNDS_MS.length && ms > CONTRIB_BOUNDS_MS[i]) {
        i++;
      }
      buckets[i]++;
    }
  }

  /** One random request: two services, random names, kinds, statuses, durations and http.method. */
  private static Traces randomRequest(Random random, Map<String, Expected> expected, int spans) {
    Map<String, List<Span>> byService = new LinkedHashMap<>();
    for (int i = 0; i < spans; i++) {
      String service = random.nextBoolean() ? "cart" : "checkout";
      String name = NAMES[random.nextInt(NAMES.length)];
      SpanKind kind = KINDS[random.nextInt(KINDS.length)];
      StatusCode status = STATUSES[random.nextInt(STATUSES.length)];
      double ms = DURATIONS_MS[random.nextInt(DURATIONS_MS.length)];
      long start = T0 - 10 * S + random.nextInt(1000) * MS;
      long end = start + Math.round(ms * MS);
      boolean backwards = random.nextInt(20) == 0; // end before start: counted with duration 0
      Span.Builder s = span(name, kind, status, backwards ? end : start, backwards ? start - 1 : end);
      String method = null;
      if (random.nextInt(3) > 0) {
        method = random.nextBoolean() ? "GET" : "POST";
        s.addAttributes(str("http.method", method));
      }
      byService.computeIfAbsent(service, k -> new ArrayList<>()).add(s.build());
      String key = service + "|" + name + "|" + kind.name() + "|" + status.name() + "|" + (method == null ? "NONE" : method);
      expected.computeIfAbsent(key, k -> new Expected()).add(backwards ? 0 : (end - start) / (double) MS);
    }
    List<ResourceSpans> rs = new ArrayList<>();
    byService.forEach((svc, list) -> rs.add(resource(List.of(str("service.name", svc), str("host.name", "h1")), list)));
    return request(rs.toArray(ResourceSpans[]::new));
  }

  /** The emitted calls and duration points by the same key the generator used. */
  private static void assertMatches(ExportMetricsServiceRequest out, Map<String, Expected> expected) {
    Map<String, Long> calls = new HashMap<>();
    Map<String, HistogramDataPoint> durations = new HashMap<>();
    for (ResourceMetrics rm : out.getResourceMetricsList()) {
      assertThat(rm.getScopeMetrics(0).getScope().getName()).isEqualTo("spanmetricsconnector");
      for (NumberDataPoint p : metric(rm, "traces.span.metrics.calls").getSum().getDataPointsList()) {
        calls.put(key(rm, p.getAttributesList()), p.getAsInt());
      }
      for (HistogramDataPoint p : metric(rm, "traces.span.metrics.duration").getHistogram().getDataPointsList()) {
        durations.put(key(rm, p.getAttributesList()), p);
      }
    }
    assertThat(calls.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    assertThat(durations.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((k, e) -> {
      assertThat(calls.get(k)).as("calls of %s", k).isEqualTo(e.count);
      HistogramDataPoint p = durations.get(k);
      assertThat(p.getCount()).as("count of %s", k).isEqualTo(e.count);
      assertThat(p.getSum()).as("sum of %s", k).isCloseTo(e.sumMs, within(1e-6));
      assertThat(p.getBucketCountsList()).as("buckets of %s", k).containsExactly(box(e.buckets));
      assertThat(p.getExplicitBoundsList()).containsExactly(box(CONTRIB_BOUNDS_MS));
    });
  }

  private static String key(ResourceMetrics rm, List<KeyValue> kvs) {
    Map<String, String> a = attrs(kvs);
    assertThat(a.get("service.name")).isEqualTo(service(rm));
    return a.get("service.name") + "|" + a.get("span.name") + "|" + a.get("span.kind") + "|" + a.get("status.code")
        + "|" + a.getOrDefault("http.method", "?");
  }

  private static Long[] box(long[] a) {
    return java.util.Arrays.stream(a).boxed().toArray(Long[]::new);
  }

  private static Double[] box(double[] a) {
    return java.util.Arrays.stream(a).boxed().toArray(Double[]::new);
  }

  private static final String METHOD_DEFAULT = "    dimensions:\n      - name: http.method\n        default: NONE\n";

  @Test
  void cumulativeCallsAndDurationBucketsAreTheSpansCounted() throws Refusal {
    SpanMetricsConnector c = connector(METHOD_DEFAULT);
    Random random = new Random(22);
    Map<String, Expected> expected = new HashMap<>();
    for (int r = 0; r < 20; r++) {
      c.consumeTraces(randomRequest(random, expected, 50));
    }
    clock.set(T0 + 60 * S);
    ExportMetricsServiceRequest first = flush(c);
    assertMatches(first, expected);
    assertThat(first.getResourceMetricsList()).extracting(SpanMetricsFixture::service)
        .containsExactlyInAnyOrder("cart", "checkout");
    ResourceMetrics rm = first.getResourceMetrics(0);
    assertThat(rm.getResource().getAttributesList()).contains(str("host.name", "h1"));
    Metric calls = metric(rm, "traces.span.metrics.calls");
    assertThat(calls.getSum().getIsMonotonic()).isTrue();
    assertThat(calls.getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    Metric duration = metric(rm, "traces.span.metrics.duration");
    assertThat(duration.getUnit()).isEqualTo("ms");
    // Contrib's stamps: the series' first arrival as start, the flush as time.
    assertThat(calls.getSum().getDataPointsList()).allSatisfy(p -> {
      assertThat(p.getStartTimeUnixNano()).isEqualTo(T0);
      assertThat(p.getTimeUnixNano()).isEqualTo(T0 + 60 * S);
    });

    for (int r = 0; r < 5; r++) {
      c.consumeTraces(randomRequest(random, expected, 50));
    }
    clock.set(T0 + 120 * S);
    ExportMetricsServiceRequest second = flush(c);
    assertMatches(second, expected); // cumulative: everything since the start
    long starts = second.getResourceMetricsList().stream()
        .flatMap(x -> metric(x, "traces.span.metrics.calls").getSum().getDataPointsList().stream())
        .filter(p -> p.getStartTimeUnixNano() == T0).count();
    assertThat(starts).isPositive();
  }

  @Test
  void deltaEmitsEachIntervalOnceAndChainsStartTimes() throws Refusal {
    SpanMetricsConnector c = connector(METHOD_DEFAULT + "    aggregation_temporality: AGGREGATION_TEMPORALITY_DELTA\n");
    Random random = new Random(7);
    Map<String, Expected> firstExpected = new HashMap<>();
    c.consumeTraces(randomRequest(random, firstExpected, 300));
    clock.set(T0 + 60 * S);
    ExportMetricsServiceRequest first = flush(c);
    assertMatches(first, firstExpected);
    assertThat(metric(first.getResourceMetrics(0), "traces.span.metrics.calls").getSum().getAggregationTemporality())
        .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);

    clock.set(T0 + 70 * S);
    Map<String, Expected> secondExpected = new HashMap<>();
    c.consumeTraces(randomRequest(random, secondExpected, 300));
    clock.set(T0 + 120 * S);
    ExportMetricsServiceRequest second = flush(c);
    assertMatches(second, secondExpected); // only the second interval's spans
    for (ResourceMetrics rm : second.getResourceMetricsList()) {
      for (NumberDataPoint p : metric(rm, "traces.span.metrics.calls").getSum().getDataPointsList()) {
        String k = key(rm, p.getAttributesList());
        // A series seen before starts where its last point ended; a new one when its first span arrived.
        assertThat(p.getStartTimeUnixNano()).as(k).isEqualTo(firstExpected.containsKey(k) ? T0 + 60 * S : T0 + 70 * S);
        assertThat(p.getTimeUnixNano()).isEqualTo(T0 + 120 * S);
      }
    }
    // Nothing new: nothing is sent.
    clock.set(T0 + 180 * S);
    c.flush();
    assertThat(received).hasSize(2);
  }

  @Test
  void aResourceWithoutSpansForMetricsExpirationIsForgotten() throws Refusal {
    SpanMetricsConnector c = connector("    metrics_expiration: 90s\n");
    Span s = span("GET /", SpanKind.SPAN_KIND_SERVER, StatusCode.STATUS_CODE_UNSET, T0 - S, T0).build();
    c.consumeTraces(request(resource(List.of(str("service.name", "idle")), List.of(s)),
        resource(List.of(str("service.name", "busy")), List.of(s))));
    clock.set(T0 + 60 * S);
    assertThat(flush(c).getResourceMetricsList()).extracting(SpanMetricsFixture::service)
        .containsExactlyInAnyOrder("idle", "busy");

    clock.set(T0 + 61 * S);
    c.consumeTraces(request(resource(List.of(str("service.name", "busy")), List.of(s))));
    clock.set(T0 + 120 * S); // idle: 120s without spans ≥ 90s; busy: 59s
    ExportMetricsServiceRequest out = flush(c);
    assertThat(out.getResourceMetricsList()).extracting(SpanMetricsFixture::service).containsExactly("busy");
    assertThat(metric(out.getResourceMetrics(0), "traces.span.metrics.calls").getSum().getDataPoints(0).getAsInt())
        .isEqualTo(2);

    // Spans again after expiry: a new series, counting from 1 with a new start.
    clock.set(T0 + 130 * S);
    c.consumeTraces(request(resource(List.of(str("service.name", "idle")), List.of(s))));
    clock.set(T0 + 180 * S);
    NumberDataPoint again = flush(c).getResourceMetricsList().stream().filter(rm -> service(rm).equals("idle"))
        .map(rm -> metric(rm, "traces.span.metrics.calls").getSum().getDataPoints(0)).findFirst().orElseThrow();
    assertThat(again.getAsInt()).isEqualTo(1);
    assertThat(again.getStartTimeUnixNano()).isEqualTo(T0 + 130 * S);
  }

  @Test
  void beyondTheCardinalityLimitSpansCountInOneOverflowSeries() throws Refusal {
    SpanMetricsConnector c = connector("    aggregation_cardinality_limit: 3\n");
    List<Span> spans = new ArrayList<>();
    Map<String, Integer> perName = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      String name = "op-" + (i % 8);
      perName.merge(name, 1, Integer::sum);
      spans.add(span(name, SpanKind.SPAN_KIND_SERVER, StatusCode.STATUS_CODE_UNSET, T0 - S, T0 - S + (i + 1) * MS).build());
    }
    c.consumeTraces(request(resource(List.of(str("service.name", "svc")), spans),
        resource(List.of(str("service.name", "other")), spans.subList(0, 2))));
    ExportMetricsServiceRequest out = flush(c);
    ResourceMetrics svc = out.getResourceMetricsList().stream().filter(rm -> service(rm).equals("svc")).findFirst().orElseThrow();
    List<NumberDataPoint> points = metric(svc, "traces.span.metrics.calls").getSum().getDataPointsList();
    // The first three names seen get series; every other span is overflow.
    assertThat(points).hasSize(4);
    long named = 0;
    for (NumberDataPoint p : points) {
      Map<String, String> a = attrs(p.getAttributesList());
      if (a.containsKey("otel.metric.overflow")) {
        assertThat(a).containsExactly(Map.entry("otel.metric.overflow", "bool:true"));
        assertThat(p.getAsInt()).isEqualTo(40L - perName.get("op-0") - perName.get("op-1") - perName.get("op-2"));
      } else {
        assertThat(a.get("span.name")).isIn("op-0", "op-1", "op-2");
        assertThat(p.getAsInt()).isEqualTo((long) perName.get(a.get("span.name")));
        named++;
      }
    }
    assertThat(named).isEqualTo(3);
    List<HistogramDataPoint> histograms = metric(svc, "traces.span.metrics.duration").getHistogram().getDataPointsList();
    assertThat(histograms.stream().mapToLong(HistogramDataPoint::getCount).sum()).isEqualTo(40);
    // The limit is per resource: the other one has its own.
    ResourceMetrics other = out.getResourceMetricsList().stream().filter(rm -> service(rm).equals("other")).findFirst().orElseThrow();
    assertThat(metric(other, "traces.span.metrics.calls").getSum().getDataPointsList()).hasSize(2);
  }

  @Test
  void dimensionsComeFromTheSpanThenTheResourceThenTheDefault() throws Refusal {
    SpanMetricsConnector c = connector(
        "    namespace: \"\"\n"
            + "    exclude_dimensions: [status.code]\n"
            + "    dimensions:\n"
            + "      - name: region\n"
            + "      - name: http.status_code\n"
            + "      - name: tier\n"
            + "        default: free\n"
            + "      - name: absent\n");
    Span withAll = span("GET /", SpanKind.SPAN_KIND_SERVER, StatusCode.STATUS_CODE_ERROR, T0 - S, T0)
        .addAttributes(str("region", "eu-span")).addAttributes(integer("http.status_code", 500))
        .addAttributes(str("tier", "gold")).build();
    Span bare = span("GET /", SpanKind.SPAN_KIND_SERVER, StatusCode.STATUS_CODE_OK, T0 - S, T0).build();
    // The resource's attributes come after its spans on the wire: they must still be found.
    ResourceSpans rs = ResourceSpans.newBuilder()
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(withAll).addSpans(bare))
        .setResource(Resource.newBuilder().addAttributes(str("region", "eu-resource")).addAttributes(str("service.name", "api")))
        .build();
    c.consumeTraces(request(rs));
    ResourceMetrics rm = flush(c).getResourceMetrics(0);
    List<Map<String, String>> points = metric(rm, "calls").getSum().getDataPointsList().stream()
        .map(p -> attrs(p.getAttributesList())).toList();
    assertThat(points).containsExactlyInAnyOrder(
        Map.of("service.name", "api", "span.name", "GET /", "span.kind", "SPAN_KIND_SERVER",
            "region", "eu-span", "http.status_code", "int:500", "tier", "gold"),
        Map.of("service.name", "api", "span.name", "GET /", "span.kind", "SPAN_KIND_SERVER",
            "region", "eu-resource", "tier", "free"));
    assertThat(metric(rm, "duration").getUnit()).isEqualTo("ms");
  }

  @Test
  void secondsUnitAndCustomBucketsConvertTheBounds() throws Refusal {
    SpanMetricsConnector c = connector("    histogram:\n      unit: s\n      explicit:\n        buckets: [100us, 250ms, 1s]\n");
    long[] durations = {50_000, 100_000, 100_001, 250 * MS, 999 * MS, 2 * S};
    List<Span> spans = new ArrayList<>();
    for (long d : durations) {
      spans.add(span("x", SpanKind.SPAN_KIND_INTERNAL, StatusCode.STATUS_CODE_UNSET, T0 - 5 * S, T0 - 5 * S + d).build());
    }
    c.consumeTraces(request(resource(List.of(str("service.name", "s")), spans)));
    Metric m = metric(flush(c).getResourceMetrics(0), "traces.span.metrics.duration");
    assertThat(m.getUnit()).isEqualTo("s");
    HistogramDataPoint p = m.getHistogram().getDataPoints(0);
    assertThat(p.getExplicitBoundsList()).containsExactly(0.0001, 0.25, 1.0);
    assertThat(p.getBucketCountsList()).containsExactly(2L, 2L, 1L, 1L);
    double sum = 0;
    for (long d : durations) {
      sum += d / 1e9;
    }
    assertThat(p.getSum()).isCloseTo(sum, within(1e-12));
  }

  @Test
  void histogramDisableLeavesOnlyCalls() throws Refusal {
    SpanMetricsConnector c = connector("    histogram:\n      disable: true\n");
    c.consumeTraces(request(resource(List.of(str("service.name", "s")),
        List.of(span("x", SpanKind.SPAN_KIND_SERVER, StatusCode.STATUS_CODE_UNSET, T0 - S, T0).build()))));
    assertThat(flush(c).getResourceMetrics(0).getScopeMetrics(0).getMetricsList()).extracting(Metric::getName)
        .containsExactly("traces.span.metrics.calls");
  }

  @Test
  void exemplarsCarryTheSpansIdsUpToTheLimitForOneFlush() throws Refusal {
    SpanMetricsConnector c = connector("    exemplars:\n      enabled: true\n      max_per_data_point: 2\n");
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      spans.add(span("x", SpanKind.SPAN_KIND_SERVER, StatusCode.STATUS_CODE_UNSET, T0 - S, T0 - S + (i + 1) * MS)
          .setTraceId(bytes(16, i)).setSpanId(bytes(8, i)).build());
    }
    c.consumeTraces(request(resource(List.of(str("service.name", "s")), spans)));
    clock.set(T0 + 60 * S);
    ResourceMetrics rm = flush(c).getResourceMetrics(0);
    NumberDataPoint calls = metric(rm, "traces.span.metrics.calls").getSum().getDataPoints(0);
    assertThat(calls.getExemplarsList()).hasSize(2);
    assertThat(calls.getExemplars(0).getTraceId()).isEqualTo(bytes(16, 0));
    assertThat(calls.getExemplars(0).getSpanId()).isEqualTo(bytes(8, 0));
    assertThat(calls.getExemplars(1).getTraceId()).isEqualTo(bytes(16, 1));
    HistogramDataPoint h = metric(rm, "traces.span.metrics.duration").getHistogram().getDataPoints(0);
    assertThat(h.getExemplarsList()).extracting(e -> e.getAsDouble()).containsExactly(1.0, 2.0);
    assertThat(h.getExemplars(0).getTimeUnixNano()).isEqualTo(T0 + 60 * S);

    clock.set(T0 + 120 * S);
    ResourceMetrics again = flush(c).getResourceMetrics(0);
    assertThat(metric(again, "traces.span.metrics.calls").getSum().getDataPoints(0).getExemplarsList()).isEmpty();
  }

  @Test
  void eventTimeStampsPointsWithTheirSpansEnds() throws Refusal {
    SpanMetricsConnector c = connector("    timestamp: event_time\n");
    long end1 = T0 - 3600 * S; // a replay from an hour ago
    long end2 = end1 + 5 * S;
    c.consumeTraces(request(resource(List.of(str("service.name", "s")), List.of(
        span("x", SpanKind.SPAN_KIND_SERVER, StatusCode.STATUS_CODE_UNSET, end1 - MS, end1).build(),
        span("x", SpanKind.SPAN_KIND_SERVER, StatusCode.STATUS_CODE_UNSET, end2 - MS, end2).build()))));
    clock.set(T0 + 60 * S);
    ResourceMetrics rm = flush(c).getResourceMetrics(0);
    NumberDataPoint p = metric(rm, "traces.span.metrics.calls").getSum().getDataPoints(0);
    assertThat(p.getStartTimeUnixNano()).isEqualTo(end1);
    assertThat(p.getTimeUnixNano()).isEqualTo(end2);
    assertThat(metric(rm, "traces.span.metrics.duration").getHistogram().getDataPoints(0).getTimeUnixNano()).isEqualTo(end2);
  }

  @Test
  void exponentialHistogramBucketsHoldTheirValues() throws Refusal {
    SpanMetricsConnector c = connector("    histogram:\n      exponential:\n        max_size: 10\n");
    Random random = new Random(3);
    List<Span> spans = new ArrayList<>();
    List<Double> valuesMs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      long d = i == 0 ? 0 : 1 + (long) Math.exp(random.nextDouble() * Math.log(60e9)); // 1ns .. 60s
      valuesMs.add(d / 1e6);
      spans.add(span("x", SpanKind.SPAN_KIND_SERVER, StatusCode.STATUS_CODE_UNSET, T0 - 100 * S, T0 - 100 * S + d).build());
    }
    c.consumeTraces(request(resource(List.of(str("service.name", "s")), spans)));
    Metric m = metric(flush(c).getResourceMetrics(0), "traces.span.metrics.duration");
    ExponentialHistogramDataPoint p = m.getExponentialHistogram().getDataPoints(0);
    assertThat(p.getCount()).isEqualTo(200);
    assertThat(p.getZeroCount()).isEqualTo(1);
    assertThat(p.getPositive().getBucketCountsCount()).isLessThanOrEqualTo(10);
    assertThat(p.getSum()).isCloseTo(valuesMs.stream().mapToDouble(Double::doubleValue).sum(), within(1e-6));
    assertThat(p.getMin()).isEqualTo(0.0);
    // Recount from the point's own scale: bucket i holds (base^i, base^(i+1)].
    double base = Math.pow(2, Math.pow(2, -p.getScale()));
    Map<Integer, Long> counts = new HashMap<>();
    for (double v : valuesMs) {
      if (v > 0) {
        int index = (int) Math.ceil(Math.log(v) / Math.log(base) - 1e-9) - 1;
        counts.merge(index, 1L, Long::sum);
      }
    }
    for (int i = 0; i < p.getPositive().getBucketCountsCount(); i++) {
      assertThat(p.getPositive().getBucketCounts(i)).as("bucket %d", p.getPositive().getOffset() + i)
          .isEqualTo(counts.getOrDefault(p.getPositive().getOffset() + i, 0L));
    }
    assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(199);
  }

  @Test
  void eventsCountSpanEventsByTheirDimensions() throws Refusal {
    SpanMetricsConnector c = connector("    events:\n      enabled: true\n      dimensions:\n        - name: exception.type\n");
    Span s = span("x", SpanKind.SPAN_KIND_SERVER, StatusCode.STATUS_CODE_ERROR, T0 - S, T0)
        .addEvents(Span.Event.newBuilder().setName("exception").addAttributes(str("exception.type", "IOException")))
        .addEvents(Span.Event.newBuilder().setName("exception").addAttributes(str("exception.type", "IOException")))
        .addEvents(Span.Event.newBuilder().setName("exception").addAttributes(str("exception.type", "Timeout")))
        .addEvents(Span.Event.newBuilder().setName("log"))
        .build();
    c.consumeTraces(request(resource(List.of(str("service.name", "s")), List.of(s))));
    ResourceMetrics rm = flush(c).getResourceMetrics(0);
    Map<String, Long> byType = new HashMap<>();
    for (NumberDataPoint p : metric(rm, "traces.span.metrics.events").getSum().getDataPointsList()) {
      Map<String, String> a = attrs(p.getAttributesList());
      assertThat(a).containsEntry("status.code", "STATUS_CODE_ERROR");
      byType.put(a.getOrDefault("exception.type", "-"), p.getAsInt());
    }
    assertThat(byType).containsExactlyInAnyOrderEntriesOf(Map.of("IOException", 2L, "Timeout", 1L, "-", 1L));
    assertThat(metric(rm, "traces.span.metrics.calls").getSum().getDataPoints(0).getAsInt()).isEqualTo(1);
  }

  @Test
  void resourcesAreKeyedByTheKeyAttributesAndNeedAServiceName() throws Refusal {
    SpanMetricsConnector c = connector("    resource_metrics_key_attributes: [service.name]\n");
    Span s = span("x", SpanKind.SPAN_KIND_SERVER, StatusCode.STATUS_CODE_UNSET, T0 - S, T0).build();
    c.consumeTraces(request(
        resource(List.of(str("service.name", "a"), str("process.pid", "1")), List.of(s)),
        resource(List.of(str("process.pid", "2"), str("service.name", "a")), List.of(s)),
        resource(List.of(str("host.name", "no-service")), List.of(s))));
    ExportMetricsServiceRequest out = flush(c);
    assertThat(out.getResourceMetricsList()).hasSize(1);
    assertThat(metric(out.getResourceMetrics(0), "traces.span.metrics.calls").getSum().getDataPoints(0).getAsInt())
        .isEqualTo(2);
  }

  @Test
  void withoutKeyAttributesAttributeOrderDoesNotSplitAResource() throws Refusal {
    SpanMetricsConnector c = connector("");
    Span s = span("x", SpanKind.SPAN_KIND_SERVER, StatusCode.STATUS_CODE_UNSET, T0 - S, T0).build();
    c.consumeTraces(request(
        resource(List.of(str("service.name", "a"), str("host.name", "h")), List.of(s)),
        resource(List.of(str("host.name", "h"), str("service.name", "a")), List.of(s)),
        resource(List.of(str("host.name", "other"), str("service.name", "a")), List.of(s))));
    assertThat(flush(c).getResourceMetricsList()).hasSize(2);
  }

  @Test
  void malformedBytesAreRefusedPermanently() {
    SpanMetricsConnector c = connector("");
    assertThatThrownBy(() -> c.consumeTraces(Traces.ofEncoded(new byte[] {10, 50, 1})))
        .isInstanceOf(Refusal.class)
        .satisfies(e -> assertThat(((Refusal) e).isRetryable()).isFalse());
  }

  @Test
  void concurrentRequestsAndFlushesLoseAndDoubleNothing() throws Exception {
    SpanMetricsConnector c = connector("    aggregation_temporality: AGGREGATION_TEMPORALITY_DELTA\n");
    int threads = 4;
    int requests = 200;
    List<Thread> senders = new ArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      senders.add(new Thread(() -> {
        Random random = new Random(seed);
        try {
          for (int r = 0; r < requests; r++) {
            c.consumeTraces(randomRequest(random, new HashMap<>(), 10));
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      }));
    }
    senders.forEach(Thread::start);
    // Flushes race the senders: each delta point must count every span exactly once overall.
    while (senders.stream().anyMatch(Thread::isAlive)) {
      c.flush();
    }
    for (Thread t : senders) {
      t.join();
    }
    c.flush();
    assertThat(failures).isEmpty();
    long calls = 0;
    long histogramCount = 0;
    for (Metrics m : received) {
      for (ResourceMetrics rm : m.request().getResourceMetricsList()) {
        calls += metric(rm, "traces.span.metrics.calls").getSum().getDataPointsList().stream()
            .mapToLong(NumberDataPoint::getAsInt).sum();
        histogramCount += metric(rm, "traces.span.metrics.duration").getHistogram().getDataPointsList().stream()
            .mapToLong(HistogramDataPoint::getCount).sum();
      }
    }
    assertThat(calls).isEqualTo((long) threads * requests * 10);
    assertThat(histogramCount).isEqualTo(calls);
  }

  @Test
  void includedInstrumentationScopesNameTheirSeries() throws Refusal {
    SpanMetricsConnector c = connector("    include_instrumentation_scope: [io.opentelemetry.jdbc]\n");
    Span s = span("SELECT", SpanKind.SPAN_KIND_CLIENT, StatusCode.STATUS_CODE_UNSET, T0 - S, T0).build();
    ResourceSpans rs = ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(str("service.name", "db")))
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(s).addSpans(s)
            .setScope(io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                .setName("io.opentelemetry.jdbc").setVersion("2.1")))
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(s)
            .setScope(io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder().setName("io.opentelemetry.jdbc")))
        .addScopeSpans(ScopeSpans.newBuilder().addSpans(s)
            .setScope(io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder().setName("other").setVersion("1")))
        .build();
    c.consumeTraces(request(rs));
    Map<Map<String, String>, Long> points = new HashMap<>();
    for (NumberDataPoint p : metric(flush(c).getResourceMetrics(0), "traces.span.metrics.calls").getSum().getDataPointsList()) {
      Map<String, String> a = new HashMap<>(attrs(p.getAttributesList()));
      a.keySet().retainAll(List.of("span.instrumentation.scope.name", "span.instrumentation.scope.version"));
      points.put(a, p.getAsInt());
    }
    assertThat(points).containsExactlyInAnyOrderEntriesOf(Map.of(
        Map.of("span.instrumentation.scope.name", "io.opentelemetry.jdbc", "span.instrumentation.scope.version", "2.1"), 2L,
        Map.of("span.instrumentation.scope.name", "io.opentelemetry.jdbc"), 1L,
        Map.of(), 1L));
  }

  /**
   * The design's promise, measured with the JVM's per-thread allocation counter: a span that lands
   * in an existing series allocates nothing (no decoded span, attribute or key objects); what a
   * request allocates does not grow with its spans.
   */
  @Test
  void spansOfExistingSeriesAllocateNothing() throws Refusal {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    SpanMetricsConnector c = connector(METHOD_DEFAULT);
    Random random = new Random(5);
    Traces small = randomRequest(random, new HashMap<>(), 10);
    Traces large = randomRequest(random, new HashMap<>(), 1000);
    for (int i = 0; i < 2000; i++) { // every series exists, and the JIT has compiled the path
      c.consumeTraces(small);
      c.consumeTraces(large);
    }
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < 100; i++) {
      c.consumeTraces(small);
    }
    long smallBytes = threads.getThreadAllocatedBytes(id) - before;
    before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < 100; i++) {
      c.consumeTraces(large);
    }
    long largeBytes = threads.getThreadAllocatedBytes(id) - before;
    // 100 times 990 more spans: far less than a byte each beyond what the small requests cost.
    assertThat(largeBytes - smallBytes).as("bytes for 99,000 more spans (small: %d)", smallBytes)
        .isLessThan(99_000);
  }

  @Test
  void callsAndHistogramDimensionsKeyEachMetricApart() throws Refusal {
    SpanMetricsConnector c = connector(
        "    dimensions: [region]\n"
            + "    calls_dimensions: [{name: http.route, default: none}]\n"
            + "    histogram:\n      dimensions: [db.system]\n");
    List<Span> spans = new ArrayList<>();
    String[][] attrs = {{"/a", "pg"}, {"/a", "mysql"}, {"/b", "pg"}, {null, "pg"}};
    for (String[] a : attrs) {
      Span.Builder s = span("q", SpanKind.SPAN_KIND_SERVER, StatusCode.STATUS_CODE_UNSET, T0 - S, T0 - S + 3 * MS)
          .addAttributes(str("region", "eu")).addAttributes(str("db.system", a[1]));
      if (a[0] != null) {
        s.addAttributes(str("http.route", a[0]));
      }
      spans.add(s.build());
    }
    c.consumeTraces(request(resource(List.of(str("service.name", "s")), spans)));
    ResourceMetrics rm = flush(c).getResourceMetrics(0);
    Map<String, Long> calls = new HashMap<>();
    for (NumberDataPoint p : metric(rm, "traces.span.metrics.calls").getSum().getDataPointsList()) {
      Map<String, String> a = attrs(p.getAttributesList());
      assertThat(a).containsEntry("region", "eu").doesNotContainKey("db.system");
      calls.put(a.get("http.route"), p.getAsInt());
    }
    assertThat(calls).containsExactlyInAnyOrderEntriesOf(Map.of("/a", 2L, "/b", 1L, "none", 1L));
    Map<String, Long> durations = new HashMap<>();
    for (HistogramDataPoint p : metric(rm, "traces.span.metrics.duration").getHistogram().getDataPointsList()) {
      Map<String, String> a = attrs(p.getAttributesList());
      assertThat(a).containsEntry("region", "eu").doesNotContainKey("http.route");
      durations.put(a.get("db.system"), p.getCount());
      assertThat(p.getSum()).isCloseTo(3.0 * p.getCount(), within(1e-9));
    }
    assertThat(durations).containsExactlyInAnyOrderEntriesOf(Map.of("pg", 3L, "mysql", 1L));
  }

  @Test
  void beyondResourceMetricsCacheSizeTheLeastRecentlySeenResourceIsForgotten() throws Refusal {
    SpanMetricsConnector c = connector("    resource_metrics_cache_size: 2\n");
    Span s = span("x", SpanKind.SPAN_KIND_SERVER, StatusCode.STATUS_CODE_UNSET, T0 - S, T0).build();
    for (String service : List.of("a", "b", "a", "c")) { // c pushes out b, the least recently seen
      c.consumeTraces(request(resource(List.of(str("service.name", service)), List.of(s))));
    }
    Map<String, Long> calls = new HashMap<>();
    for (ResourceMetrics rm : flush(c).getResourceMetricsList()) {
      calls.put(service(rm), metric(rm, "traces.span.metrics.calls").getSum().getDataPoints(0).getAsInt());
    }
    assertThat(calls).containsExactlyInAnyOrderEntriesOf(Map.of("a", 2L, "c", 1L));
  }
}
