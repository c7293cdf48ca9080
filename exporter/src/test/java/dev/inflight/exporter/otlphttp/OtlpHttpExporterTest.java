package dev.inflight.exporter.otlphttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.config.configauth.ClientAuthConfig;
import dev.inflight.config.configcompression.Compression;
import dev.inflight.config.configtls.TestPki;
import dev.inflight.config.configtls.TlsClientConfig;
import dev.inflight.exporter.ExporterTestBase;
import dev.inflight.exporter.otlp.TestRequests;
import dev.inflight.exporter.otlphttp.RecordingHttpServer.Answer;
import dev.inflight.exporter.otlphttp.RecordingHttpServer.Request;
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
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The otlphttp exporter against a real HTTP server on 127.0.0.1. */
class OtlpHttpExporterTest extends ExporterTestBase<RecordingHttpServer> {
  private static final Map<String, String> EXPORTER = Map.of("exporter", "otlphttp/test");

  private static TestPki pki;

  @BeforeAll
  static void makeCertificates() throws Exception {
    pki = TestPki.get();
  }

  @Override
  protected RecordingHttpServer startServer() throws Exception {
    return RecordingHttpServer.start();
  }

  private OtlpHttpExporterConfig config(String endpoint) {
    return OtlpHttpExporterConfig.of(endpoint).withRetryOnFailure(FAST_RETRY);
  }

  private TracesExporter traces(OtlpHttpExporterConfig config) throws Exception {
    return started(new OtlpHttpExporterFactory().createTraces(telemetry.settings("otlphttp/test"), config));
  }

  private MetricsExporter metrics(OtlpHttpExporterConfig config) throws Exception {
    return started(new OtlpHttpExporterFactory().createMetrics(telemetry.settings("otlphttp/test"), config));
  }

  private LogsExporter logs(OtlpHttpExporterConfig config) throws Exception {
    return started(new OtlpHttpExporterFactory().createLogs(telemetry.settings("otlphttp/test"), config));
  }

  /** Two resources, three scopes, nine records with every body kind, as a receiver hands them on. */
  private static Logs nineLogRecords() {
    return Logs.ofEncoded(TestData.logsRequest(new int[][] {{3, 2}, {4}}).toByteArray());
  }

  @Test
  void logsArePostedToV1LogsAsTheyCameGzippedWithTheConfiguredHeaders() throws Exception {
    Logs l = nineLogRecords();
    logs(config(server.baseUrl()).withHeaders(map("Authorization", "Bearer x"))).consumeLogs(l);

    Request r = server.next();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/v1/logs");
    assertThat(r.body()).isEqualTo(l.encoded());
    assertThat(r.header("Content-Type")).isEqualTo("application/x-protobuf");
    assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(r.header("Authorization")).isEqualTo("Bearer x");
    assertThat(server.requests(Signal.LOGS)).containsExactly(r);
    assertThat(server.requests(Signal.TRACES)).isEmpty();
    assertThat(telemetry.await("otelcol_exporter_sent_log_records_total", EXPORTER, 9)).isEqualTo(9);
  }

  @Test
  void theAuthenticatorsHeaderReplacesAConfiguredOneOfTheSameName() throws Exception {
    OtlpHttpExporterConfig config = config(server.baseUrl())
        .withHeaders(map("Authorization", "Bearer stale", "X-Tenant", "acme"))
        .withAuth(new ClientAuthConfig("bearertokenauth/out"));
    TracesExporter e = started(new OtlpHttpExporterFactory().createTraces(telemetry.settings("otlphttp/test"), config),
        hostWithClientAuth(Map.of("Authorization", "Bearer fresh")));
    e.consumeTraces(TestRequests.traces(2));

    Request r = server.next();
    assertThat(r.headers().entrySet()).filteredOn(h -> h.getKey().equalsIgnoreCase("Authorization"))
        .singleElement().satisfies(h -> assertThat(h.getValue()).containsExactly("Bearer fresh"));
    assertThat(r.header("X-Tenant")).isEqualTo("acme");
  }

