package dev.inflight.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import com.google.rpc.Status;
import dev.inflight.component.Refusal;
import dev.inflight.component.config.ByteSize;
import dev.inflight.config.configcompression.ContentEncodingTest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OTLP/HTTP with a real client (java.net.http) against a running receiver. */
class OtlpHttpServerTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";

  @RegisterExtension
  static final TestReceiver server = TestReceiver.shared(OtlpReceiverConfig.of(
      OtlpReceiverConfig.Grpc.at("127.0.0.1:0"),
      OtlpReceiverConfig.Http.at("127.0.0.1:0").withMaxRequestBodySize(ByteSize.ofMebibytes(1))));

  private static HttpResponse<byte[]> post(String path, String type, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.http(path)).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The server still takes a good request, whatever came before. */
  private static void goodRequestStillWorks() throws Exception {
    int before = server.traces.size();
    HttpResponse<byte[]> r = post("/v1/traces", PROTOBUF, Requests.traces(2).toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(server.traces).hasSize(before + 1);
  }

  private static Status status(HttpResponse<byte[]> r) throws Exception {
    assertThat(r.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
    return Status.parseFrom(r.body());
  }

  @Test
  void protobufTracesArriveAsTheBytesSent() throws Exception {
    byte[] sent = Requests.traces(new int[][] {{2, 1}, {3}}).toByteArray();
    HttpResponse<byte[]> r = post("/v1/traces", PROTOBUF, sent);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
    assertThat(r.body()).isEmpty(); // the empty ExportTraceServiceResponse
    assertThat(server.traces).hasSize(1);
    assertThat(server.traces.get(0).encoded()).isEqualTo(sent);
    assertThat(server.traces.get(0).spanCount()).isEqualTo(6);
  }

  @Test
  void jsonWithHexIdsArrivesWithTheRightIds() throws Exception {
    String json = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"it"}}]},
          "scopeSpans":[{"scope":{"name":"t"},"spans":[
            {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"account worker",
             "kind":1,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001000000000"},
            {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b175","parentSpanId":"eee19b7ec3c1b174",
             "name":"storage write","kind":"SPAN_KIND_CLIENT","startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000002000000000"}]}]}]}
        """;
    HttpResponse<byte[]> r = post("/v1/traces", "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(JSON);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    var spans = server.traces.get(0).request().getResourceSpans(0).getScopeSpans(0).getSpansList();
    HexFormat hex = HexFormat.of();
    assertThat(spans).extracting(s -> hex.formatHex(s.getTraceId().toByteArray()))
        .containsOnly("5b8efff798038103d269b633813fc60c");
    assertThat(spans).extracting(s -> hex.formatHex(s.getSpanId().toByteArray()))
        .containsExactly("eee19b7ec3c1b174", "eee19b7ec3c1b175");
    assertThat(hex.formatHex(spans.get(1).getParentSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b174");
    assertThat(spans.get(1).getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(server.traces.get(0).spanCount()).isEqualTo(2);
  }

  @Test
  void compressedBodiesAreDecoded() throws Exception {
    byte[] sent = Requests.traces(5).toByteArray();
    assertThat(post("/v1/traces", PROTOBUF, ContentEncodingTest.gzip(sent), "Content-Encoding", "gzip").statusCode()).isEqualTo(200);
    assertThat(post("/v1/traces", PROTOBUF, ContentEncodingTest.deflate(sent, true), "Content-Encoding", "deflate").statusCode()).isEqualTo(200);
    assertThat(post("/v1/traces", PROTOBUF, Zstd.compress(sent), "Content-Encoding", "zstd").statusCode()).isEqualTo(200);
    assertThat(server.traces).hasSize(3).allSatisfy(t -> assertThat(t.encoded()).isEqualTo(sent));
    HttpResponse<byte[]> br = post("/v1/traces", PROTOBUF, sent, "Content-Encoding", "br");
    assertThat(br.statusCode()).isEqualTo(415);
    goodRequestStillWorks();
  }

  @Test
  void metricsOverProtobufAndJson() throws Exception {
    ExportMetricsServiceRequest sent = Requests.metrics();
    assertThat(post("/v1/metrics", PROTOBUF, sent.toByteArray()).statusCode()).isEqualTo(200);
    String json = dev.inflight.otlp.json.ProtobufJsonPrintings.protobufJson(sent); // pretty, enums by name
    assertThat(post("/v1/metrics", JSON, json.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    assertThat(server.metrics).hasSize(2).allSatisfy(m -> {
      assertThat(m.request()).isEqualTo(sent);
      assertThat(m.dataPointCount()).isEqualTo(6);
    });
  }

  @Test
  void truncatedProtobufIs400WithAStatusBody() throws Exception {
    byte[] full = Requests.traces(3).toByteArray();
    HttpResponse<byte[]> r = post("/v1/traces", PROTOBUF, Arrays.copyOf(full, full.length - 7));
    assertThat(r.statusCode()).isEqualTo(400);
    Status s = status(r);
    assertThat(s.getCode()).isEqualTo(3); // INVALID_ARGUMENT
    assertThat(s.getMessage()).startsWith("not a valid ExportTraceServiceRequest at resource_spans[0]");
    assertThat(server.traces).isEmpty();
    goodRequestStillWorks();
  }

  @Test
  void aMetricsRequestOnTheTracesPathIs400() throws Exception {
    HttpResponse<byte[]> r = post("/v1/traces", PROTOBUF, Requests.metrics().toByteArray());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(status(r).getMessage()).startsWith("not a valid ExportTraceServiceRequest");
    HttpResponse<byte[]> back = post("/v1/metrics", PROTOBUF, Requests.traces(2).toByteArray());
    assertThat(back.statusCode()).isEqualTo(400);
    assertThat(status(back).getMessage()).startsWith("not a valid ExportMetricsServiceRequest");
    assertThat(server.traces).isEmpty();
    assertThat(server.metrics).isEmpty();
    goodRequestStillWorks();
  }

  @Test
  void invalidJsonIs400WithAJsonStatusBody() throws Exception {
    HttpResponse<byte[]> r = post("/v1/traces", JSON, "{\"resourceSpans\":[".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(JSON);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("{\"code\":3,\"message\":\"invalid JSON");
    goodRequestStillWorks();
  }

  @Test
  void getIs405WithAllowPost() throws Exception {
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(server.http("/v1/traces")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    assertThat(r.body()).contains("method not allowed");
    goodRequestStillWorks();
  }

  @Test
  void otherPathsAre404() throws Exception {
    assertThat(post("/v1/logs", PROTOBUF, new byte[0]).statusCode()).isEqualTo(404);
    assertThat(post("/", PROTOBUF, new byte[0]).statusCode()).isEqualTo(404);
    assertThat(post("/v1/traces?x=1", PROTOBUF, Requests.traces(1).toByteArray()).statusCode()).isEqualTo(200);
    goodRequestStillWorks();
  }

  @Test
  void textPlainIs415() throws Exception {
    HttpResponse<byte[]> r = post("/v1/traces", "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(415);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("application/json, application/x-protobuf");
    assertThat(post("/v1/traces", null, new byte[] {1}).statusCode()).isEqualTo(415);
    goodRequestStillWorks();
  }

  @Test
  void anOversizedBodyIs413WithOrWithoutContentLength() throws Exception {
    byte[] big = new byte[(1 << 20) + 1];
    HttpResponse<byte[]> r = post("/v1/traces", PROTOBUF, big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(status(r).getMessage()).contains("max_request_body_size");
    goodRequestStillWorks();

    // Chunked: no Content-Length, the limit is found while reading.
    HttpResponse<byte[]> chunked = CLIENT.send(HttpRequest.newBuilder(server.http("/v1/traces"))
            .header("Content-Type", PROTOBUF)
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(chunked.statusCode()).isEqualTo(413);
    goodRequestStillWorks();
  }

  @Test
  void aGzipBombIs413() throws Exception {
    byte[] bomb = ContentEncodingTest.gzipBomb(100L << 20); // 100 MiB of zeros, ~100 KiB sent
    HttpResponse<byte[]> r = post("/v1/traces", PROTOBUF, bomb, "Content-Encoding", "gzip");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(status(r).getMessage()).startsWith("decompressed body is larger than max_request_body_size");
    goodRequestStillWorks();
  }

  @Test
  void retryableRefusalIs503WithRetryAfter() throws Exception {
    server.refuseWith = Refusal.retryable("queue is full");
    HttpResponse<byte[]> r = post("/v1/traces", PROTOBUF, Requests.traces(2).toByteArray());
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    Status s = status(r);
    assertThat(s.getCode()).isEqualTo(14); // UNAVAILABLE
    assertThat(s.getMessage()).isEqualTo("queue is full");

    server.refuseWith = Refusal.retryable("memory limit", Duration.ofMillis(2500));
    HttpResponse<byte[]> later = post("/v1/traces", JSON, "{}".getBytes(StandardCharsets.UTF_8));
    // An empty request is answered without reaching the pipeline, as in the Collector.
    assertThat(later.statusCode()).isEqualTo(200);
    later = post("/v1/traces", PROTOBUF, Requests.traces(1).toByteArray());
    assertThat(later.headers().firstValue("Retry-After")).hasValue("3");

    server.refuseWith = Refusal.permanent("bad data");
    HttpResponse<byte[]> permanent = post("/v1/traces", PROTOBUF, Requests.traces(1).toByteArray());
    assertThat(permanent.statusCode()).isEqualTo(400);
    assertThat(permanent.headers().firstValue("Retry-After")).isEmpty();
    server.refuseWith = null;
    goodRequestStillWorks();
  }

  @Test
  void expectContinueIsHonoured() throws Exception {
    HttpResponse<byte[]> r = CLIENT.send(HttpRequest.newBuilder(server.http("/v1/traces")).expectContinue(true)
            .header("Content-Type", PROTOBUF).POST(HttpRequest.BodyPublishers.ofByteArray(Requests.traces(2).toByteArray())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(server.traces).hasSize(1);
  }

  @Test
  void keepAliveCarriesGoodAndBadRequestsOnOneConnectionInOrder() throws Exception {
    byte[] good = Requests.traces(1).toByteArray();
    try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      // Three requests written at once (pipelined): a good one, a 404, a good one.
      out.write(request("/v1/traces", good));
      out.write(request("/nope", good));
      out.write(request("/v1/traces", good));
      out.flush();
      InputStream in = socket.getInputStream();
      assertThat(readResponseStatus(in)).isEqualTo(200);
      assertThat(readResponseStatus(in)).isEqualTo(404);
      assertThat(readResponseStatus(in)).isEqualTo(200);
      out.write(request("/v1/traces", new byte[] {1, 2, 3}));
      out.flush();
      assertThat(readResponseStatus(in)).isEqualTo(400);
    }
    assertThat(server.traces).hasSize(2);
  }

  @Test
  void aClientThatDisconnectsMidBodyDisturbsNothing() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: 5000\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[100]);
      out.flush();
    }
    goodRequestStillWorks();
    assertThat(server.traces).hasSize(1);
  }

  @Test
  void aMalformedChunkedBodyIs400() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
          + "Transfer-Encoding: chunked\r\n\r\nzz\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readResponseStatus(socket.getInputStream())).isEqualTo(400);
    }
    goodRequestStillWorks();
  }

  private static byte[] request(String path, byte[] body) {
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: "
        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** Reads one response (headers + Content-Length body) and returns its status. */
  private static int readResponseStatus(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new AssertionError("connection closed; got: " + head);
      }
      head.append((char) c);
    }
    String h = head.toString();
    int status = Integer.parseInt(h.substring(9, 12));
    int length = 0;
    for (String line : h.split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return status;
  }
}
