package dev.inflight.receiver.otlp;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.component.telemetry.ComponentTelemetry;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.jspecify.annotations.Nullable;

/**
 * An otlp receiver on free 127.0.0.1 ports whose consumers record what they get (or refuse it);
 * every signal has a pipeline unless {@link #start(OtlpReceiverConfig, ComponentTelemetry,
 * Signal...)} names fewer.
 * {@link #shared} makes one for a whole test class, as a JUnit extension.
 */
final class TestReceiver implements AutoCloseable, BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  final List<Traces> traces = new CopyOnWriteArrayList<>();
  final List<Metrics> metrics = new CopyOnWriteArrayList<>();
  final List<Logs> logs = new CopyOnWriteArrayList<>();
  /** When set, consumers throw it instead of accepting. */
  volatile Refusal refuseWith;
  /** When set, consumers wait for it before accepting (to hold a request in flight). */
  volatile CountDownLatch gate;
  final CountDownLatch entered = new CountDownLatch(1);
  private final OtlpReceiverConfig config;
  /** Set once started. */
  private OtlpReceiver receiver;
  private @Nullable ManagedChannel channel;

  private TestReceiver(OtlpReceiverConfig config) {
    this.config = config;
  }

  static ComponentTelemetry noopTelemetry() {
    return ComponentTelemetry.noop(ComponentKind.RECEIVER, ComponentId.of("otlp"));
  }

  /** grpc and http, each on a free port. */
  static OtlpReceiverConfig bothProtocols() {
    return OtlpReceiverConfig.of(OtlpReceiverConfig.Grpc.at("127.0.0.1:0"), OtlpReceiverConfig.Http.at("127.0.0.1:0"));
  }

  static TestReceiver start() throws Exception {
    return start(bothProtocols());
  }

  /**
   * For {@code @RegisterExtension static}: one receiver of {@code config} for a test class, started
   * before its tests, {@link #reset} before each and closed after all.
   */
  static TestReceiver shared(OtlpReceiverConfig config) {
    return new TestReceiver(config);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    open(noopTelemetry(), EnumSet.allOf(Signal.class));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    reset();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  static TestReceiver start(OtlpReceiverConfig config) throws Exception {
    return start(config, noopTelemetry(), Signal.values());
  }

  /** A receiver listed by pipelines of {@code signals} only. */
  static TestReceiver start(OtlpReceiverConfig config, ComponentTelemetry telemetry, Signal... signals)
      throws Exception {
    TestReceiver t = new TestReceiver(config);
    t.open(telemetry, Set.of(signals));
    return t;
  }

  private void open(ComponentTelemetry telemetry, Set<Signal> signals) throws Exception {
    Map<Object, Object> shared = new HashMap<>();
    CreateSettings settings = new CreateSettings(ComponentId.of("otlp"), ComponentKind.RECEIVER, telemetry, shared);
    OtlpReceiverFactory factory = new OtlpReceiverFactory();
    OtlpReceiver r = null;
    if (signals.contains(Signal.TRACES)) {
      r = (OtlpReceiver) factory.createTraces(settings, config, t -> take(t, this.traces));
    }
    if (signals.contains(Signal.METRICS)) {
      r = (OtlpReceiver) factory.createMetrics(settings, config, m -> take(m, this.metrics));
    }
    if (signals.contains(Signal.LOGS)) {
      r = (OtlpReceiver) factory.createLogs(settings, config, l -> take(l, this.logs));
    }
    receiver = r;
    r.start(Map::of);
  }

  private <T> void take(T item, List<T> into) throws Refusal {
    entered.countDown();
    CountDownLatch g = gate;
    if (g != null) {
      try {
        g.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Refusal r = refuseWith;
    if (r != null) {
      throw r;
    }
    into.add(item);
  }

  /** Forgets what arrived and accepts again: before each test of a class that shares one receiver. */
  void reset() {
    traces.clear();
    metrics.clear();
    logs.clear();
    refuseWith = null;
  }

  /** A plaintext grpc channel to this receiver, made on first use and shut down by {@link #close}. */
  synchronized ManagedChannel grpcChannel() {
    if (channel == null) {
      channel = OtlpGrpcServerTest.channel(grpcPort());
    }
    return channel;
  }

  URI http(String path) {
    return URI.create("http://127.0.0.1:" + receiver.httpAddress().getPort() + path);
  }

  URI https(String path) {
    return URI.create("https://127.0.0.1:" + receiver.httpAddress().getPort() + path);
  }

  int httpPort() {
    return receiver.httpAddress().getPort();
  }

  int grpcPort() {
    return receiver.grpcAddress().getPort();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (channel != null) {
        try {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    receiver.shutdown();
  }
}
