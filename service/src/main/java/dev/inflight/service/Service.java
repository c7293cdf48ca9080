package dev.inflight.service;

import dev.inflight.service.internal.graph.FanOut;
import dev.inflight.service.internal.graph.Node;
import dev.inflight.service.internal.graph.PipelineGraph;
import dev.inflight.service.internal.graph.Wiring;

import dev.inflight.component.Component;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.Consumer;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.Extension;
import dev.inflight.component.ExtensionFactory;
import dev.inflight.component.Factory;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.Host;
import dev.inflight.component.PipelineId;
import dev.inflight.component.ServiceView;
import dev.inflight.component.SignalType;
import dev.inflight.pdata.SignalData;
import dev.inflight.service.config.CollectorConfig;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.DurationFormat;
import dev.inflight.service.telemetry.SelfTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running pipelines: every component instance, and their lifecycle. Start order is extensions,
 * then the graph downstream-first (exporters, processors and connectors, receivers), so no
 * component receives data before its consumers run; shutdown is the reverse, each component
 * draining what it holds, within {@code service.shutdown_timeout}.
 */
public final class Service {
  private static final Logger log = LoggerFactory.getLogger(Service.class);

  /** A component instance with what names it in messages: {@code "otlp" receiver}. */
  public record Instance(ComponentKind kind, ComponentId id, Component component) {
    public String describe() {
      return "\"" + id + "\" " + kind;
    }
  }

  private final Map<ComponentId, Extension> extensions;
  private final List<Instance> extensionInstances;
  private final List<Instance> pipelineInstances; // start order
  private final Duration shutdownTimeout;
  private final List<Instance> started = new ArrayList<>();
  private final AtomicBoolean shutDown = new AtomicBoolean();
  private final ServiceView.BuildInfo buildInfo;
  private final List<ServiceView.Pipeline> pipelines;
  private final Map<ComponentId, ServiceView.Status> extensionStatus = new ConcurrentHashMap<>();
  private volatile Instant startTime;

  /** The build a service reports when its caller names none (tests, tools). */
  public static final ServiceView.BuildInfo UNNAMED_BUILD =
      new ServiceView.BuildInfo("inflight", "inflight", "unknown");

  private Service(
      List<Instance> extensionInstances, List<Instance> pipelineInstances, Duration shutdownTimeout,
      ServiceView.BuildInfo buildInfo, List<ServiceView.Pipeline> pipelines) {
    Map<ComponentId, Extension> ext = new LinkedHashMap<>();
    extensionInstances.forEach(i -> ext.put(i.id(), (Extension) i.component()));
    this.extensions = Collections.unmodifiableMap(ext);
    this.extensionInstances = List.copyOf(extensionInstances);
    this.pipelineInstances = List.copyOf(pipelineInstances);
    this.shutdownTimeout = shutdownTimeout;
    this.buildInfo = buildInfo;
    this.pipelines = List.copyOf(pipelines);
    extensionInstances.forEach(i -> extensionStatus.put(i.id(), ServiceView.Status.STARTING));
  }

  /**
   * Makes every component of a config that passed {@link PipelineGraph#check}.
   *
   * @throws BuildException naming the component whose factory failed
   */
  public static Service build(CollectorConfig config, FactoryRegistry registry, SelfTelemetry telemetry)
      throws BuildException {
    return build(config, registry, telemetry, UNNAMED_BUILD);
  }

  /**
   * As {@link #build(CollectorConfig, FactoryRegistry, SelfTelemetry)}, with the build the service
   * reports to extensions ({@link ServiceView#build}).
   */
  public static Service build(
      CollectorConfig config, FactoryRegistry registry, SelfTelemetry telemetry, ServiceView.BuildInfo buildInfo)
      throws BuildException {
    return new Builder(config, registry, telemetry, buildInfo).build();
  }

  /** Instances in the order they start: extensions, then pipelines downstream-first. */
  public List<Instance> instances() {
    List<Instance> all = new ArrayList<>(extensionInstances);
    all.addAll(pipelineInstances);
    return all;
  }

