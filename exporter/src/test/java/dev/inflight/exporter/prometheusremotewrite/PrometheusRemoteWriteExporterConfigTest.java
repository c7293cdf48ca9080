package dev.inflight.exporter.prometheusremotewrite;

import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.exporterhelper.QueueConfig;
import dev.inflight.exporterhelper.RetryConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The prometheusremotewrite exporter's config as a user writes it, through the real loader. */
class PrometheusRemoteWriteExporterConfigTest {
  private static String yaml(String exporterYaml) {
    return "receivers:\n  nop:\nexporters:\n" + exporterYaml
        + "service:\n  pipelines:\n    metrics:\n      receivers: [nop]\n      exporters: [prometheusremotewrite]\n";
  }

  private static PrometheusRemoteWriteExporterConfig load(String exporterYaml) throws InvalidConfigException {
    return (PrometheusRemoteWriteExporterConfig)
        ConfigFixture.load(yaml(exporterYaml), Map.of(), nopReceiver(), new PrometheusRemoteWriteExporterFactory())
            .config()
            .of(ComponentKind.EXPORTER)
            .get(ComponentId.of("prometheusremotewrite"));
  }

  private static List<String> problems(String exporterYaml) {
    return ConfigFixture.problems(yaml(exporterYaml), Map.of(), nopReceiver(), new PrometheusRemoteWriteExporterFactory());
  }

