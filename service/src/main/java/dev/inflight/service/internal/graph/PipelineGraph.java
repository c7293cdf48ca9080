package dev.inflight.service.internal.graph;

import dev.inflight.service.Service;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.ConnectorFactory;
import dev.inflight.component.ConnectorFactory.Route;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.Factory;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.PipelineId;
import dev.inflight.component.ProcessorFactory;
import dev.inflight.component.ReceiverFactory;
import dev.inflight.component.Signal;
import dev.inflight.service.config.CollectorConfig;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblem;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.service.config.PipelineConfig;
import dev.inflight.component.config.Suggestions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The only code that knows how components connect. Built from {@code service.pipelines}: nodes
 * first, then edges, then (in {@link Service}) instances in reverse topological order so every
 * node's next consumer exists before it. {@link #check} reports every wiring problem at its YAML
 * path; a graph that passes the check has no dangling reference and no cycle.
 */
public final class PipelineGraph {
  /** The outcome of {@link #check}: errors refuse the config, warnings are logged. */
  public record Check(List<ConfigProblem> problems, List<ConfigProblem> warnings) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private final Map<PipelineId, PipelineConfig> pipelines;
  private final Map<Node, Set<Node>> successors = new LinkedHashMap<>();

  private PipelineGraph(Map<PipelineId, PipelineConfig> pipelines) {
    this.pipelines = pipelines;
  }

  /**
   * Checks the wiring of a config whose components are bound. A component whose config is null
   * counts as defined (its own problems were reported when it failed to bind) but its signals are
   * not checked.
   */
  public static Check check(CollectorConfig config, FactoryRegistry registry) {
    return new Checker(config, registry).run();
  }

  /** The graph of a config that passed {@link #check}. */
  public static PipelineGraph of(CollectorConfig config, FactoryRegistry registry) {
    Map<PipelineId, PipelineConfig> pipelines = new LinkedHashMap<>();
    config.service().pipelines().forEach((k, v) -> pipelines.put(PipelineId.parse(k), v));
    PipelineGraph graph = new PipelineGraph(pipelines);
    graph.connect(registry, config);
    return graph;
  }

  Map<PipelineId, PipelineConfig> pipelines() {
    return pipelines;
  }

  public Set<Node> successors(Node node) {
    return successors.getOrDefault(node, Set.of());
  }

  private void edge(Node from, Node to) {
    successors.computeIfAbsent(from, k -> new LinkedHashSet<>()).add(to);
    successors.computeIfAbsent(to, k -> new LinkedHashSet<>());
  }

  /** The first node of a pipeline: its first processor, or its fan-out when it has none. */
  private static Node entry(PipelineId id, PipelineConfig p) {
    return p.processors().isEmpty()
        ? new FanOutNode(id)
        : new ProcessorNode(id, 0, ComponentId.parse(p.processors().get(0)));
  }

  private void connect(FactoryRegistry registry, CollectorConfig config) {
    Set<ComponentId> connectors = config.of(ComponentKind.CONNECTOR).keySet();
    Map<ComponentId, Set<Signal>> exportedFrom = new HashMap<>();
    Map<ComponentId, Set<Signal>> receivedInto = new HashMap<>();
    pipelines.forEach(
        (id, p) -> {
          for (String e : p.exporters()) {
            exportedFrom.computeIfAbsent(ComponentId.parse(e), k -> EnumSet.noneOf(Signal.class)).add(id.signal());
          }
          for (String r : p.receivers()) {
            receivedInto.computeIfAbsent(ComponentId.parse(r), k -> EnumSet.noneOf(Signal.class)).add(id.signal());
          }
        });

    pipelines.forEach(
        (id, p) -> {
          Node entry = entry(id, p);
          for (String r : p.receivers()) {
            ComponentId rid = ComponentId.parse(r);
            if (connectors.contains(rid)) {
              Set<Route> routes = routes(registry, rid);
              for (Signal from : exportedFrom.getOrDefault(rid, Set.of())) {
                if (routes.contains(new Route(from, id.signal()))) {
                  edge(new ConnectorNode(rid, from, id.signal()), entry);
                }
              }
            } else {
              edge(new ReceiverNode(rid, id.signal()), entry);
            }
          }
          List<String> procs = p.processors();
          for (int i = 0; i < procs.size(); i++) {
            Node next =
                i + 1 < procs.size()
                    ? new ProcessorNode(id, i + 1, ComponentId.parse(procs.get(i + 1)))
                    : new FanOutNode(id);
            edge(new ProcessorNode(id, i, ComponentId.parse(procs.get(i))), next);
          }
          FanOutNode fanOut = new FanOutNode(id);
          successors.computeIfAbsent(fanOut, k -> new LinkedHashSet<>());
          for (String e : p.exporters()) {
            ComponentId eid = ComponentId.parse(e);
            if (connectors.contains(eid)) {
              Set<Route> routes = routes(registry, eid);
              for (Signal to : receivedInto.getOrDefault(eid, Set.of())) {
                if (routes.contains(new Route(id.signal(), to))) {
                  edge(fanOut, new ConnectorNode(eid, id.signal(), to));
                }
              }
            } else {
              edge(fanOut, new ExporterNode(eid, id.signal()));
            }
          }
        });
  }

