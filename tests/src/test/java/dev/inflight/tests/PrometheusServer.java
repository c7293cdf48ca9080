package dev.inflight.tests;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real Prometheus server (Debian's {@code prometheus}, 2.42) as a child process, for end-to-end tests:
 * it scrapes the given targets every second, accepts remote write at {@link #remoteWriteUrl()}, and
 * answers PromQL through its HTTP API. Each instance has its own temp dir (config, TSDB, log) and port.
 *
 * <p>Prometheus only starts scraping when its scrape manager first reloads, about 5s after it is
 * ready; so wait for scraped series with {@link #awaitVector} (15s or more), never a fixed sleep.
 *
 * <p>A missing {@code prometheus} is a failure, in CI and outside it ({@code ./test} installs it).
 * The query methods throw unchecked exceptions so they can be used inside lambdas.
 */
final class PrometheusServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Duration READY = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(250);
  private static final String SELF_JOB = "prometheus";

  /** One scrape job of a single target, e.g. inflight's self-telemetry at {@code 127.0.0.1:8888}. */
  record ScrapeTarget(String job, String hostPort, String metricsPath) {
    static ScrapeTarget of(String job, String hostPort) {
      return new ScrapeTarget(job, hostPort, "/metrics");
    }
  }

  /** One value of a vector (or of a series in a matrix): labels include {@code __name__} when present. */
  record Sample(Map<String, String> labels, double value, Instant timestamp) {}

  /** One series of a range query. */
  record Series(Map<String, String> labels, List<Sample> samples) {}

  private final Process process;
  private final Path dir;
  private final int port;
  private final Thread killOnExit;
  private boolean closed;

  private PrometheusServer(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    // A test that forgets close(), or a test JVM that exits early, must not leave Prometheus running.
    this.killOnExit = new Thread(process::destroyForcibly, "prometheus-kill-on-exit");
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** Starts Prometheus scraping {@code targets} and itself (job {@code prometheus}); returns once it is ready. */
  static PrometheusServer start(List<ScrapeTarget> targets) throws IOException, InterruptedException {
    Path binary = findPrometheus();
    Set<String> jobs = new HashSet<>(Set.of(SELF_JOB));
    for (ScrapeTarget t : targets) {
      if (!jobs.add(t.job())) {
        throw new IllegalArgumentException("duplicate scrape job " + t.job() + " (job " + SELF_JOB + " is built in)");
      }
    }
    Path dir = Files.createTempDirectory("inflight-prometheus-");
    // freePort() closes its socket before Prometheus binds it, so another process can take the port in
    // between: then Prometheus exits with "address already in use" and we try again on another port.
    for (int attempt = 1; ; attempt++) {
      int port = InflightProcess.freePort();
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(config, config(targets, port));
      deleteTree(dir.resolve("data"));
      List<String> cmd = List.of(binary.toString(),
          "--config.file=" + config,
          "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port,
          "--web.enable-remote-write-receiver",
          "--storage.tsdb.retention.time=2h",
          "--log.level=info");
      Process process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
      PrometheusServer server = new PrometheusServer(process, dir, port);
      try {
        server.awaitReady();
        return server;
      } catch (IllegalStateException e) {
        boolean portTaken = !process.isAlive() && server.logTail().contains("address already in use");
        server.stop();
        if (!portTaken || attempt == 3) {
          if (!keep()) {
            deleteTree(dir);
          }
          throw e;
        }
      } catch (RuntimeException | Error | InterruptedException e) {
        server.close();
        throw e;
      }
    }
  }

  private static String config(List<ScrapeTarget> targets, int port) {
    StringBuilder yml = new StringBuilder("""
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
        """);
    List<ScrapeTarget> all = new ArrayList<>();
    all.add(ScrapeTarget.of(SELF_JOB, "127.0.0.1:" + port));
    all.addAll(targets);
    for (ScrapeTarget t : all) {
      // JSON strings are YAML double-quoted scalars: any job name or path is written safely.
      yml.append("""
            - job_name: %s
              scrape_interval: 1s
              scrape_timeout: 1s
              metrics_path: %s
              static_configs:
                - targets: [%s]
          """.formatted(quote(t.job()), quote(t.metricsPath()), quote(t.hostPort())));
    }
    return yml.toString();
  }

  private static String quote(String s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls {@code /-/ready} (503 while the TSDB and config load) until it answers 200. */
  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + READY.toNanos();
    URI ready = URI.create(baseUrl() + "/-/ready");
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("prometheus exited with " + process.exitValue() + " before it was ready\n"
            + logTail());
      }
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(ready + " did not answer 200 within " + READY + "\n" + logTail());
      }
      Thread.sleep(100);
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Where Prometheus listens, as a scrape target for another instance. */
  String hostPort() {
    return "127.0.0.1:" + port;
  }

  /** Remote write 1.0 receiver (POST snappy-compressed protobuf WriteRequest; 204 on success). */
  URI remoteWriteUrl() {
    return URI.create(baseUrl() + "/api/v1/write");
  }

  /** Prometheus' stdout and stderr (logfmt). Gone after {@link #close()} unless {@code inflight.keepPrometheus} is set. */
  Path log() {
    return dir.resolve("prometheus.log");
  }

  /** The last 40 lines of {@link #log()}, for failure messages. */
  String logTail() {
    try {
      List<String> lines = new String(Files.readAllBytes(log()), StandardCharsets.UTF_8).lines().toList();
      return "prometheus.log (last lines of " + log() + "):\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "prometheus.log unreadable: " + e;
    }
  }

  /** Instant query at the server's now; returns the {@code data} node ({@code resultType}, {@code result}). */
  JsonNode query(String promql) {
    return api("/api/v1/query", promql, "query", promql);
  }

  /** Instant query at {@code time}. */
  JsonNode query(String promql, Instant time) {
    return api("/api/v1/query", promql, "query", promql, "time", seconds(time));
  }

  /** Range query from {@code start} to {@code end} (inclusive) every {@code step}; returns the {@code data} node. */
  JsonNode queryRange(String promql, Instant start, Instant end, Duration step) {
    return api("/api/v1/query_range", promql, "query", promql, "start", seconds(start), "end", seconds(end),
        "step", new BigDecimal(step.toNanos()).movePointLeft(9).toPlainString());
  }

  /** The samples of an instant query at now (a scalar result counts as one sample without labels). */
  List<Sample> vector(String promql) {
    return samples(promql, query(promql));
  }

  /** The samples of an instant query at {@code time}. */
  List<Sample> vector(String promql, Instant time) {
    return samples(promql, query(promql, time));
  }

  /** The value of a result of at most one sample at {@code time}: empty for no sample, a failure for several. */
  OptionalDouble single(String promql, Instant time) {
    return single(promql, vector(promql, time));
  }

  /** {@link #single(String, Instant)} at now. */
  OptionalDouble single(String promql) {
    return single(promql, vector(promql));
  }

  private static OptionalDouble single(String promql, List<Sample> samples) {
    if (samples.size() > 1) {
      throw new AssertionError("expected at most one sample for `" + promql + "`, got " + samples.size() + ": " + samples);
    }
    return samples.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(samples.get(0).value());
  }

  /** The series of a range query. */
  List<Series> matrix(String promql, Instant start, Instant end, Duration step) {
    JsonNode data = queryRange(promql, start, end, step);
    return series(promql, data);
  }

  /**
   * The samples as stored, with the timestamps they were written with: an instant query of a range
   * selector ({@code selector[range]}) at now.
   */
  List<Series> stored(String selector, Duration range) {
    String promql = selector + "[" + range.toSeconds() + "s]";
    JsonNode data = query(promql);
    return series(promql, data);
  }

  /** Polls {@link #vector(String)} every 250ms until {@code until} holds; returns that result. */
  List<Sample> awaitVector(String promql, Predicate<List<Sample>> until, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Sample> last = vector(promql);
      if (until.test(last)) {
        return last;
      }
      if (!process.isAlive()) {
        throw new AssertionError("prometheus exited with " + process.exitValue() + " while awaiting `" + promql
            + "`; last result: " + last + "\n" + logTail());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("`" + promql + "` did not reach the expected result within " + timeout
            + "; last result: " + last + "\n" + logTail());
      }
      sleep(POLL);
    }
  }

  /** Whether every target of {@code job} answered its last scrape; false before the first one (about 5s after start). */
  boolean targetUp(String job) {
    List<Sample> up = vector("up{job=\"" + job.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    return !up.isEmpty() && up.stream().allMatch(s -> s.value() == 1);
  }

  /** SIGTERM, up to 10s for a clean shutdown, then SIGKILL; deletes the temp dir unless {@code inflight.keepPrometheus} is set. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    stop();
    if (keep()) {
      System.err.println("PrometheusServer: kept " + dir + " (inflight.keepPrometheus)");
    } else {
      deleteTree(dir);
    }
  }

  private static boolean keep() {
    return System.getProperty("inflight.keepPrometheus") != null;
  }

  private void stop() {
    closed = true;
    try {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to
    }
  }

  private JsonNode api(String path, String promql, String... params) {
    if (closed) {
      throw new IllegalStateException("PrometheusServer at " + baseUrl() + " is closed; cannot query `" + promql + "`");
    }
    StringBuilder url = new StringBuilder(baseUrl()).append(path);
    for (int i = 0; i < params.length; i += 2) {
      url.append(i == 0 ? '?' : '&').append(params[i]).append('=')
          .append(URLEncoder.encode(params[i + 1], StandardCharsets.UTF_8));
    }
    HttpResponse<String> r;
    try {
      r = HTTP.send(HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + url + " failed (prometheus alive: " + process.isAlive() + ")\n"
          + logTail(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during GET " + url, e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("prometheus answered `" + promql + "` with HTTP " + r.statusCode()
          + " and no JSON: " + r.body());
    }
    if (!"success".equals(body.path("status").asText())) {
      // e.g. 400 bad_data "invalid parameter \"query\": 1:4: parse error: ...", 422 execution, 503 timeout
      throw new IllegalStateException("prometheus rejected `" + promql + "` (HTTP " + r.statusCode() + ", "
          + body.path("errorType").asText() + "): " + body.path("error").asText());
    }
    return body.get("data");
  }

  private static List<Series> series(String promql, JsonNode data) {
    expectType(promql, data, "matrix");
    List<Series> series = new ArrayList<>();
    for (JsonNode s : data.get("result")) {
      Map<String, String> labels = labels(s.get("metric"));
      List<Sample> samples = new ArrayList<>();
      for (JsonNode point : s.path("values")) {
        samples.add(sample(promql, labels, point));
      }
      series.add(new Series(labels, List.copyOf(samples)));
    }
    return List.copyOf(series);
  }

  private static List<Sample> samples(String promql, JsonNode data) {
    if ("scalar".equals(data.path("resultType").asText())) {
      return List.of(sample(promql, Map.of(), data.get("result")));
    }
    expectType(promql, data, "vector");
    List<Sample> samples = new ArrayList<>();
    for (JsonNode s : data.get("result")) {
      samples.add(sample(promql, labels(s.get("metric")), s.get("value")));
    }
    return List.copyOf(samples);
  }

  private static void expectType(String promql, JsonNode data, String type) {
    if (!type.equals(data.path("resultType").asText())) {
      throw new IllegalStateException("`" + promql + "` gave a " + data.path("resultType").asText() + ", not a "
          + type + ": " + data);
    }
  }

  private static Map<String, String> labels(JsonNode metric) {
    Map<String, String> labels = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : metric.properties()) {
      labels.put(e.getKey(), e.getValue().asText());
    }
    return Collections.unmodifiableMap(labels);
  }

  /** {@code [<unix seconds, ms precision>, "<value>"]}; native histograms (off by default) have no such pair. */
  private static Sample sample(String promql, Map<String, String> labels, JsonNode point) {
    if (point == null || !point.isArray() || point.size() != 2) {
      throw new IllegalStateException("`" + promql + "`: not a [time, value] pair: " + point);
    }
    Instant time = Instant.ofEpochMilli(point.get(0).decimalValue().movePointRight(3).longValue());
    return new Sample(labels, parseValue(point.get(1).asText()), time);
  }

  /** Prometheus writes values as strings, with Go's spellings of the special ones. */
  static double parseValue(String v) {
    return switch (v) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(v);
    };
  }

  /** Unix seconds with millisecond precision, the resolution of Prometheus' timestamps. */
  private static String seconds(Instant t) {
    return BigDecimal.valueOf(t.toEpochMilli()).movePointLeft(3).toPlainString();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }

  /** {@code prometheus} on the PATH; missing, the test fails (./test installs the Debian package prometheus). */
  private static Path findPrometheus() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(File.pathSeparator)) {
      if (d.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(d, "prometheus");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail("no `prometheus` on the PATH (CI=" + System.getenv("CI") + "): the end-to-end tests run a real "
        + "Prometheus server; ./test installs the Debian package prometheus. PATH=" + path);
  }
}
