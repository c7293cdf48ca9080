package dev.inflight.exporter.prometheusremotewrite;

import static dev.inflight.exporter.prometheusremotewrite.Otlp.T;
import static dev.inflight.exporter.prometheusremotewrite.Otlp.attrs;
import static dev.inflight.exporter.prometheusremotewrite.Otlp.counter;
import static dev.inflight.exporter.prometheusremotewrite.Otlp.gauge;
import static dev.inflight.exporter.prometheusremotewrite.Otlp.histogram;
import static dev.inflight.exporter.prometheusremotewrite.Otlp.histogramPoint;
import static dev.inflight.exporter.prometheusremotewrite.Otlp.metrics;
import static dev.inflight.exporter.prometheusremotewrite.Otlp.number;
import static dev.inflight.exporter.prometheusremotewrite.Otlp.stale;
import static dev.inflight.exporter.prometheusremotewrite.Otlp.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.exporter.prometheusremotewrite.PrometheusRemoteWriteExporterConfig.RemoteWriteQueue;
import dev.inflight.exporter.prometheusremotewrite.PrometheusRemoteWriteExporterConfig.TargetInfo;
import dev.inflight.exporter.prometheusremotewrite.RemoteWriteServer.Answer;
import dev.inflight.exporter.prometheusremotewrite.RemoteWriteServer.Request;
import dev.inflight.exporter.prometheusremotewrite.RemoteWriteServer.Sample;
import dev.inflight.exporter.prometheusremotewrite.RemoteWriteServer.Series;
import dev.inflight.component.ComponentId;
import dev.inflight.exporter.ExporterTestBase;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.Refusal;
import dev.inflight.component.config.ByteSize;
import dev.inflight.pdata.Metrics;
import dev.inflight.component.telemetry.ComponentTelemetry;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.DataPointFlags;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The prometheusremotewrite exporter against a real HTTP server that decodes what it gets. */
class PrometheusRemoteWriteExporterTest extends ExporterTestBase<RemoteWriteServer> {
  private static final String ID = "prometheusremotewrite/test";
  private static final Map<String, String> EXPORTER = Map.of("exporter", ID);
  private static final String FAILED = "otelcol_exporter_prometheusremotewrite_failed_translations_total";
  private static final String SENT_POINTS = "otelcol_exporter_sent_metric_points_total";
  private static final String FAILED_POINTS = "otelcol_exporter_send_failed_metric_points_total";

  @Override
  protected RemoteWriteServer startServer() throws Exception {
    return RemoteWriteServer.start();
  }

  @Override
  protected void afterClose() {
    assertThat(server.errors()).as("requests the server could not decode").isEmpty();
  }

  private PrometheusRemoteWriteExporterConfig config() {
    return PrometheusRemoteWriteExporterConfig.of(server.url()).withRetryOnFailure(FAST_RETRY);
  }

  private MetricsExporter exporter(PrometheusRemoteWriteExporterConfig config) throws Exception {
    return started(new PrometheusRemoteWriteExporterFactory().createMetrics(telemetry.settings(ID), config));
  }

  private static Map<String, String> with(Map<String, String> base, String... kv) {
    Map<String, String> m = new LinkedHashMap<>(base);
    m.putAll(map(kv));
    return m;
  }

  /** The one series with exactly these labels. */
  private static Series series(List<Series> all, Map<String, String> labels) {
    List<Series> found = all.stream().filter(s -> s.labels().equals(labels)).toList();
    assertThat(found).as("series %s in %s", labels, all).hasSize(1);
    return found.get(0);
  }

  private static List<Series> all(List<Request> requests) {
    List<Series> out = new ArrayList<>();
    requests.forEach(r -> out.addAll(r.series()));
    return out;
  }

