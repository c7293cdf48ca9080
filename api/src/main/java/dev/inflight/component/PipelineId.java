package dev.inflight.component;

import java.util.Objects;

/** A pipeline's id: {@code traces}, {@code metrics/concurrency}, ... The type part is its signal. */
public record PipelineId(Signal signal, String name) {
  public PipelineId {
    Objects.requireNonNull(signal, "signal");
    Objects.requireNonNull(name, "name");
  }

  /**
   * Parses {@code signal[/name]}.
   *
   * @throws IllegalArgumentException with a message fit for a config error
   */
  public static PipelineId parse(String id) {
    int slash = id.indexOf('/');
    String type = slash < 0 ? id : id.substring(0, slash);
    String name = slash < 0 ? "" : id.substring(slash + 1);
    Signal signal =
        Signal.fromKey(type)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "pipeline \"" + id + "\" has unknown signal \"" + type
                            + "\"; a pipeline id is traces, metrics or logs, optionally /name"));
    if (slash >= 0 && name.isEmpty()) {
      throw new IllegalArgumentException("pipeline id \"" + id + "\" has an empty name after /");
    }
    return new PipelineId(signal, name);
  }

  @Override
  public String toString() {
    return name.isEmpty() ? signal.key() : signal.key() + "/" + name;
  }
}
