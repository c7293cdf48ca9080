package dev.inflight.receiver.otlp;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.config.confighttp.CorsConfig;
import dev.inflight.config.configtls.TlsServerConfig;
import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.config.ByteSize;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The receiver's config as a user writes it, through the real loader (defaults merged, then bound). */
class OtlpReceiverConfigTest {
  private static final Map<String, String> ENV = Map.of("OTLP_GRPC", "0.0.0.0:14317", "INFLIGHT_TOKEN", "tok");

  private static String yaml(String receiverYaml) {
    return "receivers:\n" + receiverYaml
        + "exporters:\n  nop:\n"
        + "service:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [nop]\n";
  }

  private static OtlpReceiverConfig load(String receiverYaml) throws InvalidConfigException {
    return (OtlpReceiverConfig) ConfigFixture.load(yaml(receiverYaml), ENV, new OtlpReceiverFactory(), nopExporter())
        .config().of(ComponentKind.RECEIVER).get(ComponentId.of("otlp"));
  }

  private static List<String> problems(String receiverYaml) {
    return ConfigFixture.problems(yaml(receiverYaml), ENV, new OtlpReceiverFactory(), nopExporter());
  }

  @Test
  void aProtocolWrittenWithoutValueGetsAllItsDefaultsAndTheOtherStaysOff() throws Exception {
    OtlpReceiverConfig c = load("  otlp:\n    protocols:\n      grpc:\n");
    assertThat(c.protocols().grpc()).isEqualTo(OtlpReceiverConfig.Grpc.defaults());
    assertThat(c.protocols().grpc().endpoint()).isEqualTo("localhost:4317");
    assertThat(c.protocols().grpc().maxRecvMsgSizeMib()).isEqualTo(4);
    assertThat(c.protocols().http()).isNull();

    OtlpReceiverConfig h = load("  otlp:\n    protocols:\n      http: {}\n");
    assertThat(h.protocols().grpc()).isNull();
    assertThat(h.protocols().http().endpoint()).isEqualTo("localhost:4318");
    assertThat(h.protocols().http().maxRequestBodySize()).isEqualTo(ByteSize.ofMebibytes(20));
    assertThat(h.protocols().http().tracesUrlPath()).isEqualTo("/v1/traces");
    assertThat(h.protocols().http().metricsUrlPath()).isEqualTo("/v1/metrics");
    assertThat(h.protocols().http().logsUrlPath()).isEqualTo("/v1/logs");
  }

  @Test
  void seed004StyleConfigWithEnv() throws Exception {
    OtlpReceiverConfig c = load("""
          otlp:
            protocols:
              grpc:
                endpoint: ${env:OTLP_GRPC}
                max_recv_msg_size_mib: 16
              http:
                endpoint: 0.0.0.0:4318
                max_request_body_size: 8MiB
                traces_url_path: traces
                metrics_url_path: /custom/metrics
                logs_url_path: custom/logs
        """);
    assertThat(c.protocols().grpc().endpoint()).isEqualTo("0.0.0.0:14317");
    assertThat(c.protocols().grpc().maxRecvMsgSizeBytes()).isEqualTo(16 << 20);
    assertThat(c.protocols().http().maxRequestBodySize()).isEqualTo(ByteSize.ofMebibytes(8));
    assertThat(c.protocols().http().tracesUrlPath()).isEqualTo("/traces");
    assertThat(c.protocols().http().metricsUrlPath()).isEqualTo("/custom/metrics");
    assertThat(c.protocols().http().logsUrlPath()).isEqualTo("/custom/logs");
  }