  @Test
  void everyKindOfPointBecomesItsPrometheusSeriesAtThePointsTime() throws Exception {
    MetricsExporter e =
        exporter(config().withHeaders(map("Authorization", "Bearer x")).withExternalLabels(map("cluster", "eu1", "region", "west")));
    Metrics m = metrics(attrs("service.name", "shop", "host.name", "h1"),
        gauge("workers.active", "{workers}", number(T, 3, "worker_type", "db", "cluster", "own")),
        counter("workers.spans", "{spans}", number(T, 10, "worker_type", "db")),
        histogram("workers.duration", "s",
            histogramPoint(T, new double[] {0.005, 1}, new long[] {1, 2, 3}, 4.5, "worker_type", "db")),
        summary("latency", T, 5, 10, new double[] {0.5, 0.99}, new double[] {1.0, 2.0}));

    e.consumeMetrics(m);

    Request r = server.next();
    assertThat(r.path()).isEqualTo("/api/v1/write");
    assertThat(r.header("Content-Encoding")).isEqualTo("snappy");
    assertThat(r.header("Content-Type")).isEqualTo("application/x-protobuf");
    assertThat(r.header("X-Prometheus-Remote-Write-Version")).isEqualTo("0.1.0");
    assertThat(r.header("User-Agent")).isEqualTo("inflight");
    assertThat(r.header("Authorization")).isEqualTo("Bearer x");

    Map<String, String> common = map("job", "shop", "otel_scope_name", "inflight", "region", "west");
    Map<String, String> db = with(common, "worker_type", "db", "cluster", "eu1");
    List<Series> s = r.series();
    // The point's own label (cluster=own) wins over the external label.
    assertThat(series(s, with(common, "__name__", "workers_active", "worker_type", "db", "cluster", "own")).samples())
        .containsExactly(new Sample(T, 3, Double.doubleToRawLongBits(3)));
    assertThat(series(s, with(db, "__name__", "workers_spans_total")).samples().get(0).value()).isEqualTo(10);
    // Cumulative buckets, le as Prometheus writes it.
    assertThat(series(s, with(db, "__name__", "workers_duration_seconds_bucket", "le", "0.005")).samples().get(0).value())
        .isEqualTo(1);
    assertThat(series(s, with(db, "__name__", "workers_duration_seconds_bucket", "le", "1")).samples().get(0).value())
        .isEqualTo(3);
    assertThat(series(s, with(db, "__name__", "workers_duration_seconds_bucket", "le", "+Inf")).samples().get(0).value())
        .isEqualTo(6);
    assertThat(series(s, with(db, "__name__", "workers_duration_seconds_sum")).samples().get(0).value()).isEqualTo(4.5);
    assertThat(series(s, with(db, "__name__", "workers_duration_seconds_count")).samples().get(0).value()).isEqualTo(6);
    Map<String, String> summaryLabels = with(common, "cluster", "eu1");
    assertThat(series(s, with(summaryLabels, "__name__", "latency", "quantile", "0.5")).samples().get(0).value()).isEqualTo(1);
    assertThat(series(s, with(summaryLabels, "__name__", "latency", "quantile", "0.99")).samples().get(0).value()).isEqualTo(2);
    assertThat(series(s, with(summaryLabels, "__name__", "latency_sum")).samples().get(0).value()).isEqualTo(10);
    assertThat(series(s, with(summaryLabels, "__name__", "latency_count")).samples().get(0).value()).isEqualTo(5);
    // target_info: the other resource attributes, at the resource's latest point time.
    assertThat(series(s, map("__name__", "target_info", "host_name", "h1", "job", "shop", "cluster", "eu1", "region", "west"))
            .samples())
        .containsExactly(new Sample(T, 1, Double.doubleToRawLongBits(1)));
    assertThat(s).hasSize(12);
    assertThat(s).allSatisfy(x -> assertThat(x.samples()).extracting(Sample::timestamp).containsOnly(T));

    assertThat(telemetry.await(SENT_POINTS, EXPORTER, 4)).isEqualTo(4);
    assertThat(telemetry.await("otelcol_exporter_prometheusremotewrite_translated_time_series_total", EXPORTER, 12))
        .isEqualTo(12);
    assertThat(telemetry.await("otelcol_exporter_prometheusremotewrite_sent_batches_total", EXPORTER, 1)).isEqualTo(1);
    assertThat(telemetry.value(FAILED_POINTS, EXPORTER)).isZero();
  }

