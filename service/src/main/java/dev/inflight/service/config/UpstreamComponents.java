package dev.inflight.service.config;

import dev.inflight.component.ComponentKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Component types of the OpenTelemetry Collector (core and contrib) that inflight does not have,
 * read from {@code collector-components.txt}. A config copied from a Collector names them; saying
 * "a Collector component inflight does not have" and what to do beats "unknown type", which reads
 * like a typo.
 */
public final class UpstreamComponents {
  /** @param replacement what to use instead, for a type removed upstream; empty otherwise */
  record Entry(ComponentKind kind, String type, String replacement) {}

  private static final Map<ComponentKind, Map<String, Entry>> ENTRIES = load();

  private UpstreamComponents() {}

  static Optional<Entry> find(ComponentKind kind, String type) {
    return Optional.ofNullable(ENTRIES.get(kind).get(type));
  }

  /** The types of {@code kind} listed: none may be a type this build has (a test checks). */
  public static java.util.Set<String> types(ComponentKind kind) {
    return java.util.Collections.unmodifiableSet(ENTRIES.get(kind).keySet());
  }

  /** The config problem for {@code type}, or empty when the Collector has no such type either. */
  static Optional<String> problem(ComponentKind kind, String type, String knownTypes) {
    return find(kind, type).map(e -> e.replacement().isEmpty()
        ? kind + " \"" + type + "\" is a Collector component inflight does not have: remove it from "
            + kind.section() + " and from the pipelines that use it, or run it in a Collector in front of"
            + " inflight (docs/configuration.md, \"From a Collector config\"); inflight's " + kind + " types: "
            + knownTypes
        : kind + " \"" + type + "\" was removed upstream: use " + e.replacement());
  }

  private static Map<ComponentKind, Map<String, Entry>> load() {
    Map<ComponentKind, Map<String, Entry>> out = new EnumMap<>(ComponentKind.class);
    for (ComponentKind k : ComponentKind.values()) {
      out.put(k, new HashMap<>());
    }
    try (InputStream in = UpstreamComponents.class.getResourceAsStream("collector-components.txt")) {
      if (in == null) {
        throw new IllegalStateException("collector-components.txt is missing from the classpath");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        line = line.strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String replacement = "";
        int eq = line.indexOf(" = ");
        if (eq >= 0) {
          replacement = line.substring(eq + 3).strip();
          line = line.substring(0, eq).strip();
        }
        String[] parts = line.split("\\s+");
        ComponentKind kind = kindOf(parts[0]);
        out.get(kind).put(parts[1], new Entry(kind, parts[1], replacement));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static ComponentKind kindOf(String word) {
    for (ComponentKind k : ComponentKind.values()) {
      if (k.toString().equals(word)) {
        return k;
      }
    }
    throw new IllegalStateException("collector-components.txt: unknown kind " + word);
  }
}
