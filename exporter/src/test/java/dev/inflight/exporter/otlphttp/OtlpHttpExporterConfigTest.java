package dev.inflight.exporter.otlphttp;

import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.config.configcompression.Compression;
import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.Signal;
import dev.inflight.exporterhelper.QueueConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The otlphttp exporter's config as a user writes it, through the real loader. */
class OtlpHttpExporterConfigTest {
  private static String yaml(String exporterYaml) {
    return "receivers:\n  nop:\nexporters:\n" + exporterYaml
        + "service:\n  pipelines:\n    metrics:\n      receivers: [nop]\n      exporters: [otlphttp]\n";
  }

  private static OtlpHttpExporterConfig load(String exporterYaml, Map<String, String> env) throws InvalidConfigException {
    return (OtlpHttpExporterConfig)
        ConfigFixture.load(yaml(exporterYaml), env, nopReceiver(), new OtlpHttpExporterFactory())
            .config()
            .of(ComponentKind.EXPORTER)
            .get(ComponentId.of("otlphttp"));
  }

  private static List<String> problems(String exporterYaml, Map<String, String> env) {
    return ConfigFixture.problems(yaml(exporterYaml), env, nopReceiver(), new OtlpHttpExporterFactory());
  }

  @Test
  void dash0WithBearerTokenAndDataset() throws Exception {
    OtlpHttpExporterConfig config =
        load(
            "  otlphttp:\n"
                + "    endpoint: ${env:DASH0_OTLP_HTTP_ENDPOINT}\n"
                + "    headers:\n"
                + "      Authorization: \"Bearer ${env:DASH0_API_TOKEN}\"\n"
                + "      Dash0-Dataset: ${env:DASH0_DATASET:-default}\n",
            Map.of("DASH0_OTLP_HTTP_ENDPOINT", "https://ingress.eu-west-1.aws.dash0.com", "DASH0_API_TOKEN", "auth_x"));

    assertThat(config.headers())
        .containsExactly(Map.entry("Authorization", "Bearer auth_x"), Map.entry("Dash0-Dataset", "default"));
    assertThat(config.compression()).isEqualTo(Compression.GZIP);
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.sendingQueue()).isEqualTo(QueueConfig.defaults());
    assertThat(config.url(Signal.TRACES)).isEqualTo(URI.create("https://ingress.eu-west-1.aws.dash0.com/v1/traces"));
    assertThat(config.url(Signal.METRICS)).isEqualTo(URI.create("https://ingress.eu-west-1.aws.dash0.com/v1/metrics"));
    assertThat(config.url(Signal.LOGS)).isEqualTo(URI.create("https://ingress.eu-west-1.aws.dash0.com/v1/logs"));
  }

  @Test
  void logsEndpointIsTheLogsUrlAndTheOthersFallBackToEndpoint() throws Exception {
    OtlpHttpExporterConfig config =
        load("  otlphttp:\n    endpoint: http://c:4318\n    logs_endpoint: https://logs.example.com/ingest\n", Map.of());

    assertThat(config.logsEndpoint()).isEqualTo("https://logs.example.com/ingest");
    assertThat(config.url(Signal.LOGS)).isEqualTo(URI.create("https://logs.example.com/ingest"));
    assertThat(config.url(Signal.TRACES)).isEqualTo(URI.create("http://c:4318/v1/traces"));
  }

  @Test
  void onlyALogsUrlIsEnoughAndTheOtherSignalsHaveNone() throws Exception {
    OtlpHttpExporterConfig config = load("  otlphttp:\n    logs_endpoint: http://loki:3100/otlp/v1/logs\n", Map.of());

    assertThat(config.url(Signal.LOGS)).isEqualTo(URI.create("http://loki:3100/otlp/v1/logs"));
    assertThatThrownBy(() -> config.url(Signal.METRICS))
        .hasMessage("no URL for metrics: set endpoint or metrics_endpoint");
    assertThatThrownBy(() -> OtlpHttpExporterConfig.DEFAULT.withTracesEndpoint("http://c/v1/traces").url(Signal.LOGS))
        .hasMessage("no URL for logs: set endpoint or logs_endpoint");
  }

  @Test
  void logsEndpointMustBeHttpAndAnEndpointEndingInV1LogsIsRefusedWithAHint() {
    assertThat(
            problems(
                "  otlphttp:\n    endpoint: https://ingress.dash0.com/v1/logs/\n    logs_endpoint: loki:3100\n",
                Map.of()))
        .containsExactly(
            "config.yaml:5: exporters.otlphttp.endpoint: endpoint is a base URL to which /v1/traces, /v1/metrics "
                + "and /v1/logs are appended (got \"https://ingress.dash0.com/v1/logs/\"): write endpoint: "
                + "https://ingress.dash0.com, or logs_endpoint: https://ingress.dash0.com/v1/logs/ for this one signal",
            "config.yaml:6: exporters.otlphttp.logs_endpoint: logs_endpoint must be an http:// or https:// URL "
                + "(got \"loki:3100\")");
  }

  @Test
  void prometheusOtlpReceiverWithOnlyAMetricsUrl() throws Exception {
    OtlpHttpExporterConfig config =
        load("  otlphttp:\n    metrics_endpoint: http://prometheus:9090/api/v1/otlp/v1/metrics\n", Map.of());

    assertThat(config.url(Signal.METRICS)).isEqualTo(URI.create("http://prometheus:9090/api/v1/otlp/v1/metrics"));
    assertThatThrownBy(() -> config.url(Signal.TRACES))
        .hasMessage("no URL for traces: set endpoint or traces_endpoint");
  }

  @Test
  void signalUrlsAreJoinedWithOneSlash() {
    assertThat(OtlpHttpExporterConfig.of("http://c:4318/").url(Signal.TRACES)).isEqualTo(URI.create("http://c:4318/v1/traces"));
    assertThat(OtlpHttpExporterConfig.of("http://c:4318/otlp").url(Signal.METRICS))
        .isEqualTo(URI.create("http://c:4318/otlp/v1/metrics"));
  }

  @Test
  void serverNameOverrideIsRefusedWithWhatToDoInstead() {
    assertThat(problems("  otlphttp:\n    endpoint: https://10.0.0.7:4318\n    tls:\n      server_name_override: collector.svc\n",
            Map.of()))
        .containsExactly("config.yaml:7: exporters.otlphttp.tls.server_name_override: server_name_override is supported by"
            + " the otlp_grpc exporter only; here, use an endpoint URL whose host the server's certificate names");
  }

  @Test
  void anUnsetEndpointVariableIsNamed() {
    assertThat(problems("  otlphttp:\n    endpoint: ${DASH0_OTLP_ENDPOINT}\n", Map.of()))
        .containsExactly(
            "config.yaml:5: exporters.otlphttp.endpoint: endpoint must be set to a base URL "
                + "(e.g. https://ingress.eu-west-1.aws.dash0.com), or traces_endpoint / metrics_endpoint / logs_endpoint to full URLs"
                + ": ${DASH0_OTLP_ENDPOINT} is not set");
  }

  @Test
  void urlsMustBeHttpAndEndpointIsABase() {
    assertThat(
            problems(
                "  otlphttp:\n"
                    + "    endpoint: https://ingress.dash0.com/v1/traces\n"
                    + "    traces_endpoint: ingress.dash0.com:4318\n"
                    + "    metrics_endpoint: grpc://x:4317\n",
                Map.of()))
        .containsExactly(
            "config.yaml:5: exporters.otlphttp.endpoint: endpoint is a base URL to which /v1/traces, /v1/metrics "
                + "and /v1/logs are appended (got \"https://ingress.dash0.com/v1/traces\"): write endpoint: https://ingress.dash0.com, "
                + "or traces_endpoint: https://ingress.dash0.com/v1/traces for this one signal",
            "config.yaml:6: exporters.otlphttp.traces_endpoint: traces_endpoint must be an http:// or https:// URL "
                + "(got \"ingress.dash0.com:4318\")",
            "config.yaml:7: exporters.otlphttp.metrics_endpoint: metrics_endpoint must be an http:// or https:// URL "
                + "(got \"grpc://x:4317\")");
  }

  @Test
  void headersTheClientSetsAreRefused() {
    assertThat(
            problems(
                "  otlphttp:\n    endpoint: http://c:4318\n    headers:\n      Host: other\n      Bad Name: x\n"
                    + "    sending_queue:\n      num_consumers: 0\n",
                Map.of()))
        .containsExactly(
            "config.yaml:7: exporters.otlphttp.headers.Host: header \"Host\" is set by the exporter and cannot be configured",
            "config.yaml:8: exporters.otlphttp.headers.Bad Name: header \"Bad Name\" is not a valid HTTP header name",
            "config.yaml:10: exporters.otlphttp.sending_queue.num_consumers: num_consumers must be at least 1");
  }

  @Test
  void registeredForServiceLoader() {
    assertThat(FactoryRegistry.load().find(ComponentKind.EXPORTER, "otlphttp")).get().isInstanceOf(OtlpHttpExporterFactory.class);
    assertThat(new OtlpHttpExporterFactory().signals()).containsExactlyInAnyOrder(Signal.TRACES, Signal.METRICS, Signal.LOGS);
    assertThat(new OtlpHttpExporterFactory().createDefaultConfig()).isEqualTo(OtlpHttpExporterConfig.DEFAULT);
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    OtlpHttpExporterConfig config = ConfigFixture.documentedExample(
        "otlphttp/config.yaml", "otlphttp.md", ComponentKind.EXPORTER, "otlphttp/dash0",
        Map.of("DASH0_API_TOKEN", "auth_abc"), nopReceiver(), new OtlpHttpExporterFactory());

    assertThat(config.endpoint()).isEqualTo("https://ingress.eu-west-1.aws.dash0.com");
    assertThat(config.headers()).containsExactly(Map.entry("Authorization", "Bearer auth_abc"), Map.entry("Dash0-Dataset", "default"));
  }

  @Test
  void testdataPerSignalUrlsAreTheDocumentedExample() throws Exception {
    OtlpHttpExporterConfig config = ConfigFixture.documentedExample(
        "otlphttp/config.yaml", "otlphttp.md", ComponentKind.EXPORTER, "otlphttp/per_signal",
        Map.of("DASH0_API_TOKEN", "auth_abc"), nopReceiver(), new OtlpHttpExporterFactory());

    assertThat(config.endpoint()).isEmpty();
    assertThat(config.url(Signal.TRACES)).isEqualTo(URI.create("https://traces.example.com/v1/traces"));
    assertThat(config.url(Signal.METRICS)).isEqualTo(URI.create("http://prometheus:9090/api/v1/otlp/v1/metrics"));
    assertThat(config.url(Signal.LOGS)).isEqualTo(URI.create("https://logs.example.com/otlp/v1/logs"));
  }
}
