package dev.inflight.service.internal.graph;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.ExtensionFactory;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.auth.AuthenticatorReference;
import dev.inflight.component.auth.ClientAuthenticator;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.component.config.Suggestions;
import dev.inflight.service.config.CollectorConfig;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Checks every {@code auth: {authenticator: <id>}} of every component before anything starts: the
 * id must be an extension that is defined, listed in {@code service.extensions}, and whose factory
 * says it can be used that way (server side for receivers and the query extension, client side for
 * exporters). The references are found by walking the bound config records, so a component that
 * gains an {@code auth} block is checked without being listed here.
 */
final class AuthenticatorReferences {
  private static final PropertyNamingStrategies.NamingBase SNAKE =
      (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

  private AuthenticatorReferences() {}

  static void check(CollectorConfig config, FactoryRegistry registry, ConfigProblems root) {
    Map<ComponentId, ComponentConfig> extensions = config.of(ComponentKind.EXTENSION);
    Set<ComponentId> running = new HashSet<>();
    for (String e : config.service().extensions()) {
      try {
        running.add(ComponentId.parse(e));
      } catch (IllegalArgumentException ignored) {
        // reported by the extensions check
      }
    }
    for (ComponentKind kind : ComponentKind.values()) {
      config.of(kind).forEach((id, c) -> {
        if (c == null) {
          return; // failed to bind; already reported
        }
        ConfigProblems at = root.at(kind.section()).at(id.toString());
        walk(c, "", (path, ref) -> checkOne(ref, at.at(path), extensions, running, registry));
      });
    }
  }

  private static void checkOne(AuthenticatorReference ref, ConfigProblems at,
      Map<ComponentId, ComponentConfig> extensions, Set<ComponentId> running, FactoryRegistry registry) {
    if (ref.authenticator().isEmpty()) {
      return;
    }
    ComponentId id;
    try {
      id = ComponentId.parse(ref.authenticator());
    } catch (IllegalArgumentException e) {
      return; // the reference's own validate reports it
    }
    String side = ref.role() == ClientAuthenticator.class ? "client" : "server";
    if (!extensions.containsKey(id)) {
      Set<String> known = new TreeSet<>();
      extensions.keySet().forEach(k -> known.add(k.toString()));
      at.add("authenticator", "authenticator \"" + id + "\" is not defined under extensions"
          + (known.isEmpty() ? " (none are defined)" : " (defined: " + String.join(", ", known) + ")")
          + Suggestions.didYouMean(id.toString(), known));
      return;
    }
    if (!running.contains(id)) {
      at.add("authenticator", "authenticator \"" + id + "\" is defined but not listed in service.extensions,"
          + " so it would not run: add it there");
      return;
    }
    ComponentConfig extensionConfig = extensions.get(id);
    if (extensionConfig == null) {
      return; // failed to bind; already reported
    }
    registry.find(ComponentKind.EXTENSION, id.type()).ifPresent(f -> {
      if (!roles(f, extensionConfig).contains(ref.role())) {
        at.add("authenticator", "extension \"" + id + "\" is not a " + side + " authenticator"
            + hint(id.type(), side));
      }
    });
  }

  private static String hint(String type, String side) {
    return switch (type) {
      case "basicauth" -> side.equals("server")
          ? " (a basicauth extension with client_auth authenticates what inflight sends; to check what it receives, use one with htpasswd)"
          : " (a basicauth extension with htpasswd checks what inflight receives; to authenticate what it sends, use one with client_auth)";
      default -> "; the auth extensions are bearertokenauth and basicauth";
    };
  }

  @SuppressWarnings("unchecked")
  private static <C extends ComponentConfig> Set<Class<?>> roles(Object factory, ComponentConfig config) {
    if (!(factory instanceof ExtensionFactory<?> f) || !f.configClass().isInstance(config)) {
      return Set.of();
    }
    return ((ExtensionFactory<C>) f).roles((C) config);
  }

  /** Every reference in {@code value} (records, lists and maps of them), with its snake_case path. */
  private static void walk(Object value, String path, BiConsumer<String, AuthenticatorReference> found) {
    if (value instanceof AuthenticatorReference ref) {
      found.accept(path, ref);
    }
    if (value instanceof Record r) {
      for (RecordComponent rc : r.getClass().getRecordComponents()) {
        Object child;
        try {
          rc.getAccessor().setAccessible(true);
          child = rc.getAccessor().invoke(r);
        } catch (ReflectiveOperationException | RuntimeException e) {
          continue; // not ours to read (a record of another module that is not open)
        }
        if (child != null) {
          walk(child, ConfigProblems.join(path, SNAKE.translate(rc.getName())), found);
        }
      }
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) != null) {
          walk(list.get(i), path + "[" + i + "]", found);
        }
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        if (v != null) {
          walk(v, ConfigProblems.join(path, String.valueOf(k)), found);
        }
      });
    }
  }
}
