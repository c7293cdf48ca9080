package dev.inflight.component;

import java.util.Locale;
import java.util.Optional;

/** The kinds of telemetry a pipeline carries; the first part of a pipeline id. */
public enum Signal {
  TRACES,
  METRICS,
  LOGS;

  /** The spelling used in configuration: {@code traces}, {@code metrics}, {@code logs}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Signal> fromKey(String key) {
    for (Signal s : values()) {
      if (s.key().equals(key)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return key();
  }
}