  @Test
  void anAuthenticatorThatIsNotRunningFailsTheStart() {
    OtlpHttpExporterConfig config = config(server.baseUrl()).withAuth(new ClientAuthConfig("basicauth"));
    assertThatThrownBy(() -> traces(config))
        .hasMessageContaining("auth.authenticator: extension \"basicauth\" is not running");
  }

  @Test
  void logsGoToLogsEndpointWhenItIsSet() throws Exception {
    Logs l = nineLogRecords();
    logs(
            config(server.baseUrl())
                .withLogsEndpoint(server.baseUrl() + "/otlp/ingest")
                .withCompression(Compression.NONE))
        .consumeLogs(l);

    Request r = server.next();
    assertThat(r.path()).isEqualTo("/otlp/ingest");
    assertThat(r.raw()).isEqualTo(l.encoded());
    assertThat(r.header("Content-Encoding")).isNull();
  }

  @Test
  void logsWithZstd() throws Exception {
    Logs l = nineLogRecords();
    logs(config(server.baseUrl()).withCompression(Compression.ZSTD)).consumeLogs(l);

    Request r = server.next();
    assertThat(r.header("Content-Encoding")).isEqualTo("zstd");
    assertThat(r.body()).isEqualTo(l.encoded());
  }

  @Test
  void logsAnswered429WithRetryAfterAreRetriedAfterTheHintAndDeliveredOnce() throws Exception {
    server.answer(Answer.of(429, Map.of("Retry-After", "1"), new byte[0]));
    Logs l = nineLogRecords();

    logs(config(server.baseUrl())).consumeLogs(l);

    assertThat(telemetry.await("otelcol_exporter_sent_log_records_total", EXPORTER, 9)).isEqualTo(9);
    assertThat(server.requests(Signal.LOGS)).hasSize(2).allSatisfy(r -> assertThat(r.body()).isEqualTo(l.encoded()));
    long gap = server.requests().get(1).atNanos() - server.requests().get(0).atNanos();
    assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(telemetry.value("otelcol_exporter_send_failed_log_records_total", EXPORTER)).isZero();
  }

