package dev.inflight.service.config;

import java.util.List;

/** A config that loaded and validated, with the warnings worth logging (unused components, unset env). */
public record LoadedConfig(CollectorConfig config, List<String> warnings) {
  public LoadedConfig {
    warnings = List.copyOf(warnings);
  }
}
