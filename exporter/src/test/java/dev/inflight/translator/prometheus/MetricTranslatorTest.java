package dev.inflight.translator.prometheus;

import static dev.inflight.exporter.prometheus.OtlpMetrics.CONCURRENCY_SCOPE;
import static dev.inflight.exporter.prometheus.OtlpMetrics.SECOND;
import static dev.inflight.exporter.prometheus.OtlpMetrics.T0;
import static dev.inflight.exporter.prometheus.OtlpMetrics.attr;
import static dev.inflight.exporter.prometheus.OtlpMetrics.attrs;
import static dev.inflight.exporter.prometheus.OtlpMetrics.concurrencyWindow;
import static dev.inflight.exporter.prometheus.OtlpMetrics.counter;
import static dev.inflight.exporter.prometheus.OtlpMetrics.gauge;
import static dev.inflight.exporter.prometheus.OtlpMetrics.histogram;
import static dev.inflight.exporter.prometheus.OtlpMetrics.histogramPoint;
import static dev.inflight.exporter.prometheus.OtlpMetrics.intNumber;
import static dev.inflight.exporter.prometheus.OtlpMetrics.number;
import static dev.inflight.exporter.prometheus.OtlpMetrics.request;
import static dev.inflight.exporter.prometheus.OtlpMetrics.resource;
import static dev.inflight.exporter.prometheus.OtlpMetrics.scope;
import static dev.inflight.exporter.prometheus.OtlpMetrics.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OTLP metrics → Prometheus points, from hand-built requests. */
class MetricTranslatorTest {
  private static final long T0_MS = T0 / 1_000_000;
  private static final List<KeyValue> WORKER = attrs("worker.type", "account_workers", "service.name", "checkout");

  /** What a translation produced. */
  private static final class Recorded implements MetricTranslator.Sink {
    final List<TranslatedPoint> points = new ArrayList<>();
    final Map<String, Long> dropped = new LinkedHashMap<>();

    @Override
    public void accept(TranslatedPoint point) {
      points.add(point);
    }

    @Override
    public void dropped(String reason, long n) {
      dropped.merge(reason, n, Long::sum);
    }

    List<TranslatedPoint> named(String name) {
      return points.stream().filter(p -> p.name().equals(name)).toList();
    }

    TranslatedPoint one(String name) {
      List<TranslatedPoint> found = named(name);
      assertThat(found).as("points named %s in %s", name, points.stream().map(TranslatedPoint::name).toList()).hasSize(1);
      return found.get(0);
    }
  }

  private static Recorded translate(ExportMetricsServiceRequest request) {
    return translate(new MetricTranslator("", Map.of(), false, true), request);
  }

  private static Recorded translate(MetricTranslator translator, ExportMetricsServiceRequest request) {
    Recorded r = new Recorded();
    translator.translate(request, r);
    return r;
  }

  private static Labels labels(String... kv) {
    return Labels.of(kv);
  }

  private static final Labels WORKER_LABELS =
      labels("otel_scope_name", CONCURRENCY_SCOPE, "service_name", "checkout", "worker_type", "account_workers");

