package dev.inflight.connector.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.ConnectorFactory.Route;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.LogsConnector;
import dev.inflight.component.MetricsConnector;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesConnector;
import dev.inflight.service.config.CollectorConfig;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.service.testing.PipelineEnds.Empty;
import dev.inflight.service.testing.PipelineEnds.KeepExporterFactory;
import dev.inflight.service.testing.PipelineEnds.PushReceiverFactory;
import dev.inflight.service.config.PipelineConfig;
import dev.inflight.service.config.ServiceConfig;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.pdata.testing.TestData;
import dev.inflight.service.internal.graph.PipelineGraph;
import dev.inflight.service.Service;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.service.telemetry.SelfTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForwardConnectorTest {
  private static final ComponentId ID = ComponentId.of("forward");
  private final ForwardConnectorFactory factory = new ForwardConnectorFactory();

  private static CreateSettings settings() {
    return new CreateSettings(
        ID, ComponentKind.CONNECTOR, ComponentTelemetry.noop(ComponentKind.CONNECTOR, ID), new HashMap<>());
  }

  @Test
  void tracesPassThroughUnchanged() throws Exception {
    List<Traces> got = new ArrayList<>();
    TracesConnector connector = factory.createTracesToTraces(settings(), new ForwardConnectorConfig(), got::add);
    Traces first = TestData.traces(2);
    Traces second = TestData.traces(1);

    connector.consumeTraces(first);
    connector.consumeTraces(second);

    // The same immutable batches, in order: nothing copied, nothing re-encoded.
    assertThat(got).containsExactly(first, second);
    assertThat(got.get(0).encoded()).isSameAs(first.encoded());
  }

  @Test
  void metricsPassThroughUnchanged() throws Exception {
    List<Metrics> got = new ArrayList<>();
    MetricsConnector connector =
        factory.createMetricsToMetrics(settings(), new ForwardConnectorConfig(), got::add);
    Metrics batch = TestData.metrics(1);

    connector.consumeMetrics(batch);

    assertThat(got).containsExactly(batch);
  }

  @Test
  void logsPassThroughUnchanged() throws Exception {
    List<Logs> got = new ArrayList<>();
    LogsConnector connector = factory.createLogsToLogs(settings(), new ForwardConnectorConfig(), got::add);
    Logs first = Logs.ofEncoded(TestData.logsRequest(new int[][] {{2, 1}, {3}}).toByteArray());
    Logs second = TestData.logs(1);

    connector.consumeLogs(first);
    connector.consumeLogs(second);

    assertThat(got).containsExactly(first, second);
    assertThat(got.get(0).encoded()).isSameAs(first.encoded());
    assertThat(connector).hasToString("forward connector (logs → logs)");
  }

  @Test
  void logsRefusalsFromNextReachTheSender() throws Exception {
    Refusal full = Refusal.retryable("queue is full", Duration.ofSeconds(3));
    LogsConnector connector =
        factory.createLogsToLogs(settings(), new ForwardConnectorConfig(), l -> { throw full; });

    assertThatThrownBy(() -> connector.consumeLogs(TestData.logs(1))).isSameAs(full);
  }

  @Test
  void retryableRefusalFromNextReachesTheSender() throws Exception {
    Refusal full = Refusal.retryable("queue is full", Duration.ofSeconds(3));
    TracesConnector connector =
        factory.createTracesToTraces(settings(), new ForwardConnectorConfig(), t -> { throw full; });

    assertThatThrownBy(() -> connector.consumeTraces(TestData.traces(1)))
        .isSameAs(full)
        .satisfies(e -> {
          assertThat(((Refusal) e).isRetryable()).isTrue();
          assertThat(((Refusal) e).retryAfter()).contains(Duration.ofSeconds(3));
        });
  }

  @Test
  void permanentRefusalFromNextReachesTheSender() throws Exception {
    Refusal bad = Refusal.permanent("bad data");
    MetricsConnector connector =
        factory.createMetricsToMetrics(settings(), new ForwardConnectorConfig(), m -> { throw bad; });

    assertThatThrownBy(() -> connector.consumeMetrics(TestData.metrics(1)))
        .isSameAs(bad)
        .satisfies(e -> assertThat(((Refusal) e).isRetryable()).isFalse());
  }

  @Test
  void routesOnlyToTheSameSignal() {
    assertThat(factory.routes())
        .containsExactlyInAnyOrder(
            new Route(Signal.TRACES, Signal.TRACES),
            new Route(Signal.METRICS, Signal.METRICS),
            new Route(Signal.LOGS, Signal.LOGS));
    assertThatThrownBy(
            () -> factory.createTracesToMetrics(settings(), new ForwardConnectorConfig(), m -> {}))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("forward connector does not support traces → metrics");
  }

  @Test
  void startAndShutdownAreHarmless() throws Exception {
    TracesConnector connector = ForwardConnector.traces(t -> {});
    connector.start(() -> Map.of());
    connector.shutdown();
    connector.shutdown();
  }

  @Test
  void registeredForServiceLoader() {
    assertThat(FactoryRegistry.load().find(ComponentKind.CONNECTOR, "forward"))
        .get()
        .isInstanceOf(ForwardConnectorFactory.class);
  }

  // --- In a running service: pipeline traces/in → forward → traces/out (and the same for metrics
  // and logs).

  @Test
  void joinsTwoPipelinesInARunningService() throws Exception {
    PushReceiverFactory receiver = new PushReceiverFactory();
    KeepExporterFactory exporter = new KeepExporterFactory();
    FactoryRegistry registry = FactoryRegistry.of(List.of(receiver, exporter, factory));
    Map<ComponentKind, Map<ComponentId, ComponentConfig>> components = new EnumMap<>(ComponentKind.class);
    components.put(ComponentKind.RECEIVER, Map.of(ComponentId.of("push"), new Empty()));
    components.put(ComponentKind.EXPORTER, Map.of(ComponentId.of("keep"), new Empty()));
    components.put(ComponentKind.CONNECTOR, Map.of(ID, new ForwardConnectorConfig()));
    Map<String, PipelineConfig> pipelines = new LinkedHashMap<>();
    pipelines.put("traces/in", new PipelineConfig(List.of("push"), null, List.of("forward")));
    pipelines.put("traces/out", new PipelineConfig(List.of("forward"), null, List.of("keep")));
    pipelines.put("traces/again", new PipelineConfig(List.of("forward"), null, List.of("keep")));
    pipelines.put("metrics/in", new PipelineConfig(List.of("push"), null, List.of("forward")));
    pipelines.put("metrics/out", new PipelineConfig(List.of("forward"), null, List.of("keep")));
    pipelines.put("logs/in", new PipelineConfig(List.of("push"), null, List.of("forward")));
    pipelines.put("logs/out", new PipelineConfig(List.of("forward"), null, List.of("keep")));
    CollectorConfig config =
        new CollectorConfig(components, new ServiceConfig(null, pipelines, null, null));
    assertThat(PipelineGraph.check(config, registry).problems()).isEmpty();

    Service service = Service.build(config, registry, SelfTelemetry.noop());
    service.start();
    try {
      Traces t = TestData.traces(1);
      Metrics m = TestData.metrics(1);
      Logs l = TestData.logs(3);
      receiver.traces.get().consumeTraces(t);
      receiver.metrics.get().consumeMetrics(m);
      receiver.logs.get().consumeLogs(l);

      // Two pipelines take from the connector, both ending in "keep": it gets the batch from each.
      assertThat(exporter.traces).containsExactly(t, t);
      assertThat(exporter.metrics).containsExactly(m);
      assertThat(exporter.logs).containsExactly(l);
    } finally {
      assertThat(service.shutdown()).isEmpty();
    }
  }
}
