package dev.inflight.component;

import dev.inflight.component.config.ComponentConfig;

/** Makes extensions; one instance per extension id listed in {@code service.extensions}. */
public interface ExtensionFactory<C extends ComponentConfig> extends Factory<C> {
  @Override
  default ComponentKind kind() {
    return ComponentKind.EXTENSION;
  }

  Extension create(CreateSettings settings, C config) throws Exception;

  /**
   * The interfaces an extension made from {@code config} implements that other components find it
   * by ({@link dev.inflight.component.auth.ServerAuthenticator}, {@link
   * dev.inflight.component.auth.ClientAuthenticator}), so validation can refuse a reference to an
   * extension that cannot serve it before anything starts.
   */
  default java.util.Set<Class<?>> roles(C config) {
    return java.util.Set.of();
  }
}
