package dev.inflight.service.internal.graph;

import dev.inflight.component.Component;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.Consumer;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.Signal;
import dev.inflight.component.config.ComponentConfig;

/** An exporter for one signal, fed by the fan-out of every pipeline that lists it. */
record ExporterNode(ComponentId id, Signal signal) implements Node {
  @Override
  public String describe() {
    return "exporter \"" + id + "\"";
  }

  @Override
  public Consumer<?> build(Wiring wiring) throws Exception {
    ExporterFactory<ComponentConfig> f = wiring.factory(ComponentKind.EXPORTER, id);
    Component exporter =
        FactoryCalls.exporter(f, wiring.settings(ComponentKind.EXPORTER, id), wiring.config(ComponentKind.EXPORTER, id), signal);
    wiring.register(ComponentKind.EXPORTER, id, exporter);
    return Node.type(signal).input(exporter);
  }
}
