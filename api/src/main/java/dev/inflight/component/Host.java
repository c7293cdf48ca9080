package dev.inflight.component;

import java.util.Map;
import java.util.Optional;

/** What a starting component can see of the running service: the extensions. */
public interface Host {
  Map<ComponentId, Extension> extensions();

  default Optional<Extension> extension(ComponentId id) {
    return Optional.ofNullable(extensions().get(id));
  }

  /** The first extension of the given class, for extensions found by role (auth, query). */
  default <T> Optional<T> extension(Class<T> type) {
    return extensions().values().stream().filter(type::isInstance).map(type::cast).findFirst();
  }
}
