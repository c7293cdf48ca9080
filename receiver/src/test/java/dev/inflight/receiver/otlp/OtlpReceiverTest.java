package dev.inflight.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.Receiver;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.pdata.testing.TestData;
import dev.inflight.service.config.TelemetryConfig;
import dev.inflight.component.telemetry.ListenException;
import dev.inflight.service.telemetry.SelfTelemetry;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Lifecycle, sharing and counting: the receiver as the service uses it. */
class OtlpReceiverTest {
  /**
   * A new client per test: each test's receiver may get a port an earlier one had, and a pooled
   * connection to that closed server would fail the first POST (clients do not retry POSTs).
   */
  private final HttpClient client = HttpClient.newHttpClient();

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private HttpResponse<String> post(URI uri, byte[] body) throws Exception {
    return client.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void isRegisteredAndServesEverySignalWithOneSharedInstance() throws Exception {
    assertThat(FactoryRegistry.load().find(ComponentKind.RECEIVER, "otlp")).get().isInstanceOf(OtlpReceiverFactory.class);
    OtlpReceiverFactory factory = new OtlpReceiverFactory();
    Map<Object, Object> shared = new HashMap<>();
    CreateSettings settings = new CreateSettings(ComponentId.of("otlp"), ComponentKind.RECEIVER,
        TestReceiver.noopTelemetry(), shared);
    OtlpReceiverConfig config = OtlpReceiverConfig.withBothProtocols();
    Receiver traces = factory.createTraces(settings, config, t -> {});
    Receiver metrics = factory.createMetrics(settings, config, m -> {});
    Receiver logs = factory.createLogs(settings, config, l -> {});
    assertThat(traces).isSameAs(metrics).isSameAs(logs);
    assertThat(factory.signals()).containsExactlyInAnyOrder(Signal.TRACES, Signal.METRICS, Signal.LOGS);
    CreateSettings other = new CreateSettings(ComponentId.of("otlp/2"), ComponentKind.RECEIVER,
        TestReceiver.noopTelemetry(), shared);
    assertThat(factory.createTraces(other, config, t -> {})).isNotSameAs(traces);
    traces.shutdown(); // never started: fine, and idempotent
    traces.shutdown();
  }

  @Test
  void aTakenGrpcPortFailsStartWithAListenException() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int httpPort = freePort();
      OtlpReceiverConfig config = OtlpReceiverConfig.of(
          OtlpReceiverConfig.Grpc.at("127.0.0.1:" + taken.getLocalPort()), OtlpReceiverConfig.Http.at("127.0.0.1:" + httpPort));
      assertThatThrownBy(() -> TestReceiver.start(config))
          .isInstanceOf(ListenException.class)
          .hasMessage("otlp receiver (grpc) cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use");
      new ServerSocket(httpPort, 1, InetAddress.getByName("127.0.0.1")).close(); // nothing was left bound
    }
  }

  @Test
  void aTakenHttpPortFailsStartAndReleasesTheGrpcPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int grpcPort = freePort();
      OtlpReceiverConfig config = OtlpReceiverConfig.of(
          OtlpReceiverConfig.Grpc.at("127.0.0.1:" + grpcPort), OtlpReceiverConfig.Http.at("127.0.0.1:" + taken.getLocalPort()));
      assertThatThrownBy(() -> TestReceiver.start(config))
          .isInstanceOf(ListenException.class)
          .hasMessage("otlp receiver (http) cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": address already in use");
      new ServerSocket(grpcPort, 1, InetAddress.getByName("127.0.0.1")).close();
    }
  }

  @Test
  void shutdownLetsRequestsInFlightFinishThenFreesThePorts() throws Exception {
    TestReceiver server = TestReceiver.start();
    int httpPort = server.httpPort();
    int grpcPort = server.grpcPort();
    server.gate = new CountDownLatch(1);
    CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
        HttpRequest.newBuilder(server.http("/v1/traces")).header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Requests.traces(2).toByteArray())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(server.entered.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
    Thread.sleep(300);
    assertThat(stopping).isNotDone();
    server.gate.countDown();
    assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    stopping.get(15, TimeUnit.SECONDS);
    assertThat(server.traces).hasSize(1);
    server.close(); // again: nothing happens
    new ServerSocket(httpPort, 1, InetAddress.getByName("127.0.0.1")).close();
    new ServerSocket(grpcPort, 1, InetAddress.getByName("127.0.0.1")).close();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("receiver-otlp-") && t.isAlive());
  }

  @Test
  void runsOnAFewThreads() throws Exception {
    try (TestReceiver server = TestReceiver.start()) {
      for (int i = 0; i < 20; i++) {
        assertThat(post(server.http("/v1/traces"), Requests.traces(1).toByteArray()).statusCode()).isEqualTo(200);
      }
      ManagedChannel channel = OtlpGrpcServerTest.channel(server.grpcPort());
      try {
        for (int i = 0; i < 20; i++) {
          ClientCalls.blockingUnaryCall(channel, OtlpGrpcServerTest.TRACES, CallOptions.DEFAULT, Requests.traces(1).toByteArray());
        }
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      long threads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("receiver-otlp-")).count();
      assertThat(threads).isBetween(3L, 7L); // 1 accept + 2 I/O + at most 4 handlers
    }
  }

  @Test
  void countsAcceptedAndRefusedSpansPerTransport() throws Exception {
    int metricsPort = freePort();
    try (SelfTelemetry telemetry = SelfTelemetry.start(
        new TelemetryConfig(new TelemetryConfig.Metrics(TelemetryConfig.Level.NORMAL, "127.0.0.1:" + metricsPort), null, null),
        "test")) {
      TestReceiver server = TestReceiver.start(
          OtlpReceiverConfig.of(OtlpReceiverConfig.Grpc.at("127.0.0.1:0"), OtlpReceiverConfig.Http.at("127.0.0.1:0")),
          telemetry.forComponent(ComponentKind.RECEIVER, ComponentId.of("otlp")), Signal.values());
      try {
        assertThat(post(server.http("/v1/traces"), Requests.traces(3).toByteArray()).statusCode()).isEqualTo(200);
        assertThat(post(server.http("/v1/traces"), new byte[] {10, 5, 1}).statusCode()).isEqualTo(400); // not counted
        assertThat(post(server.http("/v1/metrics"), Requests.metrics().toByteArray()).statusCode()).isEqualTo(200);
        ManagedChannel channel = OtlpGrpcServerTest.channel(server.grpcPort());
        try {
          ClientCalls.blockingUnaryCall(channel, OtlpGrpcServerTest.TRACES, CallOptions.DEFAULT, Requests.traces(2).toByteArray());
        } finally {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        server.refuseWith = Refusal.retryable("full");
        assertThat(post(server.http("/v1/traces"), Requests.traces(4).toByteArray()).statusCode()).isEqualTo(503);
        server.refuseWith = null;

        // Logs, counted as log records exactly as spans are.
        assertThat(post(server.http("/v1/logs"), TestData.logsRequest(new int[][] {{2, 3}}).toByteArray()).statusCode())
            .isEqualTo(200);
        assertThat(post(server.http("/v1/logs"), Requests.traces(1).toByteArray()).statusCode()).isEqualTo(400); // not counted
        ManagedChannel logsChannel = OtlpGrpcServerTest.channel(server.grpcPort());
        try {
          ClientCalls.blockingUnaryCall(logsChannel, OtlpGrpcServerTest.LOGS, CallOptions.DEFAULT,
              TestData.logsRequest(new int[][] {{4}}).toByteArray());
          server.refuseWith = Refusal.permanent("bad");
          assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(logsChannel, OtlpGrpcServerTest.LOGS, CallOptions.DEFAULT,
              TestData.logsRequest(new int[][] {{7}}).toByteArray())).isInstanceOf(io.grpc.StatusRuntimeException.class);
        } finally {
          logsChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        server.refuseWith = Refusal.retryable("full");
        assertThat(post(server.http("/v1/logs"), TestData.logsRequest(new int[][] {{1}, {1}}).toByteArray()).statusCode())
            .isEqualTo(503);
      } finally {
        server.close();
      }
      String scraped = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(scraped)
          .containsPattern("otelcol_receiver_accepted_spans_total\\{[^}]*transport=\"http\"[^}]*\\} 3(\\.0)?\\b")
          .containsPattern("otelcol_receiver_accepted_spans_total\\{[^}]*transport=\"grpc\"[^}]*\\} 2(\\.0)?\\b")
          .containsPattern("otelcol_receiver_refused_spans_total\\{[^}]*transport=\"http\"[^}]*\\} 4(\\.0)?\\b")
          .containsPattern("otelcol_receiver_accepted_metric_points_total\\{[^}]*transport=\"http\"[^}]*\\} 6(\\.0)?\\b")
          .doesNotContainPattern("otelcol_receiver_refused_spans_total\\{[^}]*transport=\"grpc\"")
          .containsPattern("otelcol_receiver_accepted_log_records_total\\{[^}]*transport=\"http\"[^}]*\\} 5(\\.0)?\\b")
          .containsPattern("otelcol_receiver_accepted_log_records_total\\{[^}]*transport=\"grpc\"[^}]*\\} 4(\\.0)?\\b")
          .containsPattern("otelcol_receiver_refused_log_records_total\\{[^}]*transport=\"http\"[^}]*\\} 2(\\.0)?\\b")
          .containsPattern("otelcol_receiver_refused_log_records_total\\{[^}]*transport=\"grpc\"[^}]*\\} 7(\\.0)?\\b")
          // Logs are not spans: the span counts above are what the trace requests carried.
          .containsPattern("otelcol_receiver_accepted_spans_total\\{[^}]*transport=\"http\"[^}]*\\} 3(\\.0)?\\b");
    }
  }

  @Test
  void logsAreTakenAtLogsUrlPath() throws Exception {
    OtlpReceiverConfig config = OtlpReceiverConfig.of(null,
        new OtlpReceiverConfig.Http("127.0.0.1:0", null, null, null, "custom/logs"));
    assertThat(config.protocols().http().logsUrlPath()).isEqualTo("/custom/logs");
    try (TestReceiver server = TestReceiver.start(config)) {
      byte[] logs = TestData.logsRequest(new int[][] {{3}}).toByteArray();
      assertThat(post(server.http("/custom/logs"), logs).statusCode()).isEqualTo(200);
      assertThat(post(server.http("/v1/logs"), logs).statusCode()).isEqualTo(404);
      assertThat(server.logs).singleElement().satisfies(l -> assertThat(l.encoded()).isEqualTo(logs));
    }
  }
}
