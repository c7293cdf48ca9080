package dev.inflight.exporter.otlp;

import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.inflight.config.configcompression.Compression;
import dev.inflight.config.configtls.TlsClientConfig;
import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.exporter.otlphttp.OtlpHttpExporterFactory;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.Signal;
import dev.inflight.exporterhelper.QueueConfig;
import dev.inflight.exporterhelper.RetryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The otlp exporter's config as a user writes it, through the real loader. */
class OtlpExporterConfigTest {
  /** Seed 004's exporter block, as it is. */
  static final String SEED_004 =
      "  otlp:\n"
          + "    endpoint: ${DASH0_OTLP_ENDPOINT}\n"
          + "    headers:\n"
          + "      Authorization: \"Bearer ${DASH0_API_TOKEN}\"\n"
          + "    compression: gzip\n";

  private static String yaml(String exporterYaml) {
    return "receivers:\n  nop:\nexporters:\n" + exporterYaml
        + "service:\n  pipelines:\n    traces:\n      receivers: [nop]\n      exporters: [otlp]\n";
  }

  static OtlpExporterConfig load(String exporterYaml, Map<String, String> env) throws InvalidConfigException {
    return (OtlpExporterConfig)
        ConfigFixture.load(yaml(exporterYaml), env, nopReceiver(), new OtlpExporterFactory(), new OtlpHttpExporterFactory())
            .config()
            .of(ComponentKind.EXPORTER)
            .get(ComponentId.of("otlp"));
  }

  static List<String> problems(String exporterYaml, Map<String, String> env) {
    return ConfigFixture.problems(
        yaml(exporterYaml), env, nopReceiver(), new OtlpExporterFactory(), new OtlpHttpExporterFactory());
  }

