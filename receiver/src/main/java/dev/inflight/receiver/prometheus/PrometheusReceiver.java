package dev.inflight.receiver.prometheus;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.Host;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Receiver;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.telemetry.ReceiverMetrics;
import dev.inflight.config.configtls.ClientTls;
import dev.inflight.pdata.Metrics;
import dev.inflight.receiver.prometheus.ExpositionParser.Family;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * One {@code prometheus} receiver: every target of every job is scraped every {@code
 * scrape_interval} on the receiver's scrape threads, with the JDK HTTP client, and each scrape's
 * metrics go to the pipeline in one request. A failed scrape (refused, timed out, not 200, not
 * parseable) still sends {@code up} 0; it is one WARN line when the target starts failing (or
 * fails differently), DEBUG while it keeps failing, INFO when it is back.
 */
final class PrometheusReceiver implements Receiver {
  /** What Prometheus 2.x sends: OpenMetrics first, then the text format. */
  static final String ACCEPT = "application/openmetrics-text;version=1.0.0;q=0.5,"
      + "application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
  /** The largest body read (after decompression); Prometheus's body_size_limit is unlimited by default. */
  static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
  static final int SCRAPE_THREADS = 2;

  private final CreateSettings settings;
  private final List<ScrapeJob> jobs;
  private final MetricsConsumer next;
  private final Logger log;
  private final ReceiverMetrics counts;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final List<TargetScraper> scrapers = new ArrayList<>();
  private volatile @Nullable ScheduledExecutorService scheduler;

