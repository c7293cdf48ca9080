package dev.inflight.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.inflight.config.configauth.ClientAuthConfig;
import dev.inflight.config.configcompression.Compression;
import dev.inflight.config.configtls.TestPki;
import dev.inflight.config.configtls.TlsClientConfig;
import dev.inflight.exporter.ExporterTestBase;
import dev.inflight.exporter.otlp.RecordingGrpcServer.Answer;
import dev.inflight.exporter.otlp.RecordingGrpcServer.Call;
import dev.inflight.component.LogsExporter;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesExporter;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.testing.TestData;
import dev.inflight.pdata.Traces;
import dev.inflight.exporterhelper.QueueConfig;
import dev.inflight.exporterhelper.RetryConfig;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The otlp exporter against a real grpc-java server on 127.0.0.1. */
class OtlpGrpcExporterTest extends ExporterTestBase<RecordingGrpcServer> {
  private static final Map<String, String> EXPORTER = Map.of("exporter", "otlp/test");

  private static TestPki pki;

  @BeforeAll
  static void makeCertificate() throws Exception {
    pki = TestPki.get();
  }

  @Override
  protected RecordingGrpcServer startServer() throws Exception {
    return RecordingGrpcServer.start();
  }

  private String plaintext() {
    return "http://127.0.0.1:" + server.port();
  }

  private static OtlpExporterConfig config(String endpoint) {
    return OtlpExporterConfig.of(endpoint).withRetryOnFailure(FAST_RETRY);
  }

  private TracesExporter traces(OtlpExporterConfig config) throws Exception {
    return started(new OtlpExporterFactory().createTraces(telemetry.settings("otlp/test"), config));
  }

  private MetricsExporter metrics(OtlpExporterConfig config) throws Exception {
    return started(new OtlpExporterFactory().createMetrics(telemetry.settings("otlp/test"), config));
  }

  private LogsExporter logs(OtlpExporterConfig config) throws Exception {
    return started(new OtlpExporterFactory().createLogs(telemetry.settings("otlp/test"), config));
  }

  /** Two resources, three scopes, nine records with every body kind, as a receiver hands them on. */
  private static Logs nineLogRecords() {
    return Logs.ofEncoded(TestData.logsRequest(new int[][] {{3, 2}, {4}}).toByteArray());
  }

