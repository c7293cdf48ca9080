package dev.inflight.service.config;

import dev.inflight.component.config.ComponentConfig;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** A whole configuration, bound and validated: every defined component, and the service. */
public record CollectorConfig(
    Map<ComponentKind, Map<ComponentId, ComponentConfig>> components, ServiceConfig service) {
  public CollectorConfig {
    Map<ComponentKind, Map<ComponentId, ComponentConfig>> copy = new EnumMap<>(ComponentKind.class);
    for (ComponentKind kind : ComponentKind.values()) {
      copy.put(kind, new LinkedHashMap<>(components.getOrDefault(kind, Map.of())));
    }
    components = copy;
  }

  public Map<ComponentId, ComponentConfig> of(ComponentKind kind) {
    return components.get(kind);
  }
}
