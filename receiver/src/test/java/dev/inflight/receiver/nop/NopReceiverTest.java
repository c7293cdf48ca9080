package dev.inflight.receiver.nop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.Receiver;
import dev.inflight.component.Signal;
import dev.inflight.component.telemetry.ComponentTelemetry;
import java.util.HashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NopReceiverTest {
  @Test
  void receivesNothingOnAnySignal() throws Exception {
    NopReceiverFactory factory = new NopReceiverFactory();
    ComponentId id = ComponentId.of("nop");
    CreateSettings settings =
        new CreateSettings(id, ComponentKind.RECEIVER, ComponentTelemetry.noop(ComponentKind.RECEIVER, id), new HashMap<>());
    assertThat(factory.type()).isEqualTo("nop");
    assertThat(factory.signals()).containsExactlyInAnyOrder(Signal.TRACES, Signal.METRICS, Signal.LOGS);
    AtomicInteger calls = new AtomicInteger();
    Receiver[] receivers = {
      factory.createTraces(settings, factory.createDefaultConfig(), t -> calls.incrementAndGet()),
      factory.createMetrics(settings, factory.createDefaultConfig(), m -> calls.incrementAndGet()),
      factory.createLogs(settings, factory.createDefaultConfig(), l -> calls.incrementAndGet()),
    };
    for (Receiver r : receivers) {
      r.start(null);
    }
    Thread.sleep(50);
    for (Receiver r : receivers) {
      r.shutdown();
    }
    assertThat(calls).hasValue(0);
  }
}
