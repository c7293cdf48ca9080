package dev.inflight.receiver.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.Host;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.pdata.Metrics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scrapes real endpoints: the OpenTelemetry Java SDK's Prometheus server (what inflight's and many
 * applications' telemetry is), and a JDK HTTP server replaying a Prometheus server's /metrics
 * (summary, histogram) with auth, gzip and params; plus a port nothing listens on. Scrapes are
 * triggered by the test ({@code scrapeAllNow}), not by the clock.
 */
class PrometheusReceiverTest {
  private final List<Metrics> received = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> closing = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private PrometheusReceiver receiver(String yaml) throws Exception {
    PrometheusReceiverConfig config = new PrometheusReceiverConfig(parse(yaml));
    dev.inflight.component.config.ConfigProblems problems = dev.inflight.component.config.ConfigProblems.root();
    config.validate(problems);
    assertThat(problems.all()).isEmpty();
    CreateSettings settings = new CreateSettings(ComponentId.of("prometheus"), ComponentKind.RECEIVER,
        ComponentTelemetry.noop(ComponentKind.RECEIVER, ComponentId.of("prometheus")), new HashMap<>());
    PrometheusReceiver r = (PrometheusReceiver) new PrometheusReceiverFactory().createMetrics(settings, config,
        received::add);
    closing.add(r::shutdown);
    return r;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(String yaml) {
    return (Map<String, Object>) new org.yaml.snakeyaml.Yaml().load(yaml);
  }

  /** A local HTTP server answering {@code path} with {@code handler}, stopped after the test; its port. */
  private int serve(String path, HttpHandler handler) throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(path, handler);
    http.start();
    closing.add(() -> http.stop(0));
    return http.getAddress().getPort();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static Map<String, String> attrs(List<KeyValue> kvs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), kv.getValue().getStringValue());
    }
    return out;
  }

  private static Optional<Metric> metric(ResourceMetrics rm, String name) {
    return rm.getScopeMetricsList().stream().flatMap(s -> s.getMetricsList().stream())
        .filter(m -> m.getName().equals(name)).findFirst();
  }

  private ResourceMetrics only(Metrics m) {
    assertThat(m.request().getResourceMetricsCount()).isEqualTo(1);
    return m.request().getResourceMetrics(0);
  }

  @Test
  void scrapesTheOpenTelemetrySdksPrometheusEndpoint() throws Exception {
    int port = freePort();
    PrometheusHttpServer server = PrometheusHttpServer.builder().setHost("127.0.0.1").setPort(port).build();
    SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(server).build();
    closing.add(provider::close);
    Meter meter = provider.get("test");
    LongCounter requests = meter.counterBuilder("app.requests").setUnit("1").setDescription("Requests served").build();
    requests.add(3, Attributes.of(AttributeKey.stringKey("route"), "/a"));
    requests.add(4, Attributes.of(AttributeKey.stringKey("route"), "/b"));
    var latency = meter.histogramBuilder("app.latency").setUnit("s").setDescription("Latency")
        .setExplicitBucketBoundariesAdvice(List.of(0.1, 1.0)).build();
    latency.record(0.05);
    latency.record(0.5);
    latency.record(5);
    meter.gaugeBuilder("app.queue").buildWithCallback(g -> g.record(7));

    PrometheusReceiver r = receiver("""
        scrape_configs:
          - job_name: sdk-app
            scrape_interval: 1h
            static_configs:
              - targets: ['127.0.0.1:%d']
                labels: {env: test}
        """.formatted(port));
    r.scrapeAllNow();
    ResourceMetrics rm = only(received.get(0));
    assertThat(attrs(rm.getResource().getAttributesList())).containsAllEntriesOf(Map.of(
        "service.name", "sdk-app", "service.instance.id", "127.0.0.1:" + port, "server.port", String.valueOf(port),
        "url.scheme", "http")).doesNotContainKey("server.address");
    assertThat(rm.getScopeMetrics(0).getScope().getName()).isEqualTo(ScrapeConverter.SCOPE_NAME);

    Metric counter = metric(rm, "app_requests").orElseThrow();
    assertThat(counter.getDescription()).isEqualTo("Requests served");
    assertThat(counter.getSum().getIsMonotonic()).isTrue();
    assertThat(counter.getSum().getAggregationTemporalityValue()).isEqualTo(2); // cumulative
    Map<String, Double> byRoute = new HashMap<>();
    for (NumberDataPoint p : counter.getSum().getDataPointsList()) {
      Map<String, String> a = attrs(p.getAttributesList());
      assertThat(a).containsEntry("env", "test").doesNotContainKeys("job", "instance");
      byRoute.put(a.get("route"), p.getAsDouble());
      assertThat(p.getStartTimeUnixNano()).isPositive().isLessThanOrEqualTo(p.getTimeUnixNano());
    }
    assertThat(byRoute).containsExactlyInAnyOrderEntriesOf(Map.of("/a", 3.0, "/b", 4.0));

    Metric histogram = metric(rm, "app_latency_seconds").orElseThrow();
    HistogramDataPoint h = histogram.getHistogram().getDataPoints(0);
    assertThat(h.getExplicitBoundsList()).containsExactly(0.1, 1.0);
    assertThat(h.getBucketCountsList()).containsExactly(1L, 1L, 1L);
    assertThat(h.getCount()).isEqualTo(3);
    assertThat(h.getSum()).isEqualTo(5.55);
    assertThat(metric(rm, "app_queue").orElseThrow().getGauge().getDataPoints(0).getAsDouble()).isEqualTo(7);
    assertThat(metric(rm, "up").orElseThrow().getGauge().getDataPoints(0).getAsDouble()).isEqualTo(1);
    assertThat(metric(rm, "scrape_samples_scraped").orElseThrow().getGauge().getDataPoints(0).getAsDouble())
        .isGreaterThan(8);
    assertThat(metric(rm, "scrape_duration_seconds").orElseThrow().getUnit()).isEqualTo("s");

    // The second scrape keeps the first one's start time; the counter moved on.
    long start = counter.getSum().getDataPoints(0).getStartTimeUnixNano();
    requests.add(10, Attributes.of(AttributeKey.stringKey("route"), "/a"));
    r.scrapeAllNow();
    Metric again = metric(only(received.get(1)), "app_requests").orElseThrow();
    NumberDataPoint a = again.getSum().getDataPointsList().stream()
        .filter(p -> attrs(p.getAttributesList()).get("route").equals("/a")).findFirst().orElseThrow();
    assertThat(a.getAsDouble()).isEqualTo(13);
    assertThat(a.getStartTimeUnixNano()).isEqualTo(start);
    assertThat(a.getTimeUnixNano()).isGreaterThan(start);
  }

  /** A Prometheus server's own /metrics, gzip, behind basic auth, with a query parameter. */
  @Test
  void scrapesTextWithSummariesHistogramsAuthGzipAndParams() throws Exception {
    String body = ExpositionParserTest.resource("prometheus-server.txt");
    AtomicReference<String> seen = new AtomicReference<>();
    AtomicReference<String> accept = new AtomicReference<>();
    int port = serve("/federate", ex -> {
      seen.set(ex.getRequestURI().getQuery() + " " + ex.getRequestHeaders().getFirst("Authorization"));
      accept.set(ex.getRequestHeaders().getFirst("Accept"));
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (OutputStream out = new GZIPOutputStream(gz)) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      }
      ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.getResponseHeaders().add("Content-Encoding", "gzip");
      ex.sendResponseHeaders(200, gz.size());
      ex.getResponseBody().write(gz.toByteArray());
      ex.close();
    });

    PrometheusReceiver r = receiver("""
        global: {external_labels: {cluster: eu-1}}
        scrape_configs:
          - job_name: prometheus
            metrics_path: /federate
            params: {'match[]': ['{job="x"}']}
            basic_auth: {username: scraper, password: s3cret}
            static_configs:
              - targets: ['localhost:%d']
                labels: {handler: overridden}
        """.formatted(port));
    r.scrapeAllNow();
    assertThat(seen.get()).isEqualTo("match[]={job=\"x\"} Basic c2NyYXBlcjpzM2NyZXQ=");
    assertThat(accept.get()).isEqualTo(PrometheusReceiver.ACCEPT);
    ResourceMetrics rm = only(received.get(0));

    SummaryDataPoint gc = metric(rm, "go_gc_duration_seconds").orElseThrow().getSummary().getDataPoints(0);
    assertThat(gc.getCount()).isEqualTo(52);
    assertThat(gc.getSum()).isEqualTo(0.004826874);
    assertThat(gc.getQuantileValuesList()).extracting(q -> q.getQuantile() + "=" + q.getValue())
        .containsExactly("0.0=2.4583E-5", "0.25=4.7875E-5", "0.5=6.1916E-5", "0.75=9.4667E-5", "1.0=7.19292E-4");
    assertThat(attrs(gc.getAttributesList())).containsExactly(Map.entry("handler", "overridden"),
        Map.entry("cluster", "eu-1"));

    Metric hist = metric(rm, "prometheus_http_request_duration_seconds").orElseThrow();
    assertThat(hist.getHistogram().getDataPointsCount()).isEqualTo(2);
    HistogramDataPoint metrics = hist.getHistogram().getDataPoints(0);
    // the scraped handler label collides with the target's labels: kept as exported_handler
    assertThat(attrs(metrics.getAttributesList())).containsEntry("exported_handler", "/metrics")
        .containsEntry("handler", "overridden").doesNotContainKey("le");
    assertThat(metrics.getExplicitBoundsList()).containsExactly(0.1, 0.2, 0.4, 1.0, 3.0, 8.0, 20.0, 60.0, 120.0);
    assertThat(metrics.getBucketCountsList()).containsExactly(251L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
    assertThat(metrics.getCount()).isEqualTo(252);

    Metric counter = metric(rm, "prometheus_http_requests").orElseThrow();
    assertThat(counter.getSum().getDataPointsCount()).isEqualTo(2);
    assertThat(metric(rm, "prometheus_http_requests_total")).isEmpty();
    NumberDataPoint untyped = metric(rm, "some_untyped_sample").orElseThrow().getGauge().getDataPoints(0);
    assertThat(untyped.getTimeUnixNano()).isEqualTo(1_700_000_000_000_000_000L); // honor_timestamps
    assertThat(metric(rm, "go_goroutines").orElseThrow().getGauge().getDataPoints(0).getAsDouble()).isEqualTo(38);
  }

  @Test
  void openMetricsCreatedIsTheStartTimeAndTargetInfoJoinsTheResource() throws Exception {
    String body = ExpositionParserTest.resource("openmetrics.txt");
    int port = serve("/metrics", ex -> {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/openmetrics-text; version=1.0.0; charset=utf-8");
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    PrometheusReceiver r = receiver("""
        scrape_configs:
          - job_name: om
            static_configs: [{targets: ['127.0.0.1:%d']}]
        """.formatted(port));
    r.scrapeAllNow();
    ResourceMetrics rm = only(received.get(0));
    assertThat(attrs(rm.getResource().getAttributesList())).containsEntry("env", "prod")
        .containsEntry("hostname", "myhost").containsEntry("service.name", "om");
    assertThat(metric(rm, "target_info")).isEmpty();
    Metric cpu = metric(rm, "process_cpu_seconds").orElseThrow();
    assertThat(cpu.getUnit()).isEqualTo("seconds");
    assertThat(cpu.getSum().getDataPoints(0).getStartTimeUnixNano()).isEqualTo(1_605_281_300_500_000_000L);
    HistogramDataPoint foo = metric(rm, "foo").orElseThrow().getHistogram().getDataPoints(0);
    assertThat(foo.getStartTimeUnixNano()).isEqualTo(1_520_430_000_123_000_000L);
    assertThat(foo.getBucketCountsList()).containsExactly(0L, 0L, 5L, 3L, 2L, 7L);
    assertThat(metric(rm, "acme_http_router_request_seconds").orElseThrow().getSummary().getDataPointsCount())
        .isEqualTo(2);
  }

  @Test
  void aTargetThatIsDownIsUpZeroAndAServerErrorToo() throws Exception {
    int port = serve("/metrics", ex -> {
      ex.sendResponseHeaders(503, -1);
      ex.close();
    });
    int down = freePort();
    PrometheusReceiver r = receiver("""
        scrape_configs:
          - job_name: down
            scrape_timeout: 2s
            static_configs: [{targets: ['127.0.0.1:%d', '127.0.0.1:%d']}]
        """.formatted(down, port));
    r.scrapeAllNow();
    assertThat(received).hasSize(2);
    for (Metrics m : received) {
      ResourceMetrics rm = only(m);
      assertThat(metric(rm, "up").orElseThrow().getGauge().getDataPoints(0).getAsDouble()).isZero();
      assertThat(metric(rm, "scrape_samples_scraped").orElseThrow().getGauge().getDataPoints(0).getAsDouble()).isZero();
      assertThat(rm.getScopeMetrics(0).getMetricsCount()).isEqualTo(4);
    }
  }

  @Test
  void startedReceiverScrapesOnItsOwn() throws Exception {
    int port = serve("/metrics", ex -> {
      byte[] b = "x 1\n".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    PrometheusReceiver r = receiver("""
        scrape_configs:
          - job_name: self
            scrape_interval: 100ms
            static_configs: [{targets: ['127.0.0.1:%d']}]
        """.formatted(port));
    r.start(Map::of);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (received.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    r.shutdown();
    assertThat(received.size()).isGreaterThanOrEqualTo(2);
    assertThat(metric(only(received.get(0)), "x").orElseThrow().getGauge().getDataPoints(0).getAsDouble()).isEqualTo(1);
  }
}
