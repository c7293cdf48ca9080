package dev.inflight.exporter.prometheus;

import static dev.inflight.exporter.prometheus.OtlpMetrics.CONCURRENCY_SCOPE;
import static dev.inflight.exporter.prometheus.OtlpMetrics.SECOND;
import static dev.inflight.exporter.prometheus.OtlpMetrics.T0;
import static dev.inflight.exporter.prometheus.OtlpMetrics.attrs;
import static dev.inflight.exporter.prometheus.OtlpMetrics.concurrencyWindow;
import static dev.inflight.exporter.prometheus.OtlpMetrics.gauge;
import static dev.inflight.exporter.prometheus.OtlpMetrics.number;
import static dev.inflight.exporter.prometheus.OtlpMetrics.request;
import static dev.inflight.exporter.prometheus.OtlpMetrics.resource;
import static dev.inflight.exporter.prometheus.OtlpMetrics.scope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.translator.prometheus.ResourceToTelemetryConversion;
import dev.inflight.component.MetricsExporter;
import dev.inflight.pdata.Metrics;
import dev.inflight.service.telemetry.ScrapedTelemetry;
import dev.inflight.component.telemetry.ListenException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The prometheus exporter on a real port of 127.0.0.1, scraped over HTTP as Prometheus does, with
 * what the concurrency connector emits.
 */
class PrometheusExporterTest {
  private static final Map<String, String> EXPORTER = Map.of("exporter", "prometheus/test");
  private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  /** The labels of the connector's points for account_workers of checkout, in Prometheus order. */
  private static final String WORKER =
      "otel_scope_name=\"" + CONCURRENCY_SCOPE + "\",service_name=\"checkout\",worker_type=\"account_workers\"";
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private ScrapedTelemetry telemetry;

  @BeforeEach
  void setUp() throws Exception {
    telemetry = new ScrapedTelemetry();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    telemetry.close();
  }

  /** On a free port. */
  private static PrometheusExporterConfig config() {
    return PrometheusExporterConfig.of("127.0.0.1:0");
  }

  /** A started exporter on a free port whose clock is {@link #clock}. */
  private PrometheusExporter start(PrometheusExporterConfig config) throws IOException {
    PrometheusExporter e = new PrometheusExporter(LoggerFactory.getLogger("exporter.prometheus"), config,
        telemetry.settings("prometheus/test").telemetry(), clock::get);
    e.start(Map::of);
    toClose.add(e::shutdown);
    assertThat(e.port()).isPositive();
    return e;
  }

  private PrometheusExporter start() throws IOException {
    return start(PrometheusExporterConfig.of("127.0.0.1:0"));
  }

  private static long push(PrometheusExporter e, ExportMetricsServiceRequest request) {
    return e.pushMetrics(Metrics.of(request), TIMEOUT);
  }

