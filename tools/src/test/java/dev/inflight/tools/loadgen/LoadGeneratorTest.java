package dev.inflight.tools.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.exporter.otlphttp.RecordingHttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link LoadGenerator} against real servers in this JVM: a {@link DiscardingSink} (gRPC) that counts
 * what it receives, and a JDK HTTP server that decodes what it receives; counts must agree exactly.
 * Nothing here asserts on timing.
 */
class LoadGeneratorTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final TraceShape SHAPE = new TraceShape(128, 10, TraceShape.DEFAULT_WORKER_NAMES, 3);

  private static LoadGenerator.Target target(Protocol protocol, int port) {
    return new LoadGenerator.Target(protocol, "127.0.0.1", port, TIMEOUT);
  }

  /** A port nothing listens on: one that was free a moment ago. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void assertConsistent(LoadReport report, int spansPerRequest) {
    assertThat(report.errors()).isEmpty();
    assertThat(report.errorSpans()).isEmpty();
    assertThat(report.rejectedSpans()).isZero();
    assertThat(report.failedRequests()).isZero();
    assertThat(report.failedSpans()).isZero();
    assertThat(report.requests()).isPositive();
    assertThat(report.spans()).isEqualTo(report.requests() * spansPerRequest);
    assertThat(report.latency().getTotalCount()).isEqualTo(report.requests());
    assertThat(report.seconds()).isPositive();
    assertThat(report.achievedRate()).isEqualTo(report.spans() / report.seconds());
  }

  @Test
  void grpcAtAFixedRateAndAtMaxTheSinkGetsEverySpanTheReportCounts() throws Exception {
    try (DiscardingSink sink = new DiscardingSink("127.0.0.1");
        LoadGenerator generator = new LoadGenerator(target(Protocol.GRPC, sink.port()), SHAPE, 2)) {
      // 12,800 spans/s of 128-span requests: one request due every 10 ms, so about 100 in the second.
      LoadReport fixed = generator.run(12_800, Duration.ofSeconds(1));
      assertConsistent(fixed, 128);
      assertThat(fixed.protocol()).isEqualTo(Protocol.GRPC);
      assertThat(fixed.offeredRate()).isEqualTo(12_800);
      assertThat(fixed.spans()).isEqualTo(sink.spans());
      // Request i is due at i × 10 ms while before the end: at most 100 of them, whatever the machine does.
      assertThat(fixed.requests()).isBetween(1L, 100L);

      long before = sink.spans();
      LoadReport max = generator.run(0, Duration.ofSeconds(1));
      assertConsistent(max, 128);
      assertThat(max.offeredRate()).isZero();
      assertThat(sink.spans() - before).isEqualTo(max.spans());
    }
  }

  /**
   * At a fixed rate a server that keeps up is reported at the offered rate, not above it. 10,240
   * spans/s of 512-span requests for 1 s is exactly 20 requests (due at 0, 50, ..., 950 ms); counting
   * from the first send to the last answer (about 0.95 s) would report about 10,700 spans/s. Sending
   * later or slower can only lower the achieved rate, so this bound does not depend on the machine.
   */
  @Test
  void achievedRateAtAFixedRateIsNotAboveTheOfferedRate() throws Exception {
    TraceShape shape = new TraceShape(512, 10, TraceShape.DEFAULT_WORKER_NAMES, 3);
    try (DiscardingSink sink = new DiscardingSink("127.0.0.1");
        LoadGenerator generator = new LoadGenerator(target(Protocol.GRPC, sink.port()), shape, 2)) {
      LoadReport report = generator.run(10_240, Duration.ofSeconds(1));
      assertThat(report.errors()).isEmpty();
      assertThat(report.spans()).isEqualTo(sink.spans()).isLessThanOrEqualTo(10_240);
      assertThat(report.achievedRate()).as("achieved spans/s (%d spans in %.3f s)", report.spans(), report.seconds())
          .isLessThanOrEqualTo(10_240);
    }
  }

  @Test
  void jsonReportHasTheCounts() throws Exception {
    try (DiscardingSink sink = new DiscardingSink("127.0.0.1");
        LoadGenerator generator = new LoadGenerator(target(Protocol.GRPC, sink.port()), SHAPE, 1)) {
      LoadReport report = generator.run(25_600, Duration.ofMillis(300));
      var json = report.json(new com.fasterxml.jackson.databind.ObjectMapper());
      assertThat(json.get("protocol").asText()).isEqualTo("grpc");
      assertThat(json.get("spans").asLong()).isEqualTo(report.spans()).isEqualTo(sink.spans());
      assertThat(json.get("requests").asLong()).isEqualTo(report.requests());
      assertThat(json.get("errors").size()).isZero();
      assertThat(json.get("latency_ms").get("max").asDouble()).isPositive();
      assertThat(report.text()).contains("errors    none", "requests");
    }
  }

  @Test
  void grpcToAClosedPortIsUnavailableAndCountsNoSpans() throws Exception {
    int port = closedPort();
    try (LoadGenerator generator = new LoadGenerator(target(Protocol.GRPC, port), SHAPE, 2)) {
      // 10 requests/s for half a second: a handful of attempts, all refused.
      LoadReport report = generator.run(1280, Duration.ofMillis(500));
      assertThat(report.spans()).isZero();
      assertThat(report.requests()).isZero();
      assertThat(report.errors()).containsOnlyKeys("grpc UNAVAILABLE");
      long failed = report.errors().get("grpc UNAVAILABLE");
      assertThat(failed).isBetween(1L, 5L);
      assertThat(report.errorSpans()).containsEntry("grpc UNAVAILABLE", failed * 128);
      assertThat(report.failedSpans()).isEqualTo(failed * 128);
      assertThat(report.latency().getTotalCount()).as("failed requests are timed too").isEqualTo(failed);
      assertThat(report.text()).contains("grpc UNAVAILABLE: " + failed + " requests (" + failed * 128 + " spans)");
    }
  }

  /** The exporter tests' recording OTLP/HTTP server, answering every request with {@code status} and {@code body}. */
  private static RecordingHttpServer otlpHttp(int status, byte[] body, String responseType) throws IOException {
    return RecordingHttpServer.start()
        .always(RecordingHttpServer.Answer.of(status, Map.of("Content-Type", responseType), body));
  }

  private static int port(RecordingHttpServer server) {
    return URI.create(server.baseUrl()).getPort();
  }

  /** What a recording server got, each request decoded as its Content-Type says. */
  private record Received(Set<String> paths, Set<String> contentTypes, long requests, long spans, Set<String> problems) {
    static Received by(RecordingHttpServer server) {
      Set<String> paths = new HashSet<>();
      Set<String> contentTypes = new HashSet<>();
      Set<String> problems = new HashSet<>();
      long requests = 0;
      long spans = 0;
      for (RecordingHttpServer.Request r : server.requests()) {
        paths.add(r.method() + " " + r.path());
        String type = r.header("Content-Type");
        contentTypes.add(String.valueOf(type));
        try {
          ExportTraceServiceRequest decoded = RequestTemplateTest.decode(r.body(), "application/json".equals(type));
          spans += RequestTemplateTest.spans(decoded).size();
          requests++;
        } catch (Exception e) {
          problems.add(e.toString());
        }
      }
      return new Received(paths, contentTypes, requests, spans, problems);
    }
  }

  @Test
  void httpProtobufAndJsonSendTheirContentTypeToV1TracesAndEverySpanArrives() throws Exception {
    for (Protocol protocol : List.of(Protocol.HTTP_PROTOBUF, Protocol.HTTP_JSON)) {
      String type = protocol.json() ? "application/json" : "application/x-protobuf";
      // An OK answer as a collector gives it: an empty response message.
      byte[] ok = protocol.json() ? "{}".getBytes(StandardCharsets.UTF_8) : new byte[0];
      try (RecordingHttpServer server = otlpHttp(200, ok, type);
          LoadGenerator generator = new LoadGenerator(target(protocol, port(server)), SHAPE, 2)) {
        LoadReport report = generator.run(12_800, Duration.ofMillis(700));

        Received got = Received.by(server);
        assertConsistent(report, 128);
        assertThat(report.protocol()).isEqualTo(protocol);
        assertThat(got.problems()).as("requests the server could not decode").isEmpty();
        assertThat(got.contentTypes()).as(protocol.toString()).containsExactly(type);
        assertThat(got.paths()).containsExactly("POST /v1/traces");
        assertThat(got.requests()).isEqualTo(report.requests());
        assertThat(got.spans()).isEqualTo(report.spans());
      }
    }
  }

  @Test
  void httpErrorsAreCountedByStatus() throws Exception {
    try (RecordingHttpServer server = otlpHttp(503, "{\"code\":14,\"message\":\"busy\"}".getBytes(StandardCharsets.UTF_8),
            "application/json");
        LoadGenerator generator = new LoadGenerator(target(Protocol.HTTP_JSON, port(server)), SHAPE, 1)) {
      LoadReport report = generator.run(1280, Duration.ofMillis(500));

      assertThat(report.spans()).isZero();
      assertThat(report.requests()).isZero();
      assertThat(report.errors()).containsOnlyKeys("http 503");
      long failed = report.errors().get("http 503");
      assertThat(failed).isEqualTo(Received.by(server).requests()).isBetween(1L, 5L);
      assertThat(report.errorSpans()).containsExactly(Map.entry("http 503", failed * 128));
      assertThat(report.latency().getTotalCount()).isEqualTo(failed);
    }
  }

  @Test
  void httpToAClosedPortIsAConnectError() throws Exception {
    try (LoadGenerator generator = new LoadGenerator(target(Protocol.HTTP_PROTOBUF, closedPort()), SHAPE, 1)) {
      LoadReport report = generator.run(1280, Duration.ofMillis(300));
      assertThat(report.spans()).isZero();
      assertThat(report.errors()).containsOnlyKeys("http ConnectException");
    }
  }

  @Test
  void partialSuccessRejectionsAreSubtractedFromTheSpansTaken() throws Exception {
    byte[] protobuf = ExportTraceServiceResponse.newBuilder()
        .setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(5).setErrorMessage("too old"))
        .build().toByteArray();
    // OTLP/JSON writes int64 as a string.
    byte[] json = "{\"partialSuccess\":{\"rejectedSpans\":\"5\",\"errorMessage\":\"too old\"}}"
        .getBytes(StandardCharsets.UTF_8);
    for (Protocol protocol : List.of(Protocol.HTTP_PROTOBUF, Protocol.HTTP_JSON)) {
      try (RecordingHttpServer server = otlpHttp(200, protocol.json() ? json : protobuf,
              protocol.json() ? "application/json" : "application/x-protobuf");
          LoadGenerator generator = new LoadGenerator(target(protocol, port(server)), SHAPE, 1)) {
        LoadReport report = generator.run(1280, Duration.ofMillis(500));

        long requests = report.requests();
        assertThat(requests).as(protocol.toString()).isPositive().isEqualTo(Received.by(server).requests());
        assertThat(report.errors()).isEmpty();
        assertThat(report.rejectedSpans()).isEqualTo(5 * requests);
        assertThat(report.spans()).isEqualTo(requests * 128 - 5 * requests);
        assertThat(report.failedSpans()).isEqualTo(5 * requests);
        assertThat(report.text()).contains("partial success: " + 5 * requests + " spans rejected");
      }
    }
  }

  @Test
  void stampedRequestsReachTheServerWithTimesOfNowAndNewTraceIds() throws Exception {
    Set<com.google.protobuf.ByteString> traceIds = new HashSet<>();
    AtomicLong spans = new AtomicLong();
    AtomicLong latestEnd = new AtomicLong();
    long before = System.currentTimeMillis() * 1_000_000L;
    try (RecordingHttpServer server = RecordingHttpServer.start();
        LoadGenerator generator = new LoadGenerator(target(Protocol.HTTP_PROTOBUF, port(server)), SHAPE, 1)) {
      // 20 sends (one every 40 ms), more than the 8 templates: every send still carries new trace ids.
      LoadReport report = generator.run(3200, Duration.ofMillis(780));
      for (RecordingHttpServer.Request r : server.requests()) {
        assertThat(r.path()).isEqualTo("/v1/traces");
        for (Span s : RequestTemplateTest.spans(ExportTraceServiceRequest.parseFrom(r.body()))) {
          traceIds.add(s.getTraceId());
          spans.incrementAndGet();
          latestEnd.accumulateAndGet(s.getEndTimeUnixNano(), Math::max);
        }
      }

      assertThat(report.requests()).isGreaterThan(LoadGenerator.TEMPLATES);
      assertThat(spans.get()).isEqualTo(report.spans());
      long tracesPerRequest = 128 / 9; // traces have at most 9 spans
      assertThat((long) traceIds.size()).isGreaterThanOrEqualTo(report.requests() * tracesPerRequest);
      assertThat(latestEnd.get()).isBetween(before, System.currentTimeMillis() * 1_000_000L + 1_000_000L);
    }
  }


  @Test
  void rejectsBadArguments() throws Exception {
    assertThatThrownBy(() -> new LoadGenerator(target(Protocol.GRPC, 4317), SHAPE, 0))
        .hasMessageContaining("connections must be 1 to 1024, got 0");
    try (LoadGenerator generator = new LoadGenerator(target(Protocol.GRPC, closedPort()), SHAPE, 1)) {
      assertThatThrownBy(() -> generator.run(-1, Duration.ofMillis(10))).hasMessageContaining("rate must be");
      assertThatThrownBy(() -> generator.run(Double.NaN, Duration.ofMillis(10))).hasMessageContaining("rate must be");
    }
  }
}
