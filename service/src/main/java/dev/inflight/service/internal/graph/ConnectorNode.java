package dev.inflight.service.internal.graph;

import dev.inflight.component.Component;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.ConnectorFactory;
import dev.inflight.component.Consumer;
import dev.inflight.component.Signal;
import dev.inflight.component.SignalType;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.pdata.SignalData;

/**
 * A connector for one (input, output) signal pair: the exporter of the {@code from} pipelines and
 * the receiver of the {@code to} pipelines, feeding a fan-out to the latter.
 */
record ConnectorNode(ComponentId id, Signal from, Signal to) implements Node {
  @Override
  public String describe() {
    return "connector \"" + id + "\" (" + from + " → " + to + ")";
  }

  @Override
  public Signal signal() {
    return from;
  }

  @Override
  public Consumer<?> build(Wiring wiring) throws Exception {
    Component connector = build(wiring, Node.type(to));
    wiring.register(ComponentKind.CONNECTOR, id, connector);
    return Node.type(from).input(connector);
  }

  private <T extends SignalData, C> Component build(Wiring wiring, SignalType<T, C> output) throws Exception {
    ConnectorFactory<ComponentConfig> f = wiring.factory(ComponentKind.CONNECTOR, id);
    C next = output.typed(wiring.fanOut(this, output, describe()));
    return FactoryCalls.connector(
        f, wiring.settings(ComponentKind.CONNECTOR, id), wiring.config(ComponentKind.CONNECTOR, id), from, to, next);
  }
}
