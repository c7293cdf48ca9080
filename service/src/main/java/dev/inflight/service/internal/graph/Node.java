package dev.inflight.service.internal.graph;

import dev.inflight.component.Consumer;
import dev.inflight.component.Signal;
import dev.inflight.component.SignalType;

/**
 * A vertex of the pipeline graph. Receivers and exporters are one node per (id, signal), shared by
 * every pipeline that lists them; processors are one node per pipeline and position; connectors one
 * per (id, input signal, output signal); each pipeline ends in a fan-out to its exporters. Each
 * node builds its own component and wiring, after the nodes after it (the Collector's {@code
 * receiverNode}, {@code processorNode}, ... in {@code service/internal/graph}).
 */
public sealed interface Node permits ReceiverNode, ProcessorNode, ConnectorNode, FanOutNode, ExporterNode {
  /** For messages: {@code receiver "otlp"}, {@code processor "batch" in pipeline "traces"}. */
  String describe();

  /** The signal this node consumes (for receivers, the signal it produces). */
  Signal signal();

  /**
   * Makes this node's component (registering it with {@code wiring}) wired to the nodes after it.
   *
   * @return what feeds this node: the input of its component or fan-out; null for a receiver, which
   *     nothing feeds
   */
  Consumer<?> build(Wiring wiring) throws Exception;

  /** The node's signal type. */
  static SignalType<?, ?> type(Signal signal) {
    return SignalType.of(signal);
  }
}
