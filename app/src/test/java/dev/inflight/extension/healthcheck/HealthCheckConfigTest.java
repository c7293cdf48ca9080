package dev.inflight.extension.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.config.ConfigLoader;
import dev.inflight.config.ConfigSource;
import dev.inflight.config.InvalidConfigException;
import dev.inflight.config.LocatedProblem;
import dev.inflight.pipeline.ComponentId;
import dev.inflight.pipeline.ComponentKind;
import dev.inflight.pipeline.CreateSettings;
import dev.inflight.pipeline.ExporterFactory;
import dev.inflight.pipeline.FactoryRegistry;
import dev.inflight.pipeline.Receiver;
import dev.inflight.pipeline.ReceiverFactory;
import dev.inflight.pipeline.Signal;
import dev.inflight.pipeline.TracesConsumer;
import dev.inflight.pipeline.TracesExporter;
import dev.inflight.pipeline.config.ComponentConfig;
import dev.inflight.pipeline.config.ConfigProblem;
import dev.inflight.pipeline.config.ConfigProblems;
import dev.inflight.pipeline.data.Traces;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The health_check config as a user writes it, through the real loader. */
class HealthCheckConfigTest {
  record NopConfig() implements ComponentConfig {}

  // A receiver and an exporter that do nothing: a config needs a pipeline to hold the extension.

  static final class NopReceiverFactory implements ReceiverFactory<NopConfig> {
    @Override public String type() { return "nop"; }
    @Override public Class<NopConfig> configClass() { return NopConfig.class; }
    @Override public NopConfig createDefaultConfig() { return new NopConfig(); }
    @Override public Set<Signal> signals() { return Set.of(Signal.TRACES); }

    @Override
    public Receiver createTraces(CreateSettings settings, NopConfig config, TracesConsumer next) {
      return new Receiver() {};
    }
  }

  static final class NopExporterFactory implements ExporterFactory<NopConfig> {
    @Override public String type() { return "nop"; }
    @Override public Class<NopConfig> configClass() { return NopConfig.class; }
    @Override public NopConfig createDefaultConfig() { return new NopConfig(); }
    @Override public Set<Signal> signals() { return Set.of(Signal.TRACES); }

    @Override
    public TracesExporter createTraces(CreateSettings settings, NopConfig config) {
      return new TracesExporter() {
        @Override
        public void consumeTraces(Traces traces) {}
      };
    }
  }

  private static HealthCheckConfig load(String extensionYaml) throws InvalidConfigException {
    String yaml =
        "receivers:\n  nop:\nexporters:\n  nop:\nextensions:\n" + extensionYaml
            + "service:\n  extensions: [health_check]\n"
            + "  pipelines:\n    traces:\n      receivers: [nop]\n      exporters: [nop]\n";
    FactoryRegistry registry =
        FactoryRegistry.of(
            List.of(new NopReceiverFactory(), new NopExporterFactory(), new HealthCheckExtensionFactory()));
    return (HealthCheckConfig)
        new ConfigLoader(registry, name -> null)
            .load(List.of(new ConfigSource("config.yaml", yaml)), List.of())
            .config()
            .of(ComponentKind.EXTENSION)
            .get(ComponentId.of("health_check"));
  }

  private static List<String> problems(String extensionYaml) {
    try {
      load(extensionYaml);
    } catch (InvalidConfigException e) {
      return e.problems().stream().map(LocatedProblem::toString).toList();
    }
    throw new AssertionError("config loaded");
  }

  @Test
  void emptySectionGetsTheDefaults() throws Exception {
    assertThat(load("  health_check:\n")).isEqualTo(new HealthCheckConfig("0.0.0.0:13133", "/"));
  }

  @Test
  void bindsEveryKey() throws Exception {
    assertThat(load("  health_check:\n    endpoint: localhost:9999\n    path: /health/status\n"))
        .isEqualTo(new HealthCheckConfig("localhost:9999", "/health/status"));
  }

  @Test
  void refusesABadEndpointAndPath() {
    assertThat(problems("  health_check:\n    endpoint: 13133\n    path: health\n"))
        .containsExactly(
            "config.yaml:7: extensions.health_check.endpoint: endpoint \"13133\" must be host:port (e.g. 0.0.0.0:4317)",
            "config.yaml:8: extensions.health_check.path: path \"health\" must start with /");
  }

  @Test
  void validateNamesTheKey() {
    ConfigProblems problems = ConfigProblems.root();
    new HealthCheckConfig("", "/").validate(problems);

    assertThat(problems.all()).containsExactly(new ConfigProblem("endpoint", "endpoint must not be empty"));
  }

  @Test
  void nullsBecomeDefaults() {
    assertThat(new HealthCheckConfig(null, null)).isEqualTo(new HealthCheckExtensionFactory().createDefaultConfig());
  }

  @Test
  void registeredForServiceLoader() {
    assertThat(FactoryRegistry.load().find(ComponentKind.EXTENSION, "health_check"))
        .get()
        .isInstanceOf(HealthCheckExtensionFactory.class);
  }
}
