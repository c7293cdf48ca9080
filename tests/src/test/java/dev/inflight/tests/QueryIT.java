package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inflight.connector.concurrency.SweepOracle;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * "How many account workers were busy during trace X, and right now?" answered by a running
 * inflight (the default config; only ports and lateness changed) with one curl, one command and one
 * page. The OpenTelemetry Java SDK sends one trace (a root and its worker children, the root ending
 * last, as applications send them); the per-trace series, the live view, the Grafana JSON datasource,
 * {@code inflight top}, {@code inflight trace} and the web page in headless Chromium must all show
 * the numbers the brute-force sweep computes from the same spans.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofSeconds(30);
  private static final long MS = 1_000_000L;
  private static final Path SCREENSHOTS = Path.of("target", "screenshots").toAbsolutePath();

  private Ports ports;
  private InflightProcess inflight;
  private String traceId;
  private long root0;
  private long root1;
  private final List<long[]> accountSpans = new ArrayList<>();
  private final List<long[]> storageSpans = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    ports = Ports.free();
    inflight = InflightProcess.start(
        Map.of(), ports.defaultConfigArgs("connectors.concurrency.allowed_lateness=5s").toArray(String[]::new));
    inflight.awaitHttp200(ports.healthUrl(), START);
    inflight.awaitHttp200(ports.queryUrl() + "/health", START);

    // One checkout: 10 account workers in three waves (peak 4), 3 storage writes, an error among them.
    // It ended just now: its windows close 5 s (the lateness) after their end, well after it arrives.
    long now = SdkSpans.nowNanos();
    root0 = (now / MS - 1000) * MS;
    root1 = root0 + 400 * MS;
    long[][] account = {
      {10, 90}, {20, 110}, {30, 60}, {40, 200}, {60, 130}, // up to 4 at once
      {130, 180}, {150, 260}, {200, 300}, {300, 330}, {330, 390},
    };
    for (long[] a : account) {
      accountSpans.add(new long[] {root0 + a[0] * MS, root0 + a[1] * MS});
    }
    long[][] storage = {{100, 150}, {140, 220}, {150, 151}};
    for (long[] s : storage) {
      storageSpans.add(new long[] {root0 + s[0] * MS, root0 + s[1] * MS});
    }

    CollectingSpanExporter collect = new CollectingSpanExporter();
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.builder().put("service.name", "checkout").build()))
        .addSpanProcessor(SimpleSpanProcessor.create(collect))
        .build()) {
      Tracer tracer = provider.get("dev.inflight.tests.query");
      Span root = tracer.spanBuilder("POST /checkout").setNoParent().setStartTimestamp(root0, TimeUnit.NANOSECONDS).startSpan();
      Context parent = Context.root().with(root);
      int i = 0;
      for (long[] a : accountSpans) {
        Span s = tracer.spanBuilder("account worker " + (i++ % 4)).setParent(parent)
            .setStartTimestamp(a[0], TimeUnit.NANOSECONDS).startSpan();
        s.setStatus(i == 3 ? StatusCode.ERROR : StatusCode.OK);
        s.end(a[1], TimeUnit.NANOSECONDS);
      }
      for (long[] a : storageSpans) {
        tracer.spanBuilder("storage write").setParent(parent).setStartTimestamp(a[0], TimeUnit.NANOSECONDS)
            .startSpan().end(a[1], TimeUnit.NANOSECONDS);
      }
      traceId = root.getSpanContext().getTraceId();
      root.end(root1, TimeUnit.NANOSECONDS);
    }
    List<SpanData> spans = collect.finished();
    assertThat(spans).hasSize(14);
    // Children first, the root last: the order an SDK's batch processor sends them in.
    SpanExporter exporter = SdkSpans.exporter(SdkSpans.Transport.GRPC, ports);
    try {
      SdkSpans.export(exporter, spans.subList(0, 13), inflight);
      SdkSpans.export(exporter, spans.subList(13, 14), inflight);
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  void stop() {
    if (inflight != null) {
      inflight.close();
    }
  }

  private static List<SweepOracle.Span> oracle(List<long[]> spans) {
    return spans.stream().map(s -> SweepOracle.Span.of(s[0], s[1])).toList();
  }

  private static int maxConcurrent(List<SweepOracle.Span> spans) {
    return (int) SweepOracle.peak(spans);
  }

  private static int bucketPeak(List<SweepOracle.Span> spans, long a, long b) {
    return (int) SweepOracle.peakIn(spans, a, b);
  }

  @Test
  void oneCurlAnswersForTheTrace() throws Exception {
    HttpResponse<String> r = InflightProcess.get(ports.queryUrl() + "/trace/" + traceId + "?bucket_ms=5");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode doc = JSON.readTree(r.body());
    assertThat(doc.get("trace_id").asText()).isEqualTo(traceId);
    assertThat(doc.get("duration_ms").asDouble()).as("the root span's duration").isEqualTo(400.0);
    for (String type : List.of("account_workers", "storage_workers")) {
      List<SweepOracle.Span> spans = oracle(type.equals("account_workers") ? accountSpans : storageSpans);
      JsonNode t = doc.get("worker_types").get(type);
      assertThat(t.get("span_count").asInt()).isEqualTo(spans.size());
      int max = maxConcurrent(spans);
      assertThat(t.get("max_concurrent").asInt()).isEqualTo(max);
      long busy = spans.stream().mapToLong(s -> s.end() - s.start()).sum();
      assertThat(t.get("utilization_pct").asDouble()).isCloseTo(busy * 100.0 / (max * 400.0 * MS), within(0.006));
      JsonNode series = t.get("series");
      assertThat(series).hasSize(80);
      for (int k = 0; k < 80; k++) {
        assertThat(series.get(k).get("time_ms").asInt()).isEqualTo(5 * k);
        assertThat(series.get(k).get("active").asInt()).as("%s at %d ms", type, 5 * k)
            .isEqualTo(bucketPeak(spans, root0 + 5 * k * MS, root0 + 5 * (k + 1) * MS));
      }
    }
    assertThat(maxConcurrent(oracle(accountSpans))).isEqualTo(4);
    HttpResponse<String> missing = InflightProcess.get(ports.queryUrl() + "/trace/" + "f".repeat(32));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(missing.body()).get("error").asText()).contains("not found");
  }

  /** The live view once the trace's windows closed (lateness 5s): totals, peak, accepted spans. */
  private JsonNode awaitLiveRow() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      JsonNode workers = JSON.readTree(InflightProcess.get(ports.queryUrl() + "/api/v1/workers").body());
      for (JsonNode row : workers.get("worker_types")) {
        if (row.get("key").asText().equals("account_workers{service.name=checkout}")
            && row.get("spans_total").asInt() == accountSpans.size()) {
          return workers;
        }
      }
      if (System.nanoTime() > deadline) {
        fail("the live view never showed the trace's account workers: " + workers + "\n" + inflight.stderr());
      }
      Thread.sleep(250);
    }
  }

  @Test
  void theLiveViewAndTheGrafanaDatasourceAgree() throws Exception {
    JsonNode workers = awaitLiveRow();
    JsonNode row = null;
    for (JsonNode r : workers.get("worker_types")) {
      if (r.get("key").asText().equals("account_workers{service.name=checkout}")) {
        row = r;
      }
    }
    assertThat(row.get("spans_failed").asInt()).isEqualTo(1);
    assertThat(row.get("late_spans").asInt()).as("spans that missed their window").isZero();
    assertThat(row.get("capacity").asInt()).isEqualTo(16);
    // The highest window peak: all spans fall in at most two 1-second windows.
    List<SweepOracle.Span> spans = oracle(accountSpans);
    long first = Math.floorDiv(root0, 1_000_000_000L);
    double peak = 0;
    for (SweepOracle.Window w : SweepOracle.windows(spans, 1_000_000_000L, first, first + 2, new long[0])) {
      peak = Math.max(peak, w.activeMax());
    }
    assertThat(row.get("peak_15m").asDouble()).isEqualTo(peak);
    assertThat(workers.get("spans").get("accepted").asInt()).isEqualTo(14);
    assertThat(workers.get("spans").get("refused").asInt()).isEqualTo(0);
    assertThat(workers.get("store").get("traces").asInt()).isEqualTo(1);

    // Grafana's JSON datasource, as seed 000 configures it: target and "additional JSON".
    String body = "{\"range\":{\"from\":\"2020-01-01T00:00:00Z\",\"to\":\"2100-01-01T00:00:00Z\"},"
        + "\"targets\":[{\"refId\":\"A\",\"target\":\"account_workers\",\"payload\":{\"traceId\":\"" + traceId + "\",\"bucketMs\":50}}]}";
    HttpResponse<String> r = InflightProcess.HTTP.send(
        HttpRequest.newBuilder(URI.create(ports.queryUrl() + "/query")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode points = JSON.readTree(r.body()).get(0).get("datapoints");
    assertThat(points).hasSize(8);
    for (int k = 0; k < 8; k++) {
      assertThat(points.get(k).get(1).asLong()).isEqualTo(root0 / MS + 50L * k);
      assertThat(points.get(k).get(0).asInt()).isEqualTo(bucketPeak(spans, root0 + 50 * k * MS, root0 + 50 * (k + 1) * MS));
    }
  }

  private InflightProcess cli(String... args) throws Exception {
    InflightProcess p = InflightProcess.start(Map.of(), args);
    assertThat(p.waitFor(Duration.ofSeconds(30))).as("exit code; stderr:\n%s", p.stderr()).isZero();
    return p;
  }

  @Test
  void oneCommandAnswersToo() throws Exception {
    awaitLiveRow();
    String top = cli("top", "--url", ports.queryUrl(), "--no-color").stdout();
    assertThat(top).contains("[CONCURRENCY] account_workers{service.name=checkout} Active: ")
        .contains("Total: " + accountSpans.size() + " | Failed: 1")
        .contains("[SPANS] Accepted: 14 | Refused: 0")
        .contains("[SYSTEM] CPU: ");
    JsonNode json = JSON.readTree(cli("top", "--url", ports.queryUrl(), "--json").stdout());
    assertThat(json.get("worker_types")).isNotEmpty();

    String chart = cli("trace", traceId, "--url", ports.queryUrl(), "--bucket-ms", "5", "--no-color").stdout();
    assertThat(chart).contains("account_workers: " + accountSpans.size() + " spans, max "
        + maxConcurrent(oracle(accountSpans)) + " concurrent");
    assertThat(chart).contains("storage_workers: " + storageSpans.size() + " spans, max "
        + maxConcurrent(oracle(storageSpans)) + " concurrent");
    assertThat(chart).contains(traceId);
  }

  @Test
  void onePageShowsItInChromium() throws Exception {
    awaitLiveRow();
    Files.createDirectories(SCREENSHOTS);
    String out = BrowserCheck.run("check-page.mjs", Duration.ofSeconds(90), List.of("--url", ports.queryUrl(),
        "--trace-id", traceId, "--bucket-ms", "5", "--screenshot-dir", SCREENSHOTS.toString(),
        "--expect-keys", "account_workers{service.name=checkout},storage_workers{service.name=checkout}"));
    JsonNode page = JSON.readTree(out);
    assertThat(page.get("console_errors")).as(out).isEmpty();
    JsonNode row = null;
    for (JsonNode r : page.get("workers")) {
      if (r.get("key").asText().equals("account_workers{service.name=checkout}")) {
        row = r;
      }
    }
    assertThat(row).as(out).isNotNull();
    assertThat(row.get("spans_total").asText()).isEqualTo(Integer.toString(accountSpans.size()));
    assertThat(row.get("spans_failed").asText()).isEqualTo("1");
    assertThat(row.get("capacity").asText()).isEqualTo("16");
    JsonNode trace = page.get("trace");
    assertThat(trace.get("error").isNull()).as(out).isTrue();
    assertThat(trace.get("worker_types").get("account_workers").get("max_concurrent").asText())
        .isEqualTo(Integer.toString(maxConcurrent(oracle(accountSpans))));
    assertThat(trace.get("worker_types").get("account_workers").get("span_count").asText())
        .isEqualTo(Integer.toString(accountSpans.size()));
    assertThat(trace.get("worker_types").get("storage_workers").get("max_concurrent").asText())
        .isEqualTo(Integer.toString(maxConcurrent(oracle(storageSpans))));
    assertThat(trace.get("timeline_bars").asInt()).isEqualTo(accountSpans.size() + storageSpans.size());
    assertThat(trace.get("chart_points").asInt()).isEqualTo(80);
    assertThat(SCREENSHOTS.resolve("live.png")).isNotEmptyFile();
    assertThat(SCREENSHOTS.resolve("trace.png")).isNotEmptyFile();
  }
}