  @Test
  void labelsAreSortedByNameWithNameFirst() throws Exception {
    exporter(config().withExternalLabels(map("zone", "z1", "az", "a")))
        .consumeMetrics(metrics(gauge("g", "", number(T, 1, "b", "2", "a", "1", "y.z", "3"))));

    Series s = server.next().series().get(0);
    assertThat(s.labelNames()).containsExactly("__name__", "a", "az", "b", "job", "otel_scope_name", "y_z", "zone");
    assertThat(s.labelNames()).isSorted();
  }

  @Test
  void anUppercaseLabelSortsBeforeNameAsTheSpecificationsByteOrderSays() throws Exception {
    exporter(config()).consumeMetrics(metrics(gauge("g", "", number(T, 1, "Zone", "z"))));

    assertThat(server.next().series().get(0).labelNames())
        .containsExactly("Zone", "__name__", "job", "otel_scope_name");
  }

  @Test
  void samplesOfASeriesAreSentInTimeOrder() throws Exception {
    exporter(config())
        .consumeMetrics(metrics(gauge("g", "", number(T + 2000, 3, "k", "v"), number(T, 1, "k", "v"),
            number(T + 1000, 2, "k", "v"))));

    List<Series> s = server.next().series();
    assertThat(s).hasSize(1);
    assertThat(s.get(0).samples()).extracting(Sample::timestamp).containsExactly(T, T + 1000, T + 2000);
    assertThat(s.get(0).samples()).extracting(Sample::value).containsExactly(1.0, 2.0, 3.0);
  }

  @Test
  void targetInfoCanBeTurnedOff() throws Exception {
    exporter(config().withTargetInfo(new TargetInfo(false)))
        .consumeMetrics(metrics(attrs("service.name", "shop", "host.name", "h1"), gauge("g", "", number(T, 1))));

    assertThat(server.next().series()).extracting(Series::name).containsExactly("g");
  }

  @Test
  void noRecordedValuePutsTheStalenessMarkerOnEverySeriesOfThePoint() throws Exception {
    exporter(config())
        .consumeMetrics(metrics(
            gauge("g", "", stale(T, "k", "v")),
            histogram("h", "", histogramPoint(T, new double[] {1}, new long[] {0, 0}, 0).toBuilder()
                .clearSum()
                .setFlags(DataPointFlags.DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK_VALUE)
                .build())));

    List<Series> s = server.next().series();
    assertThat(s).extracting(Series::name).containsExactlyInAnyOrder("g", "h_bucket", "h_bucket", "h_count");
    assertThat(s).allSatisfy(x -> assertThat(x.samples())
        .singleElement()
        .satisfies(p -> {
          assertThat(p.timestamp()).isEqualTo(T);
          assertThat(Long.toHexString(p.bits())).isEqualTo("7ff0000000000002");
        }));
  }