  @Test
  void logsAnswered502Or504AreRetried() throws Exception {
    server.answer(Answer.of(502), Answer.of(504));

    logs(config(server.baseUrl())).consumeLogs(nineLogRecords());

    assertThat(telemetry.await("otelcol_exporter_sent_log_records_total", EXPORTER, 9)).isEqualTo(9);
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void logsAnswered500ArePermanentNotRetriedAndCountedAsFailed() throws Exception {
    server.always(Answer.of(500));

    logs(config(server.baseUrl())).consumeLogs(nineLogRecords());

    assertThat(telemetry.await("otelcol_exporter_send_failed_log_records_total", EXPORTER, 9)).isEqualTo(9);
    Thread.sleep(200);
    assertThat(server.requests()).hasSize(1);
    assertThat(telemetry.value("otelcol_exporter_sent_log_records_total", EXPORTER)).isZero();
  }

  @Test
  void withoutAQueueTheLogsCallerGetsThePermanentRefusalWithTheServersMessage() throws Exception {
    byte[] status = com.google.rpc.Status.newBuilder().setCode(3).setMessage("record 3 has no body").build().toByteArray();
    server.always(Answer.of(400, Map.of("Content-Type", "application/x-protobuf"), status));
    LogsExporter e = logs(config(server.baseUrl()).withSendingQueue(QueueConfig.disabled()));

    assertThatThrownBy(() -> e.consumeLogs(TestData.logs(1)))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isFalse();
          assertThat(r.getMessage()).isEqualTo("HTTP 400 from " + server.baseUrl() + "/v1/logs: record 3 has no body");
        });
  }

  @Test
  void logsPartialSuccessCountsTheRejectedRecordsAsFailed() throws Exception {
    byte[] partial =
        ExportLogsServiceResponse.newBuilder()
            .setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(2).setErrorMessage("too old"))
            .build()
            .toByteArray();
    server.answer(Answer.of(200, Map.of("Content-Type", "application/x-protobuf"), partial));

    logs(config(server.baseUrl())).consumeLogs(nineLogRecords());

    assertThat(telemetry.await("otelcol_exporter_sent_log_records_total", EXPORTER, 7)).isEqualTo(7);
    assertThat(telemetry.await("otelcol_exporter_send_failed_log_records_total", EXPORTER, 2)).isEqualTo(2);
  }

  @Test
  void aConfigWithoutALogsUrlCannotMakeALogsExporter() {
    OtlpHttpExporterConfig config = OtlpHttpExporterConfig.DEFAULT.withTracesEndpoint(server.baseUrl() + "/v1/traces");

    assertThatThrownBy(() -> new OtlpHttpExporterFactory().createLogs(telemetry.settings("otlphttp/test"), config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no URL for logs: set endpoint or logs_endpoint");
  }

  @Test
  void postsTheEncodedBytesGzippedWithTheConfiguredHeaders() throws Exception {
    TracesExporter e =
        traces(
            config(server.baseUrl()).withHeaders(map("Authorization", "Bearer x", "Dash0-Dataset", "test")));
    Traces t = TestRequests.traces(3);

    e.consumeTraces(t);

    Request r = server.next();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/v1/traces");
    assertThat(r.body()).isEqualTo(t.encoded());
    assertThat(r.raw()).isNotEqualTo(t.encoded());
    assertThat(r.header("Content-Type")).isEqualTo("application/x-protobuf");
    assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
    assertThat(r.header("Authorization")).isEqualTo("Bearer x");
    assertThat(r.header("Dash0-Dataset")).isEqualTo("test");
    assertThat(telemetry.await("otelcol_exporter_sent_spans_total", EXPORTER, 3)).isEqualTo(3);
  }

  @Test
  void metricsGoToTheirOwnPathOrTheirOwnUrl() throws Exception {
    Metrics m = TestRequests.metrics(4);
    metrics(config(server.baseUrl() + "/otlp/")).consumeMetrics(m);
    Request first = server.next();
    assertThat(first.path()).isEqualTo("/otlp/v1/metrics");
    assertThat(first.body()).isEqualTo(m.encoded());

    metrics(
            OtlpHttpExporterConfig.DEFAULT
                .withMetricsEndpoint(server.baseUrl() + "/api/v1/otlp/v1/metrics")
                .withCompression(Compression.NONE)
                .withRetryOnFailure(FAST_RETRY))
        .consumeMetrics(m);
    Request second = server.next();
    assertThat(second.path()).isEqualTo("/api/v1/otlp/v1/metrics");
    assertThat(second.raw()).isEqualTo(m.encoded());
    assertThat(second.header("Content-Encoding")).isNull();
    assertThat(telemetry.await("otelcol_exporter_sent_metric_points_total", EXPORTER, 8)).isEqualTo(8);
  }

  @Test
  void zstdCompressesTheBody() throws Exception {
    Traces t = TestRequests.traces(20);
    traces(config(server.baseUrl()).withCompression(Compression.ZSTD))
        .consumeTraces(t);

    Request r = server.next();
    assertThat(r.header("Content-Encoding")).isEqualTo("zstd");
    assertThat(r.body()).isEqualTo(t.encoded());
  }

  @Test
  void a503WithRetryAfterIsRetriedAfterTheHintAndDeliveredOnce() throws Exception {
    server.answer(Answer.of(503, Map.of("Retry-After", "1"), new byte[0]));
    TracesExporter e = traces(config(server.baseUrl()));
    Traces t = TestRequests.traces(2);

    e.consumeTraces(t);

    assertThat(telemetry.await("otelcol_exporter_sent_spans_total", EXPORTER, 2)).isEqualTo(2);
    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests()).allSatisfy(r -> assertThat(r.body()).isEqualTo(t.encoded()));
    long gap = server.requests().get(1).atNanos() - server.requests().get(0).atNanos();
    assertThat(Duration.ofNanos(gap)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(telemetry.value("otelcol_exporter_send_failed_spans_total", EXPORTER)).isZero();
  }

  @Test
  void a400IsPermanentNotRetriedAndCountedAsFailed() throws Exception {
    byte[] status = com.google.rpc.Status.newBuilder().setCode(3).setMessage("span 7 has a bad id").build().toByteArray();
    server.always(Answer.of(400, Map.of("Content-Type", "application/x-protobuf"), status));
    TracesExporter e = traces(config(server.baseUrl()));

    e.consumeTraces(TestRequests.traces(5));

    assertThat(telemetry.await("otelcol_exporter_send_failed_spans_total", EXPORTER, 5)).isEqualTo(5);
    Thread.sleep(200);
    assertThat(server.requests()).hasSize(1);
    assertThat(telemetry.value("otelcol_exporter_sent_spans_total", EXPORTER)).isZero();
  }

  @Test
  void withoutAQueueTheCallerGetsThePermanentRefusalWithTheServersMessage() throws Exception {
    byte[] status = com.google.rpc.Status.newBuilder().setCode(3).setMessage("span 7 has a bad id").build().toByteArray();
    server.always(Answer.of(400, Map.of("Content-Type", "application/x-protobuf"), status));
    TracesExporter e =
        traces(config(server.baseUrl()).withSendingQueue(QueueConfig.disabled()));

    assertThatThrownBy(() -> e.consumeTraces(TestRequests.traces(1)))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isFalse();
          assertThat(r.getMessage()).isEqualTo("HTTP 400 from " + server.baseUrl() + "/v1/traces: span 7 has a bad id");
        });
  }

  @Test
  void statusesAreClassifiedAsTheCollectorDoes() {
    assertThat(List.of(429, 502, 503, 504)).allSatisfy(s -> assertThat(OtlpHttpExporter.retryable(s)).isTrue());
    assertThat(List.of(400, 401, 403, 404, 413, 500, 501)).allSatisfy(s -> assertThat(OtlpHttpExporter.retryable(s)).isFalse());
  }

  @Test
  void partialSuccessCountsTheRejectedSpansAsFailed() throws Exception {
    byte[] partial =
        ExportTraceServiceResponse.newBuilder()
            .setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(2).setErrorMessage("2 spans too old"))
            .build()
            .toByteArray();
    server.answer(Answer.of(200, Map.of("Content-Type", "application/x-protobuf"), partial));

    traces(config(server.baseUrl())).consumeTraces(TestRequests.traces(5));

    assertThat(telemetry.await("otelcol_exporter_sent_spans_total", EXPORTER, 3)).isEqualTo(3);
    assertThat(telemetry.await("otelcol_exporter_send_failed_spans_total", EXPORTER, 2)).isEqualTo(2);
  }

  @Test
  void aFullQueueRefusesRetryableSoReceiversPushBack() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch arrived = new CountDownLatch(1);
    // The server answers only once released: the one sender waits, the queue (size 1) fills.
    com.sun.net.httpserver.HttpServer raw = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    raw.createContext("/", x -> {
      try (x) {
        x.getRequestBody().readAllBytes();
        arrived.countDown();
        release.await();
        x.sendResponseHeaders(200, -1);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    });
    raw.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    raw.start();
    toClose.add(() -> raw.stop(0));
    toClose.add(release::countDown);
    TracesExporter e =
        traces(
            config("http://127.0.0.1:" + raw.getAddress().getPort())
                .withTimeout(Duration.ofSeconds(10))
                .withSendingQueue(new QueueConfig(true, 1, 1)));

    e.consumeTraces(TestRequests.traces(1)); // being sent
    assertThat(arrived.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    e.consumeTraces(TestRequests.traces(1)); // queued

    assertThatThrownBy(() -> e.consumeTraces(TestRequests.traces(4)))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.isRetryable()).isTrue());
    assertThat(telemetry.value("otelcol_exporter_enqueue_failed_spans_total", EXPORTER)).isEqualTo(4);
    assertThat(telemetry.value("otelcol_exporter_queue_size", Map.of("exporter", "otlphttp/test", "data_type", "traces")))
        .isEqualTo(1);

    release.countDown();
    assertThat(telemetry.await("otelcol_exporter_sent_spans_total", EXPORTER, 2)).isEqualTo(2);
  }

  @Test
  void shutdownDrainsTheQueue() throws Exception {
    server.always(Answer.slow(30));
    TracesExporter e =
        traces(config(server.baseUrl()).withSendingQueue(new QueueConfig(true, 2, 100)));
    for (int i = 1; i <= 6; i++) {
      e.consumeTraces(TestRequests.traces(i));
    }

    e.shutdown();

    assertThat(server.requests()).hasSize(6);
    assertThat(telemetry.value("otelcol_exporter_sent_spans_total", EXPORTER)).isEqualTo(21);
  }

  @Test
  void aBackendThatIsDownIsRetriedThenCountedAsFailed() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    RetryConfig brief = new RetryConfig(true, Duration.ofMillis(20), 0.0, 1.0, Duration.ofMillis(20), Duration.ofMillis(200));
    TracesExporter e =
        traces(OtlpHttpExporterConfig.of("http://127.0.0.1:" + closed).withRetryOnFailure(brief));

    e.consumeTraces(TestRequests.traces(3));

    assertThat(telemetry.await("otelcol_exporter_send_failed_spans_total", EXPORTER, 3)).isEqualTo(3);
  }

  @Test
  void aSlowBackendTimesOutAndIsRetried() throws Exception {
    server.answer(Answer.slow(1500)); // the first answer comes too late; the second at once
    TracesExporter e =
        traces(config(server.baseUrl()).withTimeout(Duration.ofMillis(300)));

    long start = System.nanoTime();
    e.consumeTraces(TestRequests.traces(2));

    assertThat(telemetry.await("otelcol_exporter_sent_spans_total", EXPORTER, 2)).isEqualTo(2);
    assertThat(server.requests()).hasSize(2);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1400));
  }

  @Test
  void httpsWithAPrivateCaAndAClientCertificate() throws Exception {
    RecordingHttpServer https = RecordingHttpServer.startTls(pki.serverContext(true), true);
    toClose.add(https);
    TlsClientConfig tls =
        new TlsClientConfig(null, pki.caCert.toString(), pki.clientCert.toString(), pki.clientKey.toString(), null);
    Traces t = TestRequests.traces(2);

    traces(config(https.baseUrl()).withTls(tls)).consumeTraces(t);

    assertThat(https.next().body()).isEqualTo(t.encoded());
  }

  @Test
  void httpsRefusesAServerItDoesNotTrust() throws Exception {
    RecordingHttpServer https = RecordingHttpServer.startTls(pki.serverContext(false), false);
    toClose.add(https);
    TracesExporter e =
        traces(
            OtlpHttpExporterConfig.of(https.baseUrl())
                .withRetryOnFailure(RetryConfig.disabled())
                .withSendingQueue(QueueConfig.disabled()));

    assertThatThrownBy(() -> e.consumeTraces(TestRequests.traces(1)))
        .isInstanceOf(Refusal.class)
        .hasMessageContaining("request to " + https.baseUrl() + "/v1/traces failed: SSLHandshakeException");
    assertThat(https.requests()).isEmpty();

    // insecure_skip_verify accepts it (for testing only).
    TracesExporter skip =
        traces(
            config(https.baseUrl()).withTls(new TlsClientConfig(null, null, null, null, true)));
    skip.consumeTraces(TestRequests.traces(1));
    assertThat(https.next().path()).isEqualTo("/v1/traces");
  }

  @Test
  void aMissingCaFileFailsTheStartNamingTheFile(@TempDir Path dir) {
    OtlpHttpExporterConfig config =
        OtlpHttpExporterConfig.of("https://127.0.0.1:1").withTls(TlsClientConfig.withCa(dir.resolve("nope.pem").toString()));

    TracesExporter e = new OtlpHttpExporterFactory().createTraces(telemetry.settings("otlphttp/test"), config);

    assertThatThrownBy(() -> e.start(Map::of))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tls.ca_file " + dir.resolve("nope.pem") + " does not exist");
  }
}
