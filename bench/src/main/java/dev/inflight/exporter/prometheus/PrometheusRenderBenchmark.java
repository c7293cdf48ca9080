package dev.inflight.exporter.prometheus;

import dev.inflight.bench.OtlpBenchmark;
import dev.inflight.connector.concurrency.ConnectorOutput;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.pdata.Metrics;
import dev.inflight.component.telemetry.ComponentTelemetry;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.slf4j.helpers.NOPLogger;

/**
 * What the {@code prometheus} exporter costs when it holds {@code series} series of the concurrency
 * connector's metrics: one scrape, and one window of updates.
 *
 * <p>The exporter is a real {@link PrometheusExporter} (default config, no HTTP port bound) fed
 * with what the connector emits when a window closes, built by the connector's own metric builder
 * ({@link ConnectorOutput}): {@code series / 8} groups, 5 worker types × {@code series / 40}
 * services, each group with the gauges {@code workers.active} and {@code workers.active.max}, the
 * cumulative counters {@code workers.busy_time}, {@code workers.spans} (× 3 statuses) and {@code
 * workers.late_spans}, and the cumulative histogram {@code workers.duration} with the default 11
 * bounds (12 buckets). A scrape goes through the same path as on
 * {@code /metrics}: client_java's {@link PrometheusScrapeHandler}, with the exporter's own settings
 * and its collector (store expiry, snapshot of every series into client_java's model, then the
 * writer the {@code Accept} header picks), into a sink that counts the bytes; only the socket is
 * left out. The exporter's collector and settings are private, so setup takes them by reflection.
 *
 * <ul>
 *   <li>{@code collect}: the snapshot alone (expiry and client_java's model, no text), what every
 *       scrape pays before writing;
 *   <li>{@code scrapeText}: a whole scrape in the Prometheus text format 0.0.4 ({@code Accept:
 *       text/plain; version=0.0.4});
 *   <li>{@code scrapeTextGzip}: the same with {@code Accept-Encoding: gzip}, as Prometheus asks by
 *       default;
 *   <li>{@code scrapeOpenMetrics}: a whole scrape in OpenMetrics 1.0 (what Prometheus's default
 *       {@code Accept} header negotiates), not gzipped;
 *   <li>{@code pushWindow}: {@code pushMetrics} of one closed window updating every series once
 *       (translation to Prometheus names and labels, then the store), what the exporter pays per
 *       connector window when every group was active. The same window is pushed each time: a
 *       point no older than the stored one replaces it, exactly as a newer window's does.
 * </ul>
 *
 * Results are µs per scrape or per window; divide by {@code series} for per series. The bytes and
 * lines of one scrape are printed at setup.
 */
public class PrometheusRenderBenchmark extends OtlpBenchmark {
  /** Series the exporter holds (8 per group; a histogram is one series). */
  @Param({"1000", "10000"})
  public int series;

  static final int WORKER_TYPES = 5;
  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private PrometheusExporter exporter;
  private Metrics window;
  private PrometheusRegistry registry;
  private PrometheusScrapeHandler handler;
  private final Sink sink = new Sink();
  private Scrape text;
  private Scrape textGzip;
  private Scrape openMetrics;

  @Setup
  public void setUp() throws Exception {
    if (series % ConnectorOutput.SERIES_PER_GROUP != 0) {
      throw new IllegalArgumentException("series must be a multiple of " + ConnectorOutput.SERIES_PER_GROUP);
    }
    int groups = series / ConnectorOutput.SERIES_PER_GROUP;
    // A clock that stands still: nothing expires however long the run, and expiry still walks
    // every series at each scrape.
    long now = System.nanoTime();
    exporter = new PrometheusExporter(NOPLogger.NOP_LOGGER, PrometheusExporterConfig.DEFAULT,
        ComponentTelemetry.noop(ComponentKind.EXPORTER, ComponentId.of("prometheus")), () -> now);
    window = Metrics.of(ConnectorOutput.window(groups, WORKER_TYPES, T0 - 60_000_000_000L, T0, new Random(42)));
    for (int i = 0; i < 2; i++) {
      long lost = exporter.pushMetrics(window, TIMEOUT);
      if (lost != 0) {
        throw new IllegalStateException("the exporter dropped " + lost + " points of the window");
      }
    }
    Field storeField = PrometheusExporter.class.getDeclaredField("store");
    storeField.setAccessible(true);
    int held = ((SeriesStore) storeField.get(exporter)).size();
    if (held != series) {
      throw new IllegalStateException("the exporter holds " + held + " series, not " + series);
    }

    // What start() builds, without the port: the exporter's collector in a registry, and the
    // scrape handler client_java's HTTPServer builds with the exporter's properties.
    Field properties = PrometheusExporter.class.getDeclaredField("HTTP_PROPERTIES");
    properties.setAccessible(true);
    Constructor<?> collector =
        Class.forName(PrometheusExporter.class.getName() + "$StoreCollector").getDeclaredConstructor(PrometheusExporter.class);
    collector.setAccessible(true);
    registry = new PrometheusRegistry();
    registry.register((MultiCollector) collector.newInstance(exporter));
    handler = new PrometheusScrapeHandler((PrometheusProperties) properties.get(null), registry);

    text = new Scrape(TEXT, null, sink);
    textGzip = new Scrape(TEXT, "gzip", sink);
    openMetrics = new Scrape(OPENMETRICS, null, sink);
    check(text, "text/plain; version=0.0.4");
    check(textGzip, "text/plain; version=0.0.4");
    check(openMetrics, "application/openmetrics-text");
  }