  private static Set<Route> routes(FactoryRegistry registry, ComponentId id) {
    return registry
        .find(ComponentKind.CONNECTOR, id.type())
        .map(f -> ((ConnectorFactory<?>) f).routes())
        .orElse(Set.of());
  }

  /**
   * Nodes ordered so that every node comes before all of its successors (receivers first).
   *
   * @throws IllegalStateException naming the cycle if there is one
   */
  public List<Node> topologicalOrder() {
    Map<Node, Integer> inDegree = new LinkedHashMap<>();
    successors.keySet().forEach(n -> inDegree.put(n, 0));
    successors.values().forEach(s -> s.forEach(n -> inDegree.merge(n, 1, Integer::sum)));
    Deque<Node> ready = new ArrayDeque<>();
    inDegree.forEach((n, d) -> {
      if (d == 0) {
        ready.add(n);
      }
    });
    List<Node> order = new ArrayList<>();
    while (!ready.isEmpty()) {
      Node n = ready.poll();
      order.add(n);
      for (Node s : successors(n)) {
        if (inDegree.merge(s, -1, Integer::sum) == 0) {
          ready.add(s);
        }
      }
    }
    if (order.size() != inDegree.size()) {
      throw new IllegalStateException(describeCycle(findCycle()));
    }
    return order;
  }

  private List<Node> findCycle() {
    Map<Node, Integer> state = new HashMap<>(); // 1 = on the current path, 2 = done
    Deque<Node> path = new ArrayDeque<>();
    for (Node start : successors.keySet()) {
      List<Node> cycle = dfs(start, state, path);
      if (cycle != null) {
        return cycle;
      }
    }
    return List.of();
  }

  private List<Node> dfs(Node n, Map<Node, Integer> state, Deque<Node> path) {
    Integer s = state.get(n);
    if (s != null && s == 2) {
      return null;
    }
    if (s != null && s == 1) {
      List<Node> cycle = new ArrayList<>();
      boolean in = false;
      for (Node p : (Iterable<Node>) path::descendingIterator) {
        in |= p.equals(n);
        if (in) {
          cycle.add(p);
        }
      }
      cycle.add(n);
      return cycle;
    }
    state.put(n, 1);
    path.push(n);
    for (Node next : successors(n)) {
      List<Node> c = dfs(next, state, path);
      if (c != null) {
        return c;
      }
    }
    path.pop();
    state.put(n, 2);
    return null;
  }

  private static String describeCycle(List<Node> cycle) {
    return "cycle detected: "
        + cycle.stream()
            .filter(n -> !(n instanceof FanOutNode))
            .map(Node::describe)
            .collect(Collectors.joining(" → "));
  }

  /** Every check, collecting all problems. */
  private static final class Checker {
    private final CollectorConfig config;
    private final FactoryRegistry registry;
    private final ConfigProblems problems = ConfigProblems.root();
    /** Each at the path of what it is about, so the loader can say which file and line. */
    private final List<ConfigProblem> warnings = new ArrayList<>();
    private final Map<ComponentKind, Set<ComponentId>> used = new HashMap<>();
    // connector id -> pipeline ids that use it on each side, and the path of the first such use
    private final Map<ComponentId, Map<PipelineId, String>> connectorAsExporter = new LinkedHashMap<>();
    private final Map<ComponentId, Map<PipelineId, String>> connectorAsReceiver = new LinkedHashMap<>();

    Checker(CollectorConfig config, FactoryRegistry registry) {
      this.config = config;
      this.registry = registry;
      for (ComponentKind k : ComponentKind.values()) {
        used.put(k, new HashSet<>());
      }
    }

