package dev.inflight.component.telemetry;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.Signal;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.util.EnumMap;
import java.util.Map;

/**
 * Items into and out of a processor ({@code otelcol_processor_incoming_items}, {@code
 * otelcol_processor_outgoing_items}, attribute {@code otel_signal}). The graph counts these around
 * every processor, so a processor that drops or splits data shows it without code of its own.
 */
public final class ProcessorMetrics {
  public static final SelfMetric INCOMING_ITEMS =
      new SelfMetric("otelcol_processor_incoming_items", "{items}", "Number of items passed to the processor");
  public static final SelfMetric OUTGOING_ITEMS =
      new SelfMetric("otelcol_processor_outgoing_items", "{items}", "Number of items emitted from the processor");

  private final LongCounter incoming;
  private final LongCounter outgoing;
  private final Map<Signal, Attributes> attributes = new EnumMap<>(Signal.class);

  ProcessorMetrics(Meter meter, Attributes component) {
    incoming = INCOMING_ITEMS.counter(meter);
    outgoing = OUTGOING_ITEMS.counter(meter);
    for (Signal s : Signal.values()) {
      attributes.put(
          s, component.toBuilder().put(AttributeKey.stringKey("otel_signal"), s.key()).build());
    }
  }

  /** Records nothing: for tests that wrap a processor without a service. */
  public static ProcessorMetrics noop() {
    return ComponentTelemetry.noop(ComponentKind.PROCESSOR, ComponentId.of("batch")).processorMetrics();
  }

  public void incoming(Signal signal, long items) {
    incoming.add(items, attributes.get(signal));
  }

  public void outgoing(Signal signal, long items) {
    outgoing.add(items, attributes.get(signal));
  }
}
