package dev.inflight.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import com.google.rpc.Status;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.otlp.json.OtlpJson;
import dev.inflight.pdata.testing.TestData;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
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
    assertThat(post("/v1/profiles", PROTOBUF, new byte[0]).statusCode()).isEqualTo(404);
    assertThat(post("/v1/logs/", PROTOBUF, new byte[0]).statusCode()).isEqualTo(404);
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

  // ---- logs: the same contract as traces, at logs_url_path ----

  private static void goodLogsStillWork() throws Exception {
    int before = server.logs.size();
    HttpResponse<byte[]> r = post("/v1/logs", PROTOBUF, TestData.logsRequest(new int[][] {{2}}).toByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(server.logs).hasSize(before + 1);
  }

  @Test
  void protobufLogsArriveAsTheBytesSentAndTheAnswerIsTheEmptyExportLogsServiceResponse() throws Exception {
    ExportLogsServiceRequest request = TestData.logsRequest(new int[][] {{2, 1}, {3}});
    byte[] sent = request.toByteArray();
    HttpResponse<byte[]> r = post("/v1/logs", PROTOBUF, sent);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
    // The Collector's answer: the empty response, no partial_success.
    assertThat(r.body()).isEmpty();
    assertThat(ExportLogsServiceResponse.parseFrom(r.body())).isEqualTo(ExportLogsServiceResponse.getDefaultInstance());
    assertThat(server.logs).singleElement().satisfies(l -> {
      assertThat(l.encoded()).isEqualTo(sent);
      assertThat(l.logRecordCount()).isEqualTo(6);
    });
    assertThat(server.traces).isEmpty();
  }

  @Test
  void jsonLogsArriveAsTheRequestPrintedWithHexIdsAndEveryBodyKind() throws Exception {
    ExportLogsServiceRequest request = TestData.logsRequest(new int[][] {{8}, {3}}); // bodies of all 8 kinds
    HttpResponse<byte[]> r = post("/v1/logs", "application/json; charset=utf-8", OtlpJson.print(request).getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue(JSON);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{}"); // ExportLogsServiceResponse, no partialSuccess
    assertThat(server.logs).singleElement().satisfies(l -> {
      assertThat(l.encoded()).isEqualTo(request.toByteArray());
      assertThat(l.logRecordCount()).isEqualTo(11);
    });
  }

  @Test
  void jsonLogRecordIdsAreHex() throws Exception {
    String json = """
        {"resourceLogs":[{"scopeLogs":[{"scope":{"name":"app"},"logRecords":[
          {"timeUnixNano":"1700000000000000000","severityNumber":"SEVERITY_NUMBER_ERROR","severityText":"ERROR",
           "body":{"stringValue":"payment failed"},"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174","flags":1},
          {"observedTimeUnixNano":1700000000000000001,"severityNumber":9,"body":{"kvlistValue":{"values":[{"key":"k","value":{"intValue":"3"}}]}}}]}]}]}
        """;
    assertThat(post("/v1/logs", JSON, json.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
    var records = server.logs.get(0).request().getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
    HexFormat hex = HexFormat.of();
    assertThat(hex.formatHex(records.get(0).getTraceId().toByteArray())).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(hex.formatHex(records.get(0).getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b174");
    assertThat(records.get(0).getSeverityNumberValue()).isEqualTo(17);
    assertThat(records.get(0).getBody().getStringValue()).isEqualTo("payment failed");
    assertThat(records.get(1).getTraceId().isEmpty()).isTrue();
    assertThat(records.get(1).getObservedTimeUnixNano()).isEqualTo(1_700_000_000_000_000_001L);
    assertThat(records.get(1).getBody().getKvlistValue().getValues(0).getValue().getIntValue()).isEqualTo(3);
    assertThat(server.logs.get(0).logRecordCount()).isEqualTo(2);
  }

  @Test
  void compressedLogsAreDecodedProtobufAndJson() throws Exception {
    ExportLogsServiceRequest request = TestData.logsRequest(new int[][] {{5}});
    byte[] sent = request.toByteArray();
    byte[] json = OtlpJson.print(request).getBytes(StandardCharsets.UTF_8);
    for (String type : new String[] {PROTOBUF, JSON}) {
      byte[] body = type.equals(PROTOBUF) ? sent : json;
      assertThat(post("/v1/logs", type, ContentEncodingTest.gzip(body), "Content-Encoding", "gzip").statusCode()).isEqualTo(200);
      assertThat(post("/v1/logs", type, ContentEncodingTest.deflate(body, true), "Content-Encoding", "deflate").statusCode()).isEqualTo(200);
      assertThat(post("/v1/logs", type, ContentEncodingTest.deflate(body, false), "Content-Encoding", "deflate").statusCode()).isEqualTo(200);
      assertThat(post("/v1/logs", type, Zstd.compress(body), "Content-Encoding", "zstd").statusCode()).isEqualTo(200);
    }
    assertThat(server.logs).hasSize(8).allSatisfy(l -> assertThat(l.encoded()).isEqualTo(sent));
    assertThat(post("/v1/logs", PROTOBUF, sent, "Content-Encoding", "br").statusCode()).isEqualTo(415);
    goodLogsStillWork();
  }

  @Test
  void badLogsGet400WithTheStatusBadTracesGet() throws Exception {
    for (BadRequests.Kind bad : BadRequests.all()) {
      HttpResponse<byte[]> traces = post("/v1/traces", PROTOBUF, bad.of(Signal.TRACES));
      HttpResponse<byte[]> logs = post("/v1/logs", PROTOBUF, bad.of(Signal.LOGS));
      assertThat(traces.statusCode()).as("traces, %s", bad.what()).isEqualTo(400);
      assertThat(logs.statusCode()).as("logs, %s", bad.what()).isEqualTo(traces.statusCode());
      Status s = status(logs);
      assertThat(s.getCode()).as(bad.what()).isEqualTo(status(traces).getCode()).isEqualTo(3); // INVALID_ARGUMENT
      assertThat(s.getMessage()).as(bad.what()).startsWith(bad.message());
    }
    assertThat(server.traces).isEmpty();
    assertThat(server.logs).isEmpty();
    goodLogsStillWork();
  }

  @Test
  void badJsonLogsGet400WithAJsonStatusAsTraces() throws Exception {
    String[][] pairs = {
      {"{\"resourceSpans\":[", "{\"resourceLogs\":["}, // cut off
      {"not json", "not json"},
      {"{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\"}]}]}]}",
          "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"traceId\":\"xyz\"}]}]}]}"}, // not hex
      {"{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"AQIDBAUGBwg=\"}]}]}]}",
          "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"spanId\":\"AQIDBAUGBwg=\"}]}]}]}"}, // base64
      {"{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"0102\",\"spanId\":\"0102030405060708\"}]}]}]}",
          "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"traceId\":\"0102\"}]}]}]}"}, // 2-byte trace id
    };
    for (String[] pair : pairs) {
      HttpResponse<byte[]> traces = post("/v1/traces", JSON, pair[0].getBytes(StandardCharsets.UTF_8));
      HttpResponse<byte[]> logs = post("/v1/logs", JSON, pair[1].getBytes(StandardCharsets.UTF_8));
      String text = new String(logs.body(), StandardCharsets.UTF_8);
      assertThat(traces.statusCode()).as(pair[0]).isEqualTo(400);
      assertThat(logs.statusCode()).as("%s -> %s", pair[1], text).isEqualTo(400);
      assertThat(logs.headers().firstValue("Content-Type")).hasValue(JSON);
      assertThat(text).as(pair[1]).startsWith("{\"code\":3,\"message\":\"");
    }
    HttpResponse<byte[]> hex = post("/v1/logs", JSON, pairs[2][1].getBytes(StandardCharsets.UTF_8));
    assertThat(new String(hex.body(), StandardCharsets.UTF_8)).contains("trace_id \\\"xyz\\\" is not a hex string");
    HttpResponse<byte[]> length = post("/v1/logs", JSON, pairs[4][1].getBytes(StandardCharsets.UTF_8));
    assertThat(new String(length.body(), StandardCharsets.UTF_8))
        .contains("log_records[0].trace_id: must be 16 bytes or empty, not 2");
    assertThat(server.logs).isEmpty();
    goodLogsStillWork();
  }

  @Test
  void logsWithAnotherContentTypeOrMethodAre415Or405() throws Exception {
    byte[] logs = TestData.logsRequest(new int[][] {{1}}).toByteArray();
    assertThat(post("/v1/logs", "text/plain", logs).statusCode()).isEqualTo(415);
    assertThat(post("/v1/logs", null, logs).statusCode()).isEqualTo(415);
    assertThat(post("/v1/logs", PROTOBUF, logs, "Content-Encoding", "compress").statusCode()).isEqualTo(415);
    HttpResponse<String> get = CLIENT.send(HttpRequest.newBuilder(server.http("/v1/logs")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertThat(server.logs).isEmpty();
    goodLogsStillWork();
  }

  @Test
  void tooLargeLogsAre413AsTraces() throws Exception {
    byte[] bomb = ContentEncodingTest.gzipBomb(100L << 20);
    for (String path : new String[] {"/v1/traces", "/v1/logs"}) {
      HttpResponse<byte[]> r = post(path, PROTOBUF, bomb, "Content-Encoding", "gzip");
      assertThat(r.statusCode()).as(path).isEqualTo(413);
      assertThat(status(r).getCode()).isEqualTo(8); // RESOURCE_EXHAUSTED
      assertThat(status(r).getMessage()).startsWith("decompressed body is larger than max_request_body_size");
    }
    // Declared too large: answered at the headers (the client waits for 100-continue), connection closed.
    byte[] big = BadRequests.logsLargerThan(1 << 20).toByteArray();
    try (Socket socket = new Socket("127.0.0.1", server.httpPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/logs HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\nContent-Length: "
          + big.length + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      assertThat(readResponseStatus(in)).isEqualTo(413);
      assertThat(in.read()).as("closed after the 413").isEqualTo(-1);
    }
    assertThat(server.logs).isEmpty();
    goodLogsStillWork();
  }

  @Test
  void logsRefusedByThePipelineAre503WithRetryAfterOr400() throws Exception {
    byte[] logs = TestData.logsRequest(new int[][] {{2}}).toByteArray();
    server.refuseWith = Refusal.retryable("queue is full");
    HttpResponse<byte[]> r = post("/v1/logs", PROTOBUF, logs);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(status(r).getCode()).isEqualTo(14); // UNAVAILABLE
    assertThat(status(r).getMessage()).isEqualTo("queue is full");

    server.refuseWith = Refusal.retryable("memory limit", Duration.ofMillis(2500));
    HttpResponse<byte[]> json = post("/v1/logs", JSON, OtlpJson.print(TestData.logsRequest(new int[][] {{1}})).getBytes(StandardCharsets.UTF_8));
    assertThat(json.statusCode()).isEqualTo(503);
    assertThat(json.headers().firstValue("Retry-After")).hasValue("3");
    assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo("{\"code\":14,\"message\":\"memory limit\"}");

    server.refuseWith = Refusal.permanent("bad data");
    HttpResponse<byte[]> permanent = post("/v1/logs", PROTOBUF, logs);
    assertThat(permanent.statusCode()).isEqualTo(400);
    assertThat(permanent.headers().firstValue("Retry-After")).isEmpty();
    assertThat(status(permanent).getMessage()).isEqualTo("bad data");

    // A request without log records never reaches the (refusing) pipeline.
    assertThat(post("/v1/logs", PROTOBUF, TestData.logsRequest(new int[][] {{0}}).toByteArray()).statusCode()).isEqualTo(200);
    server.refuseWith = null;
    assertThat(server.logs).isEmpty();
    goodLogsStillWork();
  }
}
