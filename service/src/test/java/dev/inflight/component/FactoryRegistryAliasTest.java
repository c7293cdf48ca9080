package dev.inflight.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.service.testing.TestComponents.Recorder;
import dev.inflight.service.testing.TestComponents.TestConfig;
import dev.inflight.service.testing.TestComponents.TestExporterFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A type found under an older name too, as the Collector's renamed exporters are. */
class FactoryRegistryAliasTest {
  private final Recorder recorder = new Recorder();

  /** {@code otlp_http}, formerly {@code otlphttp}. */
  private static final class Renamed implements Factory<TestConfig> {
    @Override
    public String type() {
      return "otlp_http";
    }

    @Override
    public List<String> aliases() {
      return List.of("otlphttp");
    }

    @Override
    public ComponentKind kind() {
      return ComponentKind.EXPORTER;
    }

    @Override
    public Class<TestConfig> configClass() {
      return TestConfig.class;
    }

    @Override
    public TestConfig createDefaultConfig() {
      return TestConfig.DEFAULT;
    }
  }

  @Test
  void anOlderNameFindsTheSameFactoryButIsNotListed() {
    FactoryRegistry registry = FactoryRegistry.of(List.of(new Renamed()));
    Factory<?> current = registry.find(ComponentKind.EXPORTER, "otlp_http").orElseThrow();
    assertThat(registry.find(ComponentKind.EXPORTER, "otlphttp")).containsSame(current);
    assertThat(registry.find(ComponentKind.RECEIVER, "otlphttp")).isEmpty();
    assertThat(registry.types(ComponentKind.EXPORTER)).containsExactly("otlp_http");
  }

  @Test
  void anOlderNameMayNotBeAnotherType() {
    List<Factory<?>> clash = List.of(new Renamed(), new TestExporterFactory(recorder, "otlphttp", Signal.TRACES));
    assertThatThrownBy(() -> FactoryRegistry.of(clash))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the exporter type \"otlphttp\" is both a type and an older name of \"otlp_http\"");
  }
}
