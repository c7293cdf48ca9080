package dev.inflight.service.internal.graph;

import dev.inflight.component.Component;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.Consumer;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.ReceiverFactory;
import dev.inflight.component.Signal;
import dev.inflight.component.SignalType;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.pdata.SignalData;

/** A receiver for one signal, feeding a fan-out to every pipeline that lists it. */
record ReceiverNode(ComponentId id, Signal signal) implements Node {
  @Override
  public String describe() {
    return "receiver \"" + id + "\"";
  }

  @Override
  public Consumer<?> build(Wiring wiring) throws Exception {
    build(wiring, Node.type(signal));
    return null;
  }

  private <T extends SignalData, C> void build(Wiring wiring, SignalType<T, C> type) throws Exception {
    ReceiverFactory<ComponentConfig> f = wiring.factory(ComponentKind.RECEIVER, id);
    CreateSettings s = wiring.settings(ComponentKind.RECEIVER, id);
    ComponentConfig c = wiring.config(ComponentKind.RECEIVER, id);
    C next = type.typed(wiring.fanOut(this, type, describe()));
    Component receiver = FactoryCalls.receiver(f, s, c, signal, next);
    wiring.register(ComponentKind.RECEIVER, id, receiver);
  }
}