  private static StatusRuntimeException withRetryInfo(Code code, String message, Duration delay) {
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(message)
            .addDetails(
                Any.pack(
                    RetryInfo.newBuilder()
                        .setRetryDelay(
                            com.google.protobuf.Duration.newBuilder().setSeconds(delay.getSeconds()).setNanos(delay.getNano()))
                        .build()))
            .build());
  }

  @Test
  void sendsTheEncodedBytesWithHeadersAsMetadataGzipped() throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Authorization", "Bearer x");
    headers.put("Dash0-Dataset", "test");
    TracesExporter e = traces(config(plaintext()).withHeaders(headers));
    Traces t = TestRequests.traces(3);

    e.consumeTraces(t);

    Call c = server.next();
    assertThat(c.method()).isEqualTo("opentelemetry.proto.collector.trace.v1.TraceService/Export");
    assertThat(c.body()).isEqualTo(t.encoded());
    assertThat(c.header("authorization")).isEqualTo("Bearer x");
    assertThat(c.header("dash0-dataset")).isEqualTo("test");
    assertThat(c.header("grpc-encoding")).isEqualTo("gzip");
    assertThat(c.header("user-agent")).startsWith("inflight");
    assertThat(telemetry.await("otelcol_exporter_sent_spans_total", EXPORTER, 3)).isEqualTo(3);
  }

  @Test
  void theAuthenticatorsMetadataReplacesAConfiguredHeaderOfTheSameName() throws Exception {
    OtlpExporterConfig config = config(plaintext())
        .withHeaders(Map.of("Authorization", "Bearer stale"))
        .withAuth(new ClientAuthConfig("bearertokenauth/out"));
    TracesExporter e = started(new OtlpExporterFactory().createTraces(telemetry.settings("otlp/test"), config),
        hostWithClientAuth(Map.of("Authorization", "Bearer fresh")));
    e.consumeTraces(TestRequests.traces(2));

    Call c = server.next();
    assertThat(c.headers().getAll(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER)))
        .containsExactly("Bearer fresh");
  }

  @Test
  void metricsGoToTheMetricsService() throws Exception {
    Metrics m = TestRequests.metrics(4);
    metrics(config(plaintext()).withCompression(Compression.NONE)).consumeMetrics(m);

    Call c = server.next();
    assertThat(c.method()).isEqualTo("opentelemetry.proto.collector.metrics.v1.MetricsService/Export");
    assertThat(c.body()).isEqualTo(m.encoded());
    assertThat(c.header("grpc-encoding")).isNull();
    assertThat(telemetry.await("otelcol_exporter_sent_metric_points_total", EXPORTER, 4)).isEqualTo(4);
  }

  @Test
  void logsGoToTheLogsServiceAsTheyCameWithHeadersAndGzip() throws Exception {
    Logs l = nineLogRecords();
    logs(config(plaintext()).withHeaders(map("Authorization", "Bearer x"))).consumeLogs(l);

    Call c = server.next();
    assertThat(c.method()).isEqualTo("opentelemetry.proto.collector.logs.v1.LogsService/Export");
    assertThat(c.body()).isEqualTo(l.encoded());
    assertThat(c.header("authorization")).isEqualTo("Bearer x");
    assertThat(c.header("grpc-encoding")).isEqualTo("gzip");
    assertThat(server.calls(Signal.LOGS)).containsExactly(c);
    assertThat(server.calls(Signal.TRACES)).isEmpty();
    assertThat(telemetry.await("otelcol_exporter_sent_log_records_total", EXPORTER, 9)).isEqualTo(9);
    assertThat(telemetry.value("otelcol_exporter_queue_capacity", Map.of("exporter", "otlp/test", "data_type", "logs")))
        .isEqualTo(1000);
  }

  @Test
  void logsWithZstd() throws Exception {
    Logs l = nineLogRecords();
    logs(config(plaintext()).withCompression(Compression.ZSTD)).consumeLogs(l);

    Call c = server.next();
    assertThat(c.header("grpc-encoding")).isEqualTo("zstd");
    assertThat(c.body()).isEqualTo(l.encoded());
  }

  @Test
  void logsAreRetriedOnUnavailableAndDeliveredOnce() throws Exception {
    server.answer(Answer.fail(Status.UNAVAILABLE.withDescription("restarting").asRuntimeException()));
    Logs l = nineLogRecords();

    logs(config(plaintext())).consumeLogs(l);

    assertThat(telemetry.await("otelcol_exporter_sent_log_records_total", EXPORTER, 9)).isEqualTo(9);
    assertThat(server.calls(Signal.LOGS)).hasSize(2).allSatisfy(c -> assertThat(c.body()).isEqualTo(l.encoded()));
    assertThat(telemetry.value("otelcol_exporter_send_failed_log_records_total", EXPORTER)).isZero();
  }

  @Test
  void logsAreRetriedAfterRetryInfosDelay() throws Exception {
    server.answer(Answer.fail(withRetryInfo(Code.RESOURCE_EXHAUSTED, "slow down", Duration.ofMillis(400))));
    logs(config(plaintext())).consumeLogs(nineLogRecords());

    assertThat(telemetry.await("otelcol_exporter_sent_log_records_total", EXPORTER, 9)).isEqualTo(9);
    assertThat(server.calls()).hasSize(2);
    long gap = server.calls().get(1).atNanos() - server.calls().get(0).atNanos();
    assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
  }

  @Test
  void logsRefusedPermanentlyAreNotRetriedAndCountedAsFailed() throws Exception {
    server.always(Answer.fail(Status.RESOURCE_EXHAUSTED.withDescription("quota").asRuntimeException()));

    logs(config(plaintext())).consumeLogs(nineLogRecords());

    assertThat(telemetry.await("otelcol_exporter_send_failed_log_records_total", EXPORTER, 9)).isEqualTo(9);
    Thread.sleep(200);
    assertThat(server.calls()).hasSize(1);

    LogsExporter sync = logs(config(plaintext()).withSendingQueue(QueueConfig.disabled()));
    server.always(Answer.fail(Status.INVALID_ARGUMENT.withDescription("record 3 has a bad trace id").asRuntimeException()));
    assertThatThrownBy(() -> sync.consumeLogs(TestData.logs(1)))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isFalse();
          assertThat(r.getMessage())
              .isEqualTo("export to 127.0.0.1:" + server.port() + " failed: INVALID_ARGUMENT: record 3 has a bad trace id");
        });
  }

  @Test
  void logsPartialSuccessCountsTheRejectedRecordsAsFailed() throws Exception {
    server.answer(
        Answer.ok(
            ExportLogsServiceResponse.newBuilder()
                .setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(2).setErrorMessage("too old"))
                .build()
                .toByteArray()));

    logs(config(plaintext())).consumeLogs(nineLogRecords());

    assertThat(telemetry.await("otelcol_exporter_sent_log_records_total", EXPORTER, 7)).isEqualTo(7);
    assertThat(telemetry.await("otelcol_exporter_send_failed_log_records_total", EXPORTER, 2)).isEqualTo(2);
  }

  @Test
  void aResponseThatIsNotAnExportResponseCountsAsAccepted() throws Exception {
    server.answer(Answer.ok(new byte[] {0x0a, 0x05, 0x08}));

    logs(config(plaintext())).consumeLogs(nineLogRecords());

    assertThat(telemetry.await("otelcol_exporter_sent_log_records_total", EXPORTER, 9)).isEqualTo(9);
    assertThat(telemetry.value("otelcol_exporter_send_failed_log_records_total", EXPORTER)).isZero();
  }

  @Test
  void logsOverTlsWithAPrivateCa() throws Exception {
    RecordingGrpcServer tls = RecordingGrpcServer.startTls(pki.serverKeyManagerFactory());
    toClose.add(tls);
    Logs l = nineLogRecords();

    logs(config("127.0.0.1:" + tls.port()).withTls(TlsClientConfig.withCa(pki.caCert.toString()))).consumeLogs(l);

    assertThat(tls.next().body()).isEqualTo(l.encoded());
  }

  @Test
  void zstdIsOffered() throws Exception {
    Traces t = TestRequests.traces(20);
    traces(config(plaintext()).withCompression(Compression.ZSTD)).consumeTraces(t);

    Call c = server.next();
    assertThat(c.header("grpc-encoding")).isEqualTo("zstd");
    assertThat(c.body()).isEqualTo(t.encoded());
  }

  @Test
  void hostPortWithTlsInsecureIsPlaintext() throws Exception {
    OtlpExporterConfig config =
        config("127.0.0.1:" + server.port()).withTls(new TlsClientConfig(true, null, null, null, null));
    traces(config).consumeTraces(TestRequests.traces(1));

    assertThat(server.next().body()).isNotEmpty();
  }

  @Test
  void unavailableIsRetriedAndDeliveredOnce() throws Exception {
    server.answer(Answer.fail(Status.UNAVAILABLE.withDescription("restarting").asRuntimeException()));
    Traces t = TestRequests.traces(2);

    traces(config(plaintext())).consumeTraces(t);

    assertThat(telemetry.await("otelcol_exporter_sent_spans_total", EXPORTER, 2)).isEqualTo(2);
    assertThat(server.calls()).hasSize(2).allSatisfy(c -> assertThat(c.body()).isEqualTo(t.encoded()));
    assertThat(telemetry.value("otelcol_exporter_send_failed_spans_total", EXPORTER)).isZero();
  }

  @Test
  void invalidArgumentIsPermanent() throws Exception {
    server.always(Answer.fail(Status.INVALID_ARGUMENT.withDescription("span 7 has a bad id").asRuntimeException()));

    traces(config(plaintext())).consumeTraces(TestRequests.traces(5));

    assertThat(telemetry.await("otelcol_exporter_send_failed_spans_total", EXPORTER, 5)).isEqualTo(5);
    Thread.sleep(200);
    assertThat(server.calls()).hasSize(1);

    TracesExporter sync =
        traces(config(plaintext()).withSendingQueue(QueueConfig.disabled()));
    assertThatThrownBy(() -> sync.consumeTraces(TestRequests.traces(1)))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isFalse();
          assertThat(r.getMessage())
              .isEqualTo("export to 127.0.0.1:" + server.port() + " failed: INVALID_ARGUMENT: span 7 has a bad id");
        });
  }

  @Test
  void resourceExhaustedIsRetriedOnlyWithRetryInfoAndAfterItsDelay() throws Exception {
    server.answer(Answer.fail(withRetryInfo(Code.RESOURCE_EXHAUSTED, "slow down", Duration.ofMillis(400))));
    traces(config(plaintext())).consumeTraces(TestRequests.traces(2));

    assertThat(telemetry.await("otelcol_exporter_sent_spans_total", EXPORTER, 2)).isEqualTo(2);
    assertThat(server.calls()).hasSize(2);
    long gap = server.calls().get(1).atNanos() - server.calls().get(0).atNanos();
    assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofMillis(400));

    server.always(Answer.fail(Status.RESOURCE_EXHAUSTED.withDescription("quota").asRuntimeException()));
    traces(config(plaintext())).consumeTraces(TestRequests.traces(3));
    assertThat(telemetry.await("otelcol_exporter_send_failed_spans_total", EXPORTER, 3)).isEqualTo(3);
    assertThat(server.calls()).hasSize(3);
  }

  @Test
  void statusCodesMapAsTheCollectorMapsThem() {
    Set<Status.Code> retryable =
        EnumSet.of(
            Status.Code.CANCELLED, Status.Code.DEADLINE_EXCEEDED, Status.Code.ABORTED, Status.Code.OUT_OF_RANGE,
            Status.Code.UNAVAILABLE, Status.Code.DATA_LOSS);
    for (Status.Code code : Status.Code.values()) {
      if (code == Status.Code.OK) {
        continue;
      }
      Refusal r = OtlpGrpcExporter.refusal("backend:4317", code.toStatus(), new Metadata());
      assertThat(r.isRetryable()).as(code.name()).isEqualTo(retryable.contains(code));
      assertThat(r.retryAfter()).isEmpty();
    }
    StatusRuntimeException throttled = withRetryInfo(Code.RESOURCE_EXHAUSTED, "slow down", Duration.ofSeconds(3));
    Refusal r = OtlpGrpcExporter.refusal("backend:4317", throttled.getStatus(), throttled.getTrailers());
    assertThat(r.isRetryable()).isTrue();
    assertThat(r.retryAfter()).contains(Duration.ofSeconds(3));
    assertThat(r.getMessage()).isEqualTo("export to backend:4317 failed: RESOURCE_EXHAUSTED: slow down");
  }

  @Test
  void aSlowServerHitsTheDeadlineAndIsRetried() throws Exception {
    server.answer(Answer.slow(1500));
    OtlpExporterConfig config = config(plaintext()).withTimeout(Duration.ofMillis(300));

    long start = System.nanoTime();
    traces(config).consumeTraces(TestRequests.traces(2));

    assertThat(telemetry.await("otelcol_exporter_sent_spans_total", EXPORTER, 2)).isEqualTo(2);
    assertThat(server.calls()).hasSize(2);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1400));
  }

  @Test
  void partialSuccessCountsTheRejectedSpansAsFailed() throws Exception {
    server.answer(
        Answer.ok(
            ExportTraceServiceResponse.newBuilder()
                .setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(1).setErrorMessage("too old"))
                .build()
                .toByteArray()));

    traces(config(plaintext())).consumeTraces(TestRequests.traces(4));

    assertThat(telemetry.await("otelcol_exporter_sent_spans_total", EXPORTER, 3)).isEqualTo(3);
    assertThat(telemetry.await("otelcol_exporter_send_failed_spans_total", EXPORTER, 1)).isEqualTo(1);
  }

  @Test
  void aBackendThatIsDownIsRetriedThenCountedAsFailed() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    RetryConfig brief = new RetryConfig(true, Duration.ofMillis(20), 0.0, 1.0, Duration.ofMillis(20), Duration.ofMillis(200));
    traces(OtlpExporterConfig.of("http://127.0.0.1:" + closed).withRetryOnFailure(brief))
        .consumeTraces(TestRequests.traces(3));

    assertThat(telemetry.await("otelcol_exporter_send_failed_spans_total", EXPORTER, 3)).isEqualTo(3);
  }

  @Test
  void shutdownDrainsTheQueue() throws Exception {
    server.always(Answer.slow(30));
    TracesExporter e =
        traces(config(plaintext()).withSendingQueue(new QueueConfig(true, 2, 100)));
    for (int i = 1; i <= 6; i++) {
      e.consumeTraces(TestRequests.traces(i));
    }

    e.shutdown();

    assertThat(server.calls()).hasSize(6);
    assertThat(telemetry.value("otelcol_exporter_sent_spans_total", EXPORTER)).isEqualTo(21);
  }

  @Test
  void tlsWithAPrivateCaOnHostPortAndHttps() throws Exception {
    RecordingGrpcServer tls = RecordingGrpcServer.startTls(pki.serverKeyManagerFactory());
    toClose.add(tls);
    TlsClientConfig ca = TlsClientConfig.withCa(pki.caCert.toString());
    Traces t = TestRequests.traces(2);

    traces(config("127.0.0.1:" + tls.port()).withTls(ca)).consumeTraces(t);
    traces(config("https://127.0.0.1:" + tls.port()).withTls(ca)).consumeTraces(t);

    assertThat(tls.next().body()).isEqualTo(t.encoded());
    assertThat(tls.next().body()).isEqualTo(t.encoded());
  }

  @Test
  void serverNameOverrideIsTheNameTheCertificateIsCheckedAgainst() throws Exception {
    RecordingGrpcServer tls = RecordingGrpcServer.startTls(pki.serverKeyManagerFactory());
    toClose.add(tls);
    Traces t = TestRequests.traces(1);
    // The certificate names localhost and 127.0.0.1: reached as 127.0.0.1, checked as localhost.
    traces(config("127.0.0.1:" + tls.port())
        .withTls(new TlsClientConfig(null, pki.caCert.toString(), null, null, null, "localhost")))
        .consumeTraces(t);
    assertThat(tls.next().body()).isEqualTo(t.encoded());

    // A name the certificate does not have is refused, although the address would match.
    TracesExporter wrong = traces(OtlpExporterConfig.of("127.0.0.1:" + tls.port())
        .withTls(new TlsClientConfig(null, pki.caCert.toString(), null, null, null, "collector.other.svc"))
        .withRetryOnFailure(RetryConfig.disabled())
        .withSendingQueue(QueueConfig.disabled()));
    assertThatThrownBy(() -> wrong.consumeTraces(TestRequests.traces(1)))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.getMessage()).contains("UNAVAILABLE"));
  }

  @Test
  void tlsRefusesAServerItDoesNotTrust() throws Exception {
    RecordingGrpcServer tls = RecordingGrpcServer.startTls(pki.serverKeyManagerFactory());
    toClose.add(tls);
    TracesExporter e =
        traces(
            OtlpExporterConfig.of("127.0.0.1:" + tls.port())
                .withRetryOnFailure(RetryConfig.disabled())
                .withSendingQueue(QueueConfig.disabled()));


    assertThatThrownBy(() -> e.consumeTraces(TestRequests.traces(1)))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isTrue();
          assertThat(r.getMessage()).startsWith("export to 127.0.0.1:" + tls.port() + " failed: UNAVAILABLE");
        });
    assertThat(tls.calls()).isEmpty();
  }
}
