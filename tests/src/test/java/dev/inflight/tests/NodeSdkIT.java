package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Node.js OpenTelemetry SDK as a second, independent client: tests/node/send-spans.mjs
 * (@opentelemetry/sdk-trace-base with exporter-trace-otlp-http for OTLP/JSON and exporter-trace-otlp-proto
 * for OTLP/protobuf, pinned by tests/node/package-lock.json and installed by ./test with {@code npm ci})
 * sends a fixed set of spans to inflight, which forwards them as in {@link SdkForwardingIT} (see
 * {@link ForwardingChain}). The script prints what its SDK held for those spans; at both recorders
 * every span arrives exactly once and equals that, attribute for attribute (int vs double included),
 * ids, trace state, times, events, links, statuses and dropped counts. This catches OTLP/JSON mistakes
 * (hex ids, int64 as JSON numbers, enum numbers, escapes) that the Java client cannot.
 *
 * <p>A missing {@code node} or a missing tests/node/node_modules is a failure, in CI and outside it
 * ({@code ./test} installs both).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeSdkIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Path NODE_DIR = InflightProcess.ROOT.resolve("tests/node");

  @TempDir static Path dir;

  private ForwardingChain chain;
  private Path node;

  @BeforeAll
  void start() throws Exception {
    node = findNode();
    if (!Files.isDirectory(NODE_DIR.resolve("node_modules/@opentelemetry/sdk-trace-base"))
        || !Files.isDirectory(NODE_DIR.resolve("node_modules/@opentelemetry/exporter-trace-otlp-proto"))) {
      fail(NODE_DIR.resolve("node_modules") + " lacks the OpenTelemetry packages (CI=" + System.getenv("CI")
          + "): run ./test, or `npm ci` in tests/node");
    }
    chain = ForwardingChain.start(dir);
  }

  @AfterAll
  void stop() {
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void otlpJsonFromTheNodeSdkArrivesUnchanged() throws Exception {
    sendAndCheck("json");
  }

  @Test
  void otlpProtobufFromTheNodeSdkArrivesUnchanged() throws Exception {
    sendAndCheck("proto");
  }

  private void sendAndCheck(String protocol) throws Exception {
    chain.clearRecorders();
    JsonNode manifest = runSendSpans(protocol);
    Map<String, CanonicalSpans.Span> expected = CanonicalSpans.bySpanId(CanonicalSpans.fromNodeManifest(manifest));

    // The fixture is what send-spans.mjs means it to be, so a changed script or SDK cannot make this trivial.
    assertThat(expected.values()).extracting(CanonicalSpans.Span::name).containsExactlyInAnyOrder(
        "GET /checkout", "charge card", "SELECT cards", "orders process", "overflow", "internal");
    CanonicalSpans.Span root = only(expected, "GET /checkout");
    assertThat(root.kind()).isEqualTo(2);
    assertThat(root.statusCode()).isEqualTo(2);
    assertThat(root.statusMessage()).isEqualTo("payment declined: card \"4242\" 💳");
    assertThat(root.startTimeUnixNano()).isEqualTo(1_700_000_000_000_000_123L);
    assertThat(root.attributes()).containsEntry("http.response.status_code", 502L).containsEntry("ratio", 0.25)
        .containsEntry("retry", false).containsEntry("big", 9_007_199_254_740_991L)
        .containsEntry("ints", List.of(1L, -2L, 3L)).containsEntry("doubles", List.of(1.5, -0.5));
    assertThat(root.events()).hasSize(2);
    assertThat(only(expected, "charge card").parentSpanId()).isEqualTo(root.spanId());
    assertThat(only(expected, "charge card").links()).singleElement()
        .satisfies(l -> assertThat(l.traceState()).isEqualTo("vendor=opaque,rojo=00f067aa0ba902b7"));
    CanonicalSpans.Span consumer = only(expected, "orders process");
    assertThat(consumer.parentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(consumer.traceState()).isEqualTo("congo=t61rcWkgMzE");
    assertThat(consumer.flags()).isEqualTo(0x301);
    CanonicalSpans.Span overflow = only(expected, "overflow");
    assertThat(List.of(overflow.droppedAttributes(), overflow.droppedEvents(), overflow.droppedLinks()))
        .containsExactly(8, 2, 1);

    for (OtlpRecorders.Recorder recorder : List.of(chain.grpc, chain.http)) {
      List<CanonicalSpans.Span> got = recorder.awaitSpans(expected.size(), Duration.ofSeconds(30), Duration.ofMillis(300), chain::stderr);
      Map<String, CanonicalSpans.Span> actual = CanonicalSpans.bySpanId(got);
      String where = recorder.getClass().getSimpleName() + " (Node SDK, OTLP/" + protocol + ")";
      assertThat(actual.keySet()).as("span ids at the %s", where).containsExactlyElementsOf(expected.keySet());
      for (String id : expected.keySet()) {
        assertThat(actual.get(id)).as("span %s at the %s", id, where).isEqualTo(expected.get(id));
      }
    }
    assertThat(chain.http.received()).allSatisfy(r -> assertThat(r.contentType()).isEqualTo("application/x-protobuf"));
  }

  private static CanonicalSpans.Span only(Map<String, CanonicalSpans.Span> spans, String name) {
    List<CanonicalSpans.Span> named = spans.values().stream().filter(s -> s.name().equals(name)).toList();
    assertThat(named).as("spans named %s", name).hasSize(1);
    return named.get(0);
  }

  /** {@code node send-spans.mjs URL PROTOCOL}: exit code 0 and its manifest on stdout. */
  private JsonNode runSendSpans(String protocol) throws Exception {
    Path out = dir.resolve("send-spans-" + protocol + ".out");
    Path err = dir.resolve("send-spans-" + protocol + ".err");
    Process p = new ProcessBuilder(node.toString(), "send-spans.mjs", chain.httpTracesUrl(), protocol)
        .directory(NODE_DIR.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("node send-spans.mjs " + protocol + " did not finish within 60s\nstderr:\n" + Files.readString(err));
    }
    assertThat(p.exitValue()).as("node send-spans.mjs %s exit code; its stderr:\n%s\n%s", protocol,
        Files.readString(err), chain.stderr()).isZero();
    JsonNode manifest = JSON.readTree(Files.readString(out));
    assertThat(manifest.get("protocol").asText()).isEqualTo(protocol);
    return manifest;
  }

  /** {@code node} on the PATH; missing, the test fails (./test installs Debian's nodejs); NodeSdkLogsIT uses it too. */
  static Path findNode() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(File.pathSeparator)) {
      if (d.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(d, "node");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail("no `node` on the PATH (CI=" + System.getenv("CI") + "): NodeSdkIT needs Node.js; "
        + "./test installs the Debian packages nodejs and npm. PATH=" + path);
  }
}
