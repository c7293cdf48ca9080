package dev.inflight.service.testing;

import dev.inflight.pdata.testing.TestData;

import dev.inflight.component.Component;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.ConnectorFactory;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.Extension;
import dev.inflight.component.ExtensionFactory;
import dev.inflight.component.Factory;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.Host;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.MetricsProcessor;
import dev.inflight.component.ProcessorFactory;
import dev.inflight.component.Receiver;
import dev.inflight.component.ReceiverFactory;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesConnector;
import dev.inflight.component.TracesConsumer;
import dev.inflight.component.TracesExporter;
import dev.inflight.component.TracesProcessor;
import dev.inflight.service.config.CollectorConfig;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.service.config.PipelineConfig;
import dev.inflight.service.config.ServiceConfig;
import dev.inflight.service.config.TelemetryConfig;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.exporterhelper.ExporterHelper;
import dev.inflight.component.telemetry.ReceiverMetrics;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Small components for testing the graph and the lifecycle. Every instance records what happens to
 * it ({@code start receiver testrcv}, {@code shutdown exporter testexp/a}, ...) into one shared
 * {@link Recorder}, and behaves as its {@link TestConfig} says.
 */
public final class TestComponents {
  private TestComponents() {}

  /** What a test component does besides recording. */
  public enum Refuse {
    NONE,
    RETRYABLE,
    PERMANENT,
    RUNTIME
  }

  /** The config record of every test component. */
  public record TestConfig(
      boolean failCreate, boolean failStart, Duration blockShutdown, boolean failShutdown, Refuse refuse)
      implements ComponentConfig {
    public static final TestConfig DEFAULT = new TestConfig(false, false, Duration.ZERO, false, Refuse.NONE);

    public static TestConfig failingCreate() {
      return new TestConfig(true, false, Duration.ZERO, false, Refuse.NONE);
    }

    public static TestConfig failingStart() {
      return new TestConfig(false, true, Duration.ZERO, false, Refuse.NONE);
    }

    public static TestConfig blockingShutdown(Duration d) {
      return new TestConfig(false, false, d, false, Refuse.NONE);
    }

    public static TestConfig failingShutdown() {
      return new TestConfig(false, false, Duration.ZERO, true, Refuse.NONE);
    }

    public static TestConfig refusing(Refuse refuse) {
      return new TestConfig(false, false, Duration.ZERO, false, refuse);
    }
  }

  /** Everything the test components did, in order, plus what the exporters received. */
  public static final class Recorder {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Map<String, TestReceiver> receivers = new ConcurrentHashMap<>();
    private final Map<String, List<Traces>> traces = new ConcurrentHashMap<>();
    private final Map<String, List<Metrics>> metrics = new ConcurrentHashMap<>();

    void event(String e) {
      events.add(e);
    }

    public List<String> events() {
      return List.copyOf(events);
    }

    /** Events that start with {@code prefix} ("start ", "shutdown "...). */
    public List<String> events(String prefix) {
      return events.stream().filter(e -> e.startsWith(prefix)).toList();
    }

    public TestReceiver receiver(String id) {
      TestReceiver r = receivers.get(id);
      if (r == null) {
        throw new AssertionError("no receiver \"" + id + "\" was created; have " + receivers.keySet());
      }
      return r;
    }

    public int receiverCount() {
      return receivers.size();
    }

    public List<Traces> traces(String exporterId) {
      return List.copyOf(traces.getOrDefault(exporterId, List.of()));
    }

    public List<Metrics> metrics(String exporterId) {
      return List.copyOf(metrics.getOrDefault(exporterId, List.of()));
    }
  }

  /** Records start and shutdown, fails or blocks as configured. */
  abstract static class Recorded implements Component {
    final Recorder recorder;
    final ComponentKind kind;
    final ComponentId id;
    final TestConfig config;

    Recorded(Recorder recorder, CreateSettings settings, TestConfig config) {
      this.recorder = recorder;
      this.kind = settings.kind();
      this.id = settings.id();
      this.config = config;
    }

    @Override
    public void start(Host host) throws Exception {
      recorder.event("start " + kind + " " + id);
      if (config.failStart()) {
        throw new IllegalStateException("port 1234 is taken");
      }
    }

