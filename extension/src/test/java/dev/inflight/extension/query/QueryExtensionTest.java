package dev.inflight.extension.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.inflight.service.config.ConfigLoader;
import dev.inflight.service.config.ConfigSource;
import dev.inflight.connector.concurrency.SweepOracle;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.TracesConsumer;
import dev.inflight.pdata.Traces;
import dev.inflight.service.Service;
import dev.inflight.service.telemetry.SelfTelemetry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The query extension in a real service: a concurrency connector (event-time watermark, so windows
 * close as spans arrive) attached to it, spans fed to the connector as the receiver would, and every
 * endpoint asked over HTTP. Per-trace numbers are checked against the brute-force sweep.
 */
class QueryExtensionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** 2027-01-15T08:00:00Z in ns: a whole second, so windows are easy to name. */
  private static final long T0 = 1_800_000_000_000_000_000L;
  private static final long MS = 1_000_000L;

  private Service service;
  private QueryExtension extension;
  private TracesConsumer connector;

  private static final String CONFIG = """
      receivers:
        otlp:
          protocols:
            http:
              endpoint: 127.0.0.1:0
      connectors:
        concurrency:
          resolution: 1s
          allowed_lateness: 0s
          watermark: event_time
          dimensions: [service.name]
          worker_types:
            - name: account_workers
              match: "account worker*"
              capacity: 8
            - name: storage_workers
              match: "storage*"
      exporters:
        debug:
          verbosity: basic
      extensions:
        query:
          endpoint: 127.0.0.1:0
      %s
      service:
        extensions: [query]
        pipelines:
          traces:
            receivers: [otlp]
            exporters: [concurrency]
          metrics:
            receivers: [concurrency]
            exporters: [debug]
        telemetry:
          metrics:
            level: none
      """;

  private void start(String queryExtra) throws Exception {
    String yaml = CONFIG.formatted(queryExtra);
    FactoryRegistry registry = FactoryRegistry.load();
    var loaded = new ConfigLoader(registry, Map.<String, String>of()::get)
        .load(List.of(new ConfigSource("test.yaml", yaml)), List.of());
    service = Service.build(loaded.config(), registry, SelfTelemetry.noop());
    for (Service.Instance i : service.instances()) {
      if (i.component() instanceof QueryExtension q) {
        extension = q;
      }
      if (i.kind() == ComponentKind.CONNECTOR) {
        connector = (TracesConsumer) i.component();
      }
    }
    service.start();
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.shutdown();
    }
  }

  private String base() {
    return "http://127.0.0.1:" + extension.address().getPort();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base() + path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(r.body());
  }

  // --- spans ---

  record S(String traceHex, long spanId, long parentId, String name, long start, long end, int status) {}

  private static ByteString bytes(long... longs) {
    ByteBuffer b = ByteBuffer.allocate(8 * longs.length);
    for (long l : longs) {
      b.putLong(l);
    }
    return ByteString.copyFrom(b.array());
  }

  private static ByteString traceId(String hex) {
    return bytes(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
  }

  private void send(String service, List<S> spans) throws Exception {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (S s : spans) {
      Span.Builder b = Span.newBuilder().setTraceId(traceId(s.traceHex())).setSpanId(bytes(s.spanId()))
          .setName(s.name()).setStartTimeUnixNano(s.start()).setEndTimeUnixNano(s.end())
          .setStatus(Status.newBuilder().setCodeValue(s.status()));
      if (s.parentId() != 0) {
        b.setParentSpanId(bytes(s.parentId()));
      }
      scope.addSpans(b);
    }
    ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service))))
            .addScopeSpans(scope))
        .build();
    connector.consumeTraces(Traces.of(request));
  }

  // --- /trace ---

  @Test
  void traceNumbersEqualTheSweepOverTheSameSpans() throws Exception {
    start("");
    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    Random random = new Random(42);
    List<S> workers = new ArrayList<>();
    long root0 = T0 + 3 * MS;
    long root1 = root0 + 400 * MS;
    for (int i = 0; i < 60; i++) {
      String name = random.nextInt(3) == 0 ? "storage write" : "account worker " + random.nextInt(8);
      long start = root0 + random.nextInt(380) * MS + random.nextInt(3) * MS / 2;
      long end = random.nextInt(5) == 0 ? start : start + (1 + random.nextInt(60)) * MS;
      workers.add(new S(trace, 100 + i, 1, name, start, end, random.nextInt(3)));
    }
    // Spans that touch at one instant: one ends where the next starts, they never overlap.
    workers.add(new S(trace, 200, 1, "account worker x", root0 + 390 * MS, root0 + 395 * MS, 1));
    workers.add(new S(trace, 201, 1, "account worker x", root0 + 395 * MS, root0 + 399 * MS, 1));
    send("checkout", workers.subList(0, 30));
    send("checkout", workers.subList(30, workers.size()));
    // The root ends last and arrives last: it widens the trace to its own extent.
    send("checkout", List.of(new S(trace, 1, 0, "POST /checkout", root0, root1, 0)));
    // The trace spans every span inflight saw of it: workers may outlive the root.
    long t0 = Math.min(root0, workers.stream().mapToLong(S::start).min().orElseThrow());
    long t1 = Math.max(root1, workers.stream().mapToLong(S::end).max().orElseThrow());

    for (int bucketMs : new int[] {1, 5, 7, 50, 1000}) {
      JsonNode doc = json(get("/trace/" + trace + "?bucket_ms=" + bucketMs + "&spans=true"));
      assertThat(doc.get("trace_id").asText()).isEqualTo(trace);
      assertThat(doc.get("source").asText()).isEqualTo("store");
      assertThat(doc.get("duration_ms").asDouble()).isEqualTo((t1 - t0) / 1e6);
      assertThat(doc.get("start_time_unix_ms").decimalValue()).isEqualByComparingTo(new java.math.BigDecimal(t0).movePointLeft(6));
      assertThat(doc.get("bucket_ms").asInt()).isEqualTo(bucketMs);
      for (String type : List.of("account_workers", "storage_workers")) {
        String prefix = type.equals("account_workers") ? "account worker" : "storage";
        List<SweepOracle.Span> spans = workers.stream().filter(s -> s.name().startsWith(prefix))
            .map(s -> SweepOracle.Span.of(s.start(), s.end())).toList();
        JsonNode t = doc.get("worker_types").get(type);
        assertThat(t).as(type).isNotNull();
        assertThat(t.get("span_count").asInt()).isEqualTo(spans.size());
        int max = (int) SweepOracle.peak(spans);
        long busy = spans.stream().mapToLong(s -> s.end() - s.start()).sum();
        assertThat(t.get("max_concurrent").asInt()).isEqualTo(max);
        assertThat(t.get("utilization_pct").asDouble())
            .isCloseTo(busy * 100.0 / (max * (double) (t1 - t0)), within(0.006));
        JsonNode series = t.get("series");
        long buckets = (t1 - t0 + bucketMs * MS - 1) / (bucketMs * MS);
        assertThat(series).hasSize((int) buckets);
        for (int k = 0; k < buckets; k++) {
          long a = t0 + k * bucketMs * MS;
          long b = a + bucketMs * MS;
          int peak = (int) SweepOracle.peakIn(spans, a, b);
          assertThat(series.get(k).get("time_ms").asLong()).isEqualTo((long) k * bucketMs);
          assertThat(series.get(k).get("active").asInt()).as("%s bucket %d of %d ms", type, k, bucketMs).isEqualTo(peak);
        }
      }
      // Config order, and the worker spans (not the root) by start time.
      assertThat(doc.get("worker_types").fieldNames()).toIterable().containsExactly("account_workers", "storage_workers");
      JsonNode spans = doc.get("spans");
      assertThat(spans).hasSize(workers.size());
      double previous = -1;
      for (JsonNode s : spans) {
        assertThat(s.get("start_ms").asDouble()).isGreaterThanOrEqualTo(previous);
        previous = s.get("start_ms").asDouble();
        assertThat(s.get("parent_span_id").asText()).isEqualTo("0000000000000001");
      }
      S first = workers.stream().min((x, y) -> x.start() != y.start() ? Long.compare(x.start(), y.start()) : Long.compare(x.end(), y.end())).orElseThrow();
      JsonNode s0 = spans.get(0);
      assertThat(s0.get("start_ms").asDouble()).isEqualTo((first.start() - t0) / 1e6);
      assertThat(s0.get("end_ms").asDouble()).isEqualTo((first.end() - t0) / 1e6);
    }
    // Without spans=true, only seed 000's fields and ours.
    JsonNode plain = json(get("/trace/" + trace.toUpperCase()));
    assertThat(plain.has("spans")).isFalse();
    assertThat(plain.get("bucket_ms").asInt()).isEqualTo(5);
    assertThat(plain.get("trace_id").asText()).isEqualTo(trace);
  }

  @Test
  void errorsAreJsonWithTheRightStatus() throws Exception {
    start("");
    String trace = "00000000000000000000000000abcdef";
    send("svc", List.of(new S(trace, 5, 0, "account worker 1", T0, T0 + 200_000 * MS, 1)));

    assertError(get("/trace/xyz"), 400, "not hex");
    assertError(get("/trace/" + "0".repeat(32)), 400, "all zeros");
    assertError(get("/trace/" + "a".repeat(33)), 400, "1 to 32 hex digits");
    assertError(get("/trace/abcdef?bucket_ms=0"), 400, "between 1 and 60000");
    assertError(get("/trace/abcdef?bucket_ms=60001"), 400, "between 1 and 60000");
    assertError(get("/trace/abcdef?bucket_ms=abc"), 400, "whole number");
    // 200 s at 1 ms is 200000 buckets: refused with the bucket that fits.
    assertError(get("/trace/abcdef?bucket_ms=1"), 400, "use bucket_ms ≥ 20");
    assertThat(get("/trace/abcdef?bucket_ms=20").statusCode()).isEqualTo(200);
    assertError(get("/trace/1234"), 404, "trace 00000000000000000000000000001234 not found in the recent-trace store");
    assertError(get("/trace/1234"), 404, "set tempo_url");
    assertError(post("/trace/abcdef", ""), 405, "use GET");
    assertError(get("/nope"), 404, "no such endpoint");
    assertError(get("/ui/../index.html"), 404, "no such");
    assertError(get("/ui/vendor/uPlot.cjs.js"), 404, "no such file");
    assertError(post("/query", "{not json"), 400, "not JSON");
    assertError(post("/query", "{\"targets\":[{\"target\":\"account_workers\",\"payload\":{\"traceId\":\"abcdef\",\"bucketMs\":0}}]}"), 400, "bucketMs 0");
    assertError(get("/search"), 405, "use POST");
    assertError(get("/api/v1/history?minutes=0"), 400, "from 1 to 60");
    assertError(get("/api/v1/traces?limit=x"), 400, "from 1 to 1000");
  }

  private void assertError(HttpResponse<String> r, int status, String text) throws Exception {
    assertThat(r.statusCode()).as(r.uri() + " " + r.body()).isEqualTo(status);
    assertThat(json(r).get("error").asText()).contains(text);
  }

  // --- live view ---

  @Test
  void liveViewShowsTheClosedWindowsTheConnectorExports() throws Exception {
    start("");
    String trace = "0af7651916cd43dd8448eb211c80319c";
    List<S> spans = new ArrayList<>();
    // Window [T0, T0+1s): 3 account workers, peak 3; two fail. Window 2: one long span.
    spans.add(new S(trace, 1, 0, "account worker a", T0 + 100 * MS, T0 + 600 * MS, 1));
    spans.add(new S(trace, 2, 0, "account worker b", T0 + 200 * MS, T0 + 700 * MS, 2));
    spans.add(new S(trace, 3, 0, "account worker c", T0 + 300 * MS, T0 + 400 * MS, 2));
    spans.add(new S(trace, 4, 0, "account worker d", T0 + 1000 * MS, T0 + 1500 * MS, 0));
    send("checkout", spans);
    // A later span closes both windows (event time).
    send("checkout", List.of(new S("0000000000000000000000000000beef", 9, 0, "storage x", T0 + 5000 * MS, T0 + 5001 * MS, 0)));

    JsonNode workers = json(get("/api/v1/workers"));
    JsonNode rows = workers.get("worker_types");
    JsonNode account = null;
    for (JsonNode r : rows) {
      if (r.get("worker_type").asText().equals("account_workers")) {
        account = r;
      }
    }
    assertThat(account).isNotNull();
    assertThat(account.get("key").asText()).isEqualTo("account_workers{service.name=checkout}");
    assertThat(account.get("dimensions").get("service.name").asText()).isEqualTo("checkout");
    assertThat(account.get("capacity").asDouble()).isEqualTo(8);
    // The last closed window is [T0+4s, T0+5s): idle, after the long span; cumulative counts include all.
    List<SweepOracle.Span> oracleSpans = spans.stream().map(s -> SweepOracle.Span.of(s.start(), s.end())).toList();
    long lastStart = account.get("window_start_unix_ms").asLong() * MS;
    List<SweepOracle.Window> w = SweepOracle.windows(oracleSpans, 1_000_000_000L, lastStart / 1_000_000_000L, lastStart / 1_000_000_000L + 1, new long[0]);
    assertThat(account.get("active").asDouble()).isEqualTo(w.get(0).active());
    assertThat(account.get("peak").asDouble()).isEqualTo(w.get(0).activeMax());
    assertThat(account.get("peak_15m").asInt()).isEqualTo(3);
    assertThat(account.get("spans_total").asInt()).isEqualTo(4);
    assertThat(account.get("spans_failed").asInt()).isEqualTo(2);
    assertThat(account.get("late_spans").asInt()).isEqualTo(0);
    assertThat(account.get("p50_ms").isNumber()).isTrue();
    assertThat(account.get("p99_ms").asDouble()).isGreaterThanOrEqualTo(account.get("p50_ms").asDouble());
    assertThat(workers.get("resolution_ms").asLong()).isEqualTo(1000);
    assertThat(workers.get("process").get("threads").asInt()).isPositive();
    assertThat(workers.get("store").get("traces").asInt()).isEqualTo(2);

    // History: every closed window of the group, mean and peak as the oracle computes them.
    JsonNode history = json(get("/api/v1/history?minutes=60"));
    JsonNode series = null;
    for (JsonNode x : history.get("series")) {
      if (x.get("key").asText().equals("account_workers{service.name=checkout}")) {
        series = x.get("points");
      }
    }
    assertThat(series).isNotNull();
    List<SweepOracle.Window> expected = SweepOracle.windows(oracleSpans, 1_000_000_000L, T0 / 1_000_000_000L, T0 / 1_000_000_000L + 5, new long[0]);
    assertThat(series).hasSize(5);
    for (int i = 0; i < 5; i++) {
      assertThat(series.get(i).get(0).asLong()).isEqualTo(expected.get(i).end() / MS);
      assertThat(series.get(i).get(1).asDouble()).as("mean of window %d", i).isCloseTo(expected.get(i).active(), within(1e-4));
      assertThat(series.get(i).get(2).asDouble()).as("peak of window %d", i).isEqualTo(expected.get(i).activeMax());
    }
  }

  private static JsonNode row(JsonNode workers, String key) {
    for (JsonNode r : workers.get("worker_types")) {
      if (r.get("key").asText().equals(key)) {
        return r;
      }
    }
    return null;
  }

  /**
   * {@code provisional=true}: the windows still open, as the spans so far give them (the sweep over
   * those spans), next to the closed ones; a group with nothing closed yet appears; once the window
   * closes with no more spans, its final numbers are the provisional ones.
   */
  @Test
  void provisionalWindowsAreTheOpenWindowsSoFar() throws Exception {
    start("");
    String trace = "0af7651916cd43dd8448eb211c80319c";
    List<S> account = List.of(
        new S(trace, 1, 0, "account worker a", T0 + 100 * MS, T0 + 600 * MS, 1),
        new S(trace, 2, 0, "account worker b", T0 + 900 * MS, T0 + 1400 * MS, 2),
        new S(trace, 3, 0, "account worker c", T0 + 1100 * MS, T0 + 1300 * MS, 1));
    send("checkout", account);
    // Event time, no lateness: the watermark is T0+1.4s, so [T0, T0+1s) is closed, [T0+1s, T0+2s) open.
    send("checkout", List.of(new S(trace, 4, 0, "storage write", T0 + 1200 * MS, T0 + 1250 * MS, 0)));

    JsonNode finalOnly = json(get("/api/v1/workers"));
    assertThat(finalOnly.has("provisional")).isFalse();
    assertThat(row(finalOnly, "storage_workers{service.name=checkout}")).as("no closed window yet").isNull();
    JsonNode accountFinal = row(finalOnly, "account_workers{service.name=checkout}");
    assertThat(accountFinal.get("final").asBoolean()).isTrue();
    assertThat(accountFinal.has("provisional_windows")).isFalse();

    JsonNode workers = json(get("/api/v1/workers?provisional=true"));
    assertThat(workers.get("provisional").asBoolean()).isTrue();
    assertThat(workers.get("final_until_unix_ms").asLong()).isEqualTo(T0 / MS + 1000);
    assertThat(workers.get("provisional_until_unix_ms").asLong()).isEqualTo(T0 / MS + 2000);
    List<SweepOracle.Span> oracleSpans = account.stream().map(x -> SweepOracle.Span.of(x.start(), x.end())).toList();
    List<SweepOracle.Window> expected =
        SweepOracle.windows(oracleSpans, 1_000_000_000L, T0 / 1_000_000_000L, T0 / 1_000_000_000L + 2, new long[0]);
    JsonNode a = row(workers, "account_workers{service.name=checkout}");
    assertThat(a.get("final").asBoolean()).isTrue();
    assertThat(a.get("window_end_unix_ms").asLong()).isEqualTo(T0 / MS + 1000);
    assertThat(a.get("active").asDouble()).isCloseTo(expected.get(0).active(), within(1e-4));
    JsonNode open = a.get("provisional_windows");
    assertThat(open).hasSize(1);
    JsonNode w = open.get(0);
    assertThat(w.get("final").asBoolean()).isFalse();
    assertThat(w.get("window_start_unix_ms").asLong()).isEqualTo(T0 / MS + 1000);
    assertThat(w.get("active").asDouble()).isCloseTo(expected.get(1).active(), within(1e-4));
    assertThat(w.get("peak").asDouble()).isEqualTo(expected.get(1).activeMax()).isEqualTo(2);
    assertThat(w.get("spans_total").asInt()).isEqualTo(3);
    assertThat(w.get("spans_failed").asInt()).isEqualTo(1);
    assertThat(w.get("utilization").asDouble()).isCloseTo(expected.get(1).active() / 8, within(1e-4));
    // A group whose first window is still open: its newest open window, marked not final.
    JsonNode st = row(workers, "storage_workers{service.name=checkout}");
    assertThat(st).isNotNull();
    assertThat(st.get("final").asBoolean()).isFalse();
    assertThat(st.get("active").asDouble()).isCloseTo(0.05, within(1e-9));
    assertThat(st.get("peak").asInt()).isEqualTo(1);
    assertThat(st.get("p50_ms").isNull()).isTrue();
    assertThat(st.get("provisional_windows")).hasSize(1);

    JsonNode history = json(get("/api/v1/history?minutes=60&provisional=true"));
    for (JsonNode x : history.get("series")) {
      if (x.get("key").asText().equals("account_workers{service.name=checkout}")) {
        assertThat(x.get("points")).hasSize(1);
        assertThat(x.get("provisional_points")).hasSize(1);
        assertThat(x.get("provisional_points").get(0).get(0).asLong()).isEqualTo(T0 / MS + 2000);
        assertThat(x.get("provisional_points").get(0).get(2).asInt()).isEqualTo(2);
      } else {
        assertThat(x.get("points")).isEmpty();
        assertThat(x.get("provisional_points")).hasSize(1);
      }
    }
    String range = "\"range\":{\"from\":\"" + Instant.ofEpochSecond(T0 / 1_000_000_000L) + "\",\"to\":\""
        + Instant.ofEpochSecond(T0 / 1_000_000_000L + 5) + "\"}";
    JsonNode finalSeries = JSON.readTree(post("/query", "{" + range + ",\"targets\":[{\"target\":\"account_workers\"}]}").body());
    assertThat(finalSeries.get(0).get("datapoints")).hasSize(1);
    for (String q : List.of("/query?provisional=true", "/query")) {
      String payload = q.endsWith("true") ? "" : ",\"payload\":{\"provisional\":true}";
      JsonNode soFar = JSON.readTree(post(q, "{" + range + ",\"targets\":[{\"target\":\"account_workers\"" + payload + "}]}").body());
      JsonNode dp = soFar.get(0).get("datapoints");
      assertThat(dp).as(q).hasSize(2);
      assertThat(dp.get(1).get(1).asLong()).isEqualTo(T0 / MS + 2000);
      assertThat(dp.get(1).get(0).asDouble()).isCloseTo(expected.get(1).active(), within(1e-9));
    }
    HttpResponse<String> bad = get("/api/v1/workers?provisional=maybe");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("error").asText()).isEqualTo("provisional \"maybe\" must be true or false");

    // No more account spans reach [T0+1s, T0+2s): once it closes, the final numbers are those read.
    Thread.sleep(300); // past the 250 ms for which one read of the open windows is shared
    send("checkout", List.of(new S(trace, 5, 0, "storage write", T0 + 2500 * MS, T0 + 2600 * MS, 0)));
    JsonNode after = row(json(get("/api/v1/workers?provisional=true")), "account_workers{service.name=checkout}");
    assertThat(after.get("final").asBoolean()).isTrue();
    assertThat(after.get("window_start_unix_ms").asLong()).isEqualTo(T0 / MS + 1000);
    for (String f : List.of("active", "peak", "utilization", "spans_total", "spans_failed", "late_spans")) {
      assertThat(after.get(f)).as(f).isEqualTo(w.get(f));
    }
    assertThat(after.get("provisional_windows")).as("no later window holds account spans").isEmpty();
  }

  // --- Grafana JSON datasource ---

  @Test
  void grafanaJsonDatasourceAnswersAsSeed000() throws Exception {
    start("");
    String trace = "5b8efff798038103d269b633813fc60c";
    send("svc", List.of(
        new S(trace, 1, 0, "account worker 1", T0 + 10 * MS, T0 + 30 * MS, 1),
        new S(trace, 2, 0, "account worker 2", T0 + 12 * MS, T0 + 20 * MS, 1),
        new S(trace, 3, 0, "storage write", T0 + 25 * MS, T0 + 40 * MS, 1)));

    HttpResponse<String> root = get("/");
    assertThat(root.statusCode()).isEqualTo(200);
    assertThat(root.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(JSON.readTree(post("/search", "{\"target\":\"\"}").body()))
        .extracting(JsonNode::asText).containsExactly("account_workers", "storage_workers");
    assertThat(JSON.readTree(post("/search", "{\"target\":\"stor\"}").body()))
        .extracting(JsonNode::asText).containsExactly("storage_workers");
    JsonNode metrics = JSON.readTree(post("/metrics", "{}").body());
    assertThat(metrics.get(0).get("value").asText()).isEqualTo("account_workers");
    assertThat(metrics.get(0).get("payloads")).extracting(p -> p.get("name").asText()).containsExactly("traceId", "bucketMs", "provisional");

    long startMs = (T0 + 10 * MS) / MS;
    String[] bodies = {
      // simpod-json-datasource: payload object
      "{\"targets\":[{\"refId\":\"A\",\"target\":\"account_workers\",\"payload\":{\"traceId\":\"" + trace + "\",\"bucketMs\":5}}]}",
      // payload as a JSON string
      "{\"targets\":[{\"refId\":\"A\",\"target\":\"account_workers\",\"payload\":\"{\\\"traceId\\\":\\\"" + trace + "\\\",\\\"bucketMs\\\":5}\"}]}",
      // SimpleJSON's "additional JSON data"
      "{\"targets\":[{\"refId\":\"A\",\"target\":\"account_workers\",\"data\":{\"traceId\":\"" + trace + "\",\"bucketMs\":\"5\"}}]}",
    };
    for (String body : bodies) {
      HttpResponse<String> r = post("/query", body);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode out = JSON.readTree(r.body());
      assertThat(out).hasSize(1);
      assertThat(out.get(0).get("target").asText()).isEqualTo("account_workers");
      // Trace [10ms, 40ms) in 5 ms buckets: [1..2 workers] 10-15: 2 (second starts at 12), 15-20: 2, 20-25: 1, 25-30: 1, 30-35: 0, 35-40: 0.
      List<List<Long>> points = new ArrayList<>();
      out.get(0).get("datapoints").forEach(p -> points.add(List.of(p.get(0).asLong(), p.get(1).asLong())));
      assertThat(points).containsExactly(
          List.of(2L, startMs), List.of(2L, startMs + 5), List.of(1L, startMs + 10),
          List.of(1L, startMs + 15), List.of(0L, startMs + 20), List.of(0L, startMs + 25));
    }
    // Every worker type of the trace when the target is empty; hidden targets skipped.
    JsonNode all = JSON.readTree(post("/query",
        "{\"targets\":[{\"target\":\"\",\"payload\":{\"traceId\":\"" + trace + "\"}},{\"target\":\"x\",\"hide\":true}]}").body());
    assertThat(all).extracting(n -> n.get("target").asText()).containsExactly("account_workers", "storage_workers");
    // Live mode: windows within the range only.
    send("svc", List.of(new S("000000000000000000000000000000ff", 1, 0, "storage y", T0 + 3000 * MS, T0 + 3001 * MS, 0)));
    String from = Instant.ofEpochSecond(T0 / 1_000_000_000L).toString();
    String to = Instant.ofEpochSecond(T0 / 1_000_000_000L + 2).toString();
    JsonNode live = JSON.readTree(post("/query",
        "{\"range\":{\"from\":\"" + from + "\",\"to\":\"" + to + "\"},\"targets\":[{\"target\":\"account_workers\"}]}").body());
    JsonNode dp = live.get(0).get("datapoints");
    assertThat(dp).hasSize(2); // windows ending at T0+1s and T0+2s
    assertThat(dp.get(0).get(0).asDouble()).isCloseTo((20 + 8) / 1000.0, within(1e-12));
    assertThat(dp.get(0).get(1).asLong()).isEqualTo(T0 / MS + 1000);
    assertThat(dp.get(1).get(0).asDouble()).isEqualTo(0.0);
    for (String path : List.of("/annotations", "/tag-keys", "/tag-values", "/metric-payload-options")) {
      assertThat(post(path, "{}").body()).isEqualTo("[]");
    }
    assertThat(JSON.readTree(post("/variable", "{}").body()).get(0).get("__value").asText()).isEqualTo("account_workers");
  }

  // --- page, health, store off ---

  @Test
  void servesThePageAndUplotFromTheJar() throws Exception {
    start("");
    String html = get("/").body();
    assertThat(html).contains("/ui/vendor/uPlot.iife.min.js").doesNotContain("https://");
    HttpResponse<String> uplot = get("/ui/vendor/uPlot.iife.min.js");
    assertThat(uplot.statusCode()).isEqualTo(200);
    assertThat(uplot.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
    assertThat(uplot.body()).contains("uPlot");
    assertThat(get("/ui/vendor/uPlot.min.css").statusCode()).isEqualTo(200);
    assertThat(get("/ui/app.js").statusCode()).isEqualTo(200);
    HttpResponse<String> health = get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).get("connectors").get(0).asText()).isEqualTo("concurrency");
  }

  // --- the timeline viewer ---

  @Test
  void servesTheViewerAtViewerWithAndWithoutTheSlash() throws Exception {
    start("");
    byte[] page;
    try (var in = QueryExtension.class.getResourceAsStream("/dev/inflight/extension/query/web/viewer.html")) {
      page = in.readAllBytes();
    }
    for (String path : List.of("/viewer", "/viewer/")) {
      HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(r.body()).as(path).isEqualTo(page);
    }
    assertThat(new String(page, java.nio.charset.StandardCharsets.UTF_8)).contains("window.inflightViewer");
    assertError(post("/viewer", ""), 405, "use GET");
  }

  @Test
  void spansAreTheStoresWorkerSpansOverlappingTheRange() throws Exception {
    start("");
    String a = "0000000000000000000000000000a001";
    String b = "0000000000000000000000000000b002";
    send("checkout", List.of(
        new S(a, 1, 0, "POST /checkout", T0, T0 + 900 * MS, 1), // not a worker span
        new S(a, 2, 1, "account worker 1", T0 + 100 * MS, T0 + 300 * MS, 2),
        new S(a, 3, 1, "storage write", T0 + 250 * MS, T0 + 400 * MS, 1)));
    send("checkout", List.of(new S(b, 4, 0, "account worker 2", T0 + 2000 * MS, T0 + 2500 * MS, 0)));
    long t0Ms = T0 / MS;

    JsonNode all = json(get("/api/v1/spans?start=" + t0Ms + "&end=" + (t0Ms + 3000)));
    assertThat(all.get("truncated").asBoolean()).isFalse();
    // Newest trace first, then each trace's spans by start.
    assertThat(all.get("spans")).extracting(s -> s.get("span_id").asText())
        .containsExactly("0000000000000004", "0000000000000002", "0000000000000003");
    JsonNode first = all.get("spans").get(1);
    assertThat(first.get("trace_id").asText()).isEqualTo(a);
    assertThat(first.get("parent_span_id").asText()).isEqualTo("0000000000000001");
    assertThat(first.get("name").asText()).isEqualTo("account worker 1");
    assertThat(first.get("worker_type").asText()).isEqualTo("account_workers");
    assertThat(first.get("start_ns").asLong()).isEqualTo(T0 + 100 * MS);
    assertThat(first.get("end_ns").asLong()).isEqualTo(T0 + 300 * MS);
    assertThat(first.get("duration_ms").asDouble()).isEqualTo(200.0);
    assertThat(first.get("status").asText()).isEqualTo("error");
    assertThat(all.get("spans").get(0).get("parent_span_id").asText()).isEmpty();
    assertThat(all.get("spans").get(0).get("status").asText()).isEqualTo("unset");

    // [300 ms, 2000 ms): the span ending at 300 ms and the one starting at 2000 ms are outside.
    assertThat(json(get("/api/v1/spans?start=" + (t0Ms + 300) + "&end=" + (t0Ms + 2000))).get("spans"))
        .extracting(s -> s.get("span_id").asText()).containsExactly("0000000000000003");
    JsonNode limited = json(get("/api/v1/spans?start=" + t0Ms + "&end=" + (t0Ms + 3000) + "&limit=2"));
    assertThat(limited.get("spans")).hasSize(2);
    assertThat(limited.get("truncated").asBoolean()).isTrue();
    // Without a range: the last 15 minutes, which these 2027 spans are not in.
    assertThat(json(get("/api/v1/spans")).get("spans")).isEmpty();

    assertError(get("/api/v1/spans?start=abc"), 400, "start \"abc\" must be whole milliseconds since the epoch");
    assertError(get("/api/v1/spans?start=10&end=10"), 400, "end 10 must be after start 10");
    assertError(get("/api/v1/spans?start=1&end=" + Long.MAX_VALUE), 400, "end " + Long.MAX_VALUE + " is out of range");
    assertError(get("/api/v1/spans?limit=0"), 400, "from 1 to 200000");
    assertError(get("/api/v1/spans?limit=200001"), 400, "from 1 to 200000");
    assertError(post("/api/v1/spans", ""), 405, "use GET");
  }

  @Test
  void workerTypesListTheConnectorsPatterns() throws Exception {
    start("");
    JsonNode types = json(get("/api/v1/worker_types")).get("worker_types");
    assertThat(types).hasSize(2);
    assertThat(types.get(0).get("connector").asText()).isEqualTo("concurrency");
    assertThat(types.get(0).get("name").asText()).isEqualTo("account_workers");
    assertThat(types.get(0).get("match")).extracting(JsonNode::asText).containsExactly("account worker*");
    assertThat(types.get(0).get("services")).isEmpty();
    assertThat(types.get(0).get("capacity").asDouble()).isEqualTo(8.0);
    assertThat(types.get(1).get("name").asText()).isEqualTo("storage_workers");
    assertThat(types.get(1).get("capacity").isNull()).isTrue();
  }

  @Test
  void storeCanBeTurnedOff() throws Exception {
    start("    store:\n      max_bytes: 0");
    send("svc", List.of(new S("000000000000000000000000000000aa", 1, 0, "account worker", T0, T0 + MS, 0)));
    assertError(get("/trace/aa"), 404, "the recent-trace store is off");
    assertThat(json(get("/api/v1/traces")).get("traces")).isEmpty();
    assertThat(json(get("/health")).has("store")).isFalse();
    JsonNode spans = json(get("/api/v1/spans"));
    assertThat(spans.get("spans")).isEmpty();
    assertThat(spans.get("truncated").asBoolean()).isFalse();
  }

  @Test
  void tracesNotInTheStoreComeFromTempo() throws Exception {
    String trace = "0af7651916cd43dd8448eb211c80319c";
    // Tempo answers /api/traces/{id} with the trace as protobuf (field 1: ResourceSpans).
    ExportTraceServiceRequest tempoTrace = ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue("checkout"))))
            .addScopeSpans(ScopeSpans.newBuilder()
                .addSpans(Span.newBuilder().setTraceId(traceId(trace)).setSpanId(bytes(1)).setName("GET /")
                    .setStartTimeUnixNano(T0).setEndTimeUnixNano(T0 + 100 * MS))
                .addSpans(Span.newBuilder().setTraceId(traceId(trace)).setSpanId(bytes(2)).setParentSpanId(bytes(1))
                    .setName("account worker 1").setStartTimeUnixNano(T0 + 10 * MS).setEndTimeUnixNano(T0 + 50 * MS)
                    .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR)))
                .addSpans(Span.newBuilder().setTraceId(traceId(trace)).setSpanId(bytes(3)).setParentSpanId(bytes(1))
                    .setName("account worker 2").setStartTimeUnixNano(T0 + 20 * MS).setEndTimeUnixNano(T0 + 30 * MS))))
        .build();
    com.sun.net.httpserver.HttpServer tempo = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    tempo.createContext("/", ex -> {
      asked.add(ex.getRequestURI().getPath());
      byte[] body = tempoTrace.toByteArray();
      if (ex.getRequestURI().getPath().equals("/api/traces/" + trace)) {
        ex.getResponseHeaders().set("Content-Type", "application/protobuf");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
      } else if (ex.getRequestURI().getPath().contains("dead")) {
        ex.sendResponseHeaders(500, 4);
        ex.getResponseBody().write("boom".getBytes());
      } else {
        ex.sendResponseHeaders(404, -1);
      }
      ex.close();
    });
    tempo.start();
    try {
      start("    tempo_url: http://127.0.0.1:" + tempo.getAddress().getPort());
      JsonNode doc = json(get("/trace/" + trace + "?bucket_ms=10&spans=true"));
      assertThat(doc.get("source").asText()).isEqualTo("tempo");
      assertThat(doc.get("duration_ms").asDouble()).isEqualTo(100.0);
      JsonNode account = doc.get("worker_types").get("account_workers");
      assertThat(account.get("span_count").asInt()).isEqualTo(2);
      assertThat(account.get("max_concurrent").asInt()).isEqualTo(2);
      assertThat(account.get("utilization_pct").asDouble()).isEqualTo(50.0 * 100 / (2 * 100.0));
      assertThat(account.get("series")).extracting(n -> n.get("active").asInt())
          .containsExactly(0, 1, 2, 1, 1, 0, 0, 0, 0, 0);
      assertThat(doc.get("spans").get(0).get("status").asText()).isEqualTo("error");
      assertThat(asked).contains("/api/traces/" + trace);
      assertError(get("/trace/1234"), 404, "nor in Tempo at http://127.0.0.1:");
      assertError(get("/trace/dead"), 502, "500");
    } finally {
      tempo.stop(0);
    }
  }
}