  @Test
  void theConcurrencyConnectorsWindow() {
    Recorded r = translate(concurrencyWindow(T0, 1.5, 7));

    assertThat(r.dropped).isEmpty();
    assertThat(r.points).extracting(TranslatedPoint::name).containsExactly(
        "workers_active", "workers_active_max", "workers_utilization_ratio", "workers_busy_time_seconds",
        "workers_spans", "workers_spans", "workers_spans", "workers_duration_seconds", "workers_late_spans");

    TranslatedPoint active = r.one("workers_active");
    assertThat(active.type()).isEqualTo(MetricType.GAUGE);
    assertThat(active.help()).isEqualTo("workers.active help");
    assertThat(active.unit()).isNull();
    assertThat((Object) active.labels()).isEqualTo(WORKER_LABELS);
    assertThat(active.value()).isEqualTo(1.25);
    assertThat(active.timestampMillis()).isEqualTo(T0_MS);
    assertThat(active.startMillis()).isEqualTo(T0_MS - 1000);
    assertThat(active.delta()).isFalse();
    assertThat(active.noRecordedValue()).isFalse();

    TranslatedPoint utilization = r.one("workers_utilization_ratio");
    assertThat(utilization.type()).isEqualTo(MetricType.GAUGE);
    assertThat(utilization.unit()).isEqualTo("ratio");
    assertThat(utilization.value()).isEqualTo(0.15625);

    TranslatedPoint busy = r.one("workers_busy_time_seconds");
    assertThat(busy.type()).isEqualTo(MetricType.COUNTER);
    assertThat(busy.unit()).isEqualTo("seconds");
    assertThat(busy.value()).isEqualTo(1.5);
    assertThat(busy.startMillis()).isEqualTo(T0_MS - 10_000);
    assertThat(busy.delta()).isFalse();

    assertThat(r.named("workers_spans")).extracting(p -> p.labels().get("status"), TranslatedPoint::value)
        .containsExactly(
            tuple("unset", 0.0),
            tuple("ok", 7.0),
            tuple("error", 1.0));
    assertThat(r.named("workers_spans")).allSatisfy(p -> {
      assertThat(p.type()).isEqualTo(MetricType.COUNTER);
      assertThat(p.unit()).isNull();
    });

    TranslatedPoint duration = r.one("workers_duration_seconds");
    assertThat(duration.type()).isEqualTo(MetricType.HISTOGRAM);
    assertThat(duration.unit()).isEqualTo("seconds");
    assertThat((Object) duration.labels()).isEqualTo(WORKER_LABELS);
    assertThat(duration.upperBounds())
        .containsExactly(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Double.POSITIVE_INFINITY);
    assertThat(duration.bucketCounts()).containsExactly(0, 0, 0, 1, 1, 0, 6, 0, 0, 0, 0, 0);
    assertThat(duration.count()).isEqualTo(8);
    assertThat(duration.sum()).isEqualTo(1.5);
    assertThat(duration.timestampMillis()).isEqualTo(T0_MS);
  }

  @Test
  void sumsByMonotonicityAndTemporality() {
    Recorded r = translate(request("s",
        sum("queue.size", "{item}", false, false, intNumber(List.of(), T0 - SECOND, T0, -3)),
        sum("requests", "{request}", true, true, intNumber(List.of(), T0 - SECOND, T0, 5)),
        sum("queue.changes", "{item}", false, true, number(List.of(), T0 - SECOND, T0, 2.5)),
        gauge("temperature", "Cel", intNumber(List.of(), 0, T0, 21))));

    TranslatedPoint upDown = r.one("queue_size");
    assertThat(upDown.type()).isEqualTo(MetricType.GAUGE);
    assertThat(upDown.value()).isEqualTo(-3);
    assertThat(upDown.delta()).isFalse();

    TranslatedPoint deltaCounter = r.one("requests");
    assertThat(deltaCounter.type()).isEqualTo(MetricType.COUNTER);
    assertThat(deltaCounter.value()).isEqualTo(5);
    assertThat(deltaCounter.delta()).isTrue();

    TranslatedPoint deltaUpDown = r.one("queue_changes");
    assertThat(deltaUpDown.type()).isEqualTo(MetricType.GAUGE);
    assertThat(deltaUpDown.delta()).isTrue();

    TranslatedPoint g = r.one("temperature_celsius");
    assertThat(g.value()).isEqualTo(21);
    assertThat(g.unit()).isEqualTo("celsius");
    assertThat(g.startMillis()).isZero();
  }

  @Test
  void timestampsAreMilliseconds() {
    long t = 1_700_000_000_123_456_789L;
    Recorded r = translate(request("s", gauge("g", "", number(List.of(), t - 999_999, t, 1))));

    assertThat(r.one("g").timestampMillis()).isEqualTo(1_700_000_000_123L);
    assertThat(r.one("g").startMillis()).isEqualTo(1_700_000_000_122L);
  }

