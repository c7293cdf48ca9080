package dev.inflight.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.Refusal;
import dev.inflight.component.TracesExporter;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.pdata.testing.TestData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExporterHelperTest {
  private final ComponentId id = ComponentId.parse("otlp/backend");
  private final CreateSettings settings =
      new CreateSettings(id, ComponentKind.EXPORTER, ComponentTelemetry.noop(ComponentKind.EXPORTER, id), new HashMap<>());
  private final LifecycleLog component = new LifecycleLog();

  @Test
  void pushesAndDelegatesTheLifecycle() throws Exception {
    List<Traces> pushed = new ArrayList<>();
    TracesExporter e = ExporterHelper.traces(settings, pushed::add, component);
    Traces t = TestData.traces(2);

    e.start(Map::of);
    e.consumeTraces(t);
    e.shutdown();

    assertThat(pushed).singleElement().isSameAs(t);
    assertThat(component.calls).containsExactly("start", "shutdown");
  }

  @Test
  void aRefusalPassesThroughAsItIs() {
    Refusal full = Refusal.retryable("queue is full");
    TracesExporter e = ExporterHelper.traces(settings, t -> { throw full; }, component);

    assertThatThrownBy(() -> e.consumeTraces(TestData.traces(1))).isSameAs(full);
  }

  @Test
  void aCheckedExceptionIsRetryable() {
    TracesExporter e = ExporterHelper.traces(settings, t -> { throw new IOException("connection refused"); }, component);

    assertThatThrownBy(() -> e.consumeTraces(TestData.traces(1)))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isTrue();
          assertThat(r.getMessage()).isEqualTo("export failed: connection refused");
        });
  }

  @Test
  void aRuntimeExceptionIsPermanent() {
    MetricsExporter e = ExporterHelper.metrics(settings, m -> { throw new NullPointerException(); }, component);

    assertThatThrownBy(() -> e.consumeMetrics(TestData.metrics(1)))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isFalse();
          assertThat(r.getMessage()).isEqualTo("export failed: NullPointerException");
          assertThat(r.getCause()).isInstanceOf(NullPointerException.class);
        });
  }

  @Test
  void metricsArePushed() throws Exception {
    List<Metrics> pushed = new ArrayList<>();
    MetricsExporter e = ExporterHelper.metrics(settings, pushed::add, component);
    Metrics m = TestData.metrics(3);

    e.consumeMetrics(m);
    e.start(Map::of);

    assertThat(pushed).singleElement().isSameAs(m);
    assertThat(component.calls).containsExactly("start");
  }
}