  @Test
  void seed004LoadsWithDash0sGrpcEndpoint() throws Exception {
    OtlpExporterConfig config =
        load(SEED_004, Map.of("DASH0_OTLP_ENDPOINT", "ingress.eu-west-1.aws.dash0.com:4317", "DASH0_API_TOKEN", "auth_abc"));

    assertThat(config.endpoint()).isEqualTo("ingress.eu-west-1.aws.dash0.com:4317");
    assertThat(config.headers()).containsExactly(Map.entry("Authorization", "Bearer auth_abc"));
    assertThat(config.compression()).isEqualTo(Compression.GZIP);
    assertThat(config.grpcEndpoint()).isEqualTo(new GrpcEndpoint("ingress.eu-west-1.aws.dash0.com", 4317, true));
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.retryOnFailure()).isEqualTo(RetryConfig.defaults());
    assertThat(config.sendingQueue()).isEqualTo(QueueConfig.defaults());
  }

  @Test
  void seed004WithItsOtlpHttpUrlSaysGrpcTakesHostPort() {
    assertThat(problems(SEED_004, Map.of("DASH0_OTLP_ENDPOINT", "https://ingress.dash0.com/v1/traces", "DASH0_API_TOKEN", "t")))
        .containsExactly(
            "config.yaml:5: exporters.otlp.endpoint: endpoint must be host:port for gRPC "
                + "(got a URL with path \"/v1/traces\"); use the otlphttp exporter for URLs");
  }

  @Test
  void anUnsetEndpointVariableIsNamed() {
    assertThat(problems(SEED_004, Map.of("DASH0_API_TOKEN", "t")))
        .containsExactly(
            "config.yaml:5: exporters.otlp.endpoint: endpoint must be set to host:port "
                + "(e.g. ingress.eu-west-1.aws.dash0.com:4317): ${DASH0_OTLP_ENDPOINT} is not set");
  }

  @Test
  void bindsEverySnakeCaseKey() throws Exception {
    OtlpExporterConfig config =
        ConfigFixture.component(
            ConfigFixture.loadTestdata("otlp/every-key.yaml", Map.of(), nopReceiver(), new OtlpExporterFactory(), new OtlpHttpExporterFactory()),
            ComponentKind.EXPORTER, "otlp");

    assertThat(config.tls()).isEqualTo(new TlsClientConfig(true, "/etc/ca.pem", "", "", true));
    assertThat(config.grpcEndpoint().tls()).isFalse();
    assertThat(config.headers()).containsExactly(Map.entry("Dash0-Dataset", "prod"));
    assertThat(config.compression()).isEqualTo(Compression.ZSTD);
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.retryOnFailure())
        .isEqualTo(new RetryConfig(true, Duration.ofSeconds(1), 0.2, 2.0, Duration.ofSeconds(10), Duration.ofMinutes(1)));
    assertThat(config.sendingQueue()).isEqualTo(new QueueConfig(true, 2, 50));
  }

  @Test
  void defaultsAreTheCollectorsExceptTheEndpoint() {
    OtlpExporterConfig d = new OtlpExporterFactory().createDefaultConfig();
    assertThat(d).isEqualTo(OtlpExporterConfig.DEFAULT);
    assertThat(d.compression()).isEqualTo(Compression.GZIP);
    assertThat(d.tls()).isEqualTo(TlsClientConfig.defaults());
    assertThat(d.sending().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(problems("  otlp:\n", Map.of()))
        .containsExactly(
            "config.yaml:4: exporters.otlp.endpoint: endpoint must be set to host:port (e.g. ingress.eu-west-1.aws.dash0.com:4317)");
  }

  @Test
  void badValuesAreReportedAtTheirKeys() {
    assertThat(
            problems(
                "  otlp:\n"
                    + "    endpoint: backend:4317\n"
                    + "    compression: brotli\n"
                    + "    headers:\n      grpc-timeout: 1s\n"
                    + "    tls:\n      cert_file: /etc/client.pem\n"
                    + "    timeout: 0s\n"
                    + "    sending_queue:\n      queue_size: 0\n"
                    + "    retry_on_failure:\n      multiplier: 0.5\n",
                Map.of()))
        .containsExactly(
            "config.yaml:6: exporters.otlp.compression: compression has invalid value \"brotli\"; valid values: gzip, none, zstd",
            "config.yaml:8: exporters.otlp.headers.grpc-timeout: header \"grpc-timeout\" is set by gRPC itself and cannot be configured",
            "config.yaml:9: exporters.otlp.tls.key_file: key_file must be set when cert_file is (a client certificate needs its key)",
            "config.yaml:11: exporters.otlp.timeout: timeout must be greater than 0",
            "config.yaml:13: exporters.otlp.sending_queue.queue_size: queue_size must be at least 1",
            "config.yaml:15: exporters.otlp.retry_on_failure.multiplier: multiplier must be at least 1");
  }

  @Test
  void suggestsTheKeyForATypo() {
    assertThat(problems("  otlp:\n    endpoint: backend:4317\n    retry_on_failur:\n      enabled: false\n", Map.of()))
        .singleElement(STRING)
        .contains("unknown key `retry_on_failur`")
        .contains("retry_on_failure");
  }

  @Test
  void registeredForServiceLoader() {
    assertThat(FactoryRegistry.load().find(ComponentKind.EXPORTER, "otlp")).get().isInstanceOf(OtlpExporterFactory.class);
    OtlpExporterFactory f = new OtlpExporterFactory();
    assertThat(f.kind()).isEqualTo(ComponentKind.EXPORTER);
    assertThat(f.signals()).containsExactlyInAnyOrder(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    OtlpExporterConfig config = ConfigFixture.documentedExample(
        "otlp/config.yaml", "otlp-exporter.md", ComponentKind.EXPORTER, "otlp",
        Map.of("DASH0_OTLP_ENDPOINT", "ingress.eu-west-1.aws.dash0.com:4317", "DASH0_API_TOKEN", "auth_abc"), nopReceiver(), new OtlpExporterFactory());

    assertThat(config).isEqualTo(OtlpExporterConfig.of("ingress.eu-west-1.aws.dash0.com:4317")
        .withHeaders(Map.of("Authorization", "Bearer auth_abc")).withCompression(Compression.GZIP));
  }
}
