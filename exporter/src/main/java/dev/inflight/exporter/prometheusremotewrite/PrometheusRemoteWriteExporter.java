package dev.inflight.exporter.prometheusremotewrite;

import dev.inflight.config.confighttp.HttpPost;
import dev.inflight.translator.prometheus.MetricTranslator;
import dev.inflight.component.Component;
import dev.inflight.component.Host;
import dev.inflight.component.Refusal;
import dev.inflight.pdata.Metrics;
import dev.inflight.component.telemetry.ComponentTelemetry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.xerial.snappy.Snappy;

/**
 * Sends metrics with Prometheus remote write 1.0: each batch is translated ({@link
 * MetricTranslator}, shared with the {@code prometheus} exporter), turned into time series ({@link
 * TimeSeriesBatch}), encoded as {@code WriteRequest}s of at most {@code max_batch_size_bytes}
 * ({@link WriteRequests}), compressed with Snappy's block format and posted one after the other.
 * Answers are handled as the remote write specification says: 2xx is success; 5xx and 429 are
 * retried (after {@code Retry-After} when sent); any other status is permanent, with Prometheus'
 * error text in the message ({@code out of order sample}, ...).
 *
 * <p>Samples keep their points' own time: for the concurrency connector, the end of the window
 * they describe, not the time they were sent or scraped. Because Prometheus refuses a whole request
 * when one sample is older than what it has for the series, the last sample acknowledged per
 * series is remembered ({@link LastSent}) and older ones are dropped here, counted in {@code
 * otelcol_exporter_prometheusremotewrite_failed_translations_total{reason="out_of_order"}}.
 */
public final class PrometheusRemoteWriteExporter implements Component {
  static final String VERSION_HEADER = "X-Prometheus-Remote-Write-Version";
  static final String VERSION = "0.1.0";
  /** Series not sent for this long are forgotten by the out-of-order filter. */
  static final Duration FORGET_AFTER = Duration.ofMinutes(15);

  private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Logger log;
  private final PrometheusRemoteWriteExporterConfig config;
  private final URI url;
  private final MetricTranslator translator;
  private final LastSent lastSent;
  private final LongSupplier nanoTime;
  private final PrometheusRemoteWriteExporterTelemetry telemetry;
  private final AtomicLong lastDropLog;
  private volatile HttpClient client;

  public PrometheusRemoteWriteExporter(
      Logger log, PrometheusRemoteWriteExporterConfig config, ComponentTelemetry telemetry) {
    this(log, config, telemetry, System::nanoTime);
  }

  PrometheusRemoteWriteExporter(
      Logger log, PrometheusRemoteWriteExporterConfig config, ComponentTelemetry telemetry, LongSupplier nanoTime) {
    this.log = log;
    this.config = config;
    this.url = config.url();
    this.translator = new MetricTranslator(
        config.namespace(), Map.of(), config.resourceToTelemetryConversion().enabled(), config.addMetricSuffixes());
    this.nanoTime = nanoTime;
    this.lastSent = new LastSent(FORGET_AFTER.toNanos(), nanoTime);
    this.lastDropLog = new AtomicLong(nanoTime.getAsLong() - DROP_LOG_INTERVAL_NANOS);
    this.telemetry = new PrometheusRemoteWriteExporterTelemetry(telemetry);
  }

  /** The URL this exporter posts to. */
  public URI url() {
    return url;
  }

  /** Makes the HTTP client (TLS files are read here) and checks Snappy's native code loads. */
  @Override
  public void start(Host host) throws IOException {
    Snappy.compress(new byte[0]); // fails here, not at the first batch, where it has no native library
    client = HttpPost.client(url, config.tls(), config.timeout());
    log.debug("exporting metrics with Prometheus remote write to {}", url);
  }

  /**
   * Sends one batch as one or more requests, in order.
   *
   * @return the batch's data points not sent (dropped by reason, see {@link TimeSeriesBatch}):
   *     the exporter helper counts them as failed
   */
  public long pushMetrics(Metrics metrics, Duration timeout) throws Refusal, IOException, InterruptedException {
    lastSent.sweep();
    TimeSeriesBatch batch =
        new TimeSeriesBatch(config.externalLabels(), config.targetInfo().enabled(), lastSent);
    translator.translate(metrics.request(), batch);
    List<WriteRequests.Series> series = batch.series();
    List<WriteRequests.Request> requests = WriteRequests.encode(series, config.maxBatchSizeBytes().bytes());
    boolean done = false; // the batch's outcome is final: sent, or failed for good
    try {
      for (WriteRequests.Request r : requests) {
        post(r.body(), timeout);
        telemetry.sentBatch();
        for (WriteRequests.Newest n : r.newest()) {
          lastSent.acknowledged(n.id(), n.timestamp(), n.valueBits());
        }
      }
      done = true;
    } catch (Refusal e) {
      done = !e.isRetryable();
      throw e;
    } catch (RuntimeException e) {
      done = true;
      throw e;
    } finally {
      if (done) {
        // Counted once per batch, not per attempt: a retried batch is translated again.
        count(batch, series.size());
      }
    }
    return batch.droppedPoints();
  }

  private void count(TimeSeriesBatch batch, int series) {
    telemetry.translated(series, batch.dropped());
    if (batch.dropped().isEmpty()) {
      return;
    }
    long now = nanoTime.getAsLong();
    long last = lastDropLog.get();
    if (now - last >= DROP_LOG_INTERVAL_NANOS && lastDropLog.compareAndSet(last, now)) {
      log.warn("not sending {} data points Prometheus would refuse: {}; further drops are counted in "
          + PrometheusRemoteWriteExporterTelemetry.FAILED_TRANSLATIONS.name() + "_total{reason}",
          batch.droppedPoints(), batch.dropped());
    }
  }

  /**
   * Posts one encoded {@code WriteRequest} and classifies the answer.
   *
   * @throws Refusal for a non-2xx status: retryable for 5xx and 429, permanent otherwise
   * @throws IOException when no answer came (connection refused, reset, timeout): retryable
   */
  private void post(byte[] writeRequest, Duration timeout) throws Refusal, IOException, InterruptedException {
    HttpClient c = client;
    if (c == null) {
      throw Refusal.retryable("the prometheusremotewrite exporter has not started");
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout);
    for (Map.Entry<String, String> h : config.headers().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    b.setHeader("Content-Encoding", "snappy");
    b.setHeader("Content-Type", HttpPost.PROTOBUF);
    b.setHeader(VERSION_HEADER, VERSION);
    b.setHeader("User-Agent", "inflight");
    HttpRequest req = b.POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(writeRequest))).build();

    HttpPost.send(c, req, url, timeout, PrometheusRemoteWriteExporter::retryable);
  }

  /** The remote write specification: 5xx and 429 may be retried, every other failure may not. */
  static boolean retryable(int status) {
    return status == 429 || (status >= 500 && status <= 599);
  }

  /** For tests: series the out-of-order filter remembers. */
  int rememberedSeries() {
    return lastSent.size();
  }

  /** Nothing to close: the JDK's client (17) has no close and frees its threads when unreachable. */
  @Override
  public void shutdown() {
    client = null;
  }
}
