package dev.inflight.exporter.debug;

import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.util.Map;
import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.exporter.debug.DebugExporterConfig.Verbosity;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.Signal;
import dev.inflight.component.config.ConfigProblems;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The debug exporter's config as a user writes it, through the real loader. */
class DebugExporterConfigTest {
  private static String yaml(String exporterYaml) {
    return "receivers:\n  nop:\nexporters:\n" + exporterYaml
        + "service:\n  pipelines:\n    traces:\n      receivers: [nop]\n      exporters: [debug]\n";
  }

  private static DebugExporterConfig load(String exporterYaml) throws InvalidConfigException {
    return (DebugExporterConfig)
        ConfigFixture.load(yaml(exporterYaml), nopReceiver(), new DebugExporterFactory())
            .config()
            .of(ComponentKind.EXPORTER)
            .get(ComponentId.of("debug"));
  }

  private static List<String> problems(String exporterYaml) {
    return ConfigFixture.problems(yaml(exporterYaml), nopReceiver(), new DebugExporterFactory());
  }

  @Test
  void emptySectionGetsTheCollectorDefaults() throws Exception {
    DebugExporterConfig config = load("  debug:\n");

    assertThat(config).isEqualTo(new DebugExporterConfig(Verbosity.BASIC, 2, 1));
    assertThat(config).isEqualTo(new DebugExporterFactory().createDefaultConfig());
  }

  @Test
  void bindsEverySnakeCaseKey() throws Exception {
    DebugExporterConfig config =
        load("  debug:\n    verbosity: detailed\n    sampling_initial: 5\n    sampling_thereafter: 200\n");

    assertThat(config.verbosity()).isEqualTo(Verbosity.DETAILED);
    assertThat(config.samplingInitial()).isEqualTo(5);
    assertThat(config.samplingThereafter()).isEqualTo(200);
  }

  @Test
  void refusesAnUnknownVerbosity() {
    assertThat(problems("  debug:\n    verbosity: verbose\n"))
        .singleElement(STRING)
        .contains("exporters.debug.verbosity: verbosity has invalid value \"verbose\"")
        .contains("basic")
        .contains("detailed");
  }

  @Test
  void refusesNegativeSampling() {
    assertThat(problems("  debug:\n    sampling_initial: -1\n    sampling_thereafter: -2\n"))
        .containsExactly(
            "config.yaml:5: exporters.debug.sampling_initial: sampling_initial must not be negative",
            "config.yaml:6: exporters.debug.sampling_thereafter: sampling_thereafter must not be negative");
  }

  @Test
  void suggestsTheKeyForATypo() {
    assertThat(problems("  debug:\n    sampling_inital: 3\n"))
        .singleElement(STRING)
        .contains("unknown key `sampling_inital`")
        .contains("sampling_initial");
  }

  @Test
  void validateNamesTheKey() {
    ConfigProblems problems = ConfigProblems.root();
    new DebugExporterConfig(Verbosity.NORMAL, -1, 0).validate(problems);

    assertThat(problems.all()).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("sampling_initial");
      assertThat(p.message()).isEqualTo("sampling_initial must not be negative");
    });
  }

  @Test
  void nullsBecomeDefaults() {
    assertThat(new DebugExporterConfig(null, null, 7))
        .isEqualTo(new DebugExporterConfig(Verbosity.BASIC, 2, 7));
  }

  @Test
  void registeredForServiceLoader() {
    assertThat(FactoryRegistry.load().find(ComponentKind.EXPORTER, "debug"))
        .get()
        .isInstanceOf(DebugExporterFactory.class);
  }

  @Test
  void factorySupportsTracesMetricsAndLogs() {
    DebugExporterFactory factory = new DebugExporterFactory();
    assertThat(factory.type()).isEqualTo("debug");
    assertThat(factory.kind()).isEqualTo(ComponentKind.EXPORTER);
    assertThat(factory.signals()).containsExactlyInAnyOrder(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    DebugExporterConfig config = ConfigFixture.documentedExample(
        "debug/config.yaml", "debug.md", ComponentKind.EXPORTER, "debug",
        Map.of(), nopReceiver(), new DebugExporterFactory());

    assertThat(config).isEqualTo(new DebugExporterConfig(DebugExporterConfig.Verbosity.DETAILED, 5, 200));
  }
}