  /**
   * Starts everything. If a component fails, it and what already started are shut down again
   * (the failing one may have bound a port or started a thread before it failed).
   *
   * @throws StartException {@code failed to start "otlp" receiver: ...}
   */
  public synchronized void start() throws StartException {
    startTime = Instant.now();
    Host host = host();
    for (Instance i : instances()) {
      try {
        log.debug("starting {}", i.describe());
        i.component().start(host);
        started.add(i);
        if (i.kind() == ComponentKind.EXTENSION) {
          extensionStatus.put(i.id(), ServiceView.Status.OK);
        }
      } catch (Exception e) {
        StartException failure = new StartException("failed to start " + i.describe() + ": " + message(e), e);
        started.add(i);
        if (i.kind() == ComponentKind.EXTENSION) {
          extensionStatus.put(i.id(), ServiceView.Status.FAILED);
        }
        shutdown();
        throw failure;
      }
    }
    for (Instance i : extensionInstances) {
      ((Extension) i.component()).pipelinesReady();
    }
    log.debug("started {} pipeline components and {} extensions", pipelineInstances.size(), extensionInstances.size());
  }

  /**
   * Stops what started, upstream-first, then the extensions. Runs once; later calls return at once.
   * Each component's shutdown drains it; a component still busy when the timeout runs out is
   * abandoned so the process can exit.
   *
   * @return one line per component that failed to stop; empty when all stopped cleanly
   */
  public List<String> shutdown() {
    if (!shutDown.compareAndSet(false, true)) {
      return List.of();
    }
    List<Instance> toStop;
    synchronized (this) {
      toStop = new ArrayList<>(started);
    }
    for (Instance i : extensionInstances) {
      if (toStop.contains(i)) {
        try {
          ((Extension) i.component()).pipelinesNotReady();
        } catch (RuntimeException e) {
          log.warn("{} failed on pipelines-not-ready", i.describe(), e);
        }
      }
    }
    // Pipelines upstream-first (reverse of start), then extensions in reverse.
    List<Instance> order = new ArrayList<>();
    for (int k = toStop.size() - 1; k >= 0; k--) {
      if (toStop.get(k).kind() != ComponentKind.EXTENSION) {
        order.add(toStop.get(k));
      }
    }
    for (int k = toStop.size() - 1; k >= 0; k--) {
      if (toStop.get(k).kind() == ComponentKind.EXTENSION) {
        order.add(toStop.get(k));
      }
    }
    List<String> errors = new ArrayList<>();
    long deadline = System.nanoTime() + shutdownTimeout.toNanos();
    ExecutorService stopper = newStopper();
    try {
      for (Instance i : order) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          errors.add("shutdown_timeout of " + DurationFormat.format(shutdownTimeout) + " ran out before " + i.describe() + " was stopped");
          continue;
        }
        if (i.kind() == ComponentKind.EXTENSION) {
          extensionStatus.computeIfPresent(i.id(), (id, st) -> st == ServiceView.Status.FAILED ? st : ServiceView.Status.STOPPING);
        }
        Future<?> f =
            stopper.submit(
                () -> {
                  i.component().shutdown();
                  return null;
                });
        try {
          f.get(left, TimeUnit.NANOSECONDS);
          log.debug("stopped {}", i.describe());
          if (i.kind() == ComponentKind.EXTENSION) {
            extensionStatus.computeIfPresent(i.id(), (id, st) -> st == ServiceView.Status.FAILED ? st : ServiceView.Status.STOPPED);
          }
        } catch (ExecutionException e) {
          errors.add("failed to shut down " + i.describe() + ": " + message(e.getCause()));
        } catch (TimeoutException e) {
          f.cancel(true);
          errors.add(i.describe() + " did not stop within shutdown_timeout " + DurationFormat.format(shutdownTimeout));
          // The stuck thread is abandoned; later components get a fresh one.
          stopper.shutdownNow();
          stopper = newStopper();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          errors.add("interrupted while stopping " + i.describe());
          break;
        }
      }
    } finally {
      stopper.shutdownNow();
    }
    errors.forEach(log::error);
    return errors;
  }

  /** What components see of this service: the same before, during and after start. */
  Host host() {
    return new ServiceHost();
  }

  /** The extensions, and the pipeline components by type. */
  private final class ServiceHost implements Host {
    @Override
    public Map<ComponentId, Extension> extensions() {
      return extensions;
    }

    @Override
    public <T> List<T> components(Class<T> type) {
      return pipelineInstances.stream().map(Instance::component).filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public Optional<ServiceView> service() {
      return Optional.of(view);
    }
  }

  private final ServiceView view = new ServiceView() {
    @Override
    public BuildInfo build() {
      return buildInfo;
    }

    @Override
    public @Nullable Instant startTime() {
      return startTime;
    }

    @Override
    public List<Pipeline> pipelines() {
      return pipelines;
    }

    @Override
    public Map<ComponentId, Status> extensionStatus() {
      Map<ComponentId, Status> out = new LinkedHashMap<>();
      extensionInstances.forEach(i -> out.put(i.id(), extensionStatus.get(i.id())));
      return Collections.unmodifiableMap(out);
    }
  };

  /** A daemon thread to run shutdowns on, so a stuck one can be abandoned. */
  private static ExecutorService newStopper() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "shutdown");
      t.setDaemon(true);
      return t;
    });
  }

  static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** Makes instances in reverse topological order, so each node's consumers exist first. */
  private static final class Builder {
    private final CollectorConfig config;
    private final FactoryRegistry registry;
    private final SelfTelemetry telemetry;
    private final Map<Object, Object> shared = new HashMap<>();
    private final Map<Node, Consumer<?>> consumers = new HashMap<>();
    private final Map<Component, Instance> instances = new IdentityHashMap<>();
    private final List<Instance> startOrder = new ArrayList<>();

    private final ServiceView.BuildInfo buildInfo;

    Builder(CollectorConfig config, FactoryRegistry registry, SelfTelemetry telemetry, ServiceView.BuildInfo buildInfo) {
      this.config = config;
      this.registry = registry;
      this.telemetry = telemetry;
      this.buildInfo = buildInfo;
    }

    /** The configured pipelines, as extensions see them. */
    private List<ServiceView.Pipeline> pipelines() {
      Map<ComponentId, ComponentConfig> connectors = config.of(ComponentKind.CONNECTOR);
      List<ServiceView.Pipeline> out = new ArrayList<>();
      config.service().pipelines().forEach((name, p) -> {
        List<ComponentId> receivers = p.receivers().stream().map(ComponentId::parse).toList();
        List<ComponentId> exporters = p.exporters().stream().map(ComponentId::parse).toList();
        List<ComponentId> connected = new ArrayList<>();
        receivers.stream().filter(connectors::containsKey).forEach(connected::add);
        exporters.stream().filter(connectors::containsKey).filter(id -> !connected.contains(id)).forEach(connected::add);
        out.add(new ServiceView.Pipeline(PipelineId.parse(name), receivers,
            p.processors().stream().map(ComponentId::parse).toList(), exporters, connected));
      });
      return out;
    }

    Service build() throws BuildException {
      List<Instance> extensions = new ArrayList<>();
      for (String ref : config.service().extensions()) {
        ComponentId id = ComponentId.parse(ref);
        ExtensionFactory<ComponentConfig> f = factory(ComponentKind.EXTENSION, id);
        try {
          extensions.add(new Instance(ComponentKind.EXTENSION, id, f.create(settings(ComponentKind.EXTENSION, id), cfg(ComponentKind.EXTENSION, id))));
        } catch (Exception e) {
          throw new BuildException("failed to create \"" + id + "\" extension: " + message(e), e);
        }
      }
      PipelineGraph graph = PipelineGraph.of(config, registry);
      List<Node> order = graph.topologicalOrder();
      Wiring wiring = new GraphWiring(graph);
      for (int k = order.size() - 1; k >= 0; k--) {
        Node n = order.get(k);
        try {
          create(wiring, n);
        } catch (BuildException e) {
          throw e;
        } catch (Exception e) {
          throw new BuildException("failed to create " + n.describe() + " for " + n.signal() + ": " + message(e), e);
        }
      }
      return new Service(extensions, byKind(startOrder), config.service().shutdownTimeout(), buildInfo, pipelines());
    }

    /**
     * Exporters, then processors and connectors (still in reverse topological order), then
     * receivers. Exporters have no successors and receivers no predecessors, so this is still
     * downstream-first; plain reverse topological order would interleave the kinds when pipelines
     * differ in length.
     */
    private static List<Instance> byKind(List<Instance> reverseTopological) {
      List<Instance> order = new ArrayList<>();
      for (ComponentKind kind : List.of(ComponentKind.EXPORTER, ComponentKind.PROCESSOR, ComponentKind.RECEIVER)) {
        for (Instance i : reverseTopological) {
          boolean middle = i.kind() == ComponentKind.PROCESSOR || i.kind() == ComponentKind.CONNECTOR;
          if (kind == ComponentKind.PROCESSOR ? middle : i.kind() == kind) {
            order.add(i);
          }
        }
      }
      return order;
    }

    private void create(Wiring wiring, Node node) throws Exception {
      Consumer<?> input = node.build(wiring);
      if (input != null) {
        consumers.put(node, input);
      }
    }

    /** The graph and the consumers built so far, for the node being built. */
    private final class GraphWiring implements Wiring {
      private final PipelineGraph graph;

      GraphWiring(PipelineGraph graph) {
        this.graph = graph;
      }

      @Override
      public <F extends Factory<?>> F factory(ComponentKind kind, ComponentId id) throws BuildException {
        return Builder.this.factory(kind, id);
      }

      @Override
      public CreateSettings settings(ComponentKind kind, ComponentId id) {
        return Builder.this.settings(kind, id);
      }

      @Override
      public ComponentConfig config(ComponentKind kind, ComponentId id) {
        return cfg(kind, id);
      }

      @Override
      public <T extends SignalData> Consumer<T> next(Node node, SignalType<T, ?> type) {
        return consumer(graph.successors(node).iterator().next(), type);
      }

      @Override
      public <T extends SignalData> Consumer<T> fanOut(Node node, SignalType<T, ?> type, String where) {
        List<Consumer<T>> list = new ArrayList<>();
        graph.successors(node).forEach(n -> list.add(consumer(n, type)));
        return new FanOut<>(list, where);
      }

      @Override
      public void register(ComponentKind kind, ComponentId id, Component component) {
        Builder.this.register(kind, id, component);
      }
    }

    /** A built node's input; its signal is {@code type}'s, as the graph connects only equal signals. */
    @SuppressWarnings("unchecked")
    private <T extends SignalData> Consumer<T> consumer(Node node, SignalType<T, ?> type) {
      return (Consumer<T>) consumers.get(node);
    }

    private void register(ComponentKind kind, ComponentId id, Component component) {
      if (!instances.containsKey(component)) {
        Instance i = new Instance(kind, id, component);
        instances.put(component, i);
        startOrder.add(i);
      }
    }

    private CreateSettings settings(ComponentKind kind, ComponentId id) {
      return new CreateSettings(id, kind, telemetry.forComponent(kind, id), shared);
    }

    private ComponentConfig cfg(ComponentKind kind, ComponentId id) {
      return config.of(kind).get(id);
    }

    @SuppressWarnings("unchecked")
    private <F extends Factory<?>> F factory(ComponentKind kind, ComponentId id) throws BuildException {
      return (F)
          registry
              .find(kind, id.type())
              .orElseThrow(() -> new BuildException("unknown " + kind + " type \"" + id.type() + "\"", null));
    }
  }
}
