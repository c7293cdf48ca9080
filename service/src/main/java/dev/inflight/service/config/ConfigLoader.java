package dev.inflight.service.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.Factory;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblem;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.component.config.Suggestions;
import dev.inflight.service.internal.graph.PipelineGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads Collector YAML into a validated {@link CollectorConfig}: parses each source with line
 * numbers, expands environment references, merges the sources (later files override earlier ones,
 * maps merge, lists replace), applies {@code --set} overrides, merges each component's settings
 * over its factory's defaults, binds them to the config records and validates them and the
 * pipeline graph. Any problem refuses the config as a whole, with every problem reported.
 */
public final class ConfigLoader {
  /** The top-level keys of a Collector config. */
  public static final List<String> SECTIONS =
      List.of("receivers", "processors", "exporters", "connectors", "extensions", "service");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final FactoryRegistry registry;
  private final EnvExpander env;
  private final ObjectMapper mapper = ConfigMapper.create();
  private final RecordBinder binder = new RecordBinder(mapper);

  public ConfigLoader(FactoryRegistry registry, Function<String, String> env) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.env = new EnvExpander(Objects.requireNonNull(env, "env"));
  }

  /** Loads with the process environment. */
  public ConfigLoader(FactoryRegistry registry) {
    this(registry, System::getenv);
  }

  /**
   * @param sources YAML documents, later ones overriding earlier ones
   * @param overrides {@code --set} flags: {@code path=value}, path separated by {@code ::} (or
   *     {@code .} when it has no {@code ::}), value read as YAML
   * @throws InvalidConfigException listing every problem with its location
   */
  public LoadedConfig load(List<ConfigSource> sources, List<String> overrides) throws InvalidConfigException {
    List<LocatedProblem> located = new ArrayList<>();
    Map<String, Location> locations = new HashMap<>();
    Map<String, List<String>> unsetVars = new HashMap<>();
    ObjectNode root = NODES.objectNode();

    for (ConfigSource source : sources) {
      YamlTree.Parsed parsed = YamlTree.parse(source.name(), source.yaml(), "", true, env, located);
      if (parsed == null) {
        continue;
      }
      if (parsed.root().isNull()) {
        continue; // an empty file adds nothing
      }
      if (!parsed.root().isObject()) {
        located.add(new LocatedProblem(parsed.locations().get(""), "",
            "a config must be a map with receivers, processors, exporters, connectors, extensions and service"));
        continue;
      }
      absorb(parsed, locations, unsetVars);
      deepMerge(root, (ObjectNode) parsed.root());
    }
    for (String flag : overrides) {
      applyOverride(root, flag, locations, unsetVars, located);
    }
    if (!located.isEmpty()) {
      // YAML that does not parse: checking what did parse would only add noise.
      throw new InvalidConfigException(located, List.of());
    }

    List<ConfigProblem> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    skipUnsupportedPipelines(root, locations, warnings);
    Iterator<String> keys = root.fieldNames();
    while (keys.hasNext()) {
      String key = keys.next();
      if (!SECTIONS.contains(key)) {
        problems.add(new ConfigProblem(key, "unknown top-level key `" + key + "`"
            + orList(Suggestions.didYouMean(key, SECTIONS), SECTIONS)));
      }
    }

    Map<ComponentKind, Map<ComponentId, ComponentConfig>> components = new EnumMap<>(ComponentKind.class);
    for (ComponentKind kind : ComponentKind.values()) {
      components.put(kind, bindSection(kind, root.get(kind.section()), problems));
    }
    ServiceConfig service = bindService(root.get("service"), problems);
    if (service != null) {
      PipelineGraph.Check check = PipelineGraph.check(new CollectorConfig(components, service), registry);
      problems.addAll(check.problems());
      check.warnings().forEach(w -> warnings.add(locate(w.path(), locations) + ": " + w.path() + ": " + w.message()));
      String address = service.telemetry().metrics().address();
      if (address != null && service.telemetry().metrics().readers() == null) {
        String path = "service.telemetry.metrics.address";
        warnings.add(locate(path, locations) + ": " + path + " is deprecated, as in the Collector: use"
            + " readers: [{pull: {exporter: {prometheus: {host: " + hostOf(address) + ", port: " + portOf(address) + "}}}}]");
      }
      service.telemetry().logs().unimplemented().forEach((key, why) -> {
        String path = "service.telemetry.logs." + key;
        warnings.add(locate(path, locations) + ": " + path + ": " + why);
      });
    }

    for (ConfigProblem p : problems) {
      located.add(new LocatedProblem(locate(p.path(), locations), p.path(), withUnsetNote(p, unsetVars)));
    }
    unsetVars.entrySet().stream()
        .sorted(Comparator.comparingInt(e -> locate(e.getKey(), locations).line()))
        .forEach(e -> e.getValue().forEach(v -> warnings.add(
            locate(e.getKey(), locations) + ": " + e.getKey() + ": ${" + v + "} is not set; using an empty value")));
    if (!located.isEmpty()) {
      List<String> order = new ArrayList<>();
      sources.forEach(s -> order.add(s.name()));
      located.sort(Comparator
          .comparingInt((LocatedProblem p) -> sourceRank(p.location(), order))
          .thenComparingInt(p -> p.location() == null ? 0 : p.location().line()));
      throw new InvalidConfigException(located, warnings);
    }
    return new LoadedConfig(new CollectorConfig(components, service), warnings);
  }

  /**
   * A pipeline of a signal the Collector has and inflight does not ({@code profiles}, experimental
   * upstream) is skipped with one warning, and so are the components only it uses: one message for
   * the pipeline, not an unknown-type error or an unused warning for each of its components.
   */
  private static void skipUnsupportedPipelines(ObjectNode root, Map<String, Location> locations, List<String> warnings) {
    if (!(root.path("service").path("pipelines") instanceof ObjectNode pipelines)) {
      return;
    }
    List<String> skipped = new ArrayList<>();
    Set<String> usedBySkipped = new LinkedHashSet<>();
    Set<String> usedByKept = new HashSet<>();
    pipelines.fields().forEachRemaining(e -> {
      String signal = e.getKey().contains("/") ? e.getKey().substring(0, e.getKey().indexOf('/')) : e.getKey();
      boolean skip = UNSUPPORTED_SIGNALS.contains(signal);
      if (skip) {
        skipped.add(e.getKey());
      }
      for (String list : List.of("receivers", "processors", "exporters")) {
        e.getValue().path(list).forEach(ref -> (skip ? usedBySkipped : usedByKept).add(ref.asText()));
      }
    });
    if (skipped.isEmpty()) {
      return;
    }
    usedBySkipped.removeAll(usedByKept);
    for (String section : List.of("receivers", "processors", "exporters", "connectors")) {
      if (root.get(section) instanceof ObjectNode components) {
        usedBySkipped.forEach(components::remove);
      }
    }
    for (String key : skipped) {
      String path = "service.pipelines." + key;
      warnings.add(locate(path, locations) + ": " + path + ": inflight has no " + key.split("/")[0] + " signal (in the"
          + " Collector it is experimental, behind the service.profilesSupport feature gate): this pipeline is skipped"
          + (usedBySkipped.isEmpty() ? "" : ", and so are the components only it uses: " + String.join(", ", usedBySkipped)));
    }
    skipped.forEach(pipelines::remove);
  }

  private static final Set<String> UNSUPPORTED_SIGNALS = Set.of("profiles");

  private static String hostOf(String address) {
    int colon = address.lastIndexOf(':');
    String host = colon <= 0 ? "" : address.substring(0, colon);
    return host.isEmpty() ? "0.0.0.0" : host.startsWith("[") ? "'" + host.substring(1, host.length() - 1) + "'" : host;
  }

  private static String portOf(String address) {
    return address.substring(address.lastIndexOf(':') + 1);
  }

  private static int sourceRank(Location l, List<String> order) {
    int i = l == null ? -1 : order.indexOf(l.source());
    return i < 0 ? order.size() : i;
  }

  private static String orList(String hint, List<String> valid) {
    return hint.isEmpty() ? "; valid keys: " + String.join(", ", valid) : hint;
  }

  private Map<ComponentId, ComponentConfig> bindSection(ComponentKind kind, JsonNode section, List<ConfigProblem> problems) {
    Map<ComponentId, ComponentConfig> out = new LinkedHashMap<>();
    if (section == null || section.isNull()) {
      return out;
    }
    if (!section.isObject()) {
      problems.add(new ConfigProblem(kind.section(), kind.section() + " must be a map of component ids to settings"));
      return out;
    }
    Iterator<Map.Entry<String, JsonNode>> it = section.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = kind.section() + "." + e.getKey();
      ComponentId id;
      try {
        id = ComponentId.parse(e.getKey());
      } catch (IllegalArgumentException ex) {
        problems.add(new ConfigProblem(path, ex.getMessage()));
        continue;
      }
      Factory<?> factory = registry.find(kind, id.type()).orElse(null);
      if (factory == null) {
        List<String> known = registry.types(kind);
        problems.add(new ConfigProblem(path, UpstreamComponents.problem(kind, id.type(), String.join(", ", known))
            .orElseGet(() -> "unknown " + kind + " type \"" + id.type() + "\""
                + Suggestions.didYouMean(id.type(), known)
                + (known.isEmpty() ? "; this build has no " + kind.section()
                    : "; known " + kind + " types: " + String.join(", ", known)))));
        out.put(id, null);
        continue;
      }
      out.put(id, bindComponent(factory, e.getValue(), path, problems));
    }
    return out;
  }

  private <C extends ComponentConfig> C bindComponent(
      Factory<C> factory, JsonNode user, String path, List<ConfigProblem> problems) {
    ObjectNode merged = mapper.valueToTree(factory.createDefaultConfig());
    if (user != null && !user.isNull()) {
      if (!user.isObject()) {
        problems.add(new ConfigProblem(path, "the settings of \"" + path.substring(path.indexOf('.') + 1)
            + "\" must be a map (or empty for the defaults)"));
        return null;
      }
      deepMerge(merged, (ObjectNode) user);
    }
    RecordBinder.Bound<C> bound = binder.bind(merged, factory.configClass(), path);
    problems.addAll(bound.problems());
    if (bound.value() != null) {
      ConfigProblems found = ConfigProblems.root();
      String[] parts = path.split("\\.", 2);
      validate(bound, () -> bound.value().validate(found.at(parts[0]).at(parts[1])), found);
      addUnlessAlreadyWrong(found.all(), bound.problems(), problems);
    }
    return bound.value();
  }

  private ServiceConfig bindService(JsonNode user, List<ConfigProblem> problems) {
    ObjectNode merged = mapper.valueToTree(ServiceConfig.defaults());
    if (user != null && !user.isNull()) {
      if (!user.isObject()) {
        problems.add(new ConfigProblem("service", "service must be a map with extensions, pipelines and telemetry"));
        return null;
      }
      deepMerge(merged, (ObjectNode) user);
    }
    RecordBinder.Bound<ServiceConfig> bound = binder.bind(merged, ServiceConfig.class, "service");
    problems.addAll(bound.problems());
    if (bound.value() != null) {
      ConfigProblems found = ConfigProblems.root();
      validate(bound, () -> bound.value().validate(found.at("service")), found);
      addUnlessAlreadyWrong(found.all(), bound.problems(), problems);
    }
    return bound.value();
  }

  /** Runs a validate method; one that trips over placeholder values is ignored, on clean values it is a bug. */
  private static void validate(RecordBinder.Bound<?> bound, Runnable validation, ConfigProblems found) {
    try {
      validation.run();
    } catch (RuntimeException e) {
      if (bound.clean()) {
        found.add("could not validate: " + e);
      }
    }
  }

  /**
   * Validation runs even when binding found problems, so every problem shows at once; but a value
   * that failed to bind holds a placeholder, and what validation says of it is noise.
   */
  private static void addUnlessAlreadyWrong(
      List<ConfigProblem> found, List<ConfigProblem> bindProblems, List<ConfigProblem> into) {
    for (ConfigProblem p : found) {
      boolean shadowed = bindProblems.stream().anyMatch(b ->
          b.path().equals(p.path()) || p.path().startsWith(b.path() + ".") || b.path().startsWith(p.path() + "."));
      if (!shadowed) {
        into.add(p);
      }
    }
  }

  /** Later values win; maps merge key by key; lists and scalars replace; an explicit null keeps the earlier value. */
  static void deepMerge(ObjectNode into, ObjectNode from) {
    Iterator<Map.Entry<String, JsonNode>> it = from.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = into.get(e.getKey());
      JsonNode value = e.getValue();
      if (value.isNull() && existing != null) {
        continue;
      }
      if (existing instanceof ObjectNode target && value instanceof ObjectNode source) {
        deepMerge(target, source);
      } else {
        into.set(e.getKey(), value.deepCopy());
      }
    }
  }

  private static void absorb(YamlTree.Parsed parsed, Map<String, Location> locations, Map<String, List<String>> unsetVars) {
    // A value written again by a later source no longer carries the earlier source's unset variables.
    parsed.locations().keySet().forEach(unsetVars::remove);
    locations.putAll(parsed.locations());
    unsetVars.putAll(parsed.unsetVars());
  }

  private void applyOverride(ObjectNode root, String flag, Map<String, Location> locations,
      Map<String, List<String>> unsetVars, List<LocatedProblem> located) {
    Location where = new Location("--set " + flag, 0);
    int eq = flag.indexOf('=');
    if (eq <= 0) {
      located.add(new LocatedProblem(where, "", "--set takes path=value, e.g. --set processors::batch::timeout=2s"));
      return;
    }
    String key = flag.substring(0, eq);
    String[] parts = key.contains("::") ? key.split("::") : key.split("\\.");
    for (String p : parts) {
      if (p.isEmpty()) {
        located.add(new LocatedProblem(where, "", "--set path \"" + key + "\" has an empty segment"));
        return;
      }
    }
    String path = String.join(".", parts);
    YamlTree.Parsed parsed = YamlTree.parse(where.source(), flag.substring(eq + 1), path, false, env, located);
    if (parsed == null) {
      return;
    }
    ObjectNode node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = node.get(parts[i]);
      if (!(child instanceof ObjectNode)) {
        child = NODES.objectNode();
        node.set(parts[i], child);
      }
      node = (ObjectNode) child;
    }
    String last = parts[parts.length - 1];
    JsonNode existing = node.get(last);
    if (existing instanceof ObjectNode target && parsed.root() instanceof ObjectNode source) {
      deepMerge(target, source);
    } else {
      node.set(last, parsed.root());
    }
    absorb(parsed, locations, unsetVars);
  }

  /** The location of a path, or of its nearest written ancestor (defaults have no line of their own). */
  static Location locate(String path, Map<String, Location> locations) {
    String p = path;
    while (true) {
      Location l = locations.get(p);
      if (l != null) {
        return l;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) {
        return locations.get("");
      }
      p = p.substring(0, cut);
    }
  }

  private static String withUnsetNote(ConfigProblem p, Map<String, List<String>> unsetVars) {
    Set<String> vars = new LinkedHashSet<>();
    unsetVars.forEach((path, v) -> {
      if (path.equals(p.path()) || path.startsWith(p.path() + ".") || path.startsWith(p.path() + "[")) {
        vars.addAll(v);
      }
    });
    if (vars.isEmpty()) {
      return p.message();
    }
    StringBuilder sb = new StringBuilder(p.message());
    for (String v : vars) {
      sb.append(": ${").append(v).append("} is not set");
    }
    return sb.toString();
  }
}
