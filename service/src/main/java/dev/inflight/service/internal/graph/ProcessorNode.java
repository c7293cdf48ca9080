package dev.inflight.service.internal.graph;

import dev.inflight.component.Component;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.Consumer;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.PipelineId;
import dev.inflight.component.ProcessorFactory;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.SignalType;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.telemetry.ProcessorMetrics;
import dev.inflight.pdata.SignalData;

/**
 * A processor at one position of one pipeline. The graph counts what goes in and what comes out
 * ({@code otelcol_processor_incoming_items} / {@code outgoing_items}), so processors do not.
 */
public record ProcessorNode(PipelineId pipeline, int index, ComponentId id) implements Node {
  @Override
  public String describe() {
    return "processor \"" + id + "\" in pipeline \"" + pipeline + "\"";
  }

  @Override
  public Signal signal() {
    return pipeline.signal();
  }

  @Override
  public Consumer<?> build(Wiring wiring) throws Exception {
    return build(wiring, Node.type(signal()));
  }

  private <T extends SignalData, C> Consumer<T> build(Wiring wiring, SignalType<T, C> type) throws Exception {
    ProcessorFactory<ComponentConfig> f = wiring.factory(ComponentKind.PROCESSOR, id);
    CreateSettings s = wiring.settings(ComponentKind.PROCESSOR, id);
    ComponentConfig c = wiring.config(ComponentKind.PROCESSOR, id);
    ProcessorMetrics counts = s.telemetry().processorMetrics();
    Consumer<T> outgoing = new Counting<>(this, counts, false, wiring.next(this, type));
    Component processor = FactoryCalls.processor(f, s, c, signal(), type.typed(outgoing));
    wiring.register(ComponentKind.PROCESSOR, id, processor);
    return new Counting<>(this, counts, true, type.input(processor));
  }

  /**
   * Counts each batch going into the processor ({@code incoming}) or coming out of it, then hands
   * it on; its {@link #toString} says which side of which processor.
   */
  public static final class Counting<T extends SignalData> implements Consumer<T> {
    private final ProcessorNode node;
    private final ProcessorMetrics counts;
    private final boolean incoming;
    private final Consumer<T> next;

    Counting(ProcessorNode node, ProcessorMetrics counts, boolean incoming, Consumer<T> next) {
      this.node = node;
      this.counts = counts;
      this.incoming = incoming;
      this.next = next;
    }

    @Override
    public void consume(T data) throws Refusal {
      if (incoming) {
        counts.incoming(node.signal(), data.itemCount());
      } else {
        counts.outgoing(node.signal(), data.itemCount());
      }
      next.consume(data);
    }

    @Override
    public String toString() {
      return (incoming ? "into " : "out of ") + node.describe();
    }
  }
}
