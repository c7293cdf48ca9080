package dev.inflight.extension.query;

import static dev.inflight.extension.query.TempoTraceJsonTest.TRACE_ID;
import static dev.inflight.extension.query.TempoTraceJsonTest.assertIsTheExpectedTrace;
import static dev.inflight.extension.query.TempoTraceJsonTest.expectedTrace;
import static dev.inflight.extension.query.TempoTraceJsonTest.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TempoClient against a JDK HTTP server standing in for Tempo's query frontend. */
class TempoClientTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final String PROTOBUF = "application/protobuf";

  /** What the server answers; set per test. */
  private interface Answer {
    void answer(HttpExchange exchange) throws IOException;
  }

  private record Request(String method, String path, Headers headers) {}

  private HttpServer server;
  private ExecutorService executor;
  private volatile Answer answer;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), exchange.getRequestHeaders()));
        answer.answer(exchange);
      } catch (IOException | RuntimeException e) {
        // the client gave up (a timeout test): nothing to do
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private TempoClient client() {
    return new TempoClient(base(), Map.of(), TIMEOUT);
  }

  private String url() {
    return base() + "/api/traces/" + TRACE_ID;
  }

  private static Answer send(int status, String contentType, byte[] body) {
    return send(status, contentType, null, body);
  }

  private static Answer send(int status, String contentType, String encoding, byte[] body) {
    return exchange -> {
      if (contentType != null) {
        exchange.getResponseHeaders().set("Content-Type", contentType);
      }
      if (encoding != null) {
        exchange.getResponseHeaders().set("Content-Encoding", encoding);
      }
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
    };
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private TempoException failure(TempoClient client) {
    return catchThrowableOfType(TempoException.class, () -> client.fetch(TRACE_ID));
  }

  // --- what Tempo answers with a trace ----------------------------------------------------------

  @Test
  void protobufAnswerIsTheTraceAndTheRequestIsWhatTempoExpects() throws Exception {
    answer = send(200, PROTOBUF, expectedTrace().toByteArray());

    Optional<ExportTraceServiceRequest> trace = client().fetch(TRACE_ID);

    assertThat(trace).isPresent();
    assertIsTheExpectedTrace(trace.get());
    assertThat(requests).hasSize(1);
    Request r = requests.get(0);
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.path()).isEqualTo("/api/traces/" + TRACE_ID);
    assertThat(r.headers().getFirst("Accept")).isEqualTo(PROTOBUF);
    assertThat(r.headers().getFirst("Accept-Encoding")).isEqualTo("gzip");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "v1-batches-scopespans.json",
      "v1-batches-instrumentationlibraryspans.json",
      "v2-trace.json",
      "otlp-json-hex.json",
      "batches-hex-ids.json"})
  void jsonAnswersInEachShapeTempoHasUsedAreTheTrace(String fixture) throws Exception {
    answer = send(200, "application/json; charset=utf-8", fixture(fixture));
    assertIsTheExpectedTrace(client().fetch(TRACE_ID).orElseThrow());
  }

  @Test
  void anUntypedAnswerIsToldApartByItsFirstByte() throws Exception {
    answer = send(200, null, expectedTrace().toByteArray());
    assertIsTheExpectedTrace(client().fetch(TRACE_ID).orElseThrow());
    answer = send(200, "application/octet-stream", fixture("v1-batches-scopespans.json"));
    assertIsTheExpectedTrace(client().fetch(TRACE_ID).orElseThrow());
    answer = send(200, "text/plain; charset=utf-8", fixture("v2-trace.json"));
    assertIsTheExpectedTrace(client().fetch(TRACE_ID).orElseThrow());
  }

  @Test
  void gzipAnswersAreGunzipped() throws Exception {
    answer = send(200, PROTOBUF, "gzip", gzip(expectedTrace().toByteArray()));
    assertIsTheExpectedTrace(client().fetch(TRACE_ID).orElseThrow());
    answer = send(200, "application/json", "gzip", gzip(fixture("v1-batches-scopespans.json")));
    assertIsTheExpectedTrace(client().fetch(TRACE_ID).orElseThrow());
    answer = send(500, "text/plain", "gzip", gzip(utf8("error finding trace: disk on fire")));
    assertThat(failure(client())).hasMessage("Tempo at " + url() + " answered 500: error finding trace: disk on fire");
  }

  // --- not found ----------------------------------------------------------------------------------

  @Test
  void notFoundIsEmpty() throws Exception {
    answer = send(404, null, new byte[0]); // Tempo's query frontend: 404, no body
    assertThat(client().fetch(TRACE_ID)).isEmpty();
    answer = send(404, "text/plain; charset=utf-8", utf8("trace not found\n"));
    assertThat(client().fetch(TRACE_ID)).isEmpty();
  }

  @Test
  void aTraceWithNoSpansIsEmptyToo() throws Exception {
    answer = send(200, PROTOBUF, new byte[0]); // an empty tempopb.Trace is zero bytes
    assertThat(client().fetch(TRACE_ID)).isEmpty();
    answer = send(200, "application/json", utf8("{}"));
    assertThat(client().fetch(TRACE_ID)).isEmpty();
    answer = send(200, "application/json", utf8("{\"batches\":[{\"resource\":{},\"scopeSpans\":[{\"spans\":[]}]}]}"));
    assertThat(client().fetch(TRACE_ID)).isEmpty();
  }

  // --- errors -------------------------------------------------------------------------------------

  @Test
  void anErrorStatusIsAnExceptionWithTheUrlTheStatusAndTheBodysStart() {
    answer = send(500, "text/plain; charset=utf-8", utf8("error finding trace by id:\n  rpc error: code = Unavailable\n" + "x".repeat(2000)));
    TempoException e = failure(client());
    assertThat(e.getMessage())
        .startsWith("Tempo at " + url() + " answered 500: error finding trace by id: rpc error: code = Unavailable xxx")
        .endsWith("...")
        .hasSizeLessThan(url().length() + 400);
    assertThat(e.status()).isEqualTo(500);

    answer = send(422, "text/plain", utf8("trace exceeds max size (max bytes: 5000000)"));
    assertThat(failure(client())).hasMessage("Tempo at " + url() + " answered 422: trace exceeds max size (max bytes: 5000000)");
    answer = send(401, null, new byte[0]);
    assertThat(failure(client())).hasMessage("Tempo at " + url() + " answered 401");
    answer = send(503, "application/octet-stream", new byte[] {0, 1, 2, (byte) 0xff});
    assertThat(failure(client())).hasMessage("Tempo at " + url() + " answered 503 (4 bytes of application/octet-stream)");
  }

  @Test
  void aRedirectIsNotFollowedAndSaysWhere() {
    answer = exchange -> {
      exchange.getResponseHeaders().set("Location", "https://tempo.example/api/traces/" + TRACE_ID);
      exchange.sendResponseHeaders(301, -1);
    };
    TempoException e = failure(client());
    assertThat(e).hasMessageContaining("answered 301").hasMessageContaining("a redirect to https://tempo.example/api/traces/");
    assertThat(requests).hasSize(1);
  }

  @Test
  void anAnswerThatIsNotATraceIsAnException() {
    answer = send(200, "text/html", utf8("<html><body>Please log in</body></html>"));
    assertThat(failure(client())).hasMessage(
        "Tempo at " + url() + " answered 200 with Content-Type text/html, not a trace: <html><body>Please log in</body></html>");
    answer = send(200, "application/json", utf8("{\"error\":\"rate limited\"}"));
    assertThat(failure(client())).hasMessageContaining("not a trace (JSON is not a trace: expected \"batches\"");
    answer = send(200, "application/json", utf8("{\"batches\": ["));
    assertThat(failure(client())).hasMessageContaining("not a trace (invalid JSON");
    answer = send(200, PROTOBUF, new byte[] {(byte) 0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // a length past the end
    assertThat(failure(client())).hasMessageStartingWith("Tempo at " + url() + " answered 200 with Content-Type application/protobuf, not a trace (")
        .hasMessageEndingWith("(4 bytes of application/protobuf)");
    answer = send(200, "text/plain", utf8("OK"));
    assertThat(failure(client())).hasMessageContaining("not a trace: OK");
    answer = send(200, PROTOBUF, "br", new byte[] {1, 2, 3});
    assertThat(failure(client())).hasMessage(
        "Tempo at " + url() + " answered 200 with Content-Encoding \"br\", which this client does not decode");
    answer = send(200, PROTOBUF, "gzip", new byte[] {1, 2, 3});
    assertThat(failure(client())).hasMessageContaining("answered 200 with a gzip body that does not gunzip");
  }

  @Test
  void aSlowTempoIsATimeout() {
    answer = exchange -> {
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      send(200, PROTOBUF, expectedTrace().toByteArray()).answer(exchange);
    };
    TempoClient client = new TempoClient(base(), Map.of(), Duration.ofMillis(300));
    long start = System.nanoTime();
    TempoException e = failure(client);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    assertThat(e).hasMessage("Tempo at " + url() + " did not answer within 300 ms");
    assertThat(e.status()).isZero();
  }

  @Test
  void aBodyThatStallsIsATimeoutToo() {
    byte[] body = expectedTrace().toByteArray();
    answer = exchange -> {
      exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body, 0, body.length / 2);
      exchange.getResponseBody().flush();
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    TempoClient client = new TempoClient(base(), Map.of(), Duration.ofMillis(500));
    long start = System.nanoTime();
    assertThat(failure(client)).hasMessage("Tempo at " + url() + " did not answer within 500 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void aClosedPortIsAnExceptionNamingTheUrl() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    TempoClient client = new TempoClient(URI.create("http://127.0.0.1:" + port), Map.of(), TIMEOUT);
    TempoException e = failure(client);
    assertThat(e).hasMessageStartingWith("could not connect to Tempo at http://127.0.0.1:" + port + "/api/traces/" + TRACE_ID + " (");
    assertThat(e.status()).isZero();
  }

  @Test
  void bodiesOverTheLimitAreNotRead() throws Exception {
    TempoClient client = new TempoClient(base(), Map.of(), TIMEOUT, 16 * 1024);
    String tooLarge = "Tempo at " + url() + " answered 200 with a body over 16384 bytes ";

    answer = send(200, PROTOBUF, new byte[16 * 1024 + 1]); // Content-Length says so
    assertThat(failure(client)).hasMessage(tooLarge + "as sent; not read");

    answer = exchange -> { // chunked: no Content-Length, so counted as it comes
      exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
      exchange.sendResponseHeaders(200, 0);
      for (int i = 0; i < 64; i++) {
        exchange.getResponseBody().write(new byte[1024]);
      }
    };
    assertThat(failure(client)).hasMessage(tooLarge + "as sent; not read");

    byte[] bomb = gzip(new byte[4 << 20]); // 4 MiB of zeros in about 4 KiB
    assertThat(bomb.length).isLessThan(16 * 1024);
    answer = send(200, PROTOBUF, "gzip", bomb);
    assertThat(failure(client)).hasMessage(tooLarge + "once gunzipped; not read");

    byte[] justFits = expectedTrace().toByteArray();
    assertThat(justFits.length).isLessThan(16 * 1024);
    answer = send(200, PROTOBUF, justFits);
    assertIsTheExpectedTrace(client.fetch(TRACE_ID).orElseThrow());
  }

  @Test
  void aLargeErrorBodyIsCutNotRefused() {
    answer = send(500, "text/plain", utf8("boom ".repeat(200_000)));
    assertThat(failure(client())).hasMessageStartingWith("Tempo at " + url() + " answered 500: boom boom").hasMessageEndingWith("...");
  }

  // --- configuration ------------------------------------------------------------------------------

  @Test
  void theConfiguredHeadersArriveAndAreNotInMessages() {
    answer = send(500, "text/plain", utf8("nope"));
    TempoClient client = new TempoClient(base(), Map.of("X-Scope-OrgID", "tenant-1", "Authorization", "Bearer s3cret"), TIMEOUT);
    TempoException e = failure(client);
    assertThat(requests.get(0).headers().getFirst("X-Scope-OrgID")).isEqualTo("tenant-1");
    assertThat(requests.get(0).headers().getFirst("Authorization")).isEqualTo("Bearer s3cret");
    assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("tenant-1");
  }

  @Test
  void aPathPrefixIsKeptAndATrailingSlashTolerated() throws Exception {
    answer = send(200, PROTOBUF, expectedTrace().toByteArray());
    String root = base().toString();
    for (String b : List.of(root + "/", root + "/tempo", root + "/tempo/", root + "/a/b//")) {
      new TempoClient(URI.create(b), Map.of(), TIMEOUT).fetch(TRACE_ID).orElseThrow();
    }
    assertThat(requests).extracting(Request::path).containsExactly(
        "/api/traces/" + TRACE_ID,
        "/tempo/api/traces/" + TRACE_ID,
        "/tempo/api/traces/" + TRACE_ID,
        "/a/b/api/traces/" + TRACE_ID);
  }

  @Test
  void anUpperCaseTraceIdIsLowered() throws Exception {
    answer = send(200, PROTOBUF, expectedTrace().toByteArray());
    client().fetch(TRACE_ID.toUpperCase()).orElseThrow();
    assertThat(requests.get(0).path()).isEqualTo("/api/traces/" + TRACE_ID);
  }

  @Test
  void badArgumentsAreRefusedBeforeAnyRequest() {
    TempoClient client = client();
    for (String id : List.of("", "abc", TRACE_ID + "0", "4bf92f3577b34da6a3ce929d0e0e473g", "4bf92f3577b34da6a3ce929d0e0e47/.",
        "4bf92f3577b34da6a3ce929d0e0e47\u0663\u0663")) {
      assertThatThrownBy(() -> client.fetch(id)).as(id).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new TempoClient(URI.create("ftp://tempo:3200"), Map.of(), TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> new TempoClient(URI.create("tempo:3200"), Map.of(), TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TempoClient(URI.create("http://tempo:3200?x=1"), Map.of(), TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query");
    assertThatThrownBy(() -> new TempoClient(URI.create("http://admin:hunter2@tempo:3200"), Map.of(), TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Authorization header")
        .message().doesNotContain("hunter2");
    assertThatThrownBy(() -> new TempoClient(base(), Map.of("Host", "tempo"), TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"Host\" cannot be sent");
    assertThatThrownBy(() -> new TempoClient(base(), Map.of("X-Token", "a\nb"), TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class).message().doesNotContain("a\nb");
    assertThatThrownBy(() -> new TempoClient(base(), Map.of("accept", "application/json"), TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client's own");
    assertThatThrownBy(() -> new TempoClient(base(), Map.of(), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThat(requests).isEmpty();
  }

  @Test
  void oneClientServesConcurrentFetches() throws Exception {
    answer = send(200, PROTOBUF, "gzip", gzip(expectedTrace().toByteArray()));
    TempoClient client = client();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Optional<ExportTraceServiceRequest>>> results = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        results.add(pool.submit(() -> client.fetch(TRACE_ID)));
      }
      for (Future<Optional<ExportTraceServiceRequest>> f : results) {
        assertThat(f.get()).contains(expectedTrace());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(requests).hasSize(32);
  }
}
