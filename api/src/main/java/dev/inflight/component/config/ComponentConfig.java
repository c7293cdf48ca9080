package dev.inflight.component.config;

/**
 * A component's configuration: a record bound from YAML (snake_case keys), with defaults from its
 * factory and checks beside it. Validation messages are lowercase, start with the key, and say what
 * is wrong: {@code "send_batch_max_size must be greater or equal to send_batch_size"}.
 */
public interface ComponentConfig {
  /** Adds a problem for every invalid value; reports all of them, not just the first. */
  default void validate(ConfigProblems problems) {}
}
