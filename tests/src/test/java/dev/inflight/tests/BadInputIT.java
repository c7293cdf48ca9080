package dev.inflight.tests;

import static dev.inflight.tests.EdgeSupport.awaitMetric;
import static dev.inflight.tests.EdgeSupport.traces;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Bad input against one running inflight (otlp receiver → debug exporter, for traces and for
 * logs), over real sockets: each
 * bad request gets the documented status (and a {@code google.rpc.Status} body in the request's
 * content type where the receiver sends one), and right after it a good request is answered 200 and
 * its spans reach the exporter. The accepted/sent span counts are checked for exact equality with
 * what the good requests carried: nothing from a bad request is ever counted or handed on. The logs
 * cases ({@code /v1/logs}, {@code LogsService/Export}) expect exactly what the traces cases do.
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
  private long acceptedLogsHttp;
  private long acceptedLogsGrpc;
  /** Whether this build's debug exporter takes logs, so the config has a logs pipeline (see {@link #assumeLogsPipeline}). */
  private boolean logsPipeline;

  private Path dir;
  private Ports ports;
  private InflightProcess inflight;
  private ManagedChannel grpc;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("bad-input-it");
    ports = Ports.free();
    logsPipeline = debugExporterTakesLogs();
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
        """ + (logsPipeline ? """
        logs:
          receivers: [otlp]
          exporters: [debug]
        """ : "")));
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

  /**
   * What {@code inflight components} says: the logs cases need a logs pipeline, and a pipeline
   * needs an exporter that takes logs. Until the debug exporter does (issue 19, the exporters'
   * part), the logs cases are skipped, and the traces cases run on a traces-only config.
   */
  private static boolean debugExporterTakesLogs() throws Exception {
    try (InflightProcess p = InflightProcess.start(Map.of(), "components")) {
      assertThat(p.waitFor(Duration.ofSeconds(60))).as("inflight components:\n%s", p.stderr()).isZero();
      JsonNode signals = new ObjectMapper(new YAMLFactory()).readTree(p.stdout()).at("/exporters/debug/signals");
      for (JsonNode signal : signals) {
        if (signal.asText().equals("logs")) {
          return true;
        }
      }
      return false;
    }
  }

  private void assumeLogsPipeline() {
    Assumptions.assumeTrue(logsPipeline, "the debug exporter of this build does not take logs yet: no logs pipeline to test");
  }

  // ---- helpers ----

  private URI tracesUrl() {
    return URI.create("http://127.0.0.1:" + ports.http() + "/v1/traces");
  }

  private URI logsUrl() {
    return URI.create("http://127.0.0.1:" + ports.http() + "/v1/logs");
  }

  private HttpResponse<byte[]> post(String contentType, byte[] body, String... headers) throws Exception {
    return post(tracesUrl(), contentType, body, headers);
  }

  private HttpResponse<byte[]> postLogs(String contentType, byte[] body, String... headers) throws Exception {
    return post(logsUrl(), contentType, body, headers);
  }

  private HttpResponse<byte[]> post(URI url, String contentType, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
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

  // ---- logs: the same answers as traces, on /v1/logs and LogsService/Export ----

  private static final MethodDescriptor<byte[], byte[]> LOGS_EXPORT = MethodDescriptor.<byte[], byte[]>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("opentelemetry.proto.collector.logs.v1.LogsService/Export")
      .setRequestMarshaller(EdgeSupport.BYTES).setResponseMarshaller(EdgeSupport.BYTES).build();

  /** One resource, one scope, {@code count} log records, each with trace context (record number {@code first + i}). */
  private static ExportLogsServiceRequest logs(String service, long first, int count) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < count; i++) {
      scope.addLogRecords(LogRecord.newBuilder()
          .setTimeUnixNano(1_700_000_000_000_000_000L + i)
          .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_WARN).setSeverityText("WARN")
          .setBody(AnyValue.newBuilder().setStringValue("record " + (first + i)))
          .setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(0x5b8efff798038103L).putLong(first + i).array()))
          .setSpanId(ByteString.copyFrom(EdgeSupport.spanId(first + i))));
    }
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                .setValue(AnyValue.newBuilder().setStringValue(service))))
            .addScopeLogs(scope))
        .build();
  }

  private static Status exportLogs(ManagedChannel channel, byte[] request) {
    try {
      io.grpc.stub.ClientCalls.blockingUnaryCall(channel, LOGS_EXPORT,
          io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
      return Status.OK;
    } catch (io.grpc.StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  private void nextGoodLogsGetThrough(String after) throws Exception {
    int n = 3;
    HttpResponse<byte[]> r = postLogs(PROTOBUF, logs("good", nextSpanId.getAndAdd(n), n).toByteArray());
    assertThat(r.statusCode()).as("good logs after %s: %s", after, new String(r.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    acceptedLogsHttp += n;
    int m = 2;
    Status s = exportLogs(grpc, logs("good-grpc", nextSpanId.getAndAdd(m), m).toByteArray());
    assertThat(s.getCode()).as("good gRPC logs after %s: %s", after, s).isEqualTo(Status.Code.OK);
    acceptedLogsGrpc += m;
    assertExactLogCounts();
  }

  private void assertExactLogCounts() throws Exception {
    Duration wait = Duration.ofSeconds(10);
    awaitMetric(inflight, ports, "otelcol_receiver_accepted_log_records_total",
        Map.of("receiver", "otlp", "transport", "http"), acceptedLogsHttp, wait);
    awaitMetric(inflight, ports, "otelcol_receiver_accepted_log_records_total",
        Map.of("receiver", "otlp", "transport", "grpc"), acceptedLogsGrpc, wait);
    awaitMetric(inflight, ports, "otelcol_exporter_sent_log_records_total",
        Map.of("exporter", "debug"), acceptedLogsHttp + acceptedLogsGrpc, wait);
    assertThat(EdgeSupport.metric(ports, "otelcol_receiver_refused_log_records_total", Map.of())).isZero();
    // Logs never count as spans.
    assertExactCounts();
  }

  @Test
  @Order(20)
  void logsBadProtobufIs400WithStatusAsForTraces() throws Exception {
    assumeLogsPipeline();
    nextGoodLogsGetThrough("start");
    byte[] whole = logs("truncated", 6_000_000, 5).toByteArray();
    LogRecord.Builder longTraceId = LogRecord.newBuilder().setTraceId(ByteString.copyFrom(new byte[20]));
    byte[] invalidUtf8 = logs("utf8", 6_100_000, 1).toByteArray();
    byte[] marker = "record 6100000".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + marker.length <= invalidUtf8.length; i++) {
      if (Arrays.equals(invalidUtf8, i, i + marker.length, marker, 0, marker.length)) {
        invalidUtf8[i] = (byte) 0xFF; // in the body's string_value: not UTF-8
      }
    }
    Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
    for (int cut : new int[] {1, 7, whole.length / 2, whole.length - 3}) {
      bad.put(cut + " of " + whole.length + " bytes", Arrays.copyOf(whole, cut));
    }
    bad.put("invalid UTF-8", invalidUtf8);
    bad.put("a 20-byte trace id", ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(longTraceId))).build().toByteArray());
    bad.put("a trace request", traces("traces-on-logs", 6_200_000, 2).toByteArray());
    for (Map.Entry<String, byte[]> e : bad.entrySet()) {
      HttpResponse<byte[]> r = postLogs(PROTOBUF, e.getValue());
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
      com.google.rpc.Status s = protobufStatus(r);
      assertThat(s.getCode()).as(e.getKey()).isEqualTo(com.google.rpc.Code.INVALID_ARGUMENT_VALUE);
      assertThat(s.getMessage()).as(e.getKey()).startsWith("not a valid ExportLogsServiceRequest");
      Status g = exportLogs(grpc, e.getValue());
      assertThat(g.getCode()).as("gRPC, %s", e.getKey()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(g.getDescription()).as("gRPC, %s", e.getKey()).startsWith("not a valid ExportLogsServiceRequest");
    }
    nextGoodLogsGetThrough("bad logs protobuf");
  }

  @Test
  @Order(21)
  void logsInvalidJsonIs400WithJsonStatus() throws Exception {
    assumeLogsPipeline();
    String[] bodies = {
        "{\"resourceLogs\":[{\"scopeLogs\":[",
        "not json at all",
        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"traceId\":\"xyz\"}]}]}]}", // bad hex
        "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"spanId\":\"0102\"}]}]}]}", // 2-byte span id
    };
    for (String body : bodies) {
      HttpResponse<byte[]> r = postLogs("application/json", body.getBytes(StandardCharsets.UTF_8));
      String text = new String(r.body(), StandardCharsets.UTF_8);
      assertThat(r.statusCode()).as("%s -> %s", body, text).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonNode status = JSON.readTree(text);
      assertThat(status.get("code").asInt()).as(text).isEqualTo(3);
      assertThat(status.get("message").asText()).as(text).isNotBlank();
    }
    // And good OTLP/JSON logs with hex ids get through.
    String good = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"body\":{\"stringValue\":\"json\"},"
        + "\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\"}]}]}]}";
    HttpResponse<byte[]> ok = postLogs("application/json", good.getBytes(StandardCharsets.UTF_8));
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(new String(ok.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    acceptedLogsHttp += 1;
    nextGoodLogsGetThrough("invalid logs JSON");
  }

  @Test
  @Order(22)
  void logsWrongContentTypeEncodingOrMethodIs415Or405() throws Exception {
    assumeLogsPipeline();
    byte[] good = logs("wrong-type", 6_300_000, 2).toByteArray();
    HttpResponse<byte[]> r = postLogs("text/plain", good);
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("application/x-protobuf");
    assertThat(postLogs(PROTOBUF, good, "Content-Encoding", "br").statusCode()).isEqualTo(415);
    HttpResponse<byte[]> get = http.send(HttpRequest.newBuilder(logsUrl()).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    nextGoodLogsGetThrough("wrong content type");
  }

  @Test
  @Order(23)
  void logsTooLargeIs413OrResourceExhausted() throws Exception {
    assumeLogsPipeline();
    try (Socket s = EdgeSupport.connect(ports.http())) {
      EdgeSupport.write(s, "POST /v1/logs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
          + "Content-Length: " + (LIMIT + 4096) + "\r\nExpect: 100-continue\r\n\r\n");
      EdgeSupport.RawResponse r = EdgeSupport.readResponse(s);
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.header("Content-Type")).isEqualTo(PROTOBUF);
      assertThat(com.google.rpc.Status.parseFrom(r.body()).getCode()).isEqualTo(com.google.rpc.Code.RESOURCE_EXHAUSTED_VALUE);
      assertThat(r.closedAfter()).as("connection closed after 413").isTrue();
    }
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        gz.write(zeros);
      }
    }
    HttpResponse<byte[]> bomb = postLogs(PROTOBUF, compressed.toByteArray(), "Content-Encoding", "gzip");
    assertThat(bomb.statusCode()).isEqualTo(413);
    assertThat(protobufStatus(bomb).getCode()).isEqualTo(com.google.rpc.Code.RESOURCE_EXHAUSTED_VALUE);

    byte[] big = logs("grpc-big", 6_400_000, 20_000).toByteArray();
    assertThat(big.length).isGreaterThan(1 << 20);
    Status s = exportLogs(grpc, big);
    assertThat(s.getCode()).as("%s", s).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    // A good gzip logs request still works.
    byte[] good = logs("gzip", nextSpanId.getAndAdd(4), 4).toByteArray();
    ByteArrayOutputStream gzGood = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(gzGood)) {
      gz.write(good);
    }
    assertThat(postLogs(PROTOBUF, gzGood.toByteArray(), "Content-Encoding", "gzip").statusCode()).isEqualTo(200);
    acceptedLogsHttp += 4;
    nextGoodLogsGetThrough("oversized logs");
  }

  @Test
  @Order(100)
  void stillHealthyAndNothingLoggedAsError() throws Exception {
    assertThat(inflight.process.isAlive()).isTrue();
    assertThat(InflightProcess.get(ports.healthUrl()).statusCode()).isEqualTo(200);
    nextGoodRequestGetsThrough("everything");
    nextGoodGrpcRequestGetsThrough("everything");
    if (logsPipeline) {
      nextGoodLogsGetThrough("everything");
    }
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