  private HttpResponse<byte[]> get(PrometheusExporter e, String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + e.port() + pathAndQuery))
        .timeout(TIMEOUT);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The body of a 200 answer to {@code GET /metrics}, as lines. */
  private List<String> scrape(PrometheusExporter e, String... headers) throws Exception {
    HttpResponse<byte[]> r = get(e, "/metrics", headers);
    assertThat(r.statusCode()).isEqualTo(200);
    return lines(r.body());
  }

  private static List<String> lines(byte[] body) {
    return Arrays.asList(new String(body, StandardCharsets.UTF_8).split("\n"));
  }

  private static List<String> samples(List<String> lines) {
    return lines.stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
  }

  @Test
  void thePrometheusTextFormatByDefault() throws Exception {
    PrometheusExporter e = start();
    assertThat(push(e, concurrencyWindow(T0, 1.5, 7))).isZero();

    HttpResponse<byte[]> r = get(e, "/metrics");
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    List<String> body = lines(r.body());
    assertThat(scrape(e, "Accept", "text/plain")).isEqualTo(body);

    assertThat(body).containsSubsequence(
        "# HELP workers_active workers.active help",
        "# TYPE workers_active gauge",
        "workers_active{" + WORKER + "} 1.25",
        "# TYPE workers_active_max gauge",
        "workers_active_max{" + WORKER + "} 3.0",
        "# HELP workers_busy_time_seconds_total workers.busy_time help",
        "# TYPE workers_busy_time_seconds_total counter",
        "workers_busy_time_seconds_total{" + WORKER + "} 1.5",
        "# TYPE workers_duration_seconds histogram",
        "workers_duration_seconds_bucket{" + WORKER + ",le=\"0.005\"} 0",
        "workers_duration_seconds_bucket{" + WORKER + ",le=\"0.05\"} 1",
        "workers_duration_seconds_bucket{" + WORKER + ",le=\"0.1\"} 2",
        "workers_duration_seconds_bucket{" + WORKER + ",le=\"0.25\"} 2",
        "workers_duration_seconds_bucket{" + WORKER + ",le=\"0.5\"} 8",
        "workers_duration_seconds_bucket{" + WORKER + ",le=\"10.0\"} 8",
        "workers_duration_seconds_bucket{" + WORKER + ",le=\"+Inf\"} 8",
        "workers_duration_seconds_count{" + WORKER + "} 8",
        "workers_duration_seconds_sum{" + WORKER + "} 1.5",
        "# TYPE workers_late_spans_total counter",
        "workers_late_spans_total{" + WORKER + "} 0.0",
        "# TYPE workers_spans_total counter",
        "workers_spans_total{otel_scope_name=\"" + CONCURRENCY_SCOPE
            + "\",service_name=\"checkout\",status=\"error\",worker_type=\"account_workers\"} 1.0",
        "workers_spans_total{otel_scope_name=\"" + CONCURRENCY_SCOPE
            + "\",service_name=\"checkout\",status=\"ok\",worker_type=\"account_workers\"} 7.0",
        "workers_spans_total{otel_scope_name=\"" + CONCURRENCY_SCOPE
            + "\",service_name=\"checkout\",status=\"unset\",worker_type=\"account_workers\"} 0.0",
        "# TYPE workers_utilization_ratio gauge",
        "workers_utilization_ratio{" + WORKER + "} 0.15625");
    // No timestamps (Prometheus stamps with the scrape time), no _created, no target_info of an empty resource.
    assertThat(samples(body)).hasSize(22).allSatisfy(l -> assertThat(l).doesNotContain("} 1.5 1", "} 1.25 1"));
    assertThat(body).noneMatch(l -> l.contains("_created") || l.contains("target_info") || l.startsWith("# UNIT"));
  }

  @Test
  void openMetricsWhenTheScraperAsksForIt() throws Exception {
    PrometheusExporter e = start();
    push(e, concurrencyWindow(T0, 1.5, 7));

    HttpResponse<byte[]> r = get(e, "/metrics", "Accept", OPENMETRICS);

    assertThat(r.headers().firstValue("Content-Type")).hasValue(OPENMETRICS);
    List<String> body = lines(r.body());
    assertThat(body).containsSubsequence(
        "# TYPE workers_busy_time_seconds counter",
        "# UNIT workers_busy_time_seconds seconds",
        "# HELP workers_busy_time_seconds workers.busy_time help",
        "workers_busy_time_seconds_total{" + WORKER + "} 1.5",
        "# TYPE workers_duration_seconds histogram",
        "# UNIT workers_duration_seconds seconds",
        "workers_duration_seconds_bucket{" + WORKER + ",le=\"+Inf\"} 8",
        "# TYPE workers_spans counter",
        "# TYPE workers_utilization_ratio gauge",
        "# UNIT workers_utilization_ratio ratio");
    assertThat(body).doesNotContain("# UNIT workers_active {worker}", "# UNIT workers_spans span");
    assertThat(body.get(body.size() - 1)).isEqualTo("# EOF");
  }

  @Test
  void prometheusAsOfVersion2AsksForOpenMetrics() throws Exception {
    PrometheusExporter e = start();
    push(e, concurrencyWindow(T0, 1.5, 7));

    // The Accept header of Prometheus 2.42 (scrape_protocols did not exist yet).
    HttpResponse<byte[]> r = get(e, "/metrics", "Accept", "application/openmetrics-text;version=1.0.0,"
        + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

    assertThat(r.headers().firstValue("Content-Type")).hasValue(OPENMETRICS);
  }

  @Test
  void protobufWhenAskedFirst() throws Exception {
    PrometheusExporter e = start();
    push(e, concurrencyWindow(T0, 1.5, 7));

    // Prometheus with native histograms asks for the protobuf format first.
    HttpResponse<byte[]> r = get(e, "/metrics", "Accept", "application/vnd.google.protobuf;"
        + "proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;"
        + "version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValue("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited");
    String raw = new String(r.body(), StandardCharsets.ISO_8859_1); // names and label values are plain in protobuf
    assertThat(raw).contains("workers_busy_time_seconds_total", "workers_duration_seconds", "account_workers");
  }

  @Test
  void sendTimestampsStampsSamplesWithTheWindowEnd() throws Exception {
    PrometheusExporter e = start(config().withSendTimestamps(true));
    push(e, concurrencyWindow(T0, 1.5, 7));

    // Prometheus text: milliseconds. OpenMetrics: seconds.
    List<String> text = scrape(e);
    assertThat(text).contains(
        "workers_active{" + WORKER + "} 1.25 1700000000000",
        "workers_busy_time_seconds_total{" + WORKER + "} 1.5 1700000000000",
        "workers_duration_seconds_bucket{" + WORKER + ",le=\"+Inf\"} 8 1700000000000");
    assertThat(samples(text)).allSatisfy(l -> assertThat(l).endsWith(" 1700000000000"));

    List<String> om = scrape(e, "Accept", OPENMETRICS);
    assertThat(om).contains(
        "workers_active{" + WORKER + "} 1.25 1700000000.000",
        "workers_busy_time_seconds_total{" + WORKER + "} 1.5 1700000000.000");
  }

  @Test
  void theLatestWindowWinsAndAnOlderOneIsDropped() throws Exception {
    PrometheusExporter e = start(config().withSendTimestamps(true));
    push(e, concurrencyWindow(T0, 1.5, 7));
    assertThat(push(e, concurrencyWindow(T0 + SECOND, 2.25, 9))).isZero();

    assertThat(scrape(e)).contains(
        "workers_busy_time_seconds_total{" + WORKER + "} 2.25 1700000001000",
        "workers_duration_seconds_count{" + WORKER + "} 10 1700000001000");

    // A window older than the one shown: every one of its 9 points is out of order.
    assertThat(push(e, concurrencyWindow(T0, 1.5, 7))).isEqualTo(9);
    assertThat(scrape(e)).contains("workers_busy_time_seconds_total{" + WORKER + "} 2.25 1700000001000");
    assertThat(telemetry.await("inflight_exporter_prometheus_dropped_points_total", reason("out_of_order"), 9))
        .isEqualTo(9);
  }

  @Test
  void namespaceAndConstLabels() throws Exception {
    PrometheusExporter e = start(
        config().withNamespace("inflight").withConstLabels(Map.of("env", "prod", "worker_type", "fallback")));
    push(e, concurrencyWindow(T0, 1.5, 7));

    List<String> body = scrape(e);

    assertThat(body).contains(
        "# TYPE inflight_workers_busy_time_seconds_total counter",
        "inflight_workers_busy_time_seconds_total{env=\"prod\"," + WORKER + "} 1.5",
        "inflight_workers_active{env=\"prod\"," + WORKER + "} 1.25");
    assertThat(samples(body)).hasSize(22).allSatisfy(l -> assertThat(l).startsWith("inflight_workers_"));
  }

  @Test
  void withoutMetricSuffixesCountersStillEndInTotal() throws Exception {
    PrometheusExporter e =
        start(config().withAddMetricSuffixes(false));
    push(e, concurrencyWindow(T0, 1.5, 7));

    List<String> body = scrape(e, "Accept", OPENMETRICS);

    // client_java's writers always end a counter's sample in _total; units and ratio are left out.
    assertThat(body).contains(
        "# TYPE workers_busy_time counter",
        "workers_busy_time_total{" + WORKER + "} 1.5",
        "workers_duration_bucket{" + WORKER + ",le=\"+Inf\"} 8",
        "workers_utilization{" + WORKER + "} 0.15625");
    assertThat(body).noneMatch(l -> l.startsWith("# UNIT"));
  }

  @Test
  void aHealthEndpointBesideMetrics() throws Exception {
    PrometheusExporter e = start();

    assertThat(get(e, "/-/healthy").statusCode()).isEqualTo(200);
    assertThat(samples(scrape(e))).isEmpty();
  }

  @Test
  void resourceAttributesOnTargetInfoOrOnEverySeries() throws Exception {
    ExportMetricsServiceRequest withResource = request(resource(
        attrs("service.name", "checkout", "service.instance.id", "pod-1", "host.name", "node-7"),
        scope(CONCURRENCY_SCOPE, "", gauge("workers.active", "{worker}", number(attrs("worker.type", "w"), 0, T0, 2)))));

    PrometheusExporter plain = start();
    push(plain, withResource);
    assertThat(samples(scrape(plain))).containsExactly(
        "target_info{host_name=\"node-7\",instance=\"pod-1\",job=\"checkout\"} 1",
        "workers_active{instance=\"pod-1\",job=\"checkout\",otel_scope_name=\"" + CONCURRENCY_SCOPE
            + "\",worker_type=\"w\"} 2.0");

    PrometheusExporter converted = start(config().withResourceToTelemetryConversion(new ResourceToTelemetryConversion(true)));

    push(converted, withResource);
    assertThat(samples(scrape(converted))).contains(
        "workers_active{host_name=\"node-7\",instance=\"pod-1\",job=\"checkout\",otel_scope_name=\""
            + CONCURRENCY_SCOPE + "\",service_instance_id=\"pod-1\",service_name=\"checkout\",worker_type=\"w\"} 2.0");
  }

  @Test
  void seriesNotUpdatedForTheExpirationDisappear() throws Exception {
    PrometheusExporter e = start(config().withMetricExpiration(Duration.ofMinutes(1)));
    push(e, concurrencyWindow(T0, 1.5, 7));
    clock.addAndGet(Duration.ofSeconds(30).toNanos());
    push(e, request(CONCURRENCY_SCOPE,
        gauge("workers.active", "{worker}", number(attrs("worker.type", "storage_workers"), 0, T0, 4))));

    clock.addAndGet(Duration.ofSeconds(31).toNanos()); // the first window is 61s old, the second 31s
    assertThat(samples(scrape(e))).containsExactly(
        "workers_active{otel_scope_name=\"" + CONCURRENCY_SCOPE + "\",worker_type=\"storage_workers\"} 4.0");
    assertThat(telemetry.await("inflight_exporter_prometheus_series", EXPORTER, 1)).isEqualTo(1);

    clock.addAndGet(Duration.ofSeconds(30).toNanos());
    assertThat(samples(scrape(e))).isEmpty();
    assertThat(telemetry.await("inflight_exporter_prometheus_series", EXPORTER, 0)).isZero();
  }

  @Test
  void gzipWhenAsked() throws Exception {
    PrometheusExporter e = start();
    push(e, concurrencyWindow(T0, 1.5, 7));

    HttpResponse<byte[]> r = get(e, "/metrics", "Accept-Encoding", "gzip");

    assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
    byte[] unzipped;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
      unzipped = in.readAllBytes();
    }
    assertThat(lines(unzipped)).contains("workers_busy_time_seconds_total{" + WORKER + "} 1.5");
    assertThat(get(e, "/metrics").headers().firstValue("Content-Encoding")).isEmpty();
  }

  @Test
  void theNameFilterOfTheScraper() throws Exception {
    PrometheusExporter e = start();
    push(e, concurrencyWindow(T0, 1.5, 7));

    HttpResponse<byte[]> r = get(e, "/metrics?name%5B%5D=workers_active");
    assertThat(samples(lines(r.body()))).containsExactly("workers_active{" + WORKER + "} 1.25");

    r = get(e, "/metrics?name%5B%5D=workers_busy_time_seconds_total&name%5B%5D=workers_utilization_ratio");
    assertThat(samples(lines(r.body()))).containsExactly(
        "workers_busy_time_seconds_total{" + WORKER + "} 1.5", "workers_utilization_ratio{" + WORKER + "} 0.15625");
  }

  @Test
  void aPortInUseFailsTheStartWithOneClearLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String endpoint = "127.0.0.1:" + taken.getLocalPort();
      PrometheusExporter e = new PrometheusExporter(LoggerFactory.getLogger("exporter.prometheus"),
          PrometheusExporterConfig.of(endpoint), telemetry.settings("prometheus/test").telemetry());

      assertThatThrownBy(() -> e.start(Map::of))
          .isInstanceOf(ListenException.class)
          .hasMessage("exporter prometheus cannot listen on " + endpoint + ": address already in use");
      assertThat(e.port()).isEqualTo(-1);
      e.shutdown(); // after a failed start: harmless
    }
  }

  @Test
  void aHostThatDoesNotResolveFailsTheStartWithOneClearLine() {
    PrometheusExporter e = new PrometheusExporter(LoggerFactory.getLogger("exporter.prometheus"),
        PrometheusExporterConfig.of("no-such-host.invalid:0"), telemetry.settings("prometheus/test").telemetry());

    assertThatThrownBy(() -> e.start(Map::of))
        .isInstanceOf(ListenException.class)
        .hasMessage("exporter prometheus cannot listen on no-such-host.invalid:0: cannot resolve host no-such-host.invalid");
  }

  @Test
  void shutdownFreesThePort() throws Exception {
    PrometheusExporter e = start();
    int port = e.port();
    e.shutdown();

    assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.discarding())).isInstanceOf(ConnectException.class);
    PrometheusExporter again = start(PrometheusExporterConfig.of("127.0.0.1:" + port));
    assertThat(again.port()).isEqualTo(port);
  }

  @Test
  void throughTheFactoryDropsAreCountedByReasonAndAsFailedPoints() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }
    MetricsExporter exporter = new PrometheusExporterFactory().createMetrics(
        telemetry.settings("prometheus/test"), PrometheusExporterConfig.of("127.0.0.1:" + port));
    toClose.add(exporter::shutdown);
    exporter.start(Map::of);
    ExponentialHistogramDataPoint p = ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T0).setCount(1).build();
    Metric exponential = Metric.newBuilder().setName("workers.duration.exp").setUnit("s")
        .setExponentialHistogram(ExponentialHistogram.newBuilder().addDataPoints(p).addDataPoints(p)).build();

    exporter.consumeMetrics(Metrics.of(concurrencyWindow(T0, 1.5, 7)));
    exporter.consumeMetrics(Metrics.of(request(CONCURRENCY_SCOPE, exponential,
        gauge("workers.active", "{worker}", number(attrs("worker.type", "x"), 0, T0, 1)))));

    assertThat(telemetry.await("inflight_exporter_prometheus_dropped_points_total", reason("unsupported_type"), 2))
        .isEqualTo(2);
    assertThat(telemetry.await("otelcol_exporter_send_failed_metric_points_total", EXPORTER, 2)).isEqualTo(2);
    assertThat(telemetry.await("otelcol_exporter_sent_metric_points_total", EXPORTER, 10)).isEqualTo(10);
    assertThat(telemetry.await("inflight_exporter_prometheus_series", EXPORTER, 10)).isEqualTo(10);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).contains("workers_active{otel_scope_name=\"" + CONCURRENCY_SCOPE + "\",worker_type=\"x\"} 1.0");
  }

  @Test
  void aMetricClientJavaRefusesIsLeftOutAndCountedAsInvalid() throws Exception {
    PrometheusExporter e = start();
    // A histogram point may not have a label named le: the whole family is left out of scrapes.
    push(e, request(CONCURRENCY_SCOPE,
        OtlpMetrics.histogram("bad", "s", false, OtlpMetrics.histogramPoint(attrs("le", "x"), 0, T0,
            new double[] {1}, new long[] {1, 0}, 1)),
        gauge("workers.active", "{worker}", number(attrs("worker.type", "x"), 0, T0, 1))));

    assertThat(samples(scrape(e))).containsExactly(
        "workers_active{otel_scope_name=\"" + CONCURRENCY_SCOPE + "\",worker_type=\"x\"} 1.0");
    assertThat(telemetry.await("inflight_exporter_prometheus_dropped_points_total", reason("invalid"), 1))
        .isEqualTo(1);
  }

  private static Map<String, String> reason(String reason) {
    return Map.of("exporter", "prometheus/test", "reason", reason);
  }
}
