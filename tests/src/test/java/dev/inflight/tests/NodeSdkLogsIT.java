package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inflight.component.Signal;
import dev.inflight.exporter.otlphttp.RecordingHttpServer;
import dev.inflight.otlp.json.OtlpJson;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The Node.js OpenTelemetry SDK's logs as a second, independent client: tests/node/send-logs.mjs
 * (@opentelemetry/sdk-logs with exporter-logs-otlp-http for OTLP/JSON, exporter-logs-otlp-proto for
 * OTLP/protobuf and exporter-logs-otlp-grpc for OTLP/gRPC, pinned by tests/node/package-lock.json and
 * installed by ./test with {@code npm ci}) sends a fixed set of log records to inflight, which forwards
 * them through its logs pipelines as in {@link SdkLogsForwardingIT} (see {@link ForwardingChain}). The
 * script prints what its SDK held for those records; at both recorders every record arrives exactly
 * once and equals that, field by field (int vs double, bytes, nested maps and arrays included). This
 * catches OTLP/JSON logs mistakes (hex ids, int64 as strings, base64 bytes, enum numbers, escapes) that
 * the Java client cannot.
 *
 * <p>A missing {@code node} or a missing tests/node/node_modules is a failure, in CI and outside it
 * ({@code ./test} installs both).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeSdkLogsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private ForwardingChain chain;
  private Path node;

  @BeforeAll
  void start() throws Exception {
    node = NodeSdkIT.findNode();
    for (String p : List.of("sdk-logs", "exporter-logs-otlp-http", "exporter-logs-otlp-proto", "exporter-logs-otlp-grpc")) {
      if (!Files.isDirectory(NodeSdkIT.NODE_DIR.resolve("node_modules/@opentelemetry/" + p))) {
        fail(NodeSdkIT.NODE_DIR.resolve("node_modules") + " lacks @opentelemetry/" + p + " (CI=" + System.getenv("CI")
            + "): run ./test, or `npm ci` in tests/node");
      }
    }
    chain = ForwardingChain.start(dir, Signal.LOGS);
  }

  @AfterAll
  void stop() {
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void otlpJsonLogsFromTheNodeSdkArriveUnchanged() throws Exception {
    sendAndCheck("json", chain.httpLogsUrl());
  }

  @Test
  void otlpProtobufLogsFromTheNodeSdkArriveUnchanged() throws Exception {
    sendAndCheck("proto", chain.httpLogsUrl());
  }

  @Test
  void otlpGrpcLogsFromTheNodeSdkArriveUnchanged() throws Exception {
    sendAndCheck("grpc", chain.grpcEndpoint());
  }

  /**
   * Without inflight: what the script's SDK sends over OTLP/JSON and OTLP/protobuf straight to a
   * recorder equals its manifest, so a difference in the tests above is inflight's.
   */
  @Test
  void theManifestIsWhatTheSdkSends() throws Exception {
    for (String protocol : List.of("json", "proto")) {
      try (RecordingHttpServer server = RecordingHttpServer.start()) {
        Map<Long, CanonicalLogs.Log> expected = expected(runSendLogs(protocol, server.baseUrl() + "/v1/logs"));
        List<CanonicalLogs.Log> got = new ArrayList<>();
        for (RecordingHttpServer.Request r : server.requests()) {
          byte[] protobuf = protocol.equals("json") ? OtlpJson.logs(r.body()) : r.body();
          got.addAll(new OtlpRecorders.Received(protobuf, r.header("Content-Type"), null, null).logs());
        }
        Map<Long, CanonicalLogs.Log> actual = CanonicalLogs.byKey(got);
        assertThat(actual.keySet()).as("log records sent over OTLP/%s", protocol).containsExactlyElementsOf(expected.keySet());
        for (Long key : expected.keySet()) {
          assertThat(actual.get(key)).as("log record observed at %d, OTLP/%s", key, protocol).isEqualTo(expected.get(key));
        }
      }
    }
  }

  private void sendAndCheck(String protocol, String url) throws Exception {
    chain.clearRecorders();
    Map<Long, CanonicalLogs.Log> expected = expected(runSendLogs(protocol, url));
    for (OtlpRecorders.Recorder recorder : List.of(chain.grpc, chain.http)) {
      List<CanonicalLogs.Log> got = recorder.awaitLogs(expected.size(), Duration.ofSeconds(30), Duration.ofMillis(300), chain::stderr);
      Map<Long, CanonicalLogs.Log> actual = CanonicalLogs.byKey(got);
      String where = recorder.getClass().getSimpleName() + " (Node SDK, OTLP/" + protocol + ")";
      assertThat(actual.keySet()).as("log records (observed times) at the %s", where).containsExactlyElementsOf(expected.keySet());
      for (Long key : expected.keySet()) {
        assertThat(actual.get(key)).as("log record observed at %d at the %s", key, where).isEqualTo(expected.get(key));
      }
    }
    assertThat(chain.http.received(Signal.LOGS)).allSatisfy(r -> assertThat(r.contentType()).isEqualTo("application/x-protobuf"));
  }

  /** The manifest's records, checked to be what send-logs.mjs means them to be (so a changed script or SDK cannot make the tests trivial). */
  private static Map<Long, CanonicalLogs.Log> expected(JsonNode manifest) {
    Map<Long, CanonicalLogs.Log> expected = CanonicalLogs.byKey(CanonicalLogs.fromNodeManifest(manifest));
    assertThat(expected).hasSize(12);
    List<Object> bodies = expected.values().stream().map(CanonicalLogs.Log::body).toList();
    assertThat(bodies).contains("checkout done: héllo \"quoted\" \\ back\nslash 日本 🚀 \u0001", true,
        -9_007_199_254_740_991L, -1.5e-7, new CanonicalSpans.Bytes("00017f80ff225c0a"), "<empty AnyValue>");
    assertThat(bodies).hasAtLeastOneElementOfType(List.class).hasAtLeastOneElementOfType(Map.class);
    CanonicalLogs.Log first = expected.values().iterator().next();
    assertThat(first.timeUnixNano()).isEqualTo(first.observedTimeUnixNano() + 122);
    assertThat(first.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(first.flags()).isEqualTo(1);
    assertThat(first.attributes()).containsEntry("http.response.status_code", 502L).containsEntry("ratio", 0.25)
        .containsEntry("ints", List.of(1L, -2L, 3L)).containsEntry("digest", new CanonicalSpans.Bytes("010203"))
        .containsEntry("map", Map.of("k", "v", "n", 1L, "nested", Map.of("deep", true)));
    assertThat(expected.values()).filteredOn(l -> l.droppedAttributes() == 8).hasSize(1);
    assertThat(expected.values()).filteredOn(l -> l.flags() == 0 && !l.traceId().isEmpty()).hasSize(1);
    assertThat(expected.values()).extracting(CanonicalLogs.Log::eventName).contains("checkout.completed");
    assertThat(expected.values()).extracting(l -> l.scope().name()).containsOnly(
        "dev.inflight.tests.node.logs", "dev.inflight.tests.node.logs.audit", "dev.inflight.tests.node.jobs");
    return expected;
  }

  /** {@code node send-logs.mjs URL PROTOCOL}: exit code 0 and its manifest on stdout. */
  private JsonNode runSendLogs(String protocol, String url) throws Exception {
    Path out = dir.resolve("send-logs-" + protocol + ".out");
    Path err = dir.resolve("send-logs-" + protocol + ".err");
    Process p = new ProcessBuilder(node.toString(), "send-logs.mjs", url, protocol)
        .directory(NodeSdkIT.NODE_DIR.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("node send-logs.mjs " + protocol + " did not finish within 60s\nstderr:\n" + Files.readString(err));
    }
    assertThat(p.exitValue()).as("node send-logs.mjs %s exit code; its stderr:\n%s\n%s", protocol,
        Files.readString(err), chain.stderr()).isZero();
    JsonNode manifest = JSON.readTree(Files.readString(out));
    assertThat(manifest.get("protocol").asText()).isEqualTo(protocol);
    return manifest;
  }
}
