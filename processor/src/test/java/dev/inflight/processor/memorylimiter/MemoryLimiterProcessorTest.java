package dev.inflight.processor.memorylimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.LogsProcessor;
import dev.inflight.component.MetricsProcessor;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesProcessor;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.pdata.testing.TestData;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.processor.memorylimiter.MemoryLimiter.Limits;
import dev.inflight.service.telemetry.ScrapedTelemetry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MemoryLimiterProcessorTest {
  private static final long MIB = 1L << 20;
  private static final ComponentId ID = ComponentId.of("memory_limiter");

  private final AtomicLong used = new AtomicLong();
  private final List<Traces> gotTraces = new ArrayList<>();
  private final List<Metrics> gotMetrics = new ArrayList<>();

  private final List<Logs> gotLogs = new ArrayList<>();

  private MemoryLimiter limiter() {
    return limiter(ComponentTelemetry.noop(ComponentKind.PROCESSOR, ID));
  }

  private MemoryLimiter limiter(ComponentTelemetry telemetry) {
    MemoryLimiterProcessorConfig config = MemoryLimiterProcessorConfig.ofLimitMib(256);
    return new MemoryLimiter(
        "memory_limiter",
        config,
        Limits.of(config, 1024 * MIB),
        used::get,
        () -> {},
        System::nanoTime,
        LoggerFactory.getLogger("processor.memory_limiter"),
        telemetry);
  }

  private static CreateSettings settings(Map<Object, Object> shared) {
    return new CreateSettings(
        ID, ComponentKind.PROCESSOR, ComponentTelemetry.noop(ComponentKind.PROCESSOR, ID), shared);
  }

  @Test
  void dataPassesUnderTheLimitAndIsRefusedRetryableAboveIt() throws Exception {
    MemoryLimiter limiter = limiter();
    TracesProcessor traces = MemoryLimiterProcessor.traces(limiter, gotTraces::add);
    MetricsProcessor metrics = MemoryLimiterProcessor.metrics(limiter, gotMetrics::add);
    traces.start(() -> Map.of());
    metrics.start(() -> Map.of());
    try {
      used.set(100 * MIB);
      limiter.checkMemLimits();
      Traces t = TestData.traces(1);
      Metrics m = TestData.metrics(1);
      traces.consumeTraces(t);
      metrics.consumeMetrics(m);
      assertThat(gotTraces).containsExactly(t);
      assertThat(gotMetrics).containsExactly(m);

      used.set(220 * MIB);
      limiter.checkMemLimits();
      assertThatThrownBy(() -> traces.consumeTraces(TestData.traces(1)))
          .isInstanceOf(Refusal.class)
          .hasMessage("data refused due to high memory usage")
          .satisfies(e -> assertThat(((Refusal) e).isRetryable()).isTrue());
      assertThatThrownBy(() -> metrics.consumeMetrics(TestData.metrics(1)))
          .isInstanceOf(Refusal.class)
          .hasMessage("data refused due to high memory usage")
          .satisfies(e -> assertThat(((Refusal) e).isRetryable()).isTrue());
      assertThat(gotTraces).hasSize(1);
      assertThat(gotMetrics).hasSize(1);

      used.set(100 * MIB);
      limiter.checkMemLimits();
      traces.consumeTraces(t);
      assertThat(gotTraces).hasSize(2);
    } finally {
      traces.shutdown();
      metrics.shutdown();
    }
    assertThat(limiter.running()).isFalse();
  }

  @Test
  void logsPassUnderTheLimitAndAreRefusedRetryableAndCountedAboveIt() throws Exception {
    try (ScrapedTelemetry scraped = new ScrapedTelemetry()) {
      MemoryLimiter limiter =
          limiter(scraped.settings(ComponentKind.PROCESSOR, "memory_limiter").telemetry());
      LogsProcessor logs = MemoryLimiterProcessor.logs(limiter, gotLogs::add);
      logs.start(() -> Map.of());
      try {
        used.set(100 * MIB);
        limiter.checkMemLimits();
        Logs l = TestData.logs(3);
        logs.consumeLogs(l);
        assertThat(gotLogs).singleElement().isSameAs(l);

        used.set(220 * MIB);
        limiter.checkMemLimits();
        assertThatThrownBy(() -> logs.consumeLogs(TestData.logs(4)))
            .isInstanceOf(Refusal.class)
            .hasMessage("data refused due to high memory usage")
            .satisfies(e -> assertThat(((Refusal) e).isRetryable()).isTrue());
        assertThat(gotLogs).hasSize(1);
        assertThat(
                scraped.await(
                    "otelcol_processor_refused_log_records_total", Map.of("processor", "memory_limiter"), 4))
            .isEqualTo(4);

        used.set(100 * MIB);
        limiter.checkMemLimits();
        logs.consumeLogs(l);
        assertThat(gotLogs).hasSize(2);
      } finally {
        logs.shutdown();
      }
      assertThat(limiter.running()).isFalse();
    }
  }

  @Test
  void aRefusalFromDownstreamReachesTheSender() throws Exception {
    Refusal bad = Refusal.permanent("bad data");
    TracesProcessor traces =
        MemoryLimiterProcessor.traces(
            limiter(),
            t -> {
              throw bad;
            });

    assertThatThrownBy(() -> traces.consumeTraces(TestData.traces(1))).isSameAs(bad);
  }

  @Test
  void everyPipelineAndSignalOfOneIdSharesOneLimiter() throws Exception {
    Map<Object, Object> shared = new HashMap<>();
    MemoryLimiterProcessorFactory factory = new MemoryLimiterProcessorFactory();
    MemoryLimiterProcessorConfig config = MemoryLimiterProcessorConfig.ofLimitMib(1 << 20); // 1 TiB

    TracesProcessor a = factory.createTraces(settings(shared), config, gotTraces::add);
    TracesProcessor b = factory.createTraces(settings(shared), config, gotTraces::add);
    MetricsProcessor c = factory.createMetrics(settings(shared), config, gotMetrics::add);
    LogsProcessor d = factory.createLogs(settings(shared), config, gotLogs::add);

    assertThat(shared).hasSize(1);
    MemoryLimiter limiter = (MemoryLimiter) shared.values().iterator().next();
    a.start(() -> Map.of());
    b.start(() -> Map.of());
    c.start(() -> Map.of());
    d.start(() -> Map.of());
    assertThat(limiter.running()).isTrue();
    a.consumeTraces(TestData.traces(1));
    c.consumeMetrics(TestData.metrics(1));
    d.consumeLogs(TestData.logs(1));
    assertThat(gotTraces).hasSize(1);
    assertThat(gotMetrics).hasSize(1);
    assertThat(gotLogs).hasSize(1);

    a.shutdown();
    a.shutdown(); // twice: still only one reference released
    b.shutdown();
    c.shutdown();
    assertThat(limiter.running()).isTrue();
    d.shutdown();
    assertThat(limiter.running()).isFalse();
  }

  @Test
  void shutdownWithoutStartIsHarmless() throws Exception {
    MemoryLimiter limiter = limiter();
    TracesProcessor p = MemoryLimiterProcessor.traces(limiter, gotTraces::add);
    limiter.start(); // someone else's reference

    p.shutdown();

    assertThat(limiter.running()).isTrue();
    limiter.stop();
  }

  @Test
  void onThisJvmAHighLimitLetsDataThrough() throws Exception {
    TracesProcessor p =
        new MemoryLimiterProcessorFactory()
            .createTraces(
                settings(new HashMap<>()),
                MemoryLimiterProcessorConfig.DEFAULT.withLimitPercentage(99).withSpikeLimitPercentage(1),
                gotTraces::add);
    p.start(() -> Map.of());
    try {
      p.consumeTraces(TestData.traces(1));
    } finally {
      p.shutdown();
    }
    assertThat(gotTraces).hasSize(1);
  }

  @Test
  void factorySupportsTracesMetricsAndLogs() {
    MemoryLimiterProcessorFactory factory = new MemoryLimiterProcessorFactory();
    assertThat(factory.type()).isEqualTo("memory_limiter");
    assertThat(factory.kind()).isEqualTo(ComponentKind.PROCESSOR);
    assertThat(factory.signals()).containsExactlyInAnyOrder(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  @Test
  void registeredForServiceLoader() {
    assertThat(FactoryRegistry.load().find(ComponentKind.PROCESSOR, "memory_limiter"))
        .get()
        .isInstanceOf(MemoryLimiterProcessorFactory.class);
  }
}
