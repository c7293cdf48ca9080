package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auth extensions in running inflight processes, with real clients:
 *
 * <pre>
 * SDK ─┬─ OTLP/gRPC, Bearer ──────────▶ inflight B (grpc: bearertokenauth, http: basicauth) ── otlp_grpc ──▶ recorder
 *      └─ OTLP/HTTP, Basic ───────────▶      ▲                     ▲
 * SDK ──▶ inflight A ── otlp_grpc (auth: bearertokenauth) ────────┘ │
 *                    └─ otlp_http (auth: basicauth client_auth) ──────┘
 * </pre>
 *
 * The SDK's exporters get through with the right credentials and are refused (nothing reaching the
 * recorder, each refusal counted) with none or wrong ones; A's two exporters authenticate to B; B's
 * query extension, protected by the same basicauth, answers 401 without credentials.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthIT {
  static final Duration START = Duration.ofSeconds(60);
  static final String TOKEN = "grpc-t0ken";
  static final String USER = "sdk";
  static final String PASSWORD = "s3cret-pw";
  /** {@link #PASSWORD} as {@code htpasswd -B} writes it ($2y$), hashed by libxcrypt. */
  static final String BCRYPT = "$2y$05$abcdefghijklmnopqrstuuzSvhclVSvY9ufOheOOhcPviTPFJlqIC";

  @TempDir static Path dir;

  private OtlpRecorders.GrpcRecorder recorder;
  private Ports a;
  private Ports b;
  private InflightProcess inflightA;
  private InflightProcess inflightB;
  private char tag = 'a';

  @BeforeAll
  void start() throws Exception {
    recorder = new OtlpRecorders.GrpcRecorder();
    a = Ports.free();
    b = Ports.free();
    Path configB = Files.writeString(dir.resolve("b.yaml"), """
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:%d
                auth:
                  authenticator: bearertokenauth/in
              http:
                endpoint: 127.0.0.1:%d
                auth:
                  authenticator: basicauth/in
        exporters:
          otlp_grpc:
            endpoint: %s
            retry_on_failure:
              initial_interval: 200ms
        extensions:
          bearertokenauth/in:
            token: %s
          basicauth/in:
            htpasswd:
              inline: |
                %s:%s
          query:
            endpoint: 127.0.0.1:%d
            auth:
              authenticator: basicauth/in
          health_check:
            endpoint: 127.0.0.1:%d
        service:
          extensions: [health_check, bearertokenauth/in, basicauth/in, query]
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [otlp_grpc]
          telemetry:
            metrics:
              readers:
                - pull:
                    exporter:
                      prometheus:
                        host: 127.0.0.1
                        port: %d
        """.formatted(b.grpc(), b.http(), recorder.endpoint(), TOKEN, USER, BCRYPT, b.query(), b.health(), b.telemetry()));
    Path configA = Files.writeString(dir.resolve("a.yaml"), a.otlpReceivers() + """
        exporters:
          otlp_grpc:
            endpoint: http://127.0.0.1:%d
            auth:
              authenticator: bearertokenauth/out
            retry_on_failure:
              initial_interval: 200ms
          otlp_http:
            endpoint: http://127.0.0.1:%d
            auth:
              authenticator: basicauth/out
            retry_on_failure:
              initial_interval: 200ms
        extensions:
          bearertokenauth/out:
            token: %s
          basicauth/out:
            client_auth:
              username: %s
              password: %s
          health_check:
            endpoint: 127.0.0.1:%d
        service:
          extensions: [health_check, bearertokenauth/out, basicauth/out]
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [otlp_grpc, otlp_http]
          telemetry:
            metrics:
              readers:
                - pull:
                    exporter:
                      prometheus:
                        host: 127.0.0.1
                        port: %d
        """.formatted(b.grpc(), b.http(), TOKEN, USER, PASSWORD, a.health(), a.telemetry()));
    inflightB = InflightProcess.start(Map.of(), "--config", configB.toString());
    inflightA = InflightProcess.start(Map.of(), "--config", configA.toString());
    inflightB.awaitHttp200(b.healthUrl(), START);
    inflightA.awaitHttp200(a.healthUrl(), START);
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {inflightA, inflightB, recorder}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception ignored) {
          // closing the rest matters more
        }
      }
    }
  }

  @BeforeEach
  void clear() {
    recorder.clear();
  }

  private String stderr() {
    return "inflight A stderr:\n" + inflightA.stderr() + "\ninflight B stderr:\n" + inflightB.stderr();
  }

  private List<SpanData> spans() {
    return SdkForwardingIT.fixedSpans(tag++);
  }

  private static boolean export(SpanExporter exporter, List<SpanData> spans) {
    try {
      CompletableResultCode result = exporter.export(spans).join(15, TimeUnit.SECONDS);
      assertThat(result.isDone()).as("export finished").isTrue();
      return result.isSuccess();
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  private OtlpGrpcSpanExporter grpc(Map<String, String> headers) {
    var builder = OtlpGrpcSpanExporter.builder().setEndpoint(b.grpcUrl()).setTimeout(Duration.ofSeconds(10));
    headers.forEach(builder::addHeader);
    return builder.build();
  }

  private OtlpHttpSpanExporter http(Map<String, String> headers) {
    var builder = OtlpHttpSpanExporter.builder().setEndpoint(b.httpUrl("/v1/traces")).setTimeout(Duration.ofSeconds(10));
    headers.forEach(builder::addHeader);
    return builder.build();
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private double refused(String transport) throws Exception {
    return EdgeSupport.metric(b, "inflight_receiver_refused_requests_total",
        Map.of("receiver", "otlp", "transport", transport, "reason", "unauthenticated"));
  }

  @Test
  void grpcWithTheBearerTokenGetsThroughAndWithoutItIsRefused() throws Exception {
    double before = refused("grpc");
    assertThat(export(grpc(Map.of()), spans())).as("no token").isFalse();
    assertThat(export(grpc(Map.of("Authorization", "Bearer wrong")), spans())).as("wrong token").isFalse();
    assertThat(export(grpc(Map.of("Authorization", basic(USER, PASSWORD))), spans()))
        .as("Basic credentials on the bearer-token protocol").isFalse();
    EdgeSupport.awaitMetric(inflightB, b, "inflight_receiver_refused_requests_total",
        Map.of("receiver", "otlp", "transport", "grpc", "reason", "unauthenticated"), before + 3, Duration.ofSeconds(10));

    List<SpanData> sent = spans();
    assertThat(export(grpc(Map.of("Authorization", "Bearer " + TOKEN)), sent)).as("right token; %s", stderr()).isTrue();
    // Only the authenticated request reached the pipeline.
    assertThat(recorder.awaitSpans(sent.size(), Duration.ofSeconds(30), Duration.ofMillis(500), this::stderr))
        .extracting(CanonicalSpans.Span::spanId)
        .containsExactlyInAnyOrderElementsOf(sent.stream().map(s -> s.getSpanContext().getSpanId()).toList());
  }

  @Test
  void httpWithBasicCredentialsGetsThroughAndWithoutThemIsRefused() throws Exception {
    double before = refused("http");
    assertThat(export(http(Map.of()), spans())).as("no credentials").isFalse();
    assertThat(export(http(Map.of("Authorization", basic(USER, "wrong"))), spans())).as("wrong password").isFalse();
    assertThat(export(http(Map.of("Authorization", "Bearer " + TOKEN)), spans())).as("the gRPC token").isFalse();
    EdgeSupport.awaitMetric(inflightB, b, "inflight_receiver_refused_requests_total",
        Map.of("receiver", "otlp", "transport", "http", "reason", "unauthenticated"), before + 3, Duration.ofSeconds(10));

    // What a plain HTTP client sees: 401 and the challenge.
    HttpResponse<String> answer = InflightProcess.HTTP.send(
        HttpRequest.newBuilder(URI.create(b.httpUrl("/v1/traces"))).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"basicauth/in\"");
    assertThat(answer.body()).contains("no basic auth provided");

    List<SpanData> sent = spans();
    assertThat(export(http(Map.of("Authorization", basic(USER, PASSWORD))), sent)).as("right password; %s", stderr()).isTrue();
    assertThat(recorder.awaitSpans(sent.size(), Duration.ofSeconds(30), Duration.ofMillis(500), this::stderr))
        .extracting(CanonicalSpans.Span::spanId)
        .containsExactlyInAnyOrderElementsOf(sent.stream().map(s -> s.getSpanContext().getSpanId()).toList());
  }

  @Test
  void inflightsOwnExportersAuthenticateToTheSecondInflight() throws Exception {
    double refusedGrpc = refused("grpc");
    double refusedHttp = refused("http");
    List<SpanData> sent = spans();
    OtlpGrpcSpanExporter toA = OtlpGrpcSpanExporter.builder().setEndpoint(a.grpcUrl()).setTimeout(Duration.ofSeconds(10)).build();
    assertThat(export(toA, sent)).as("into A; %s", stderr()).isTrue();
    // A fans out to both exporters, so each span reaches B twice: once over gRPC (bearer token),
    // once over HTTP (Basic), and B hands both on to the recorder.
    List<CanonicalSpans.Span> got = recorder.awaitSpans(2 * sent.size(), Duration.ofSeconds(30), Duration.ofMillis(500), this::stderr);
    List<String> ids = sent.stream().map(s -> s.getSpanContext().getSpanId()).toList();
    assertThat(got).extracting(CanonicalSpans.Span::spanId).hasSize(2 * ids.size()).containsOnlyElementsOf(ids);
    assertThat(EdgeSupport.metric(b, "otelcol_receiver_accepted_spans_total", Map.of("transport", "grpc")))
        .isGreaterThanOrEqualTo(sent.size());
    assertThat(EdgeSupport.metric(b, "otelcol_receiver_accepted_spans_total", Map.of("transport", "http")))
        .isGreaterThanOrEqualTo(sent.size());
    assertThat(refused("grpc")).isEqualTo(refusedGrpc);
    assertThat(refused("http")).isEqualTo(refusedHttp);
  }

  @Test
  void theQueryExtensionIsProtectedByTheSameExtension() throws Exception {
    URI workers = URI.create(b.queryUrl() + "/api/v1/workers");
    HttpResponse<String> open = InflightProcess.HTTP.send(HttpRequest.newBuilder(workers).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(open.statusCode()).isEqualTo(401);
    assertThat(open.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"basicauth/in\"");
    HttpResponse<String> wrong = InflightProcess.HTTP.send(
        HttpRequest.newBuilder(workers).header("Authorization", basic(USER, "nope")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("invalid credentials");
    HttpResponse<String> ok = InflightProcess.HTTP.send(
        HttpRequest.newBuilder(workers).header("Authorization", basic(USER, PASSWORD)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
  }

  @Test
  void validateRefusesAReferenceToAnExtensionNotListedInServiceExtensions() throws Exception {
    Path config = Files.writeString(dir.resolve("unlisted.yaml"), """
        receivers:
          otlp:
            protocols:
              http:
                auth:
                  authenticator: bearertokenauth
        exporters:
          debug:
        extensions:
          bearertokenauth:
            token: t
        service:
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [debug]
        """);
    try (InflightProcess p = InflightProcess.start(Map.of(), "validate", "--config", config.toString())) {
      assertThat(p.waitFor(START)).isEqualTo(2);
      assertThat(p.stderr().lines().filter(l -> l.startsWith("error:"))).containsExactly(
          "error: " + config + ":6: receivers.otlp.protocols.http.auth.authenticator: authenticator \"bearertokenauth\""
              + " is defined but not listed in service.extensions, so it would not run: add it there");
    }
  }
}