  @Test
  void deltaPointsAndPointsWithoutATimeAreDroppedAndCounted() throws Exception {
    MetricsExporter e = exporter(config());
    e.consumeMetrics(metrics(
        counter("d", "", AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, number(T, 1, "k", "a"), number(T, 2, "k", "b")),
        gauge("no_time", "", NumberDataPoint.newBuilder().setAsDouble(1).build()),
        gauge("ok", "", number(T, 1))));

    assertThat(server.next().series()).extracting(Series::name).containsExactly("ok");
    assertThat(telemetry.await(FAILED_POINTS, EXPORTER, 3)).isEqualTo(3);
    assertThat(telemetry.value(SENT_POINTS, EXPORTER)).isEqualTo(1);
    assertThat(telemetry.value(FAILED, with(EXPORTER, "reason", "delta_temporality"))).isEqualTo(2);
    assertThat(telemetry.value(FAILED, with(EXPORTER, "reason", "missing_timestamp"))).isEqualTo(1);

    // Nothing left to send: no request at all, and still counted.
    e.consumeMetrics(metrics(counter("d", "", AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, number(T, 1))));
    assertThat(telemetry.await(FAILED_POINTS, EXPORTER, 4)).isEqualTo(4);
    assertThat(telemetry.value(FAILED, with(EXPORTER, "reason", "delta_temporality"))).isEqualTo(3);
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void samplesOlderThanWhatPrometheusHasAreFilteredOutNotSent() throws Exception {
    MetricsExporter e = exporter(config());
    e.consumeMetrics(metrics(gauge("g", "", number(T + 10_000, 1, "k", "a"))));
    assertThat(server.next().series()).hasSize(1);

    // a is older than what was sent for it: dropped; b is new: sent.
    e.consumeMetrics(metrics(gauge("g", "", number(T + 5_000, 2, "k", "a"), number(T + 5_000, 3, "k", "b"))));
    assertThat(server.next().series()).extracting(x -> x.labels().get("k")).containsExactly("b");
    assertThat(telemetry.await(FAILED, with(EXPORTER, "reason", "out_of_order"), 1)).isEqualTo(1);

    // The same sample again is harmless (Prometheus ignores exact duplicates) and is sent...
    e.consumeMetrics(metrics(gauge("g", "", number(T + 10_000, 1, "k", "a"))));
    assertThat(server.next().series().get(0).samples()).extracting(Sample::timestamp).containsExactly(T + 10_000);
    // ...another value at the same time is not: Prometheus would refuse the whole request.
    e.consumeMetrics(metrics(gauge("g", "", number(T + 10_000, 9, "k", "a"), number(T + 11_000, 4, "k", "a"))));
    List<Series> last = server.next().series();
    assertThat(last.get(0).samples()).extracting(Sample::timestamp).containsExactly(T + 11_000);

    assertThat(telemetry.await(FAILED, with(EXPORTER, "reason", "out_of_order"), 2)).isEqualTo(2);
    assertThat(telemetry.await(FAILED_POINTS, EXPORTER, 2)).isEqualTo(2);
    assertThat(telemetry.value(SENT_POINTS, EXPORTER)).isEqualTo(4);
    assertThat(server.requests()).hasSize(4);
  }

  @Test
  void twoValuesAtOneTimeInOneBatchKeepTheFirst() throws Exception {
    exporter(config())
        .consumeMetrics(metrics(
            gauge("g", "", number(T, 1, "k", "a"), number(T, 2, "k", "a")),
            histogram("h", "", histogramPoint(T, new double[] {1}, new long[] {1, 1}, 3))));

    List<Series> s = server.next().series();
    assertThat(series(s, map("__name__", "g", "k", "a", "job", "shop", "otel_scope_name", "inflight")).samples())
        .extracting(Sample::value).containsExactly(1.0);
    assertThat(s).extracting(Series::name).containsExactlyInAnyOrder("g", "h_bucket", "h_bucket", "h_sum", "h_count");
    assertThat(telemetry.await(FAILED, with(EXPORTER, "reason", "out_of_order"), 1)).isEqualTo(1);
  }

  @Test
  void aHistogramIsDroppedWholeNeverSomeOfItsBuckets() throws Exception {
    MetricsExporter e = exporter(config());
    e.consumeMetrics(metrics(histogram("h", "", histogramPoint(T + 10_000, new double[] {1}, new long[] {1, 1}, 3))));
    assertThat(server.next().series()).hasSize(4);

    // Only h_count's value is the same as what was sent: the point still goes as a whole, or not at all.
    e.consumeMetrics(metrics(histogram("h", "", histogramPoint(T + 10_000, new double[] {1}, new long[] {0, 2}, 3))));
    assertThat(telemetry.await(FAILED, with(EXPORTER, "reason", "out_of_order"), 1)).isEqualTo(1);
    e.consumeMetrics(metrics(gauge("g", "", number(T, 1))));
    assertThat(server.next().series()).extracting(Series::name).containsExactly("g");
  }

  @Test
  void whatPrometheusRefusedIsNotRememberedAsSent() throws Exception {
    MetricsExporter e = exporter(config());
    server.answer(Answer.text(400, "out of order sample"));
    e.consumeMetrics(metrics(gauge("g", "", number(T + 2000, 1))));
    assertThat(telemetry.await(FAILED_POINTS, EXPORTER, 1)).isEqualTo(1);

    // T+2000 never reached Prometheus, so T+1000 is not out of order.
    e.consumeMetrics(metrics(gauge("g", "", number(T + 1000, 1))));
    assertThat(telemetry.await(SENT_POINTS, EXPORTER, 1)).isEqualTo(1);
    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests().get(1).series().get(0).samples()).extracting(Sample::timestamp).containsExactly(T + 1000);
    assertThat(telemetry.value(FAILED, with(EXPORTER, "reason", "out_of_order"))).isZero();
  }

