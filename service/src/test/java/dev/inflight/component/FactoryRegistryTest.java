package dev.inflight.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.service.testing.TestComponents;
import dev.inflight.service.testing.TestComponents.Recorder;
import dev.inflight.service.testing.TestComponents.TestExporterFactory;
import dev.inflight.service.testing.TestComponents.TestReceiverFactory;
import dev.inflight.component.telemetry.ComponentTelemetry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FactoryRegistryTest {
  private final Recorder recorder = new Recorder();

  @Test
  void findsFactoriesByKindAndType() {
    FactoryRegistry registry = TestComponents.registry(recorder);

    assertThat(registry.find(ComponentKind.RECEIVER, "otlp")).get().extracting(Factory::type).isEqualTo("otlp");
    assertThat(registry.find(ComponentKind.EXPORTER, "otlp")).isEmpty();
    assertThat(registry.types(ComponentKind.RECEIVER)).containsExactly("metricsonly", "otlp", "testrcv");
    assertThat(registry.types(ComponentKind.CONNECTOR)).containsExactly("count", "forward");
    assertThat(registry.factories(ComponentKind.EXTENSION)).hasSize(1);
  }

  @Test
  void theSameTypeMayExistOncePerKind() {
    List<Factory<?>> twoOtlp =
        List.of(new TestReceiverFactory(recorder, "otlp", Signal.TRACES), new TestExporterFactory(recorder, "otlp", Signal.TRACES));
    assertThat(FactoryRegistry.of(twoOtlp).types(ComponentKind.EXPORTER)).containsExactly("otlp");

    List<Factory<?>> clash =
        List.of(new TestReceiverFactory(recorder, "otlp", Signal.TRACES), new TestReceiverFactory(recorder, "otlp", Signal.METRICS));
    assertThatThrownBy(() -> FactoryRegistry.of(clash))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("two receiver factories for type \"otlp\": ");
  }

  @Test
  void loadWithNoServiceFilesFindsNothingInThisModule() {
    // pipeline itself declares no factories; other modules do.
    FactoryRegistry registry = FactoryRegistry.load();
    for (ComponentKind kind : ComponentKind.values()) {
      assertThat(registry.types(kind)).isEmpty();
    }
  }

  @Test
  void sharedGivesOneInstancePerKindAndId() {
    Map<Object, Object> shared = new HashMap<>();
    ComponentId otlp = ComponentId.of("otlp");
    CreateSettings receiver = new CreateSettings(otlp, ComponentKind.RECEIVER, ComponentTelemetry.noop(ComponentKind.RECEIVER, otlp), shared);
    CreateSettings receiverAgain = new CreateSettings(otlp, ComponentKind.RECEIVER, ComponentTelemetry.noop(ComponentKind.RECEIVER, otlp), shared);
    CreateSettings exporter = new CreateSettings(otlp, ComponentKind.EXPORTER, ComponentTelemetry.noop(ComponentKind.EXPORTER, otlp), shared);

    Object a = receiver.shared(Object::new);
    assertThat(receiverAgain.<Object>shared(Object::new)).isSameAs(a);
    assertThat(exporter.<Object>shared(Object::new)).isNotSameAs(a);
  }

  @Test
  void refusalsSayWhetherToRetry() {
    assertThat(Refusal.retryable("full").isRetryable()).isTrue();
    assertThat(Refusal.retryable("full").retryAfter()).isEmpty();
    assertThat(Refusal.retryable("full", java.time.Duration.ofSeconds(3)).retryAfter()).contains(java.time.Duration.ofSeconds(3));
    assertThat(Refusal.permanent("bad").isRetryable()).isFalse();
    assertThat(Refusal.permanent("bad", new IllegalStateException("x")).getCause()).hasMessage("x");
  }
}