  @Test
  void logsUrlPathMustNotBeEmptyNorAnotherSignalsPath() {
    assertThat(problems("""
          otlp:
            protocols:
              http:
                logs_url_path: ""
        """)).containsExactly(
        "config.yaml:5: receivers.otlp.protocols.http.logs_url_path: logs_url_path must not be empty");
    assertThat(problems("""
          otlp:
            protocols:
              http:
                logs_url_path: /v1/traces
        """)).containsExactly(
        "config.yaml:5: receivers.otlp.protocols.http.logs_url_path: logs_url_path must differ from traces_url_path"
            + " (both are /v1/traces)");
    assertThat(problems("""
          otlp:
            protocols:
              http:
                metrics_url_path: /otlp
                logs_url_path: otlp
        """)).containsExactly(
        "config.yaml:6: receivers.otlp.protocols.http.logs_url_path: logs_url_path must differ from metrics_url_path"
            + " (both are /otlp)");
    assertThat(problems("  otlp:\n    protocols:\n      http:\n        log_url_path: /logs\n"))
        .hasSize(1).first().asString().contains("did you mean `logs_url_path`?");
  }

  @Test
  void noProtocolIsAnErrorAsInTheCollector() {
    assertThat(problems("  otlp:\n")).containsExactly(
        "config.yaml:2: receivers.otlp.protocols: protocols must enable at least one protocol:"
            + " add grpc: and/or http: under protocols");
  }

  @Test
  void invalidValuesAreReportedAtTheirKeys() {
    assertThat(problems("""
          otlp:
            protocols:
              grpc:
                endpoint: "4317"
                max_recv_msg_size_mib: -1
              http:
                endpoint: localhost:99999
                traces_url_path: /v1/x
                metrics_url_path: /v1/x
        """)).containsExactly(
        "config.yaml:5: receivers.otlp.protocols.grpc.endpoint: endpoint \"4317\" must be host:port (e.g. 0.0.0.0:4317)",
        "config.yaml:6: receivers.otlp.protocols.grpc.max_recv_msg_size_mib: max_recv_msg_size_mib must not be negative",
        "config.yaml:8: receivers.otlp.protocols.http.endpoint: endpoint \"localhost:99999\" has a port out of range 0-65535",
        "config.yaml:10: receivers.otlp.protocols.http.metrics_url_path: metrics_url_path must differ from traces_url_path (both are /v1/x)");
  }

  @Test
  void misspeltKeysGetASuggestion() {
    assertThat(problems("  otlp:\n    protocols:\n      grpc:\n        endpiont: 0.0.0.0:4317\n"))
        .containsExactly("config.yaml:5: receivers.otlp.protocols.grpc.endpiont: unknown key `endpiont`; did you mean `endpoint`?");
    assertThat(problems("  otlp:\n    protocols:\n      htpp:\n")).hasSize(1).first().asString()
        .contains("unknown key `htpp`; did you mean `http`?");
  }

  @Test
  void bothProtocolsOnOnePortIsAnError() {
    assertThat(problems("  otlp:\n    protocols:\n      grpc:\n        endpoint: 0.0.0.0:4317\n      http:\n        endpoint: 0.0.0.0:4317\n"))
        .containsExactly("config.yaml:7: receivers.otlp.protocols.http.endpoint: endpoint 0.0.0.0:4317 is already the grpc"
            + " endpoint; each protocol needs its own port");
  }

