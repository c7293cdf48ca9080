package dev.inflight.component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The component factories known to this build, found through {@link ServiceLoader}. */
public final class FactoryRegistry {
  private final Map<ComponentKind, Map<String, Factory<?>>> byKind =
      new EnumMap<>(ComponentKind.class);

  private FactoryRegistry(Collection<? extends Factory<?>> factories) {
    for (ComponentKind kind : ComponentKind.values()) {
      byKind.put(kind, new TreeMap<>());
    }
    for (Factory<?> f : factories) {
      Factory<?> previous = byKind.get(f.kind()).put(f.type(), f);
      if (previous != null) {
        throw new IllegalStateException(
            "two " + f.kind() + " factories for type \"" + f.type() + "\": "
                + previous.getClass().getName() + " and " + f.getClass().getName());
      }
    }
  }

  /** Every factory on the class path (META-INF/services/dev.inflight.component.Factory). */
  @SuppressWarnings("rawtypes")
  public static FactoryRegistry load() {
    List<Factory<?>> found = new ArrayList<>();
    for (Factory f : ServiceLoader.load(Factory.class, FactoryRegistry.class.getClassLoader())) {
      found.add(f);
    }
    return new FactoryRegistry(found);
  }

  public static FactoryRegistry of(Collection<? extends Factory<?>> factories) {
    return new FactoryRegistry(factories);
  }

  public Optional<Factory<?>> find(ComponentKind kind, String type) {
    return Optional.ofNullable(byKind.get(kind).get(type));
  }

  /** Types of the given kind, sorted: for "known types are ..." messages and the listing. */
  public List<String> types(ComponentKind kind) {
    return List.copyOf(byKind.get(kind).keySet());
  }

  public Collection<Factory<?>> factories(ComponentKind kind) {
    return Collections.unmodifiableCollection(byKind.get(kind).values());
  }
}
