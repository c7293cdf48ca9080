package dev.inflight.component;

import dev.inflight.component.config.ComponentConfig;

/** Makes extensions; one instance per extension id listed in {@code service.extensions}. */
public interface ExtensionFactory<C extends ComponentConfig> extends Factory<C> {
  @Override
  default ComponentKind kind() {
    return ComponentKind.EXTENSION;
  }

  Extension create(CreateSettings settings, C config) throws Exception;
}