  PrometheusReceiver(CreateSettings settings, List<ScrapeJob> jobs, MetricsConsumer next) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.jobs = List.copyOf(jobs);
    this.next = Objects.requireNonNull(next, "next");
    this.log = settings.logger();
    this.counts = settings.telemetry().receiverMetrics("http");
    for (ScrapeJob job : this.jobs) {
      HttpClient client = client(job);
      for (ScrapeJob.Target target : job.targets()) {
        scrapers.add(new TargetScraper(job, target, client));
      }
    }
  }

  @Override
  public void start(Host host) {
    if (!started.compareAndSet(false, true) || stopped.get()) {
      return;
    }
    String prefix = "receiver-" + settings.id().toString().replace('/', '-') + "-scrape-";
    AtomicInteger n = new AtomicInteger();
    ScheduledExecutorService s = Executors.newScheduledThreadPool(SCRAPE_THREADS, r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    scheduler = s;
    for (TargetScraper scraper : scrapers) {
      long interval = scraper.job.scrapeInterval().toMillis();
      // Spread the targets as Prometheus does, but start soon: within the first second.
      long offset = ThreadLocalRandom.current().nextLong(Math.max(1, Math.min(interval, 1000)));
      s.scheduleAtFixedRate(scraper::scrapeSafely, offset, interval, TimeUnit.MILLISECONDS);
    }
    int targets = scrapers.size();
    log.info("scraping {} target{} of {} job{}", targets, targets == 1 ? "" : "s", jobs.size(),
        jobs.size() == 1 ? "" : "s");
  }

  @Override
  public void shutdown() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    ScheduledExecutorService s = scheduler;
    if (s != null) {
      s.shutdownNow();
      try {
        s.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static HttpClient client(ScrapeJob job) {
    HttpClient.Builder b = HttpClient.newBuilder()
        .connectTimeout(job.scrapeTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL); // Prometheus's follow_redirects defaults to true
    if (job.tls() != null) {
      b.sslContext(ClientTls.sslContext(job.tls()));
    }
    return b.build();
  }

  /** One target's scrape loop state. */
  final class TargetScraper {
    private final ScrapeJob job;
    private final ScrapeJob.Target target;
    private final HttpClient client;
    private final URI uri;
    private final ScrapeConverter converter;
    private @Nullable String failing; // the last failure's message while the target fails

    TargetScraper(ScrapeJob job, ScrapeJob.Target target, HttpClient client) {
      this.job = job;
      this.target = target;
      this.client = client;
      this.uri = uri(job, target);
      this.converter = new ScrapeConverter(job, target);
    }

    void scrapeSafely() {
      try {
        scrape();
      } catch (RuntimeException e) {
        log.error("scrape of {} failed unexpectedly", uri, e);
      }
    }

    synchronized void scrape() {
      if (stopped.get()) {
        return;
      }
      long startNanos = nowNanos();
      long t0 = System.nanoTime();
      List<Family> families = List.of();
      String failure = null;
      try {
        families = fetch();
      } catch (ScrapeFailure e) {
        failure = e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long samples = sampleCount(families);
      report(failure);
      families = Relabel.families(job.metricRelabel(), families, job, target);
      long kept = sampleCount(families);
      List<ResourceMetrics> rms = converter.convert(families, startNanos,
          new ScrapeConverter.ScrapeStats(failure == null, seconds, samples, kept));
      Metrics metrics = Metrics.of(ExportMetricsServiceRequest.newBuilder().addAllResourceMetrics(rms).build());
      int points = metrics.itemCount();
      try {
        next.consumeMetrics(metrics);
        counts.accepted(Signal.METRICS, points);
      } catch (Refusal r) {
        counts.refused(Signal.METRICS, points);
        log.warn("the pipeline refused the {} points scraped from {}{}: {}", points, uri,
            r.isRetryable() ? " (dropped: a scrape is not retried, the next one follows)" : "", r.getMessage());
      }
    }

    private void report(@Nullable String failure) {
      if (failure == null) {
        if (failing != null) {
          log.info("scrape of {} (job {}) works again", uri, job.jobName());
          failing = null;
        }
        return;
      }
      if (!failure.equals(failing)) {
        log.warn("scrape of {} (job {}) failed: {}; up is 0 until it works", uri, job.jobName(), failure);
      } else {
        log.debug("scrape of {} (job {}) failed again: {}", uri, job.jobName(), failure);
      }
      failing = failure;
    }

    private List<Family> fetch() throws ScrapeFailure, InterruptedException {
      HttpRequest.Builder req = HttpRequest.newBuilder(uri)
          .timeout(job.scrapeTimeout())
          .header("Accept", ACCEPT)
          .header("Accept-Encoding", "gzip")
          .header("User-Agent", "inflight")
          .header("X-Prometheus-Scrape-Timeout-Seconds",
              String.format(Locale.ROOT, "%g", job.scrapeTimeout().toMillis() / 1000.0))
          .GET();
      String auth = authorization();
      if (auth != null) {
        req.header("Authorization", auth);
      }
      HttpResponse<InputStream> resp;
      try {
        resp = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (HttpConnectTimeoutException e) {
        throw new ScrapeFailure("connect timed out after " + job.scrapeTimeout().toMillis() + "ms");
      } catch (HttpTimeoutException e) {
        throw new ScrapeFailure("timed out after scrape_timeout " + job.scrapeTimeout().toMillis() + "ms");
      } catch (IOException e) {
        throw new ScrapeFailure(describe(e));
      }
      try (InputStream raw = resp.body()) {
        if (resp.statusCode() != 200) {
          throw new ScrapeFailure("server returned HTTP status " + resp.statusCode());
        }
        boolean gzip = resp.headers().firstValue("Content-Encoding").map(v -> v.equalsIgnoreCase("gzip"))
            .orElse(false);
        byte[] bytes = readBounded(gzip ? new GZIPInputStream(raw) : raw);
        String body = utf8(bytes);
        String type = resp.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        boolean openMetrics = type.startsWith("application/openmetrics-text");
        return ExpositionParser.parse(body, openMetrics);
      } catch (ExpositionException e) {
        throw new ScrapeFailure("cannot parse the body: " + e.getMessage());
      } catch (IOException e) {
        throw new ScrapeFailure("reading the body: " + describe(e));
      }
    }

    private @Nullable String authorization() throws ScrapeFailure {
      if (job.basicAuth() != null) {
        ScrapeJob.BasicAuth b = job.basicAuth();
        String password = b.passwordFile().isEmpty() ? b.password() : readSecret("password_file", b.passwordFile());
        return "Basic " + Base64.getEncoder().encodeToString(
            (b.username() + ":" + password).getBytes(StandardCharsets.UTF_8));
      }
      if (job.authorization() != null) {
        ScrapeJob.Authorization a = job.authorization();
        String credentials = a.credentialsFile().isEmpty() ? a.credentials()
            : readSecret("credentials_file", a.credentialsFile());
        return a.type() + " " + credentials;
      }
      return null;
    }
  }

  /** Read at each scrape, as Prometheus does, so a rotated secret is picked up. */
  private static String readSecret(String key, String file) throws ScrapeFailure {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw new ScrapeFailure("cannot read " + key + " " + file + ": " + describe(e));
    }
  }

  private static long sampleCount(List<Family> families) {
    long n = 0;
    for (Family f : families) {
      n += f.samples().size();
    }
    return n;
  }

  private static byte[] readBounded(InputStream in) throws IOException, ScrapeFailure {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[16 * 1024];
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (out.size() + n > MAX_BODY_BYTES) {
        throw new ScrapeFailure("body larger than " + MAX_BODY_BYTES / (1024 * 1024) + "MiB");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static String utf8(byte[] bytes) throws ScrapeFailure {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ScrapeFailure("the body is not valid UTF-8");
    }
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    if (e instanceof java.net.ConnectException) {
      return "connection refused" + (m == null || m.isEmpty() ? "" : " (" + m + ")");
    }
    if (e.getCause() instanceof java.nio.channels.UnresolvedAddressException
        || e instanceof java.net.UnknownHostException) {
      return "cannot resolve the host";
    }
    return m == null || m.isEmpty() ? e.getClass().getSimpleName() : m;
  }

  static URI uri(ScrapeJob job, ScrapeJob.Target target) {
    StringBuilder q = new StringBuilder();
    for (Map.Entry<String, List<String>> e : job.params().entrySet()) {
      for (String v : e.getValue()) {
        q.append(q.length() == 0 ? "?" : "&").append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
            .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
      }
    }
    return URI.create(job.scheme() + "://" + target.address() + job.metricsPath() + q);
  }

  private static long nowNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** Why a scrape failed, in one line. */
  private static final class ScrapeFailure extends Exception {
    private static final long serialVersionUID = 1L;

    ScrapeFailure(String message) {
      super(message, null, false, false);
    }
  }

  /** Scrapes every target once, now; for tests. */
  void scrapeAllNow() {
    for (TargetScraper s : scrapers) {
      s.scrape();
    }
  }
}