    Check run() {
      ConfigProblems service = problems.at("service");
      checkExtensions(service);
      ConfigProblems pipelinesAt = service.at("pipelines");
      Map<PipelineId, PipelineConfig> parsed = new LinkedHashMap<>();
      config.service().pipelines().forEach(
          (key, p) -> {
            try {
              parsed.put(PipelineId.parse(key), p);
            } catch (IllegalArgumentException e) {
              pipelinesAt.add(key, e.getMessage());
            }
          });
      if (config.service().pipelines().isEmpty()) {
        service.add("pipelines", "service must have at least one pipeline");
      }
      parsed.forEach((id, p) -> checkPipeline(id, p, pipelinesAt.at(id.toString())));
      checkConnectors();
      AuthenticatorReferences.check(config, registry, problems);
      warnUnused();
      if (problems.isEmpty()) {
        try {
          PipelineGraph.of(config, registry).topologicalOrder();
        } catch (IllegalStateException cycle) {
          pipelinesAt.add(cycle.getMessage());
        }
      }
      return new Check(List.copyOf(problems.all()), List.copyOf(warnings));
    }

    private void checkExtensions(ConfigProblems service) {
      Set<ComponentId> defined = config.of(ComponentKind.EXTENSION).keySet();
      Set<ComponentId> seen = new HashSet<>();
      List<String> ids = config.service().extensions();
      for (int i = 0; i < ids.size(); i++) {
        ConfigProblems at = service.at("extensions").at(i);
        ComponentId id = parseRef(ids.get(i), at);
        if (id == null) {
          continue;
        }
        if (!seen.add(id)) {
          at.add("extension \"" + id + "\" is listed more than once");
        } else if (!defined.contains(id)) {
          at.add(notDefined(ComponentKind.EXTENSION, id, defined, Set.of()));
        }
        used.get(ComponentKind.EXTENSION).add(id);
      }
    }

    private void checkPipeline(PipelineId pid, PipelineConfig p, ConfigProblems at) {
      if (p == null) {
        at.add("pipeline \"" + pid + "\" is empty: it needs receivers and exporters");
        return;
      }
      if (p.receivers().isEmpty()) {
        at.add("receivers", "pipeline \"" + pid + "\" must have at least one receiver");
      }
      if (p.exporters().isEmpty()) {
        at.add("exporters", "pipeline \"" + pid + "\" must have at least one exporter");
      }
      checkRefs(pid, p.receivers(), ComponentKind.RECEIVER, at.at("receivers"));
      checkRefs(pid, p.processors(), ComponentKind.PROCESSOR, at.at("processors"));
      checkRefs(pid, p.exporters(), ComponentKind.EXPORTER, at.at("exporters"));
    }

    /** References to receivers and exporters may name connectors; processors may not. */
    private void checkRefs(PipelineId pid, List<String> refs, ComponentKind kind, ConfigProblems at) {
      Set<ComponentId> seen = new HashSet<>();
      Set<ComponentId> defined = config.of(kind).keySet();
      Set<ComponentId> connectors =
          kind == ComponentKind.PROCESSOR ? Set.of() : config.of(ComponentKind.CONNECTOR).keySet();
      for (int i = 0; i < refs.size(); i++) {
        ConfigProblems here = at.at(i);
        ComponentId id = parseRef(refs.get(i), here);
        if (id == null) {
          continue;
        }
        if (!seen.add(id)) {
          here.add("pipeline \"" + pid + "\" references " + kind + " \"" + id + "\" more than once");
          continue;
        }
        if (defined.contains(id)) {
          used.get(kind).add(id);
          checkSignal(kind, id, pid, here);
        } else if (connectors.contains(id)) {
          used.get(ComponentKind.CONNECTOR).add(id);
          (kind == ComponentKind.RECEIVER ? connectorAsReceiver : connectorAsExporter)
              .computeIfAbsent(id, k -> new LinkedHashMap<>())
              .putIfAbsent(pid, here.path());
        } else {
          here.add(notDefined(kind, id, defined, connectors));
        }
      }
    }

    private ComponentId parseRef(String ref, ConfigProblems at) {
      if (ref == null || ref.isBlank()) {
        at.add("empty component id");
        return null;
      }
      try {
        return ComponentId.parse(ref);
      } catch (IllegalArgumentException e) {
        at.add(e.getMessage());
        return null;
      }
    }

    private String notDefined(
        ComponentKind kind, ComponentId id, Set<ComponentId> defined, Set<ComponentId> connectors) {
      Set<String> known = new TreeSet<>();
      defined.forEach(d -> known.add(d.toString()));
      connectors.forEach(d -> known.add(d.toString()));
      String where =
          kind == ComponentKind.RECEIVER || kind == ComponentKind.EXPORTER
              ? kind.section() + " or connectors"
              : kind.section();
      StringBuilder sb = new StringBuilder(kind + " \"" + id + "\" is used but not defined under " + where);
      sb.append(known.isEmpty() ? " (none are defined)" : " (defined: " + String.join(", ", known) + ")");
      sb.append(Suggestions.didYouMean(id.toString(), known));
      return sb.toString();
    }

