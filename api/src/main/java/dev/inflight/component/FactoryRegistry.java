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
  /** Older type names ({@link Factory#aliases()}), by kind. */
  private final Map<ComponentKind, Map<String, Factory<?>>> byAlias =
      new EnumMap<>(ComponentKind.class);

  private FactoryRegistry(Collection<? extends Factory<?>> factories) {
    for (ComponentKind kind : ComponentKind.values()) {
      byKind.put(kind, new TreeMap<>());
      byAlias.put(kind, new TreeMap<>());
    }
    for (Factory<?> f : factories) {
      Factory<?> previous = byKind.get(f.kind()).put(f.type(), f);
      if (previous != null) {
        throw new IllegalStateException(
            "two " + f.kind() + " factories for type \"" + f.type() + "\": "
                + previous.getClass().getName() + " and " + f.getClass().getName());
      }
      for (String alias : f.aliases()) {
        previous = byAlias.get(f.kind()).put(alias, f);
        if (previous != null) {
          throw new IllegalStateException("two " + f.kind() + " factories for type \"" + alias + "\": "
              + previous.getClass().getName() + " and " + f.getClass().getName());
        }
      }
    }
    for (ComponentKind kind : ComponentKind.values()) {
      for (String alias : byAlias.get(kind).keySet()) {
        if (byKind.get(kind).containsKey(alias)) {
          throw new IllegalStateException("the " + kind + " type \"" + alias + "\" is both a type and an older name of \""
              + byAlias.get(kind).get(alias).type() + "\"");
        }
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

  /** The factory of {@code type}, or of the type it is an older name of. */
  public Optional<Factory<?>> find(ComponentKind kind, String type) {
    Factory<?> f = byKind.get(kind).get(type);
    return Optional.ofNullable(f != null ? f : byAlias.get(kind).get(type));
  }

  /** Current type names of the given kind, sorted (no aliases): for "known types are ..." messages and the listing. */
  public List<String> types(ComponentKind kind) {
    return List.copyOf(byKind.get(kind).keySet());
  }

  public Collection<Factory<?>> factories(ComponentKind kind) {
    return Collections.unmodifiableCollection(byKind.get(kind).values());
  }
}
