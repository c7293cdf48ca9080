package dev.inflight.extension.bearertokenauth;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.extension.basicauth.BasicAuthExtensionFactory;
import dev.inflight.extension.healthcheck.HealthCheckExtensionFactory;
import dev.inflight.extension.query.QueryExtensionFactory;
import dev.inflight.exporter.otlp.OtlpExporterFactory;
import dev.inflight.exporter.otlphttp.OtlpHttpExporterFactory;
import dev.inflight.receiver.otlp.OtlpReceiverFactory;
import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bearertokenauth config as a user writes it, through the real loader, and the checks of
 * every {@code auth: {authenticator: ...}} that names an extension.
 */
class BearerTokenAuthConfigTest {
  private static String yaml(String extensionYaml) {
    return "receivers:\n  nop:\nexporters:\n  nop:\nextensions:\n" + extensionYaml
        + "service:\n  extensions: [bearertokenauth]\n"
        + "  pipelines:\n    traces:\n      receivers: [nop]\n      exporters: [nop]\n";
  }

  private static BearerTokenAuthConfig load(String extensionYaml) throws InvalidConfigException {
    return ConfigFixture.component(ConfigFixture.load(yaml(extensionYaml), nopReceiver(), nopExporter(),
        new BearerTokenAuthExtensionFactory()), ComponentKind.EXTENSION, "bearertokenauth");
  }

  private static List<String> problems(String extensionYaml) {
    return ConfigFixture.problems(yaml(extensionYaml), nopReceiver(), nopExporter(), new BearerTokenAuthExtensionFactory());
  }

  @Test
  void defaultsAreTheCollectors() throws Exception {
    BearerTokenAuthConfig c = load("  bearertokenauth:\n    token: abc\n");
    assertThat(c.header()).isEqualTo("Authorization");
    assertThat(c.scheme()).isEqualTo("Bearer");
    assertThat(c.inlineTokens()).containsExactly("abc");
    assertThat(c.toString()).doesNotContain("abc");
  }

  @Test
  void bindsEveryKey() throws Exception {
    BearerTokenAuthConfig c = load("  bearertokenauth:\n    header: X-Api-Key\n    scheme: ''\n    tokens: [one, two]\n"
        + "    filename: /run/secrets/token\n");
    assertThat(c).isEqualTo(new BearerTokenAuthConfig("X-Api-Key", "", "", List.of("one", "two"), "/run/secrets/token"));
  }

  @Test
  void refusesNoTokenAndBothTokenAndTokens() {
    assertThat(problems("  bearertokenauth:\n")).containsExactly(
        "config.yaml:6: extensions.bearertokenauth.token: token, tokens or filename must be set (no token provided)");
    assertThat(problems("  bearertokenauth:\n    token: a\n    tokens: [b, '']\n    header: 'X Key'\n")).containsExactly(
        "config.yaml:8: extensions.bearertokenauth.tokens: either token or tokens can be set, not both",
        "config.yaml:8: extensions.bearertokenauth.tokens[1]: token must not be empty",
        "config.yaml:9: extensions.bearertokenauth.header: header \"X Key\" must be a header name (printable ASCII, no spaces or colon)");
  }

  @Test
  void anUnsetTokenVariableIsNamed() {
    assertThat(problems("  bearertokenauth:\n    token: ${env:INFLIGHT_TOKEN}\n")).singleElement().asString()
        .isEqualTo("config.yaml:7: extensions.bearertokenauth.token: token, tokens or filename must be set (no token provided):"
            + " ${INFLIGHT_TOKEN} is not set");
  }

  @Test
  void registeredForServiceLoader() {
    assertThat(FactoryRegistry.load().find(ComponentKind.EXTENSION, "bearertokenauth")).get()
        .isInstanceOf(BearerTokenAuthExtensionFactory.class);
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    BearerTokenAuthConfig c = ConfigFixture.documentedExample("bearertokenauth/config.yaml", "auth.md",
        ComponentKind.EXTENSION, "bearertokenauth", Map.of("INFLIGHT_TOKEN", "t0ken"), nopReceiver(), nopExporter(),
        new BearerTokenAuthExtensionFactory());
    assertThat(c.inlineTokens()).containsExactly("t0ken");
  }

