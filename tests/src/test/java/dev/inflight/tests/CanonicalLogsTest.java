package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.exporter.otlphttp.RecordingHttpServer;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link CanonicalLogs} reads the SDK's records and their OTLP encoding alike: the Java SDK's own
 * OTLP/HTTP exporter sends {@link SdkLogs}' records straight to a recording server (no inflight in
 * between), and what arrives equals what the SDK held. So when an end-to-end test finds a difference,
 * inflight made it, not the canonical form.
 */
class CanonicalLogsTest {
  @Test
  void theSdksEncodingOfTheFixtureReadsBackAsTheSdkHeldIt() throws Exception {
    List<LogRecordData> sent = SdkLogs.fixedLogs(0);
    Map<Long, CanonicalLogs.Log> expected = CanonicalLogs.byKey(sent.stream().map(CanonicalLogs::fromSdk).toList());
    assertFixtureIsWhatItMeans(expected);
    try (RecordingHttpServer server = RecordingHttpServer.start()) {
      var exporter = OtlpHttpLogRecordExporter.builder().setEndpoint(server.baseUrl() + "/v1/logs").build();
      try {
        assertThat(exporter.export(sent).join(15, TimeUnit.SECONDS).isSuccess()).isTrue();
      } finally {
        exporter.shutdown().join(5, TimeUnit.SECONDS);
      }
      List<CanonicalLogs.Log> got = server.requests().stream().filter(r -> r.path().equals("/v1/logs"))
          .flatMap(r -> new OtlpRecorders.Received(r.body(), r.header("Content-Type"), null, null).logs().stream())
          .toList();
      Map<Long, CanonicalLogs.Log> actual = CanonicalLogs.byKey(got);
      assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
      for (Long key : expected.keySet()) {
        assertThat(actual.get(key)).as("log record observed at %d", key).isEqualTo(expected.get(key));
      }
    }
  }

  /** The fixture is what SdkLogs says, so an SDK change cannot quietly make the end-to-end tests trivial. */
  static void assertFixtureIsWhatItMeans(Map<Long, CanonicalLogs.Log> logs) {
    assertThat(logs).hasSize(SdkLogs.COUNT);
    List<Object> bodies = logs.values().stream().map(CanonicalLogs.Log::body).toList();
    assertThat(bodies).hasAtLeastOneElementOfType(String.class).hasAtLeastOneElementOfType(Boolean.class)
        .hasAtLeastOneElementOfType(Long.class).hasAtLeastOneElementOfType(Double.class)
        .hasAtLeastOneElementOfType(CanonicalSpans.Bytes.class).hasAtLeastOneElementOfType(List.class)
        .hasAtLeastOneElementOfType(Map.class);
    // An empty body and no body (the same in OTLP's data model).
    assertThat(bodies).filteredOn("<empty AnyValue>"::equals).hasSize(2);
    assertThat(logs.values()).extracting(CanonicalLogs.Log::severityNumber).contains(0, 1, 5, 7, 9, 12, 14, 17, 19, 21, 24);
    assertThat(logs.values()).filteredOn(l -> l.droppedAttributes() > 0).hasSize(1);
    assertThat(logs.values()).filteredOn(l -> l.flags() == 1 && !l.traceId().isEmpty()).hasSize(3);
    assertThat(logs.values()).filteredOn(l -> l.flags() == 0 && !l.traceId().isEmpty()).hasSize(1);
    assertThat(logs.values()).filteredOn(l -> l.timeUnixNano() == 0).hasSize(1);
    assertThat(logs.values()).extracting(CanonicalLogs.Log::eventName).contains("checkout.completed");
    assertThat(logs.values()).extracting(l -> l.resource().attributes().get("service.name")).containsOnly("sdk-logs-it", "sdk-logs-it-worker");
    assertThat(logs.values()).extracting(l -> l.scope().name()).containsOnly(
        "dev.inflight.tests.java.logs", "dev.inflight.tests.java.logs.audit", "dev.inflight.tests.java.jobs");
  }
}
