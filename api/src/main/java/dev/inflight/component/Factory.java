package dev.inflight.component;

import dev.inflight.component.config.ComponentConfig;

/**
 * Makes components of one type. A factory is found through {@link FactoryRegistry} (a {@code
 * ServiceLoader}), declares the YAML key it answers to, and supplies the default config onto which
 * the user's config is merged before binding, as the Collector does.
 *
 * @param <C> the config record, bound from YAML with snake_case keys
 */
public interface Factory<C extends ComponentConfig> {
  /** The type part of a component id: the YAML key, e.g. {@code otlp}, {@code health_check}. */
  String type();

  /**
   * Older names the type is also found under (the Collector renamed {@code otlphttp} to {@code
   * otlp_http}; configs written for either load). Empty for most.
   */
  default java.util.List<String> aliases() {
    return java.util.List.of();
  }

  ComponentKind kind();

  Class<C> configClass();

  /** A complete config with every default filled in. */
  C createDefaultConfig();

  /** One line for {@code inflight components}. */
  default String description() {
    return "";
  }
}