  @Test
  void tlsAuthAndCorsBindPerProtocol() throws Exception {
    OtlpReceiverConfig c = load("""
          otlp:
            protocols:
              grpc:
                tls:
                  cert_file: /etc/inflight/server.crt
                  key_file: /etc/inflight/server.key
                  client_ca_file: /etc/inflight/ca.crt
                auth:
                  bearer_token: ${env:INFLIGHT_TOKEN}
              http:
                tls:
                  cert_file: /etc/inflight/server.crt
                  key_file: /etc/inflight/server.key
                  min_version: "1.3"
                auth:
                  bearer_token: ${env:INFLIGHT_TOKEN}
                cors:
                  allowed_origins: [https://*.example.com]
                  allowed_headers: [Authorization]
                  max_age: 7200
        """);
    TlsServerConfig grpcTls = c.protocols().grpc().tls();
    assertThat(grpcTls.certFile()).isEqualTo("/etc/inflight/server.crt");
    assertThat(grpcTls.requiresClientCertificate()).isTrue();
    assertThat(grpcTls.minVersion()).isEqualTo("1.2");
    assertThat(grpcTls.jdkProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(c.protocols().grpc().auth().bearerToken()).isEqualTo("tok");
    assertThat(c.protocols().http().tls().jdkProtocols()).containsExactly("TLSv1.3");
    assertThat(c.protocols().http().tls().requiresClientCertificate()).isFalse();
    assertThat(c.protocols().http().auth().toString()).doesNotContain("tok");
    assertThat(c.protocols().http().cors())
        .isEqualTo(new CorsConfig(List.of("https://*.example.com"), List.of("Authorization"), 7200));

    OtlpReceiverConfig unquoted = load(
        "  otlp:\n    protocols:\n      http:\n        tls:\n          cert_file: a\n          key_file: b\n          min_version: 1.3\n");
    assertThat(unquoted.protocols().http().tls().minVersion()).isEqualTo("1.3");

    OtlpReceiverConfig none = load("  otlp:\n    protocols:\n      http:\n");
    assertThat(none.protocols().http().tls()).isNull();
    assertThat(none.protocols().http().auth()).isNull();
    assertThat(none.protocols().http().cors()).isNull();
  }

  @Test
  void tlsAuthAndCorsMistakesAreReportedAtTheirKeys() {
    assertThat(problems("""
          otlp:
            protocols:
              grpc:
                tls:
                  cert_file: server.crt
                  min_version: "1.4"
                auth:
                  bearer_token: ${env:MISSING_TOKEN}
              http:
                tls:
                  key_file: server.key
                auth:
                  authenticator: bearertokenauth
                cors:
                  allowed_origins: ["https://*.*.example.com"]
                  max_age: -1
        """)).containsExactly(
        "config.yaml:5: receivers.otlp.protocols.grpc.tls.key_file: key_file must be set when cert_file is (a certificate needs its key)",
        "config.yaml:7: receivers.otlp.protocols.grpc.tls.min_version: min_version \"1.4\" must be one of [1.0, 1.1, 1.2, 1.3]",
        "config.yaml:9: receivers.otlp.protocols.grpc.auth.bearer_token: bearer_token must not be empty when auth is set"
            + " (or name an auth extension in authenticator, e.g. bearertokenauth): ${MISSING_TOKEN} is not set",
        "config.yaml:11: receivers.otlp.protocols.http.tls.cert_file: cert_file must be set when key_file is (a key needs its certificate)",
        "config.yaml:14: receivers.otlp.protocols.http.auth.authenticator: authenticator \"bearertokenauth\" is not"
            + " defined under extensions (none are defined)",
        "config.yaml:16: receivers.otlp.protocols.http.cors.allowed_origins[0]: allowed origin \"https://*.*.example.com\""
            + " has more than one *; use one wildcard, e.g. https://*.example.com",
        "config.yaml:17: receivers.otlp.protocols.http.cors.max_age: max_age must not be negative (seconds)");
    assertThat(problems("  otlp:\n    protocols:\n      grpc:\n        tls: {}\n")).hasSize(1).first().asString()
        .contains("receivers.otlp.protocols.grpc.tls: tls needs cert_file and key_file");
    assertThat(problems("  otlp:\n    protocols:\n      grpc:\n        tls:\n          cert_file: a\n          key_file: b\n          client_ca_flie: c\n"))
        .hasSize(1).first().asString().contains("did you mean `client_ca_file`?");
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    OtlpReceiverConfig config = ConfigFixture.documentedExample(
        "otlp/config.yaml", "otlp-receiver.md", ComponentKind.RECEIVER, "otlp",
        Map.of(), new OtlpReceiverFactory(), nopExporter());

    assertThat(config.protocols().grpc().endpoint()).isEqualTo("0.0.0.0:4317");
    assertThat(config.protocols().http().endpoint()).isEqualTo("0.0.0.0:4318");
    assertThat(config.protocols().http().maxRequestBodySize()).isEqualTo(ByteSize.ofMebibytes(8));
    assertThat(config.protocols().http().logsUrlPath()).isEqualTo("/v1/logs");
  }
}
