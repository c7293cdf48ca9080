package dev.inflight.extension.zpages;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The zpages config as a user writes it, through the real loader. */
class ZPagesConfigTest {
  private static String yaml(String extensionYaml) {
    return "receivers:\n  nop:\nexporters:\n  nop:\nextensions:\n" + extensionYaml
        + "service:\n  extensions: [zpages]\n"
        + "  pipelines:\n    traces:\n      receivers: [nop]\n      exporters: [nop]\n";
  }

  private static ZPagesConfig load(String extensionYaml) throws InvalidConfigException {
    return (ZPagesConfig) ConfigFixture.load(yaml(extensionYaml), nopReceiver(), nopExporter(), new ZPagesExtensionFactory())
        .config().of(ComponentKind.EXTENSION).get(ComponentId.of("zpages"));
  }

  private static List<String> problems(String extensionYaml) {
    return ConfigFixture.problems(yaml(extensionYaml), nopReceiver(), nopExporter(), new ZPagesExtensionFactory());
  }

  @Test
  void emptySectionBindsLocalhostOnTheCollectorsPort() throws Exception {
    assertThat(load("  zpages:\n")).isEqualTo(new ZPagesConfig("localhost:55679"));
  }

  @Test
  void bindsEndpoint() throws Exception {
    assertThat(load("  zpages:\n    endpoint: 0.0.0.0:55680\n")).isEqualTo(new ZPagesConfig("0.0.0.0:55680"));
  }

  @Test
  void refusesABadEndpointNamingTheKey() {
    assertThat(problems("  zpages:\n    endpoint: 55679\n"))
        .containsExactly("config.yaml:7: extensions.zpages.endpoint: endpoint \"55679\" must be host:port (e.g. 0.0.0.0:4317)");
  }

  @Test
  void refusesAnUnknownKey() {
    assertThat(problems("  zpages:\n    endpont: localhost:1\n"))
        .singleElement().asString().contains("extensions.zpages").contains("unknown key `endpont`");
  }

  @Test
  void registeredForServiceLoader() {
    assertThat(FactoryRegistry.load().find(ComponentKind.EXTENSION, "zpages")).get().isInstanceOf(ZPagesExtensionFactory.class);
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    ZPagesConfig config = ConfigFixture.documentedExample("zpages/config.yaml", "zpages.md", ComponentKind.EXTENSION,
        "zpages", Map.of(), nopReceiver(), nopExporter(), new ZPagesExtensionFactory());
    assertThat(config).isEqualTo(new ZPagesConfig("localhost:55679"));
  }
}
