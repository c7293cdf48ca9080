package dev.inflight.receiver.otlp;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.Refusal;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.component.telemetry.ComponentTelemetry;
import io.grpc.ManagedChannel;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** An otlp receiver on free 127.0.0.1 ports whose consumers record what they get (or refuse it). */
final class TestReceiver implements AutoCloseable {
  final List<Traces> traces = new CopyOnWriteArrayList<>();
  final List<Metrics> metrics = new CopyOnWriteArrayList<>();
  /** When set, consumers throw it instead of accepting. */
  volatile Refusal refuseWith;
  /** When set, consumers wait for it before accepting (to hold a request in flight). */
  volatile CountDownLatch gate;
  final CountDownLatch entered = new CountDownLatch(1);
  final OtlpReceiver receiver;
  private @Nullable ManagedChannel channel;

  private TestReceiver(OtlpReceiver receiver) {
    this.receiver = receiver;
  }

  static ComponentTelemetry noopTelemetry() {
    return ComponentTelemetry.noop(ComponentKind.RECEIVER, ComponentId.of("otlp"));
  }

  static TestReceiver start() throws Exception {
    return start(OtlpReceiverConfig.of(OtlpReceiverConfig.Grpc.at("127.0.0.1:0"), OtlpReceiverConfig.Http.at("127.0.0.1:0")));
  }

  static TestReceiver start(OtlpReceiverConfig config) throws Exception {
    return start(config, noopTelemetry(), true, true);
  }

  static TestReceiver start(OtlpReceiverConfig config, ComponentTelemetry telemetry, boolean traces, boolean metrics)
      throws Exception {
    Map<Object, Object> shared = new HashMap<>();
    CreateSettings settings = new CreateSettings(ComponentId.of("otlp"), ComponentKind.RECEIVER, telemetry, shared);
    OtlpReceiverFactory factory = new OtlpReceiverFactory();
    TestReceiver[] self = new TestReceiver[1];
    OtlpReceiver r = null;
    if (traces) {
      r = (OtlpReceiver) factory.createTraces(settings, config, t -> self[0].take(t, self[0].traces));
    }
    if (metrics) {
      r = (OtlpReceiver) factory.createMetrics(settings, config, m -> self[0].take(m, self[0].metrics));
    }
    self[0] = new TestReceiver(r);
    r.start(Map::of);
    return self[0];
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