    private void checkSignal(ComponentKind kind, ComponentId id, PipelineId pid, ConfigProblems at) {
      if (config.of(kind).get(id) == null) {
        return; // failed to bind; already reported
      }
      Factory<?> f = registry.find(kind, id.type()).orElse(null);
      if (f == null) {
        return;
      }
      Set<Signal> signals =
          switch (kind) {
            case RECEIVER -> ((ReceiverFactory<?>) f).signals();
            case PROCESSOR -> ((ProcessorFactory<?>) f).signals();
            case EXPORTER -> ((ExporterFactory<?>) f).signals();
            default -> Set.of();
          };
      if (!signals.contains(pid.signal())) {
        at.add(
            kind + " \"" + id + "\" does not support " + pid.signal() + " (pipeline \"" + pid
                + "\"); it supports " + (signals.isEmpty() ? "nothing" : join(signals)));
      }
    }

    private void checkConnectors() {
      Set<ComponentId> all = new LinkedHashSet<>(connectorAsExporter.keySet());
      all.addAll(connectorAsReceiver.keySet());
      for (ComponentId id : all) {
        Map<PipelineId, String> asExporter = connectorAsExporter.getOrDefault(id, Map.of());
        Map<PipelineId, String> asReceiver = connectorAsReceiver.getOrDefault(id, Map.of());
        ConfigProblems at = problems.at("connectors").at(id.toString());
        if (asReceiver.isEmpty()) {
          at.add(
              "connector \"" + id + "\" is used as exporter (in " + pipelinesOf(asExporter)
                  + ") but not as receiver in any pipeline; a connector links the end of one pipeline"
                  + " to the start of another");
          continue;
        }
        if (asExporter.isEmpty()) {
          at.add(
              "connector \"" + id + "\" is used as receiver (in " + pipelinesOf(asReceiver)
                  + ") but not as exporter in any pipeline; a connector links the end of one pipeline"
                  + " to the start of another");
          continue;
        }
        if (config.of(ComponentKind.CONNECTOR).get(id) == null) {
          continue;
        }
        Set<Route> routes = routes(registry, id);
        Set<Signal> receiverSignals = signalsOf(asReceiver);
        Set<Signal> exporterSignals = signalsOf(asExporter);
        String supports = routes.isEmpty() ? "nothing" : routes.stream().map(Route::toString).sorted().collect(Collectors.joining(", "));
        asExporter.forEach(
            (pid, path) -> {
              boolean ok = receiverSignals.stream().anyMatch(to -> routes.contains(new Route(pid.signal(), to)));
              if (!ok) {
                problems.add(
                    new ConfigProblem(path,
                        "connector \"" + id + "\" is an exporter of " + pid.signal() + " pipeline \"" + pid
                            + "\" but no pipeline it feeds can take its output: it supports " + supports
                            + " and is a receiver only in " + pipelinesOf(asReceiver)));
              }
            });
        asReceiver.forEach(
            (pid, path) -> {
              boolean ok = exporterSignals.stream().anyMatch(from -> routes.contains(new Route(from, pid.signal())));
              if (!ok) {
                problems.add(
                    new ConfigProblem(path,
                        "connector \"" + id + "\" is a receiver of " + pid.signal() + " pipeline \"" + pid
                            + "\" but none of the pipelines feeding it gives what it needs: it supports "
                            + supports + " and is an exporter only in " + pipelinesOf(asExporter)));
              }
            });
      }
    }

    private void warnUnused() {
      for (ComponentKind kind : ComponentKind.values()) {
        for (ComponentId id : config.of(kind).keySet()) {
          if (!used.get(kind).contains(id)) {
            warnings.add(new ConfigProblem(kind.section() + "." + id,
                kind + " \"" + id + "\" is defined under " + kind.section() + " but not used"
                    + (kind == ComponentKind.EXTENSION ? " in service.extensions" : " in any pipeline")
                    + "; it will not run"));
          }
        }
      }
    }

    private static Set<Signal> signalsOf(Map<PipelineId, String> uses) {
      Set<Signal> s = EnumSet.noneOf(Signal.class);
      uses.keySet().forEach(p -> s.add(p.signal()));
      return s;
    }

    private static String pipelinesOf(Map<PipelineId, String> uses) {
      return uses.keySet().stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(", "));
    }

    private static String join(Set<Signal> signals) {
      List<String> s = new ArrayList<>();
      signals.forEach(x -> s.add(x.key()));
      Collections.sort(s);
      return String.join(", ", s);
    }
  }

  /** The config of a node's component, from the section its kind is defined in. */
  static ComponentConfig configOf(CollectorConfig config, ComponentKind kind, ComponentId id) {
    return config.of(kind).get(id);
  }
}
