package dev.inflight.service.telemetry;

import dev.inflight.component.telemetry.ProcessMemory;

import dev.inflight.component.telemetry.ListenException;

import static dev.inflight.service.testing.TestComponents.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.Refusal;
import dev.inflight.service.config.CollectorConfig;
import dev.inflight.service.config.TelemetryConfig;
import dev.inflight.service.internal.graph.PipelineGraph;
import dev.inflight.service.Service;
import dev.inflight.service.testing.TestComponents;
import dev.inflight.service.testing.TestComponents.Recorder;
import dev.inflight.service.testing.TestComponents.Refuse;
import dev.inflight.service.testing.TestComponents.TestConfig;
import dev.inflight.pdata.testing.TestData;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SelfTelemetryTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static TelemetryConfig telemetryOn(String address) {
    return new TelemetryConfig(new TelemetryConfig.Metrics(TelemetryConfig.Level.NORMAL, address), null, Map.of("deployment.environment", "test"));
  }

  private SelfTelemetry start(int port) throws ListenException {
    SelfTelemetry t = SelfTelemetry.start(telemetryOn("127.0.0.1:" + port), "1.2.3");
    toClose.add(t);
    return t;
  }

  private String scrape(int port) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  /** One sample of the text exposition format: name, labels, value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)(?: \\S+)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  static List<Sample> samples(String body) {
    List<Sample> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("not an exposition line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return out;
  }

  /** The value of the one sample named {@code name} whose labels include {@code labels}. */
  static double value(String body, String name, Map<String, String> labels) {
    List<Sample> found =
        samples(body).stream()
            .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
            .toList();
    assertThat(found).as("samples of %s%s in\n%s", name, labels, body).hasSize(1);
    return found.get(0).value();
  }

  private Service startService(CollectorConfig config, FactoryRegistry registry, SelfTelemetry telemetry) throws Exception {
    assertThat(PipelineGraph.check(config, registry).problems()).isEmpty();
    Service s = Service.build(config, registry, telemetry);
    toClose.add(s::shutdown);
    s.start();
    return s;
  }

  @Test
  void countsItemsThroughReceiversProcessorsAndExportersUnderTheCollectorsNames() throws Exception {
    int port = freePort();
    SelfTelemetry telemetry = start(port);
    Recorder recorder = new Recorder();
    FactoryRegistry registry = TestComponents.registry(recorder);
    startService(
        config()
            .receiver("testrcv", "testrcv/down")
            .processor("trail")
            .exporter("testexp/a")
            .define(ComponentKind.EXPORTER, "testexp/down", TestConfig.refusing(Refuse.RETRYABLE))
            .pipeline("traces", List.of("testrcv"), List.of("trail"), List.of("testexp/a"))
            .pipeline("traces/down", List.of("testrcv/down"), List.of(), List.of("testexp/down"))
            .pipeline("metrics", List.of("testrcv"), List.of("trail"), List.of("testexp/a"))
            .build(),
        registry,
        telemetry);

    for (int spans : new int[] {3, 5, 9}) {
      recorder.receiver("testrcv").push(TestData.traces(spans));
    }
    assertThatThrownBy(() -> recorder.receiver("testrcv/down").push(TestData.traces(4))).isInstanceOf(Refusal.class);
    recorder.receiver("testrcv").push(TestData.metrics(2, 4));
    assertThat(recorder.traces("testexp/a")).hasSize(3);

    String body = scrape(port);

    assertThat(value(body, "otelcol_receiver_accepted_spans_total", Map.of("receiver", "testrcv", "transport", "test")))
        .isEqualTo(17);
    assertThat(value(body, "otelcol_receiver_refused_spans_total", Map.of("receiver", "testrcv/down", "transport", "test")))
        .isEqualTo(4);
    assertThat(value(body, "otelcol_receiver_accepted_metric_points_total", Map.of("receiver", "testrcv")))
        .isEqualTo(6);
    assertThat(value(body, "otelcol_processor_incoming_items_total", Map.of("processor", "trail", "otel_signal", "traces")))
        .isEqualTo(17);
    assertThat(value(body, "otelcol_processor_outgoing_items_total", Map.of("processor", "trail", "otel_signal", "traces")))
        .isEqualTo(17);
    assertThat(value(body, "otelcol_processor_incoming_items_total", Map.of("processor", "trail", "otel_signal", "metrics")))
        .isEqualTo(6);
    assertThat(value(body, "otelcol_exporter_sent_spans_total", Map.of("exporter", "testexp/a"))).isEqualTo(17);
    assertThat(value(body, "otelcol_exporter_send_failed_spans_total", Map.of("exporter", "testexp/down"))).isEqualTo(4);
    assertThat(value(body, "otelcol_exporter_sent_metric_points_total", Map.of("exporter", "testexp/a"))).isEqualTo(6);
  }

  @Test
  void servesProcessMetricsUnderTheCollectorsNames() throws Exception {
    int port = freePort();
    start(port);

    String body = scrape(port);

    assertThat(value(body, "otelcol_process_uptime_seconds_total", Map.of())).as(body).isPositive();
    assertThat(value(body, "otelcol_process_memory_rss_bytes", Map.of())).isGreaterThan(1 << 20);
    assertThat(value(body, "otelcol_process_cpu_seconds_total", Map.of())).isPositive();
    assertThat(value(body, "otelcol_process_runtime_heap_alloc_bytes", Map.of())).isPositive();
    assertThat(value(body, "otelcol_process_runtime_total_sys_memory_bytes", Map.of())).isPositive();
    assertThat(value(body, "target_info", Map.of("service_name", "inflight", "service_version", "1.2.3", "deployment_environment", "test")))
        .isEqualTo(1);
    // No OTel scope labels: the series look like the Collector's.
    assertThat(samples(body)).allSatisfy(s -> assertThat(s.labels()).doesNotContainKey("otel_scope_name"));
  }

  @Test
  void aSecondTelemetryOnTheSamePortFailsWithOneClearLine() throws Exception {
    int port = freePort();
    start(port);

    assertThatThrownBy(() -> start(port))
        .isInstanceOf(ListenException.class)
        .hasMessage("telemetry cannot listen on 127.0.0.1:" + port + ": address already in use");

    // The first one still serves.
    assertThat(scrape(port)).contains("otelcol_process_uptime");
  }

  @Test
  void closingFreesThePort() throws Exception {
    int port = freePort();
    SelfTelemetry first = SelfTelemetry.start(telemetryOn("127.0.0.1:" + port), "1");
    first.close();

    start(port);
    assertThat(scrape(port)).contains("otelcol_process_memory_rss");
  }

  /**
   * The Collector's readers: a pull reader at its host and port, and a periodic one pushing OTLP
   * over HTTP with its headers, both from one SDK meter provider.
   */
  @Test
  void readersServeAndPushTheSameMetrics() throws Exception {
    int port = freePort();
    java.util.concurrent.LinkedBlockingQueue<com.sun.net.httpserver.HttpExchange> posts = new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.concurrent.LinkedBlockingQueue<byte[]> bodies = new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.concurrent.LinkedBlockingQueue<String> teams = new java.util.concurrent.LinkedBlockingQueue<>();
    com.sun.net.httpserver.HttpServer backend =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext("/v1/metrics", ex -> {
      bodies.add(ex.getRequestBody().readAllBytes());
      teams.add(String.valueOf(ex.getRequestHeaders().getFirst("x-team")));
      ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      ex.sendResponseHeaders(200, 0);
      ex.close();
    });
    backend.start();
    toClose.add(() -> backend.stop(0));
    TelemetryConfig.Metrics metrics = new TelemetryConfig.Metrics(TelemetryConfig.Level.NORMAL, null, List.of(
        new TelemetryConfig.Reader(new TelemetryConfig.Pull(new TelemetryConfig.PullExporter(
            new TelemetryConfig.PrometheusPull("127.0.0.1", port))), null),
        new TelemetryConfig.Reader(null, new TelemetryConfig.Periodic(200, 5000, new TelemetryConfig.PeriodicExporter(
            new TelemetryConfig.OtlpPush("http/protobuf", "http://127.0.0.1:" + backend.getAddress().getPort() + "/v1/metrics",
                List.of(new TelemetryConfig.Header("x-team", "core")), null, null))))));
    SelfTelemetry t = SelfTelemetry.start(new TelemetryConfig(metrics, null, Map.of()), "1.2.3");
    toClose.add(t);

    assertThat(scrape(port)).contains("otelcol_process_uptime");
    byte[] body = bodies.poll(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(body).as("a periodic export within 30 s").isNotNull();
    assertThat(teams.poll(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("core"); // the handler adds it after the body
    var request = io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.parseFrom(body);
    var resource = request.getResourceMetrics(0).getResource();
    assertThat(resource.getAttributesList()).anySatisfy(kv -> {
      assertThat(kv.getKey()).isEqualTo("service.name");
      assertThat(kv.getValue().getStringValue()).isEqualTo("inflight");
    });
    List<String> names = request.getResourceMetricsList().stream()
        .flatMap(r -> r.getScopeMetricsList().stream()).flatMap(sm -> sm.getMetricsList().stream())
        .map(io.opentelemetry.proto.metrics.v1.Metric::getName).toList();
    assertThat(names).contains("otelcol_process_uptime");
  }

  @Test
  void levelNoneServesNothing() throws Exception {
    int port = freePort();
    SelfTelemetry t =
        SelfTelemetry.start(
            new TelemetryConfig(new TelemetryConfig.Metrics(TelemetryConfig.Level.NONE, "127.0.0.1:" + port), null, null), "1");
    toClose.add(t);

    // Nothing listens: the port can be bound again.
    try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(s.getLocalPort()).isEqualTo(port);
    }
    t.forComponent(ComponentKind.RECEIVER, dev.inflight.component.ComponentId.of("otlp")).receiverMetrics("grpc")
        .accepted(dev.inflight.component.Signal.TRACES, 5); // records nothing, throws nothing
  }

  @Test
  void residentSetSizeIsReadFromProc() {
    assertThat(ProcessMemory.residentSetBytes()).isGreaterThan(1L << 20);
  }
}