  @Test
  void histogramsWithoutBucketsOrSum() {
    HistogramDataPoint onlyCount = HistogramDataPoint.newBuilder().setTimeUnixNano(T0).setCount(4).setSum(2).build();
    HistogramDataPoint noSum = HistogramDataPoint.newBuilder().addAllAttributes(attrs("k", "v")).setTimeUnixNano(T0)
        .addExplicitBounds(1).addBucketCounts(2).addBucketCounts(1).setCount(3).build();
    Recorded r = translate(request("s", histogram("h", "ms", true, onlyCount, noSum)));

    assertThat(r.dropped).isEmpty();
    List<TranslatedPoint> h = r.named("h_milliseconds");
    assertThat(h).hasSize(2);
    assertThat(h.get(0).upperBounds()).containsExactly(Double.POSITIVE_INFINITY);
    assertThat(h.get(0).bucketCounts()).containsExactly(4);
    assertThat(h.get(0).count()).isEqualTo(4);
    assertThat(h.get(0).sum()).isEqualTo(2);
    assertThat(h.get(0).delta()).isTrue();
    assertThat(h.get(1).upperBounds()).containsExactly(1, Double.POSITIVE_INFINITY);
    assertThat(h.get(1).bucketCounts()).containsExactly(2, 1);
    assertThat(h.get(1).sum()).isNaN();
  }

  @Test
  void malformedHistogramsAreDroppedPointByPoint() {
    double[] bounds = {0.1, 1};
    HistogramDataPoint good = histogramPoint(attrs("case", "good"), 0, T0, bounds, new long[] {1, 2, 3}, 4);
    HistogramDataPoint tooFewBuckets = histogramPoint(attrs("case", "few"), 0, T0, bounds, new long[] {1, 2}, 4);
    HistogramDataPoint tooManyBuckets = histogramPoint(attrs("case", "many"), 0, T0, bounds, new long[] {1, 2, 3, 4}, 4);
    HistogramDataPoint decreasing =
        histogramPoint(attrs("case", "decreasing"), 0, T0, new double[] {1, 0.1}, new long[] {1, 2, 3}, 4);
    HistogramDataPoint repeated =
        histogramPoint(attrs("case", "repeated"), 0, T0, new double[] {1, 1}, new long[] {1, 2, 3}, 4);
    HistogramDataPoint wrongCount = histogramPoint(attrs("case", "count"), 0, T0, bounds, new long[] {1, 2, 3}, 4)
        .toBuilder().setCount(7).build();
    HistogramDataPoint boundsWithoutBuckets = HistogramDataPoint.newBuilder().addAllAttributes(attrs("case", "nobuckets"))
        .setTimeUnixNano(T0).addExplicitBounds(1).setCount(1).build();

    Recorded r = translate(request("s", histogram("h", "", false,
        good, tooFewBuckets, tooManyBuckets, decreasing, repeated, wrongCount, boundsWithoutBuckets)));

    assertThat(r.dropped).containsExactly(Map.entry(MetricTranslator.MALFORMED, 6L));
    assertThat(r.points).singleElement().satisfies(p -> {
      assertThat(p.labels().get("case")).isEqualTo("good");
      assertThat(p.count()).isEqualTo(6);
    });
  }

