package dev.inflight.service.internal.graph;

import dev.inflight.service.BuildException;

import dev.inflight.component.Component;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.Consumer;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.Factory;
import dev.inflight.component.SignalType;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.pdata.SignalData;

/**
 * What a {@link Node} needs from the graph while it builds itself: its factory, settings and
 * config, and the consumers of the nodes after it (built first, in reverse topological order).
 */
public interface Wiring {
  /** @throws BuildException {@code unknown exporter type "x"} */
  <F extends Factory<?>> F factory(ComponentKind kind, ComponentId id) throws BuildException;

  CreateSettings settings(ComponentKind kind, ComponentId id);

  ComponentConfig config(ComponentKind kind, ComponentId id);

  /** The input of the one node after {@code node} (a processor's next processor or fan-out). */
  <T extends SignalData> Consumer<T> next(Node node, SignalType<T, ?> type);

  /** One consumer that feeds every node after {@code node}, always a {@link FanOut}. */
  <T extends SignalData> Consumer<T> fanOut(Node node, SignalType<T, ?> type, String where);

  /** Registers an instance once, however many nodes share it (a receiver serving two signals). */
  void register(ComponentKind kind, ComponentId id, Component component);
}