  @Test
  void a503IsRetriedAfterRetryAfterAndTheBatchIsResentWhole() throws Exception {
    // Small requests: the batch's two series go in two requests; the second gets a 503.
    MetricsExporter e = exporter(config().withMaxBatchSizeBytes(ByteSize.ofBytes(100)));
    server.answer(Answer.of(204), new Answer(503, "text/plain", "TSDB not ready", Map.of("Retry-After", "1")));

    e.consumeMetrics(metrics(gauge("g", "", number(T, 1, "k", "a"), number(T, 2, "k", "b"))));

    assertThat(telemetry.await(SENT_POINTS, EXPORTER, 2)).isEqualTo(2);
    List<Request> r = server.requests();
    assertThat(r).hasSize(4);
    assertThat(r.get(0).series()).extracting(x -> x.labels().get("k")).containsExactly("a");
    assertThat(r.get(1).series()).extracting(x -> x.labels().get("k")).containsExactly("b");
    // The retry sends the whole batch again, the part Prometheus already took included.
    assertThat(r.get(2).body()).isEqualTo(r.get(0).body());
    assertThat(r.get(3).body()).isEqualTo(r.get(1).body());
    assertThat(Duration.ofNanos(r.get(2).atNanos() - r.get(1).atNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(telemetry.value(FAILED_POINTS, EXPORTER)).isZero();
    assertThat(telemetry.value(FAILED, EXPORTER)).isZero();
    assertThat(telemetry.value("otelcol_exporter_prometheusremotewrite_sent_batches_total", EXPORTER)).isEqualTo(3);
    assertThat(telemetry.value("otelcol_exporter_prometheusremotewrite_translated_time_series_total", EXPORTER))
        .isEqualTo(2);
  }

  @Test
  void a400IsPermanentCountedAsFailedAndCarriesPrometheusMessage() throws Exception {
    server.always(Answer.text(400, "out of order sample"));
    MetricsExporter queued = exporter(config());
    queued.consumeMetrics(metrics(gauge("g", "", number(T, 1), number(T + 1, 2))));
    assertThat(telemetry.await(FAILED_POINTS, EXPORTER, 2)).isEqualTo(2);
    Thread.sleep(200);
    assertThat(server.requests()).hasSize(1);
    assertThat(telemetry.value(SENT_POINTS, EXPORTER)).isZero();

    MetricsExporter direct = exporter(config().withRemoteWriteQueue(new RemoteWriteQueue(false, null, null)));
    assertThatThrownBy(() -> direct.consumeMetrics(metrics(gauge("g", "", number(T, 1)))))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isFalse();
          assertThat(r.getMessage()).isEqualTo("HTTP 400 from " + server.url() + ": out of order sample");
        });
  }

  @Test
  void statusesAreClassifiedAsTheRemoteWriteSpecificationSays() {
    assertThat(List.of(429, 500, 502, 503, 504, 599))
        .allSatisfy(s -> assertThat(PrometheusRemoteWriteExporter.retryable(s)).isTrue());
    assertThat(List.of(400, 401, 403, 404, 409, 413, 422))
        .allSatisfy(s -> assertThat(PrometheusRemoteWriteExporter.retryable(s)).isFalse());
  }

  @Test
  void aBatchIsSplitIntoRequestsOfAtMostMaxBatchSizeBytes() throws Exception {
    List<NumberDataPoint> many = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      many.add(number(T, i, "worker_type", "type-" + i));
    }
    List<NumberDataPoint> long_ = new ArrayList<>();
    for (int i = 199; i >= 0; i--) {
      long_.add(number(T + i * 1000L, i, "worker_type", "busy"));
    }
    exporter(config().withMaxBatchSizeBytes(ByteSize.ofBytes(500)))

        .consumeMetrics(metrics(
            gauge("g", "", many.toArray(NumberDataPoint[]::new)),
            gauge("h", "", long_.toArray(NumberDataPoint[]::new))));

