package dev.inflight.extension.healthcheck;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.config.ConfigProblem;
import dev.inflight.component.config.ConfigProblems;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The health_check config as a user writes it, through the real loader. */
class HealthCheckConfigTest {
  // A receiver and an exporter that do nothing (ConfigFixture): a config needs a pipeline to hold the extension.

  private static String yaml(String extensionYaml) {
    return "receivers:\n  nop:\nexporters:\n  nop:\nextensions:\n" + extensionYaml
        + "service:\n  extensions: [health_check]\n"
        + "  pipelines:\n    traces:\n      receivers: [nop]\n      exporters: [nop]\n";
  }

  private static HealthCheckConfig load(String extensionYaml) throws InvalidConfigException {
    return (HealthCheckConfig)
        ConfigFixture.load(yaml(extensionYaml), nopReceiver(), nopExporter(), new HealthCheckExtensionFactory())
            .config()
            .of(ComponentKind.EXTENSION)
            .get(ComponentId.of("health_check"));
  }

  private static List<String> problems(String extensionYaml) {
    return ConfigFixture.problems(yaml(extensionYaml), nopReceiver(), nopExporter(), new HealthCheckExtensionFactory());
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

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    HealthCheckConfig config = ConfigFixture.documentedExample(
        "health_check/config.yaml", "health_check.md", ComponentKind.EXTENSION, "health_check",
        Map.of(), nopReceiver(), nopExporter(), new HealthCheckExtensionFactory());

    assertThat(config).isEqualTo(new HealthCheckConfig("0.0.0.0:13133", "/health/status"));
  }
}
