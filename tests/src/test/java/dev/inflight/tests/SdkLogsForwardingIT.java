package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.Signal;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
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
 * Logs as {@link SdkForwardingIT} sends spans: the OpenTelemetry Java SDK's own OTLP log exporters
 * ({@link OtlpGrpcLogRecordExporter}, {@link OtlpHttpLogRecordExporter} with protobuf) send the fixed
 * records of {@link SdkLogs} to a running inflight, whose logs pipeline (memory_limiter, batch) forwards
 * them through its {@code otlp} exporter to a gRPC recorder and to a second inflight, and that one's
 * {@code otlphttp} exporter to an HTTP recorder ({@link ForwardingChain}). At both recorders every
 * record arrives exactly once and equals what the SDK held, field by field: resource, scope, times,
 * severity, body of every kind, attributes, dropped count, flags, trace and span ids, event name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SdkLogsForwardingIT {
  @TempDir static Path dir;

  private ForwardingChain chain;

  @BeforeAll
  void startChain() throws Exception {
    chain = ForwardingChain.start(dir, Signal.LOGS);
  }

  @AfterAll
  void stopChain() {
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void otlpGrpcLogRecordExporterToInflightArrivesUnchanged() throws Exception {
    sendAndCheck(1, OtlpGrpcLogRecordExporter.builder()
        .setEndpoint(chain.grpcEndpoint()).setCompression("gzip").setTimeout(Duration.ofSeconds(10)).build());
  }

  @Test
  void otlpHttpLogRecordExporterProtobufToInflightArrivesUnchanged() throws Exception {
    sendAndCheck(2, OtlpHttpLogRecordExporter.builder()
        .setEndpoint(chain.httpLogsUrl()).setTimeout(Duration.ofSeconds(10)).build());
  }

  private void sendAndCheck(int tag, LogRecordExporter exporter) throws Exception {
    chain.clearRecorders();
    List<LogRecordData> sent = SdkLogs.fixedLogs(tag);
    try {
      CompletableResultCode result = exporter.export(sent).join(15, TimeUnit.SECONDS);
      assertThat(result.isSuccess()).as("%s export succeeded; %s", exporter.getClass().getSimpleName(), chain.stderr())
          .isTrue();
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
    Map<Long, CanonicalLogs.Log> expected = CanonicalLogs.byKey(sent.stream().map(CanonicalLogs::fromSdk).toList());
    CanonicalLogsTest.assertFixtureIsWhatItMeans(expected);

    for (OtlpRecorders.Recorder recorder : List.of(chain.grpc, chain.http)) {
      List<CanonicalLogs.Log> got = recorder.awaitLogs(expected.size(), Duration.ofSeconds(30), Duration.ofMillis(300), chain::stderr);
      Map<Long, CanonicalLogs.Log> actual = CanonicalLogs.byKey(got);
      String where = recorder.getClass().getSimpleName();
      assertThat(actual.keySet()).as("log records (observed times) at the %s", where).containsExactlyElementsOf(expected.keySet());
      for (Long key : expected.keySet()) {
        assertThat(actual.get(key)).as("log record observed at %d at the %s", key, where).isEqualTo(expected.get(key));
      }
    }
    assertThat(chain.grpc.received(Signal.LOGS)).allSatisfy(r -> assertThat(r.contentType()).startsWith("application/grpc"));
    assertThat(chain.http.received(Signal.LOGS)).allSatisfy(r -> {
      assertThat(r.contentType()).isEqualTo("application/x-protobuf");
      assertThat(r.contentEncoding()).isEqualTo("gzip"); // the otlphttp default
    });
  }
}