  /** One scrape to see the writer the handler picked, and how much it wrote. */
  private void check(Scrape scrape, String contentType) throws IOException {
    long before = sink.bytes;
    sink.newlines = 0;
    sink.countLines = true;
    handler.handleRequest(scrape);
    sink.countLines = false;
    if (scrape.contentType == null || !scrape.contentType.startsWith(contentType)) {
      throw new IllegalStateException("expected " + contentType + ", the handler wrote " + scrape.contentType);
    }
    System.out.printf("# series=%d %s%s: %d bytes%s%n", series, contentType,
        scrape.acceptEncoding == null ? "" : " (" + scrape.acceptEncoding + ")", sink.bytes - before,
        scrape.acceptEncoding == null ? ", " + sink.newlines + " lines" : "");
  }

  @Benchmark
  public MetricSnapshots collect() {
    return registry.scrape();
  }

  @Benchmark
  public long scrapeText() throws IOException {
    handler.handleRequest(text);
    return sink.bytes;
  }

  @Benchmark
  public long scrapeTextGzip() throws IOException {
    handler.handleRequest(textGzip);
    return sink.bytes;
  }

  @Benchmark
  public long scrapeOpenMetrics() throws IOException {
    handler.handleRequest(openMetrics);
    return sink.bytes;
  }

  @Benchmark
  public long pushWindow() {
    return exporter.pushMetrics(window, TIMEOUT);
  }

  /**
   * A response body that counts the bytes written to it and keeps nothing; it counts lines too
   * when asked (at setup only: that would be a second pass over every byte).
   */
  static final class Sink extends OutputStream {
    long bytes;
    long newlines;
    boolean countLines;

    @Override
    public void write(int b) {
      bytes++;
      if (countLines && b == '\n') {
        newlines++;
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
      if (countLines) {
        for (int i = off; i < off + len; i++) {
          if (b[i] == '\n') {
            newlines++;
          }
        }
      }
    }
  }

  /**
   * A {@code GET /metrics} with an {@code Accept} header and optionally {@code Accept-Encoding},
   * whose response body is the sink.
   */
  static final class Scrape implements PrometheusHttpExchange, PrometheusHttpRequest, PrometheusHttpResponse {
    final String accept;
    final String acceptEncoding;
    final OutputStream body;
    String contentType;

    Scrape(String accept, String acceptEncoding, OutputStream body) {
      this.accept = accept;
      this.acceptEncoding = acceptEncoding;
      this.body = body;
    }

    @Override
    public PrometheusHttpRequest getRequest() {
      return this;
    }

    @Override
    public PrometheusHttpResponse getResponse() {
      return this;
    }

    @Override
    public void handleException(IOException e) throws IOException {
      throw e;
    }

    @Override
    public void handleException(RuntimeException e) {
      throw e;
    }

    @Override
    public void close() {}

    @Override
    public String getQueryString() {
      return null;
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      String value = name.equalsIgnoreCase("Accept") ? accept
          : name.equalsIgnoreCase("Accept-Encoding") ? acceptEncoding : null;
      return value == null ? Collections.emptyEnumeration() : Collections.enumeration(List.of(value));
    }

    @Override
    public String getMethod() {
      return "GET";
    }

    @Override
    public String getRequestPath() {
      return "/metrics";
    }

    @Override
    public void setHeader(String name, String value) {
      if (name.equalsIgnoreCase("Content-Type")) {
        contentType = value;
      }
    }

    @Override
    public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength) {
      if (statusCode != 200) {
        throw new IllegalStateException("scrape answered " + statusCode);
      }
      // The handler closes the body (and a gzip stream around it); the sink outlives it.
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          body.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          body.write(b, off, len);
        }
      };
    }
  }
}