  // --- references: auth: {authenticator: <id>} ---

  private static final String RECEIVERS = """
      receivers:
        otlp:
          protocols:
            grpc:
              endpoint: 127.0.0.1:0
              auth:
                authenticator: %s
      exporters:
        otlp_http:
          endpoint: http://127.0.0.1:4318
          auth:
            authenticator: %s
      extensions:
        bearertokenauth:
          token: t
        basicauth/server:
          htpasswd:
            inline: "u:p"
        basicauth/client:
          client_auth:
            username: u
            password: p
        health_check:
        query:
          auth:
            authenticator: %s
      service:
        extensions: [%s]
        pipelines:
          traces:
            receivers: [otlp]
            exporters: [otlp_http]
      """;

  private static List<String> refProblems(String receiver, String exporter, String query, String listed) {
    return ConfigFixture.problems(RECEIVERS.formatted(receiver, exporter, query, listed),
        new OtlpReceiverFactory(), new OtlpHttpExporterFactory(), new OtlpExporterFactory(),
        new BearerTokenAuthExtensionFactory(), new BasicAuthExtensionFactory(), new HealthCheckExtensionFactory(),
        new QueryExtensionFactory());
  }

  @Test
  void aReferenceLoadsWhenTheExtensionRunsAndCanServeIt() throws Exception {
    String all = "bearertokenauth, basicauth/server, basicauth/client, health_check, query";
    ConfigFixture.load(RECEIVERS.formatted("bearertokenauth", "basicauth/client", "basicauth/server", all),
        new OtlpReceiverFactory(), new OtlpHttpExporterFactory(), new BearerTokenAuthExtensionFactory(),
        new BasicAuthExtensionFactory(), new HealthCheckExtensionFactory(), new QueryExtensionFactory());
  }

  @Test
  void aReferenceToAnUndefinedUnlistedOrWrongExtensionIsAnErrorAtItsLine() {
    assertThat(refProblems("bearertokenauht", "basicauth/server", "health_check",
        "bearertokenauth, basicauth/server, basicauth/client, health_check, query")).containsExactly(
        "config.yaml:7: receivers.otlp.protocols.grpc.auth.authenticator: authenticator \"bearertokenauht\" is not"
            + " defined under extensions (defined: basicauth/client, basicauth/server, bearertokenauth, health_check,"
            + " query); did you mean `bearertokenauth`?",
        "config.yaml:12: exporters.otlp_http.auth.authenticator: extension \"basicauth/server\" is not a client"
            + " authenticator (a basicauth extension with htpasswd checks what inflight receives; to authenticate what"
            + " it sends, use one with client_auth)",
        "config.yaml:26: extensions.query.auth.authenticator: extension \"health_check\" is not a server"
            + " authenticator; the auth extensions are bearertokenauth and basicauth");
    assertThat(refProblems("basicauth/client", "bearertokenauth", "bearertokenauth", "basicauth/client, query"))
        .containsExactly(
            "config.yaml:7: receivers.otlp.protocols.grpc.auth.authenticator: extension \"basicauth/client\" is not a"
                + " server authenticator (a basicauth extension with client_auth authenticates what inflight sends; to"
                + " check what it receives, use one with htpasswd)",
            "config.yaml:12: exporters.otlp_http.auth.authenticator: authenticator \"bearertokenauth\" is defined but"
                + " not listed in service.extensions, so it would not run: add it there",
            "config.yaml:26: extensions.query.auth.authenticator: authenticator \"bearertokenauth\" is defined but"
                + " not listed in service.extensions, so it would not run: add it there");
  }
}
