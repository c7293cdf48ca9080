package dev.inflight.exporter.prometheus;

import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.translator.prometheus.ResourceToTelemetryConversion;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.Signal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The prometheus exporter's config as a user writes it, through the real loader. */
class PrometheusExporterConfigTest {
  private static String yaml(String exporterYaml) {
    return "receivers:\n  nop:\nexporters:\n" + exporterYaml
        + "service:\n  pipelines:\n    metrics:\n      receivers: [nop]\n      exporters: [prometheus]\n";
  }

  private static PrometheusExporterConfig load(String exporterYaml) throws InvalidConfigException {
    return (PrometheusExporterConfig)
        ConfigFixture.load(yaml(exporterYaml), Map.of("HOST_IP", "10.0.0.7"), nopReceiver(), new PrometheusExporterFactory())
            .config()
            .of(ComponentKind.EXPORTER)
            .get(ComponentId.of("prometheus"));
  }

  private static List<String> problems(String exporterYaml) {
    return ConfigFixture.problems(yaml(exporterYaml), nopReceiver(), new PrometheusExporterFactory());
  }

  @Test
  void anEmptySectionGetsTheDefaults() throws Exception {
    PrometheusExporterConfig config = load("  prometheus:\n");

    assertThat(config.endpoint()).isEqualTo("0.0.0.0:8889");
    assertThat(config.namespace()).isEmpty();
    assertThat(config.constLabels()).isEmpty();
    assertThat(config.resourceToTelemetryConversion().enabled()).isFalse();
    assertThat(config.metricExpiration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.sendTimestamps()).isFalse();
    assertThat(config.addMetricSuffixes()).isTrue();
    assertThat(config).isEqualTo(new PrometheusExporterFactory().createDefaultConfig());
    assertThat(config).isEqualTo(PrometheusExporterConfig.DEFAULT);
  }

  @Test
  void bindsEverySnakeCaseKey() throws Exception {
    PrometheusExporterConfig config = ConfigFixture.component(
            ConfigFixture.loadTestdata("prometheus/every-key.yaml", Map.of("HOST_IP", "10.0.0.7"), nopReceiver(), new PrometheusExporterFactory()),
            ComponentKind.EXPORTER, "prometheus");

    assertThat(config.endpoint()).isEqualTo("10.0.0.7:9464");
    assertThat(config.namespace()).isEqualTo("inflight");
    assertThat(config.constLabels()).containsExactly(Map.entry("env", "prod"), Map.entry("region", "eu-west-1"));
    assertThat(config.resourceToTelemetryConversion()).isEqualTo(new ResourceToTelemetryConversion(true));
    assertThat(config.metricExpiration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.sendTimestamps()).isTrue();
    assertThat(config.addMetricSuffixes()).isFalse();
  }

  @Test
  void anEmptyResourceToTelemetrySectionIsDisabled() throws Exception {
    assertThat(load("  prometheus:\n    resource_to_telemetry_conversion:\n").resourceToTelemetryConversion().enabled())
        .isFalse();
    assertThat(load("  prometheus:\n    resource_to_telemetry_conversion: {}\n").resourceToTelemetryConversion().enabled())
        .isFalse();
  }

  @Test
  void collectorStyleEndpoints() throws Exception {
    assertThat(load("  prometheus:\n    endpoint: \":8889\"\n").endpoint()).isEqualTo(":8889");
    assertThat(load("  prometheus:\n    endpoint: localhost:0\n").endpoint()).isEqualTo("localhost:0");
    assertThat(load("  prometheus:\n    endpoint: \"[::1]:8889\"\n").endpoint()).isEqualTo("[::1]:8889");
  }

  @Test
  void badValuesAreClearErrors() {
    assertThat(
            problems(
                "  prometheus:\n"
                    + "    endpoint: prometheus\n"
                    + "    namespace: my.app\n"
                    + "    const_labels:\n"
                    + "      service.name: x\n"
                    + "      __reserved: y\n"
                    + "      empty: \"\"\n"
                    + "    metric_expiration: 0s\n"))
        .containsExactly(
            "config.yaml:5: exporters.prometheus.endpoint: \"prometheus\" must be host:port (e.g. 0.0.0.0:4317)",
            "config.yaml:6: exporters.prometheus.namespace: namespace must be a Prometheus metric name prefix "
                + "([a-zA-Z_][a-zA-Z0-9_]*), got \"my.app\"",
            "config.yaml:8: exporters.prometheus.const_labels.service.name: const label \"service.name\" is not a "
                + "Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __); did you mean \"service_name\"?",
            "config.yaml:9: exporters.prometheus.const_labels.__reserved: const label \"__reserved\" is not a "
                + "Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __); did you mean \"key__reserved\"?",
            "config.yaml:10: exporters.prometheus.const_labels.empty: const label \"empty\" needs a value "
                + "(Prometheus drops empty labels)",
            "config.yaml:11: exporters.prometheus.metric_expiration: metric_expiration must be positive, e.g. 5m");
  }

  @Test
  void aPortOutOfRangeOrNotANumber() {
    assertThat(problems("  prometheus:\n    endpoint: 0.0.0.0:88890\n"))
        .containsExactly("config.yaml:5: exporters.prometheus.endpoint: \"0.0.0.0:88890\" has a port out of range 0-65535");
    assertThat(problems("  prometheus:\n    endpoint: 0.0.0.0:http\n"))
        .containsExactly("config.yaml:5: exporters.prometheus.endpoint: \"0.0.0.0:http\" has an invalid port \"http\"");
  }

  @Test
  void aNegativeExpirationOrAWrongTypeIsRefused() {
    assertThat(problems("  prometheus:\n    metric_expiration: -1m\n"))
        .singleElement(STRING).contains("exporters.prometheus.metric_expiration");
    assertThat(problems("  prometheus:\n    send_timestamps: sometimes\n"))
        .singleElement(STRING).contains("exporters.prometheus.send_timestamps");
  }

  @Test
  void suggestsTheKeyForATypo() {
    assertThat(problems("  prometheus:\n    send_timestamp: true\n"))
        .singleElement(STRING)
        .contains("unknown key `send_timestamp`")
        .contains("send_timestamps");
  }

  @Test
  void registeredForServiceLoaderAsAMetricsExporter() {
    assertThat(FactoryRegistry.load().find(ComponentKind.EXPORTER, "prometheus")).get()
        .isInstanceOf(PrometheusExporterFactory.class);
    assertThat(new PrometheusExporterFactory().signals()).containsExactly(Signal.METRICS);
    assertThat(new PrometheusExporterFactory().configClass()).isEqualTo(PrometheusExporterConfig.class);
  }

  @Test
  void aTracesPipelineCannotUseIt() {
    String yaml = "receivers:\n  nop:\nexporters:\n  prometheus:\n"
        + "service:\n  pipelines:\n    traces:\n      receivers: [nop]\n      exporters: [prometheus]\n";
    assertThat(ConfigFixture.problems(yaml, nopReceiver(), new PrometheusExporterFactory()))
        .singleElement(STRING).contains("prometheus").contains("traces");
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    PrometheusExporterConfig config = ConfigFixture.documentedExample(
        "prometheus/config.yaml", "prometheus.md", ComponentKind.EXPORTER, "prometheus",
        Map.of(), nopReceiver(), new PrometheusExporterFactory());

    assertThat(config).isEqualTo(PrometheusExporterConfig.of("0.0.0.0:8889"));
  }
}