    assertThat(telemetry.await(SENT_POINTS, EXPORTER, 230)).isEqualTo(230);
    List<Request> requests = server.requests();
    assertThat(requests.size()).isGreaterThan(5);
    assertThat(requests).allSatisfy(r -> assertThat(r.body().length).isLessThanOrEqualTo(500));
    List<Series> all = all(requests);
    Set<String> types = new HashSet<>();
    all.stream().filter(s -> s.name().equals("g")).forEach(s -> types.add(s.labels().get("worker_type")));
    assertThat(types).hasSize(30);
    // The long series is split by time: in order across the requests, every sample once.
    List<Long> times = all.stream().filter(s -> s.name().equals("h")).flatMap(s -> s.samples().stream())
        .map(Sample::timestamp).toList();
    assertThat(times).hasSize(200).isSorted().doesNotHaveDuplicates();
    assertThat(telemetry.value("otelcol_exporter_prometheusremotewrite_sent_batches_total", EXPORTER))
        .isEqualTo(requests.size());
  }

  @Test
  void seriesNotSentFor15MinutesAreForgotten() throws Exception {
    AtomicLong clock = new AtomicLong();
    PrometheusRemoteWriteExporter e = new PrometheusRemoteWriteExporter(
        LoggerFactory.getLogger("test"), config(),
        ComponentTelemetry.noop(ComponentKind.EXPORTER, ComponentId.parse(ID)), clock::get);
    e.start(Map::of);
    toClose.add(e::shutdown);
    Duration timeout = Duration.ofSeconds(5);

    assertThat(e.pushMetrics(metrics(gauge("g", "", number(T + 10_000, 1, "k", "a"))), timeout)).isZero();
    assertThat(e.pushMetrics(metrics(gauge("g", "", number(T + 5_000, 1, "k", "a"))), timeout)).isEqualTo(1);
    assertThat(e.rememberedSeries()).isEqualTo(1);

    clock.addAndGet(Duration.ofMinutes(14).toNanos());
    assertThat(e.pushMetrics(metrics(gauge("g", "", number(T, 1, "k", "b"))), timeout)).isZero();
    assertThat(e.rememberedSeries()).isEqualTo(2);
    clock.addAndGet(Duration.ofMinutes(2).toNanos());
    assertThat(e.pushMetrics(metrics(gauge("g", "", number(T + 1, 1, "k", "b"))), timeout)).isZero();
    assertThat(e.rememberedSeries()).isEqualTo(1); // a: 16 minutes since it was sent

    assertThat(e.pushMetrics(metrics(gauge("g", "", number(T + 5_000, 1, "k", "a"))), timeout)).isZero();
    assertThat(server.requests()).hasSize(4);
  }

  @Test
  void bucketBoundsAndQuantilesAreWrittenAsGoFormatsThem() {
    assertThat(TimeSeriesBatch.formatFloat(0.005)).isEqualTo("0.005");
    assertThat(TimeSeriesBatch.formatFloat(1)).isEqualTo("1");
    assertThat(TimeSeriesBatch.formatFloat(2.5)).isEqualTo("2.5");
    assertThat(TimeSeriesBatch.formatFloat(100_000)).isEqualTo("100000");
    assertThat(TimeSeriesBatch.formatFloat(1e21)).isEqualTo("1000000000000000000000");
    assertThat(TimeSeriesBatch.formatFloat(1e-7)).isEqualTo("0.0000001");
    assertThat(TimeSeriesBatch.formatFloat(0.1)).isEqualTo("0.1");
    assertThat(TimeSeriesBatch.formatFloat(0)).isEqualTo("0");
    assertThat(TimeSeriesBatch.formatFloat(-2)).isEqualTo("-2");
    assertThat(TimeSeriesBatch.formatFloat(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(TimeSeriesBatch.formatFloat(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }

  @Test
  void aMetricWithoutPointsSendsNothing() throws Exception {
    MetricsExporter e = exporter(config());
    e.consumeMetrics(metrics(Metric.newBuilder().setName("empty").build()));
    e.consumeMetrics(metrics(gauge("g", "", number(T, 1))));

    assertThat(server.next().series()).extracting(Series::name).containsExactly("g");
    assertThat(server.requests()).hasSize(1);
  }
}
