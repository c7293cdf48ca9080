package dev.inflight.connector.forward;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentKind;
import dev.inflight.service.config.ConfigFixture;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The forward connector's config as a user writes it, through the real loader. */
class ForwardConnectorConfigTest {
  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    ForwardConnectorConfig config = ConfigFixture.documentedExample(
        "forward/config.yaml", "forward.md", ComponentKind.CONNECTOR, "forward",
        Map.of(), nopReceiver(), nopExporter(), new ForwardConnectorFactory());


    assertThat(config).isEqualTo(new ForwardConnectorFactory().createDefaultConfig());
  }
}