  @Test
  void theDefaultsAreTheCollectorsButOneConsumer() throws Exception {
    PrometheusRemoteWriteExporterConfig c = load("  prometheusremotewrite:\n    endpoint: http://prometheus:9090/api/v1/write\n");

    assertThat(c.url()).isEqualTo(URI.create("http://prometheus:9090/api/v1/write"));
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.retryOnFailure()).isEqualTo(RetryConfig.defaults());
    assertThat(c.sending().sendingQueue()).isEqualTo(new QueueConfig(true, 1, 10_000));
    assertThat(c.maxBatchSizeBytes().bytes()).isEqualTo(3_000_000);
    assertThat(c.addMetricSuffixes()).isTrue();
    assertThat(c.targetInfo().enabled()).isTrue();
    assertThat(c.resourceToTelemetryConversion().enabled()).isFalse();
    assertThat(c.externalLabels()).isEmpty();
    assertThat(c.headers()).isEmpty();
    assertThat(c.namespace()).isEmpty();
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void aCollectorConfigLoadsAsItIs() throws Exception {
    PrometheusRemoteWriteExporterConfig c = ConfigFixture.component(
            ConfigFixture.loadTestdata("prometheusremotewrite/collector.yaml", Map.of(), nopReceiver(), new PrometheusRemoteWriteExporterFactory()),
            ComponentKind.EXPORTER, "prometheusremotewrite");

    assertThat(c.headers()).containsExactly(Map.entry("X-Scope-OrgID", "tenant-1"));
    assertThat(c.externalLabels()).containsExactly(Map.entry("cluster", "eu-1"), Map.entry("replica", "1"));
    assertThat(c.namespace()).isEqualTo("inflight");
    assertThat(c.resourceToTelemetryConversion().enabled()).isTrue();
    assertThat(c.addMetricSuffixes()).isFalse();
    assertThat(c.targetInfo().enabled()).isFalse();
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.retryOnFailure().maxElapsedTime()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.retryOnFailure().initialInterval()).isEqualTo(RetryConfig.DEFAULT_INITIAL_INTERVAL);
    assertThat(c.sending().sendingQueue()).isEqualTo(new QueueConfig(true, 1, 500));
    assertThat(c.maxBatchSizeBytes().bytes()).isEqualTo(1_000_000);
    assertThat(c.tls().insecureSkipVerify()).isTrue();
  }

  @Test
  void theEndpointIsRequired() {
    assertThat(problems("  prometheusremotewrite:\n    timeout: 5s\n"))
        .containsExactly(
            "config.yaml:4: exporters.prometheusremotewrite.endpoint: endpoint must be set to the remote write URL, "
                + "e.g. http://prometheus:9090/api/v1/write (Prometheus started with --web.enable-remote-write-receiver)");
  }

  @Test
  void theEndpointMustBeAnHttpUrl() {
    assertThat(problems("  prometheusremotewrite:\n    endpoint: prometheus:9090\n"))
        .containsExactly(
            "config.yaml:5: exporters.prometheusremotewrite.endpoint: endpoint must be an http:// or https:// URL "
                + "(got \"prometheus:9090\")");
    assertThat(problems("  prometheusremotewrite:\n    endpoint: http://prometheus:9090/api/v1/write?x=1\n"))
        .containsExactly(
            "config.yaml:5: exporters.prometheusremotewrite.endpoint: endpoint must not have a query or fragment "
                + "(got \"http://prometheus:9090/api/v1/write?x=1\")");
  }

  @Test
  void externalLabelsMustBePrometheusLabelsWithValues() {
    assertThat(
            problems(
                "  prometheusremotewrite:\n"
                    + "    endpoint: http://p:9090/api/v1/write\n"
                    + "    external_labels:\n"
                    + "      k8s.cluster: a\n"
                    + "      __name__: b\n"
                    + "      empty: \"\"\n"
                    + "      ok_label: c\n"))
        .containsExactly(
            "config.yaml:7: exporters.prometheusremotewrite.external_labels.k8s.cluster: external label \"k8s.cluster\" "
                + "is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with _); did you mean \"k8s_cluster\"?",
            "config.yaml:8: exporters.prometheusremotewrite.external_labels.__name__: external label \"__name__\" "
                + "is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with _); did you mean \"key__name__\"?",
            "config.yaml:9: exporters.prometheusremotewrite.external_labels.empty: external label \"empty\" needs a value "
                + "(Prometheus drops empty labels)");
  }

  @Test
  void headersTheExporterSetsAreRefused() {
    assertThat(
            problems(
                "  prometheusremotewrite:\n"
                    + "    endpoint: http://p:9090/api/v1/write\n"
                    + "    headers:\n"
                    + "      Content-Encoding: gzip\n"
                    + "      X-Prometheus-Remote-Write-Version: 2.0.0\n"
                    + "      Authorization: Bearer x\n"))
        .containsExactly(
            "config.yaml:7: exporters.prometheusremotewrite.headers.Content-Encoding: header \"Content-Encoding\" "
                + "is set by the exporter and cannot be configured",
            "config.yaml:8: exporters.prometheusremotewrite.headers.X-Prometheus-Remote-Write-Version: header "
                + "\"X-Prometheus-Remote-Write-Version\" is set by the exporter and cannot be configured");
  }

  @Test
  void numConsumersMustBePositiveAndMoreThanOneIsWarnedAbout() throws Exception {
    assertThat(
            problems(
                "  prometheusremotewrite:\n"
                    + "    endpoint: http://p:9090/api/v1/write\n"
                    + "    remote_write_queue:\n"
                    + "      num_consumers: 0\n"
                    + "    max_batch_size_bytes: 0\n"
                    + "    timeout: 0s\n"))
        .containsExactly(
            "config.yaml:7: exporters.prometheusremotewrite.remote_write_queue.num_consumers: num_consumers must be at least 1",
            "config.yaml:8: exporters.prometheusremotewrite.max_batch_size_bytes: max_batch_size_bytes must be greater than 0",
            "config.yaml:9: exporters.prometheusremotewrite.timeout: timeout must be greater than 0");

    PrometheusRemoteWriteExporterConfig c = load(
        "  prometheusremotewrite:\n    endpoint: http://p:9090/api/v1/write\n    remote_write_queue:\n      num_consumers: 4\n");
    assertThat(c.sending().sendingQueue().numConsumers()).isEqualTo(4);
    assertThat(c.warnings())
        .singleElement()
        .asString()
        .startsWith("remote_write_queue.num_consumers is 4: batches are then sent concurrently and samples of a series "
            + "can reach Prometheus out of time order")
        .contains("out of order sample");
  }

  @Test
  void unknownKeysAreRefused() {
    assertThat(problems("  prometheusremotewrite:\n    endpoint: http://p:9090/api/v1/write\n    sending_queue:\n      enabled: false\n"))
        .singleElement()
        .asString()
        .startsWith("config.yaml:6: exporters.prometheusremotewrite.sending_queue: unknown key `sending_queue`");
  }

  @Test
  void registeredForServiceLoader() {
    assertThat(FactoryRegistry.load().find(ComponentKind.EXPORTER, "prometheusremotewrite"))
        .get()
        .isInstanceOf(PrometheusRemoteWriteExporterFactory.class);
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    PrometheusRemoteWriteExporterConfig config = ConfigFixture.documentedExample(
        "prometheusremotewrite/config.yaml", "prometheusremotewrite.md", ComponentKind.EXPORTER, "prometheusremotewrite",
        Map.of(), nopReceiver(), new PrometheusRemoteWriteExporterFactory());

    assertThat(config).isEqualTo(PrometheusRemoteWriteExporterConfig.of("http://prometheus:9090/api/v1/write")
        .withExternalLabels(Map.of("cluster", "eu-1")));
  }
}