    @Override
    public void shutdown() throws Exception {
      recorder.event("shutdown " + kind + " " + id);
      if (!config.blockShutdown().isZero()) {
        // Ignores interrupts, as a stuck component would.
        long until = System.nanoTime() + config.blockShutdown().toNanos();
        while (System.nanoTime() < until) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException ignored) {
            // keep blocking
          }
        }
      }
      if (config.failShutdown()) {
        throw new java.io.IOException("cannot flush file");
      }
    }
  }

  static void refuseIfConfigured(TestConfig config) throws Refusal {
    switch (config.refuse()) {
      case NONE -> {}
      case RETRYABLE -> throw Refusal.retryable("queue is full");
      case PERMANENT -> throw Refusal.permanent("bad data");
      case RUNTIME -> throw new IllegalStateException("boom");
    }
  }

  static void failCreateIfConfigured(TestConfig config) {
    if (config.failCreate()) {
      throw new IllegalArgumentException("endpoint is unreachable");
    }
  }

  // ---------------------------------------------------------------- receiver

  /** A receiver the test pushes data into; one instance per id, shared by traces and metrics. */
  public static final class TestReceiver extends Recorded implements Receiver {
    private volatile TracesConsumer traces;
    private volatile MetricsConsumer metrics;
    private final ReceiverMetrics counts;

    TestReceiver(Recorder recorder, CreateSettings settings, TestConfig config) {
      super(recorder, settings, config);
      this.counts = settings.telemetry().receiverMetrics("test");
    }

    public void push(Traces t) throws Refusal {
      try {
        traces.consumeTraces(t);
        counts.accepted(Signal.TRACES, t.spanCount());
      } catch (Refusal r) {
        counts.refused(Signal.TRACES, countable(t));
        throw r;
      }
    }

    private static int countable(Traces t) {
      try {
        return t.spanCount();
      } catch (dev.inflight.pdata.MalformedDataException e) {
        return 0;
      }
    }

    public void push(Metrics m) throws Refusal {
      try {
        metrics.consumeMetrics(m);
        counts.accepted(Signal.METRICS, m.dataPointCount());
      } catch (Refusal r) {
        counts.refused(Signal.METRICS, m.dataPointCount());
        throw r;
      }
    }
  }

  /** What every test factory shares: its type, the {@link Recorder} it reports to, {@link TestConfig}. */
  abstract static class TestFactory {
    final Recorder recorder;
    final String type;

    TestFactory(Recorder recorder, String type) {
      this.recorder = recorder;
      this.type = type;
    }

    public String type() {
      return type;
    }

    public Class<TestConfig> configClass() {
      return TestConfig.class;
    }

    public TestConfig createDefaultConfig() {
      return TestConfig.DEFAULT;
    }
  }

  /** A test factory of components that each serve some signals. */
  abstract static class SignalsFactory extends TestFactory {
    final Set<Signal> signals;

    SignalsFactory(Recorder recorder, String type, Set<Signal> signals) {
      super(recorder, type);
      this.signals = signals;
    }

    public Set<Signal> signals() {
      return signals;
    }
  }

  public static final class TestReceiverFactory extends SignalsFactory implements ReceiverFactory<TestConfig> {
    public TestReceiverFactory(Recorder recorder, String type, Signal... signals) {
      super(recorder, type, signals.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(signals)));
    }

    private TestReceiver shared(CreateSettings settings, TestConfig config) {
      failCreateIfConfigured(config);
      return settings.shared(
          () -> {
            TestReceiver r = new TestReceiver(recorder, settings, config);
            recorder.receivers.put(settings.id().toString(), r);
            return r;
          });
    }

    @Override
    public Receiver createTraces(CreateSettings settings, TestConfig config, TracesConsumer next) {
      TestReceiver r = shared(settings, config);
      r.traces = next;
      return r;
    }

    @Override
    public Receiver createMetrics(CreateSettings settings, TestConfig config, MetricsConsumer next) {
      TestReceiver r = shared(settings, config);
      r.metrics = next;
      return r;
    }
  }

  // ---------------------------------------------------------------- processor

  /**
   * Appends its id to the resource attribute {@code trail} of every batch, so the exporter can see
   * which processors the batch went through, in which order.
   */
  public static final class TrailProcessorFactory extends SignalsFactory implements ProcessorFactory<TestConfig> {
    public static final String TRAIL = "trail";
    public TrailProcessorFactory(Recorder recorder, String type, Signal... signals) {
      super(recorder, type, EnumSet.copyOf(Arrays.asList(signals)));
    }

    private static Resource withTrail(Resource resource, String id) {
      Resource.Builder b = resource.toBuilder().clearAttributes();
      String trail = null;
      for (KeyValue kv : resource.getAttributesList()) {
        if (kv.getKey().equals(TRAIL)) {
          trail = kv.getValue().getStringValue();
        } else {
          b.addAttributes(kv);
        }
      }
      return b.addAttributes(TestData.attr(TRAIL, trail == null ? id : trail + "," + id)).build();
    }

    @Override
    public TracesProcessor createTraces(CreateSettings settings, TestConfig config, TracesConsumer next) {
      failCreateIfConfigured(config);
      String trailId = settings.id().toString();
      class P extends Recorded implements TracesProcessor {
        P(Recorder r, TestConfig c) {
          super(r, settings, c);
        }

        @Override
        public void consumeTraces(Traces traces) throws Refusal {
          refuseIfConfigured(config);
          ExportTraceServiceRequest.Builder b = traces.request().toBuilder();
          b.getResourceSpansBuilderList().forEach(rs -> rs.setResource(withTrail(rs.getResource(), trailId)));
          next.consumeTraces(Traces.of(b.build()));
        }
      }
      return new P(recorder, config);
    }

    @Override
    public MetricsProcessor createMetrics(CreateSettings settings, TestConfig config, MetricsConsumer next) {
      failCreateIfConfigured(config);
      String trailId = settings.id().toString();
      class P extends Recorded implements MetricsProcessor {
        P(Recorder r, TestConfig c) {
          super(r, settings, c);
        }

        @Override
        public void consumeMetrics(Metrics metrics) throws Refusal {
          refuseIfConfigured(config);
          ExportMetricsServiceRequest.Builder b = metrics.request().toBuilder();
          b.getResourceMetricsBuilderList().forEach(rm -> rm.setResource(withTrail(rm.getResource(), trailId)));
          next.consumeMetrics(Metrics.of(b.build()));
        }
      }
      return new P(recorder, config);
    }
  }

  // ---------------------------------------------------------------- exporter

  /** Records every batch it gets (through {@link ExporterHelper}), or refuses as configured. */
  public static final class TestExporterFactory extends SignalsFactory implements ExporterFactory<TestConfig> {
    public TestExporterFactory(Recorder recorder, String type, Signal... signals) {
      super(recorder, type, EnumSet.copyOf(Arrays.asList(signals)));
    }

    private Recorded lifecycle(CreateSettings settings, TestConfig config) {
      return new Recorded(recorder, settings, config) {};
    }

    @Override
    public TracesExporter createTraces(CreateSettings settings, TestConfig config) {
      failCreateIfConfigured(config);
      String id = settings.id().toString();
      return ExporterHelper.traces(
          settings,
          t -> {
            refuseIfConfigured(config);
            recorder.traces.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(t);
          },
          lifecycle(settings, config));
    }

    @Override
    public MetricsExporter createMetrics(CreateSettings settings, TestConfig config) {
      failCreateIfConfigured(config);
      String id = settings.id().toString();
      return ExporterHelper.metrics(
          settings,
          m -> {
            refuseIfConfigured(config);
            recorder.metrics.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(m);
          },
          lifecycle(settings, config));
    }
  }

  // ---------------------------------------------------------------- connectors

  /**
   * {@code count}: traces in, metrics out (one gauge {@code spans} whose value is the batch's span
   * count). {@code forward}: traces in, the same traces out.
   */
  public static final class TestConnectorFactory extends TestFactory implements ConnectorFactory<TestConfig> {
    private final Set<Route> routes;

    public TestConnectorFactory(Recorder recorder, String type, Route... routes) {
      super(recorder, type);
      this.routes = Set.of(routes);
    }

    public static TestConnectorFactory count(Recorder recorder) {
      return new TestConnectorFactory(recorder, "count", new Route(Signal.TRACES, Signal.METRICS));
    }

    public static TestConnectorFactory forward(Recorder recorder) {
      return new TestConnectorFactory(recorder, "forward", new Route(Signal.TRACES, Signal.TRACES));
    }

    @Override
    public Set<Route> routes() {
      return routes;
    }

    @Override
    public TracesConnector createTracesToTraces(CreateSettings settings, TestConfig config, TracesConsumer next) {
      failCreateIfConfigured(config);
      class C extends Recorded implements TracesConnector {
        C(Recorder r, TestConfig c) {
          super(r, settings, c);
        }

        @Override
        public void consumeTraces(Traces traces) throws Refusal {
          next.consumeTraces(traces);
        }
      }
      return new C(recorder, config);
    }

    @Override
    public TracesConnector createTracesToMetrics(CreateSettings settings, TestConfig config, MetricsConsumer next) {
      failCreateIfConfigured(config);
      class C extends Recorded implements TracesConnector {
        C(Recorder r, TestConfig c) {
          super(r, settings, c);
        }

        @Override
        public void consumeTraces(Traces traces) throws Refusal {
          next.consumeMetrics(Metrics.of(spanCountMetric(traces.spanCount())));
        }
      }
      return new C(recorder, config);
    }
  }

  /** What the {@code count} connector emits for a batch of {@code spans} spans. */
  public static ExportMetricsServiceRequest spanCountMetric(long spans) {
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .addMetrics(
                            Metric.newBuilder()
                                .setName("spans")
                                .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsInt(spans))))))
        .build();
  }

  // ---------------------------------------------------------------- extension

  public static final class TestExtension extends Recorded implements Extension {
    TestExtension(Recorder recorder, CreateSettings settings, TestConfig config) {
      super(recorder, settings, config);
    }

    @Override
    public void pipelinesReady() {
      recorder.event("ready " + kind + " " + id);
    }

    @Override
    public void pipelinesNotReady() {
      recorder.event("notready " + kind + " " + id);
    }
  }

  public static final class TestExtensionFactory extends TestFactory implements ExtensionFactory<TestConfig> {
    public TestExtensionFactory(Recorder recorder, String type) {
      super(recorder, type);
    }

    @Override
    public Extension create(CreateSettings settings, TestConfig config) {
      failCreateIfConfigured(config);
      return new TestExtension(recorder, settings, config);
    }
  }

  // ---------------------------------------------------------------- registry and config

  /**
   * Every test factory: receivers {@code testrcv} (traces, metrics), {@code otlp} (traces,
   * metrics), {@code metricsonly}; processors {@code trail} (traces, metrics), {@code
   * tracesonlyproc}; exporters {@code testexp} (traces, metrics), {@code tracesonly}; connectors
   * {@code count} (traces → metrics), {@code forward} (traces → traces); extension {@code testext}.
   */
  public static FactoryRegistry registry(Recorder recorder) {
    List<Factory<?>> all = new ArrayList<>();
    all.add(new TestReceiverFactory(recorder, "testrcv", Signal.TRACES, Signal.METRICS));
    all.add(new TestReceiverFactory(recorder, "otlp", Signal.TRACES, Signal.METRICS));
    all.add(new TestReceiverFactory(recorder, "metricsonly", Signal.METRICS));
    all.add(new TrailProcessorFactory(recorder, "trail", Signal.TRACES, Signal.METRICS));
    all.add(new TrailProcessorFactory(recorder, "tracesonlyproc", Signal.TRACES));
    all.add(new TestExporterFactory(recorder, "testexp", Signal.TRACES, Signal.METRICS));
    all.add(new TestExporterFactory(recorder, "tracesonly", Signal.TRACES));
    all.add(TestConnectorFactory.count(recorder));
    all.add(TestConnectorFactory.forward(recorder));
    all.add(new TestExtensionFactory(recorder, "testext"));
    return FactoryRegistry.of(all);
  }

  public static ConfigBuilder config() {
    return new ConfigBuilder();
  }

  /** Builds a {@link CollectorConfig} the way the config module would after binding. */
  public static final class ConfigBuilder {
    private final Map<ComponentKind, Map<ComponentId, ComponentConfig>> components =
        new EnumMap<>(ComponentKind.class);
    private final Map<String, PipelineConfig> pipelines = new LinkedHashMap<>();
    private final List<String> extensions = new ArrayList<>();
    private Duration shutdownTimeout;
    private TelemetryConfig telemetry;

    public ConfigBuilder define(ComponentKind kind, String id, ComponentConfig config) {
      components.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(ComponentId.parse(id), config);
      return this;
    }

    /** Defines each of {@code ids} as a {@code kind} with {@link TestConfig#DEFAULT}. */
    private ConfigBuilder defineDefaults(ComponentKind kind, String... ids) {
      for (String id : ids) {
        define(kind, id, TestConfig.DEFAULT);
      }
      return this;
    }

    public ConfigBuilder receiver(String... ids) {
      return defineDefaults(ComponentKind.RECEIVER, ids);
    }

    public ConfigBuilder processor(String... ids) {
      return defineDefaults(ComponentKind.PROCESSOR, ids);
    }

    public ConfigBuilder exporter(String... ids) {
      return defineDefaults(ComponentKind.EXPORTER, ids);
    }

    public ConfigBuilder connector(String... ids) {
      return defineDefaults(ComponentKind.CONNECTOR, ids);
    }

    /** Defines the extension and lists it in {@code service.extensions}. */
    public ConfigBuilder extension(String... ids) {
      defineDefaults(ComponentKind.EXTENSION, ids);
      extensions.addAll(List.of(ids));
      return this;
    }

    /** Lists an id in {@code service.extensions} without defining it. */
    public ConfigBuilder serviceExtension(String id) {
      extensions.add(id);
      return this;
    }

    public ConfigBuilder pipeline(String id, List<String> receivers, List<String> processors, List<String> exporters) {
      pipelines.put(id, new PipelineConfig(receivers, processors, exporters));
      return this;
    }

    /** An entry of {@code service.pipelines} with a null value ({@code traces:} and nothing under it). */
    public ConfigBuilder emptyPipeline(String id) {
      pipelines.put(id, null);
      return this;
    }

    public ConfigBuilder shutdownTimeout(Duration d) {
      this.shutdownTimeout = d;
      return this;
    }

    public ConfigBuilder telemetry(TelemetryConfig t) {
      this.telemetry = t;
      return this;
    }

    public CollectorConfig build() {
      return new CollectorConfig(
          components,
          new ServiceConfig(Collections.unmodifiableList(extensions), pipelines, telemetry, shutdownTimeout));
    }
  }
}