  @Test
  void summariesKeepTheirQuantiles() {
    SummaryDataPoint p = SummaryDataPoint.newBuilder().addAllAttributes(attrs("route", "/a")).setTimeUnixNano(T0)
        .setStartTimeUnixNano(T0 - SECOND).setCount(10).setSum(4.5)
        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(0.3))
        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(1.2))
        .build();
    Metric m = Metric.newBuilder().setName("rpc.latency").setUnit("s").setSummary(Summary.newBuilder().addDataPoints(p))
        .build();

    TranslatedPoint t = translate(request("s", m)).one("rpc_latency_seconds");

    assertThat(t.type()).isEqualTo(MetricType.SUMMARY);
    assertThat(t.unit()).isEqualTo("seconds");
    assertThat(t.quantiles()).containsExactly(0.5, 0.99);
    assertThat(t.quantileValues()).containsExactly(0.3, 1.2);
    assertThat(t.count()).isEqualTo(10);
    assertThat(t.sum()).isEqualTo(4.5);
    assertThat(t.delta()).isFalse();
  }

  @Test
  void exponentialHistogramsAreDroppedAsUnsupportedWithTheirPointCount() {
    ExponentialHistogramDataPoint p = ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T0).setCount(1).build();
    Metric exp = Metric.newBuilder().setName("latency").setUnit("s")
        .setExponentialHistogram(ExponentialHistogram.newBuilder().addDataPoints(p).addDataPoints(p).addDataPoints(p))
        .build();
    List<KeyValue> resource = attrs("service.name", "checkout", "host.name", "h1");

    Recorded r = translate(request(resource(resource, scope("s", "", exp))));

    assertThat(r.dropped).containsExactly(Map.entry(MetricTranslator.UNSUPPORTED_TYPE, 3L));
    // Nothing was exposed for this resource, so no target_info either.
    assertThat(r.points).isEmpty();
  }

  @Test
  void attributesThatCollideAfterSanitizingAreJoinedInKeyOrder() {
    List<KeyValue> a = attrs("a_b", "underscore", "a.b", "dot", "a-b", "dash", "other", "x");

    TranslatedPoint p = translate(request("", gauge("g", "", number(a, 0, T0, 1)))).one("g");

    // '-' < '.' < '_': the values in the order of their original keys.
    assertThat((Object) p.labels()).isEqualTo(labels("a_b", "dash;dot;underscore", "other", "x"));
  }

  @Test
  void nonStringAttributeValues() {
    AnyValue array = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
        .addValues(AnyValue.newBuilder().setIntValue(1))
        .addValues(AnyValue.newBuilder().setStringValue("x\"y"))
        .addValues(AnyValue.newBuilder().setBoolValue(true))).build();
    AnyValue map = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
        .addValues(KeyValue.newBuilder().setKey("k").setValue(AnyValue.newBuilder().setStringValue("v")))).build();
    List<KeyValue> a = List.of(
        attr("bool", AnyValue.newBuilder().setBoolValue(true).build()),
        attr("int", AnyValue.newBuilder().setIntValue(-42).build()),
        attr("double", AnyValue.newBuilder().setDoubleValue(1.5).build()),
        attr("whole", AnyValue.newBuilder().setDoubleValue(2.0).build()),
        attr("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build()),
        attr("array", array),
        attr("map", map),
        attr("empty", AnyValue.getDefaultInstance()));

    Labels l = translate(request("", gauge("g", "", number(a, 0, T0, 1)))).one("g").labels();

    assertThat(l.get("bool")).isEqualTo("true");
    assertThat(l.get("int")).isEqualTo("-42");
    assertThat(l.get("double")).isEqualTo("1.5");
    assertThat(l.get("whole")).isEqualTo("2");
    assertThat(l.get("bytes")).isEqualTo("aGk=");
    assertThat(l.get("array")).isEqualTo("[1,\"x\\\"y\",true]");
    assertThat(l.get("map")).isEqualTo("{\"k\":\"v\"}");
    assertThat(l.get("empty")).isEqualTo("");
  }

  @Test
  void jobAndInstanceComeFromTheServiceIdentity() {
    List<KeyValue> full = attrs("service.namespace", "shop", "service.name", "checkout", "service.instance.id", "i-1");
    List<KeyValue> nameOnly = attrs("service.name", "checkout");
    List<KeyValue> instanceOnly = attrs("service.instance.id", "i-2");
    // A point's own job / instance attribute loses to the resource's identity.
    Metric m = gauge("g", "", number(attrs("job", "mine", "k", "v"), 0, T0, 1));

    Recorded r = translate(request(
        resource(full, scope("", "", m)), resource(nameOnly, scope("", "", m)), resource(instanceOnly, scope("", "", m))));

    assertThat(r.named("g")).extracting(TranslatedPoint::labels).containsExactly(
        labels("instance", "i-1", "job", "shop/checkout", "k", "v"),
        labels("job", "checkout", "k", "v"),
        labels("instance", "i-2", "job", "mine", "k", "v"));
    // Only service.* identity attributes: no target_info.
    assertThat(r.named("target")).isEmpty();
  }

  @Test
  void otherResourceAttributesGoOnTargetInfo() {
    List<KeyValue> resource = attrs("service.name", "checkout", "service.instance.id", "i-1", "host.name", "h1",
        "deployment.environment", "prod");
    Recorded r = translate(request(resource(resource,
        scope("", "", gauge("a", "", number(List.of(), 0, T0 - SECOND, 1))),
        scope("", "", gauge("b", "", number(List.of(), 0, T0, 2))))));

    assertThat((Object) r.one("a").labels()).isEqualTo(labels("instance", "i-1", "job", "checkout"));
    TranslatedPoint info = r.one("target");
    assertThat(info.type()).isEqualTo(MetricType.INFO);
    assertThat((Object) info.labels()).isEqualTo(
        labels("deployment_environment", "prod", "host_name", "h1", "instance", "i-1", "job", "checkout"));
    assertThat(info.timestampMillis()).as("the latest point of the resource").isEqualTo(T0_MS);
    assertThat(info.delta()).isFalse();
  }

  @Test
  void anEmptyResourceHasNoTargetInfo() {
    assertThat(translate(concurrencyWindow(T0, 1, 1)).named("target")).isEmpty();
  }

  @Test
  void scopeNameAndVersion() {
    Metric m = gauge("g", "", number(List.of(), 0, T0, 1));
    Recorded r = translate(request(resource(List.of(), scope("lib", "1.2.3", m), scope("", "", m))));

    assertThat(r.named("g")).extracting(TranslatedPoint::labels)
        .containsExactly(labels("otel_scope_name", "lib", "otel_scope_version", "1.2.3"), Labels.EMPTY);
  }

  @Test
  void constLabelsAreOnEverySeriesAndAPointsOwnLabelWins() {
    MetricTranslator t = new MetricTranslator("", Map.of("env", "prod", "worker.type", "default"), false, true);
    List<KeyValue> resource = attrs("service.name", "checkout", "host.name", "h1");
    Recorded r = translate(t, request(resource(resource, scope("", "",
        gauge("g", "", number(attrs("worker.type", "account_workers"), 0, T0, 1), number(List.of(), 0, T0, 2))))));

    assertThat(r.named("g")).extracting(TranslatedPoint::labels).containsExactly(
        labels("env", "prod", "job", "checkout", "worker_type", "account_workers"),
        labels("env", "prod", "job", "checkout", "worker_type", "default"));
    assertThat((Object) r.one("target").labels()).isEqualTo(
        labels("env", "prod", "host_name", "h1", "job", "checkout", "worker_type", "default"));
  }

  @Test
  void resourceToTelemetryConversionPutsResourceAttributesOnEverySeries() {
    MetricTranslator t = new MetricTranslator("", Map.of(), true, true);
    List<KeyValue> resource = attrs("service.name", "checkout", "host.name", "h1", "k", "resource");
    Recorded r = translate(t, request(resource(resource, scope("", "",
        gauge("g", "", number(attrs("k", "point"), 0, T0, 1))))));

    assertThat((Object) r.one("g").labels()).isEqualTo(
        labels("host_name", "h1", "job", "checkout", "k", "point", "service_name", "checkout"));
  }

  @Test
  void namespaceAndSuffixesButNeverOnTargetInfo() {
    List<KeyValue> resource = attrs("service.name", "checkout", "host.name", "h1");
    ExportMetricsServiceRequest req = request(resource(resource, scope("", "",
        counter("workers.busy_time", "s", number(List.of(), 0, T0, 1)),
        gauge("workers.utilization", "1", number(List.of(), 0, T0, 1)))));

    Recorded namespaced = translate(new MetricTranslator("inflight", Map.of(), false, true), req);
    assertThat(namespaced.points).extracting(TranslatedPoint::name)
        .containsExactly("inflight_workers_busy_time_seconds", "inflight_workers_utilization_ratio", "target");
    assertThat(namespaced.one("inflight_workers_busy_time_seconds").unit()).isEqualTo("seconds");

    Recorded plain = translate(new MetricTranslator("", Map.of(), false, false), req);
    assertThat(plain.points).extracting(TranslatedPoint::name)
        .containsExactly("workers_busy_time", "workers_utilization", "target");
    assertThat(plain.points).extracting(TranslatedPoint::unit).containsOnlyNulls();
  }

  @Test
  void theNoRecordedValueFlag() {
    NumberDataPoint stale = number(WORKER, 0, T0, 0).toBuilder()
        .setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE).build();
    HistogramDataPoint staleHistogram = HistogramDataPoint.newBuilder().setTimeUnixNano(T0)
        .setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE).build();
    Recorded r = translate(request("", gauge("g", "", stale, number(WORKER, 0, T0, 1)),
        histogram("h", "", false, staleHistogram)));

    assertThat(r.named("g")).extracting(TranslatedPoint::noRecordedValue).containsExactly(true, false);
    assertThat(r.one("h").noRecordedValue()).isTrue();
    assertThat(r.dropped).isEmpty();
  }
}
