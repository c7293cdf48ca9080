package dev.inflight.tests;

import static dev.inflight.tests.EdgeSupport.awaitMetric;
import static dev.inflight.tests.EdgeSupport.traces;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Bad input against one running inflight (otlp receiver → debug exporter), over real sockets: each
 * bad request gets the documented status (and a {@code google.rpc.Status} body in the request's
 * content type where the receiver sends one), and right after it a good request is answered 200 and
 * its spans reach the exporter. The accepted/sent span counts are checked for exact equality with
 * what the good requests carried: nothing from a bad request is ever counted or handed on.
 *
 * <p>Limits are set small so that "oversized" stays cheap: {@code max_request_body_size: 64KiB},
 * {@code max_recv_msg_size_mib: 1}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputIT {
  private static final int LIMIT = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROTOBUF = "application/x-protobuf";

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicLong nextSpanId = new AtomicLong(1);
  private long acceptedHttp;
  private long acceptedGrpc;

  private Path dir;
  private Ports ports;
  private InflightProcess inflight;
  private ManagedChannel grpc;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("bad-input-it");
    ports = Ports.free();
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:%d
                max_recv_msg_size_mib: 1
              http:
                endpoint: 127.0.0.1:%d
                max_request_body_size: 64KiB
        exporters:
          debug:
        """.formatted(ports.grpc(), ports.http()) + ports.service("""
        traces:
          receivers: [otlp]
          exporters: [debug]
        """));
    inflight = InflightProcess.start(Map.of(), "--config", config.toString());
    inflight.awaitHttp200(ports.healthUrl(), Duration.ofSeconds(60));
    grpc = EdgeSupport.channel(ports.grpc());
  }

  @AfterAll
  void stop() throws Exception {
    if (grpc != null) {
      grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (inflight != null) {
      inflight.close();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  // ---- helpers ----

  private URI tracesUrl() {
    return URI.create("http://127.0.0.1:" + ports.http() + "/v1/traces");
  }

  private HttpResponse<byte[]> post(String contentType, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(tracesUrl()).timeout(Duration.ofSeconds(10))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The {@code google.rpc.Status} of a protobuf error answer. */
  private static com.google.rpc.Status protobufStatus(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).as("content type of the %d answer", r.statusCode())
        .hasValue(PROTOBUF);
    com.google.rpc.Status s = com.google.rpc.Status.parseFrom(r.body());
    assertThat(s.getMessage()).as("Status.message").isNotBlank();
    return s;
  }

  /**
   * A good request (protobuf over HTTP, 3 fresh span ids) is answered 200, and the receiver's
   * accepted count and the debug exporter's sent count are exactly what the good requests carried.
   */
  private void nextGoodRequestGetsThrough(String after) throws Exception {
    int n = 3;
    HttpResponse<byte[]> r = post(PROTOBUF, traces("good", nextSpanId.getAndAdd(n), n).toByteArray());
    assertThat(r.statusCode()).as("good request after %s: %s", after, new String(r.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    acceptedHttp += n;
    assertExactCounts();
  }

  private void nextGoodGrpcRequestGetsThrough(String after) throws Exception {
    int n = 2;
    Status s = EdgeSupport.export(grpc, traces("good-grpc", nextSpanId.getAndAdd(n), n).toByteArray());
    assertThat(s.getCode()).as("good gRPC request after %s: %s", after, s).isEqualTo(Status.Code.OK);
    acceptedGrpc += n;
    assertExactCounts();
  }

  private void assertExactCounts() throws Exception {
    Duration wait = Duration.ofSeconds(10);
    awaitMetric(inflight, ports, "otelcol_receiver_accepted_spans_total",
        Map.of("receiver", "otlp", "transport", "http"), acceptedHttp, wait);
    awaitMetric(inflight, ports, "otelcol_receiver_accepted_spans_total",
        Map.of("receiver", "otlp", "transport", "grpc"), acceptedGrpc, wait);
    awaitMetric(inflight, ports, "otelcol_exporter_sent_spans_total",
        Map.of("exporter", "debug"), acceptedHttp + acceptedGrpc, wait);
    assertThat(EdgeSupport.metric(ports, "otelcol_receiver_refused_spans_total", Map.of())).isZero();
  }

  // ---- HTTP ----

  @Test
  @Order(1)
  void goodRequestsAreCountedExactly() throws Exception {
    nextGoodRequestGetsThrough("start");
    nextGoodGrpcRequestGetsThrough("start");
  }

  @Test
  @Order(2)
  void truncatedProtobufIs400WithStatus() throws Exception {
    byte[] whole = traces("truncated", 1_000_000, 5).toByteArray();
    for (int cut : new int[] {1, 7, whole.length / 2, whole.length - 3}) {
      HttpResponse<byte[]> r = post(PROTOBUF, Arrays.copyOf(whole, cut));
      assertThat(r.statusCode()).as("%d of %d bytes", cut, whole.length).isEqualTo(400);
      assertThat(protobufStatus(r).getCode()).isEqualTo(com.google.rpc.Code.INVALID_ARGUMENT_VALUE);
    }
    nextGoodRequestGetsThrough("truncated protobuf");
  }

  @Test
  @Order(3)
  void metricsPostedToTracesPathIs400WithStatus() throws Exception {
    // Metric.name (field 1, 20 bytes) lands where a Span's 16-byte trace_id is expected.
    byte[] metrics = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("http.server.duration").setUnit("ms")
                .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder()
                    .setTimeUnixNano(1_700_000_000_000_000_000L).setAsDouble(12.5))))))
        .build().toByteArray();
    HttpResponse<byte[]> r = post(PROTOBUF, metrics);
    assertThat(r.statusCode()).isEqualTo(400);
    com.google.rpc.Status s = protobufStatus(r);
    assertThat(s.getCode()).isEqualTo(com.google.rpc.Code.INVALID_ARGUMENT_VALUE);
    assertThat(s.getMessage()).contains("trace_id");
    nextGoodRequestGetsThrough("a metrics request on /v1/traces");
  }

  @Test
  @Order(4)
  void invalidJsonIs400WithJsonStatus() throws Exception {
    String[] bodies = {
        "{\"resourceSpans\":[{\"scopeSpans\":[",                        // cut off
        "not json at all",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\",\"spanId\":\"eee19b7ec3c1b174\"}]}]}]}", // bad hex
    };
    for (String body : bodies) {
      HttpResponse<byte[]> r = post("application/json", body.getBytes(StandardCharsets.UTF_8));
      String text = new String(r.body(), StandardCharsets.UTF_8);
      assertThat(r.statusCode()).as("%s -> %s", body, text).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonNode status = JSON.readTree(text);
      assertThat(status.get("code").asInt()).as(text).isEqualTo(3);
      assertThat(status.get("message").asText()).as(text).isNotBlank();
    }
    nextGoodRequestGetsThrough("invalid JSON");
  }

  @Test
  @Order(5)
  void wrongContentTypeOrEncodingIs415() throws Exception {
    byte[] good = traces("wrong-type", 2_000_000, 2).toByteArray();
    HttpResponse<byte[]> r = post("text/plain", good);
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("application/x-protobuf");
    r = post(PROTOBUF, good, "Content-Encoding", "br");
    assertThat(r.statusCode()).isEqualTo(415);
    nextGoodRequestGetsThrough("wrong content type");
  }

  @Test
  @Order(6)
  void getIs405WithAllowPost() throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(tracesUrl()).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    nextGoodRequestGetsThrough("GET");
  }

  @Test
  @Order(7)
  void oversizedBodyIs413WithStatus() throws Exception {
    byte[] big = new byte[LIMIT + 4096];
    // Declared too large, client waits for 100-continue (as curl does for large bodies): 413 at the headers.
    try (Socket s = EdgeSupport.connect(ports.http())) {
      EdgeSupport.write(s, "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
          + "Content-Length: " + big.length + "\r\nExpect: 100-continue\r\n\r\n");
      EdgeSupport.RawResponse r = EdgeSupport.readResponse(s);
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.header("Content-Type")).isEqualTo(PROTOBUF);
      assertThat(com.google.rpc.Status.parseFrom(r.body()).getCode()).isEqualTo(com.google.rpc.Code.RESOURCE_EXHAUSTED_VALUE);
      assertThat(r.closedAfter()).as("connection closed after 413").isTrue();
    }
    // No length given (chunked): read up to the limit, then 413.
    try (Socket s = EdgeSupport.connect(ports.http())) {
      EdgeSupport.write(s, "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(big.length) + "\r\n");
      s.getOutputStream().write(big);
      EdgeSupport.write(s, "\r\n0\r\n\r\n");
      EdgeSupport.RawResponse r = EdgeSupport.readResponse(s);
      assertThat(r.status()).isEqualTo(413);
      assertThat(com.google.rpc.Status.parseFrom(r.body()).getCode()).isEqualTo(com.google.rpc.Code.RESOURCE_EXHAUSTED_VALUE);
    }
    nextGoodRequestGetsThrough("an oversized body");
  }

  @Test
  @Order(8)
  void gzipBombIs413WithStatus() throws Exception {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        gz.write(zeros); // 64 MiB once inflated
      }
    }
    byte[] bomb = compressed.toByteArray();
    assertThat(bomb.length).as("the bomb itself is under the limit").isLessThan(LIMIT);
    HttpResponse<byte[]> r = post(PROTOBUF, bomb, "Content-Encoding", "gzip");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(protobufStatus(r).getCode()).isEqualTo(com.google.rpc.Code.RESOURCE_EXHAUSTED_VALUE);
    nextGoodRequestGetsThrough("a gzip bomb");
    // A good gzip request still works.
    byte[] good = traces("gzip", nextSpanId.getAndAdd(4), 4).toByteArray();
    ByteArrayOutputStream gzGood = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(gzGood)) {
      gz.write(good);
    }
    assertThat(post(PROTOBUF, gzGood.toByteArray(), "Content-Encoding", "gzip").statusCode()).isEqualTo(200);
    acceptedHttp += 4;
    assertExactCounts();
  }

  @Test
  @Order(9)
  void clientDisconnectingMidBodyDisturbsNothing() throws Exception {
    byte[] request = traces("half", 3_000_000, 50).toByteArray();
    // A keep-alive connection opened before, used before and after the other client goes away.
    try (Socket keepAlive = EdgeSupport.connect(ports.http())) {
      rawGood(keepAlive);
      for (int i = 0; i < 3; i++) {
        try (Socket s = EdgeSupport.connect(ports.http())) {
          EdgeSupport.write(s, "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
              + "Content-Length: " + (request.length + 1000) + "\r\n\r\n");
          s.getOutputStream().write(request, 0, request.length / (i + 2));
          s.getOutputStream().flush();
        } // closed mid-body
      }
      rawGood(keepAlive);
    }
    nextGoodRequestGetsThrough("clients that disconnected mid-body");
  }

  /** A good protobuf request on a raw keep-alive connection: 200 and the connection stays open. */
  private void rawGood(Socket s) throws Exception {
    byte[] body = traces("raw", nextSpanId.getAndAdd(2), 2).toByteArray();
    EdgeSupport.write(s, "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n");
    s.getOutputStream().write(body);
    s.getOutputStream().flush();
    EdgeSupport.RawResponse r = EdgeSupport.readResponse(s);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Connection")).isNotEqualToIgnoringCase("close");
    acceptedHttp += 2;
  }

  // ---- gRPC ----

  @Test
  @Order(10)
  void grpcMalformedMessageIsInvalidArgument() throws Exception {
    byte[] whole = traces("grpc-bad", 4_000_000, 5).toByteArray();
    Status truncated = EdgeSupport.export(grpc, Arrays.copyOf(whole, whole.length - 5));
    assertThat(truncated.getCode()).as("%s", truncated).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(truncated.getDescription()).isNotBlank();

    Status garbage = EdgeSupport.export(grpc, new byte[] {(byte) 0xff, (byte) 0xff, 0x00, 0x13, 0x37});
    assertThat(garbage.getCode()).as("%s", garbage).isEqualTo(Status.Code.INVALID_ARGUMENT);

    byte[] metrics = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("queue.depth.current")
                .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(3))))))
        .build().toByteArray();
    Status wrong = EdgeSupport.export(grpc, metrics);
    assertThat(wrong.getCode()).as("%s", wrong).isEqualTo(Status.Code.INVALID_ARGUMENT);
    nextGoodGrpcRequestGetsThrough("malformed gRPC messages");
    nextGoodRequestGetsThrough("malformed gRPC messages");
  }

  @Test
  @Order(11)
  void grpcMessageOverMaxRecvMsgSizeIsResourceExhausted() throws Exception {
    byte[] big = traces("grpc-big", 5_000_000, 20_000).toByteArray();
    assertThat(big.length).isGreaterThan(1 << 20);
    Status s = EdgeSupport.export(grpc, big);
    assertThat(s.getCode()).as("%s", s).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    nextGoodGrpcRequestGetsThrough("an oversized gRPC message");
  }

  @Test
  @Order(100)
  void stillHealthyAndNothingLoggedAsError() throws Exception {
    assertThat(inflight.process.isAlive()).isTrue();
    assertThat(InflightProcess.get(ports.healthUrl()).statusCode()).isEqualTo(200);
    nextGoodRequestGetsThrough("everything");
    nextGoodGrpcRequestGetsThrough("everything");
    assertThat(inflight.stderr().lines().filter(l -> l.matches("^\\S+\t(ERROR|WARN)\t.*")))
        .as("warnings or errors in inflight's log:\n%s", inflight.stderr()).isEmpty();
  }

  /**
   * docs/telemetry.md: "One line per event on stderr: time (UTC, RFC 3339), level, logger, message;
   * a stack trace, when there is one, is folded into the same line". Bad input from a client must
   * not put anything else there.
   */
  @Test
  @Order(101)
  void badInputLeavesOnlyOneLineLogEventsOnStderr() {
    List<String> unformatted = inflight.stderr().lines()
        .filter(l -> !l.isEmpty() && !l.matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\t[A-Z]+\t\\S+\t.*"))
        .toList();
    assertThat(unformatted)
        .as("BUG (inflight main code, not this test): lines on stderr outside the documented one-line log format."
            + " grpc-java logs through java.util.logging, which inflight does not route into logback (no jul-to-slf4j"
            + " bridge; logback.xml's <logger name=\"io.grpc\" level=\"WARN\"/> has no effect), so a gRPC message over"
            + " max_recv_msg_size_mib makes JUL's ConsoleHandler print a multi-line WARNING with a stack trace"
            + " (\"Exception processing message ... RESOURCE_EXHAUSTED\") for every such request. Full stderr:\n%s",
            inflight.stderr())
        .isEmpty();
  }
}
