package dev.inflight.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.inflight.app.QueryApiFixture.Run;
import dev.inflight.exporter.otlphttp.RecordingHttpServer;
import dev.inflight.tools.loadgen.DiscardingSink;
import dev.inflight.otlp.json.OtlpJson;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code inflight replay}: its options, and replays of recordings written here to servers in this JVM. */
class ReplayCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long S = 1_000_000_000L;
  /** An hour ago, on a whole second. */
  private static final long T0 = (Instant.now().getEpochSecond() - 3_600) * S;

  @TempDir Path dir;

  private static Run replay(String... args) {
    return QueryApiFixture.run(new ReplayCommand(), args);
  }

  private static byte[] traces(String name, long... startEnd) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (int i = 0; i < startEnd.length; i += 2) {
      scope.addSpans(Span.newBuilder()
          .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
          .setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(i + 1).array()))
          .setName(name)
          .setStartTimeUnixNano(startEnd[i])
          .setEndTimeUnixNano(startEnd[i + 1])
          .addEvents(Span.Event.newBuilder().setName("e").setTimeUnixNano(startEnd[i] + 1)));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build().toByteArray();
  }

  private Path recording(String name, byte[]... records) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] r : records) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(r.length).array());
      out.writeBytes(r);
    }
    return Files.write(dir.resolve(name), out.toByteArray());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
    "--speed    | 0          | --speed must be a number above 0 (1 = as recorded, 2 = twice as fast) or max, got \"0\"",
    "--speed    | fast       | --speed must be a number above 0",
    "--max-gap  | 0s         | --max-gap must be longer than 0",
    "--max-gap  | 5          | --max-gap: invalid duration \"5\": it has no unit",
    "--header   | novalue    | --header must be KEY=VALUE, got \"novalue\"",
    "--header   | =v         | --header must be KEY=VALUE",
    "--endpoint | 127.0.0.1  | --endpoint must be host:port, e.g. 127.0.0.1:4317, got 127.0.0.1",
    "--protocol | http/xml   | --protocol: unknown protocol \"http/xml\": use grpc, http/protobuf or http/json",
    "--timeout  | 0s         | --timeout must be longer than 0",
  })
  void usageErrorsExit2WithAMessageNamingTheOption(String option, String value, String message) throws Exception {
    Path file = recording("spans.binpb", traces("a", T0, T0 + 1));
    // Should a check be missing, send to a closed port, not to whatever listens on 4317.
    List<String> args = new ArrayList<>(List.of(option, value, file.toString()));
    if (!option.equals("--endpoint")) {
      args.addAll(List.of("--endpoint", "127.0.0.1:" + closedPort()));
    }
    Run run = replay(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).startsWith(message).contains("Usage: replay");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aFileThatMatchesNothingIsAUsageError() {
    Run run = replay(dir + "/nothing*.binpb", "--endpoint", "127.0.0.1:1");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("FILE: " + dir + "/nothing*.binpb: no recording file matches");
  }

  @Test
  void everyTracesRecordIsOneRequestMetricsRecordsAreSkippedAndCounted() throws Exception {
    recording("spans-1.binpb", traces("a", T0, T0 + S, T0, T0 + 2 * S),
        ExportMetricsServiceRequest.newBuilder().build().toByteArray(), // empty: read as traces, no spans
        metricsRecord());
    recording("spans-2.binpb", traces("b", T0 + S, T0 + 3 * S));
    try (DiscardingSink sink = new DiscardingSink("127.0.0.1")) {
      Run run = replay(dir + "/spans-*.binpb", "--endpoint", "127.0.0.1:" + sink.port(), "--speed", "max", "--json");

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(sink.spans()).isEqualTo(3);
      JsonNode report = JSON.readTree(run.out());
      assertThat(report.path("files").asInt()).isEqualTo(2);
      assertThat(report.path("records").asLong()).isEqualTo(4);
      assertThat(report.path("records_sent").asLong()).isEqualTo(2);
      assertThat(report.path("records_skipped").asLong()).isEqualTo(1);
      assertThat(report.path("spans_sent").asLong()).isEqualTo(3);
      assertThat(report.path("spans_failed").asLong()).isZero();
      assertThat(report.path("speed").asText()).isEqualTo("max");
    }
  }

  @Test
  void logsRecordsAreSkippedAndCountedInTheReport() throws Exception {
    byte[] logs = dev.inflight.pdata.testing.TestData.logsRequest(new int[][] {{3}}).toByteArray();
    recording("telemetry.binpb", logs, traces("a", T0, T0 + S), logs);
    try (DiscardingSink sink = new DiscardingSink("127.0.0.1")) {
      Run run = replay(dir + "/telemetry.binpb", "--endpoint", "127.0.0.1:" + sink.port(), "--speed", "max");

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(sink.spans()).isEqualTo(1);
      assertThat(run.out()).contains("records   3: 1 sent, 0 failed, 2 skipped (0 metrics, 2 logs, 0 cut off or damaged)");
    }
  }

  private static byte[] metricsRecord() {
    return io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
            .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                .addMetrics(io.opentelemetry.proto.metrics.v1.Metric.newBuilder().setName("m")
                    .setGauge(io.opentelemetry.proto.metrics.v1.Gauge.newBuilder()
                        .addDataPoints(io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder()
                            .setTimeUnixNano(T0).setAsDouble(1))))))
        .build().toByteArray();
  }

  @Test
  void httpJsonWithHeadersAndShiftedTimesAndATextReport() throws Exception {
    recording("spans.binpb", traces("a", T0, T0 + S), traces("b", T0 + S, T0 + 2 * S));
    try (RecordingHttpServer server = RecordingHttpServer.start()) {
      long before = Instant.now().toEpochMilli() * 1_000_000L;
      Run run = replay(dir + "/spans.binpb", "--endpoint", "127.0.0.1:" + port(server),
          "--protocol", "http/json", "--speed", "max", "--shift-time", "--header", "Authorization=Bearer t0k");
      long after = Instant.now().toEpochMilli() * 1_000_000L + 1_000_000L;
      List<RecordingHttpServer.Request> requests = server.requests();
      assertThat(requests).extracting(RecordingHttpServer.Request::path).containsOnly("/v1/traces");
      List<String> bodies = requests.stream().map(r -> new String(r.body(), StandardCharsets.UTF_8)).toList();
      List<String> auth = requests.stream().map(r -> r.header("Authorization")).toList();
      List<String> types = requests.stream().map(r -> r.header("Content-Type")).toList();

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.out()).contains("spans     2 sent, 0 failed").contains("errors    none");
      assertThat(bodies).hasSize(2);
      assertThat(auth).containsOnly("Bearer t0k");
      assertThat(types).containsOnly("application/json");
      List<Span> spans = new ArrayList<>();
      for (String body : bodies) {
        assertThat(body).contains("\"traceId\":\"0102030405060708090a0b0c0d0e0f10\"");
        spans.addAll(ExportTraceServiceRequest.parseFrom(OtlpJson.decodeTraces(body.getBytes(StandardCharsets.UTF_8)))
            .getResourceSpans(0).getScopeSpans(0).getSpansList());
      }
      // Shifted by (now - the first record's event time): the first record's end is now, the rest
      // keep their distance from it, and events move with their spans.
      long shift = spans.get(0).getEndTimeUnixNano() - (T0 + S);
      assertThat(spans.get(0).getEndTimeUnixNano()).isBetween(before, after);
      assertThat(spans.get(0).getStartTimeUnixNano()).isEqualTo(T0 + shift);
      assertThat(spans.get(0).getEvents(0).getTimeUnixNano()).isEqualTo(T0 + 1 + shift);
      assertThat(spans.get(1).getStartTimeUnixNano()).isEqualTo(T0 + S + shift);
      assertThat(spans.get(1).getEndTimeUnixNano()).isEqualTo(T0 + 2 * S + shift);
    }
  }

  @Test
  void retryableAnswersAreRetriedThenCountedAsFailed() throws Exception {
    recording("spans.binpb", traces("a", T0, T0 + 1), traces("b", T0, T0 + 2));
    // The first record: 503 twice, then taken. The second: 400, not retried.
    try (RecordingHttpServer server = RecordingHttpServer.start()
        .answer(RecordingHttpServer.Answer.of(503), RecordingHttpServer.Answer.of(503), RecordingHttpServer.Answer.of(200))
        .always(RecordingHttpServer.Answer.of(400))) {
      Run run = replay(dir + "/spans.binpb", "--endpoint", "127.0.0.1:" + port(server),
          "--protocol", "http/protobuf", "--speed", "max", "--json");
      List<RecordingHttpServer.Request> calls = server.requests();
      assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
      assertThat(calls).hasSize(4);
      JsonNode report = JSON.readTree(run.out());
      assertThat(report.path("records_sent").asLong()).isEqualTo(1);
      assertThat(report.path("records_failed").asLong()).isEqualTo(1);
      assertThat(report.path("retries").asLong()).isEqualTo(2);
      assertThat(report.path("errors").path("http 400").asLong()).isEqualTo(1);
    }
  }


  @Test
  void nothingListeningExits3AfterTheBoundedAttempts() throws Exception {
    recording("spans.binpb", traces("a", T0, T0 + 1), traces("b", T0, T0 + 2));
    Run run = replay(dir + "/spans.binpb", "--endpoint", "127.0.0.1:" + closedPort(), "--speed", "max", "--json");
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(3);
    JsonNode report = JSON.readTree(run.out());
    assertThat(report.path("records_failed").asLong()).isEqualTo(1);
    assertThat(report.path("retries").asLong()).isEqualTo(ReplayCommand.MAX_ATTEMPTS - 1);
    assertThat(report.path("stopped_early").asBoolean()).isTrue();
    assertThat(run.err()).contains("took a request (grpc UNAVAILABLE after 5 attempts): stopping");
  }

  private static int port(RecordingHttpServer server) {
    return URI.create(server.baseUrl()).getPort();
  }

  private static int closedPort() throws Exception {

    return URI.create(QueryApiFixture.refusingUrl()).getPort();
  }
}
