package dev.inflight.exporter.prometheus;

import dev.inflight.config.confignet.ListenEndpoint;
import dev.inflight.translator.prometheus.MetricTranslator;
import dev.inflight.translator.prometheus.TranslatedPoint;
import dev.inflight.component.Component;
import dev.inflight.component.Host;
import dev.inflight.pdata.Metrics;
import dev.inflight.component.telemetry.ComponentTelemetry;
import io.prometheus.metrics.config.ExporterProperties;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;

/**
 * Holds the latest point of every series ({@link SeriesStore}) and serves them on {@code
 * /metrics} with Prometheus client_java's HTTP server, which negotiates the format with the
 * scraper (Prometheus text 0.0.4, or OpenMetrics when the {@code Accept} header asks for it),
 * gzips when asked, and honours {@code name[]} filters. Points are translated as the OpenTelemetry
 * → Prometheus compatibility specification says ({@link MetricTranslator}).
 *
 * <p>Points that cannot be exposed are dropped and counted in {@code
 * inflight_exporter_prometheus_dropped_points_total{reason}}: {@code unsupported_type}
 * (exponential histograms), {@code malformed}, {@code type_conflict}, {@code out_of_order}, {@code
 * invalid} (refused by client_java at scrape time).
 */
public final class PrometheusExporter implements Component {
  /**
   * client_java's settings, not read from system properties or a prometheus.properties file (which
   * could move the port): sample timestamps in the Prometheus text format in milliseconds, as that
   * format requires (client_java writes seconds by default, which Prometheus refuses).
   */
  private static final PrometheusProperties HTTP_PROPERTIES = PrometheusProperties.builder()
      .exporterProperties(ExporterProperties.builder().prometheusTimestampsInMs(true).build())
      .build();

  private final Logger log;
  private final PrometheusExporterConfig config;
  private final MetricTranslator translator;
  private final SeriesStore store;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Boolean> warnedInvalid = new ConcurrentHashMap<>();
  private final PrometheusExporterTelemetry telemetry;
  private volatile HTTPServer server;
  private ExecutorService executor;

  public PrometheusExporter(Logger log, PrometheusExporterConfig config, ComponentTelemetry telemetry) {
    this(log, config, telemetry, System::nanoTime);
  }

  PrometheusExporter(Logger log, PrometheusExporterConfig config, ComponentTelemetry telemetry, LongSupplier nanoTime) {
    this.log = log;
    this.config = config;
    this.translator = new MetricTranslator(
        config.namespace(), config.constLabels(), config.resourceToTelemetryConversion().enabled(),
        config.addMetricSuffixes());
    this.store = new SeriesStore(config.metricExpiration().toNanos());
    this.nanoTime = nanoTime;
    this.telemetry = new PrometheusExporterTelemetry(telemetry);
  }

  @Override
  public void start(Host host) throws IOException {
    InetSocketAddress address = ListenEndpoint.resolve("exporter prometheus", config.endpoint());
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new StoreCollector());
    // Scrapes are few and short: two threads, a short queue, and nothing else kept alive.
    AtomicInteger n = new AtomicInteger();
    executor = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64), r -> {
      Thread t = new Thread(r, "prometheus-exporter-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    HTTPServer.Builder b =
        HTTPServer.builder(HTTP_PROPERTIES).port(address.getPort()).registry(registry).executorService(executor);
    if (!address.getAddress().isAnyLocalAddress()) {
      b.inetAddress(address.getAddress());
    }
    server = ListenEndpoint.bind("exporter prometheus", config.endpoint(), () -> {
      try {
        return b.buildAndStart();
      } catch (IOException | RuntimeException e) {
        executor.shutdownNow();
        throw e;
      }
    });
    telemetry.observeSeries(store::size);
    // The port bound, not the configured one: they differ for port 0.
    log.info("serving Prometheus metrics on http://{}{}/metrics",
        config.endpoint().substring(0, config.endpoint().lastIndexOf(':') + 1), server.getPort());
  }

  /** The port it listens on (the configured one, or the one chosen for port 0). */
  public int port() {
    HTTPServer s = server;
    return s == null ? -1 : s.getPort();
  }

  /**
   * Translates and stores one batch.
   *
   * @return how many of its points were dropped (counted as failed by the exporter helper)
   */
  public long pushMetrics(Metrics metrics, Duration timeout) {
    long now = nanoTime.getAsLong();
    long[] lost = new long[1];
    translator.translate(metrics.request(), new MetricTranslator.Sink() {
      @Override
      public void accept(TranslatedPoint point) {
        String why = store.put(point, now);
        if (why != null && point.type() != io.prometheus.metrics.model.registry.MetricType.INFO) {
          drop(why, 1);
          lost[0]++;
        }
      }

      @Override
      public void dropped(String reason, long points) {
        drop(reason, points);
        lost[0] += points;
      }
    });
    return lost[0];
  }

  private void drop(String reason, long points) {
    telemetry.droppedPoints(reason, points);
  }

  /** The store as client_java sees it: expired series go first. */
  private final class StoreCollector implements MultiCollector {
    @Override
    public MetricSnapshots collect() {
      return collect(name -> true, null);
    }

    @Override
    public MetricSnapshots collect(Predicate<String> includedNames, PrometheusScrapeRequest request) {
      store.expire(nanoTime.getAsLong());
      return store.snapshot(includedNames, config.sendTimestamps(), (family, e) -> {
        drop("invalid", 1);
        if (warnedInvalid.putIfAbsent(family, Boolean.TRUE) == null) {
          log.warn("metric {} cannot be exposed to Prometheus and is left out of scrapes: {}", family, e.getMessage());
        }
      });
    }
  }

  @Override
  public void shutdown() {
    HTTPServer s = server;
    server = null;
    if (s != null) {
      s.close();
    }
    if (executor != null) {
      executor.shutdownNow();
    }
    telemetry.close();
  }
}
