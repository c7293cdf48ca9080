package dev.inflight.component;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a starting component can see of the running service: the extensions, and the pipeline
 * components by what they publish.
 */
public interface Host {
  Map<ComponentId, Extension> extensions();

  default Optional<Extension> extension(ComponentId id) {
    return Optional.ofNullable(extensions().get(id));
  }

  /** The first extension of the given class, for extensions found by role (auth, query). */
  default <T> Optional<T> extension(Class<T> type) {
    return extensions().values().stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /**
   * The pipeline components that are a {@code type}, in start order: how a reader finds what a
   * component publishes (a concurrency connector is a {@link
   * dev.inflight.component.concurrency.ConcurrencySource}). Every component is built before any
   * starts, so the answer is the same at any point of the lifecycle.
   */
  default <T> List<T> components(Class<T> type) {
    return List.of();
  }

  /**
   * The service itself, for extensions that describe it (zpages): build, start time, pipelines,
   * extension status. Empty where there is no running service (a component tested alone).
   */
  default Optional<ServiceView> service() {
    return Optional.empty();
  }
}
