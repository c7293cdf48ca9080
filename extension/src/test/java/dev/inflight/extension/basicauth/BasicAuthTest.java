package dev.inflight.extension.basicauth;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.Host;
import dev.inflight.component.auth.ServerAuthenticator;
import dev.inflight.service.config.ConfigFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** basicauth: its config through the real loader, htpasswd lines of each hash, the client header. */
class BasicAuthTest {
  private static final Host HOST = Map::of;
  /** {@code s3cret-pw}, hashed by libxcrypt (Python's crypt module) with the $2y$ prefix htpasswd -B writes. */
  static final String BCRYPT = "$2y$05$abcdefghijklmnopqrstuuzSvhclVSvY9ufOheOOhcPviTPFJlqIC";
  /** {@code sha-pw}: printf sha-pw | openssl sha1 -binary | base64. */
  static final String SHA = "{SHA}O/MvdjOwOQpt8I9HBSVZugThPMw=";
  /** {@code ssha-pw} with salt {@code salt}, by openssl. */
  static final String SSHA = "{SSHA}7Cfv2NX612NkygtSLv0/8/+AdSRzYWx0";

  @TempDir Path dir;

  private static String yaml(String extensionYaml) {
    return "receivers:\n  nop:\nexporters:\n  nop:\nextensions:\n" + extensionYaml
        + "service:\n  extensions: [basicauth]\n"
        + "  pipelines:\n    traces:\n      receivers: [nop]\n      exporters: [nop]\n";
  }

  private static List<String> problems(String extensionYaml) {
    return ConfigFixture.problems(yaml(extensionYaml), nopReceiver(), nopExporter(), new BasicAuthExtensionFactory());
  }

  private static ServerAuthenticator.Headers basic(String user, String password) {
    String value = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return name -> name.equalsIgnoreCase("Authorization") ? value : null;
  }

  private static BasicAuthExtension.Server server(String file, String inline) throws IOException {
    BasicAuthExtension.Server s = (BasicAuthExtension.Server) BasicAuthExtension.of("basicauth",
        new BasicAuthConfig(new BasicAuthConfig.Htpasswd(file, inline), null));
    s.start(HOST);
    return s;
  }

  @Test
  void checksBcryptShaSaltedShaAndPlainLines() throws Exception {
    Path file = Files.writeString(dir.resolve(".htpasswd"), "# users\nbob:" + BCRYPT + "\ncarol:" + SHA + "\n");
    BasicAuthExtension.Server s = server(file.toString(), "dave:" + SSHA + "\nerin:plain-pw\n");
    assertThat(s.reject(basic("bob", "s3cret-pw"))).isNull();
    assertThat(s.reject(basic("bob", "s3cret-pX"))).isEqualTo("invalid credentials");
    assertThat(s.reject(basic("carol", "sha-pw"))).isNull();
    assertThat(s.reject(basic("carol", "sha-pX"))).isEqualTo("invalid credentials");
    assertThat(s.reject(basic("dave", "ssha-pw"))).isNull();
    assertThat(s.reject(basic("dave", "ssha-pX"))).isEqualTo("invalid credentials");
    assertThat(s.reject(basic("erin", "plain-pw"))).isNull();
    assertThat(s.reject(basic("erin", "plain-p"))).isEqualTo("invalid credentials");
    assertThat(s.reject(basic("mallory", "s3cret-pw"))).isEqualTo("invalid credentials");
    assertThat(s.reject(name -> null)).isEqualTo("no basic auth provided");
    assertThat(s.reject(name -> "Bearer abc")).startsWith("invalid authorization scheme prefix");
    assertThat(s.reject(name -> "Basic !!!")).isEqualTo("invalid authorization format");
    assertThat(s.reject(name -> "Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes()))).isEqualTo("invalid authorization format");
    assertThat(s.challenge()).isEqualTo("Basic realm=\"basicauth\"");
  }

  @Test
  void inlineLinesWinOverTheFile() throws Exception {
    Path file = Files.writeString(dir.resolve(".htpasswd"), "bob:from-file\n");
    BasicAuthExtension.Server s = server(file.toString(), "bob:inline");
    assertThat(s.reject(basic("bob", "inline"))).isNull();
    assertThat(s.reject(basic("bob", "from-file"))).isEqualTo("invalid credentials");
  }

  @Test
  void unsupportedHashesAreRefusedWithWhatToDo() throws Exception {
    assertThat(problems("  basicauth:\n    htpasswd:\n      inline: |\n        ok:pw\n        old:$apr1$abc$def\n")).containsExactly(
        "config.yaml:8: extensions.basicauth.htpasswd.inline: line 2: user \"old\": MD5 ($apr1$) hashes are not supported;"
            + " write the line with bcrypt: htpasswd -nbB <user> <password>");
    Path file = Files.writeString(dir.resolve(".htpasswd"), "x:$6$salt$hash\n");
    assertThatThrownBy(() -> server(file.toString(), "")).isInstanceOf(IOException.class)
        .hasMessageContaining(file + ":1: user \"x\": crypt SHA-256/512 ($5$, $6$) hashes are not supported");
    assertThatThrownBy(() -> server(dir.resolve("missing").toString(), ""))
        .hasMessageContaining("extensions.basicauth.htpasswd.file: " + dir.resolve("missing") + " does not exist");
  }

  @Test
  void theClientSendsBasicCredentials() {
    BasicAuthExtension.Client c = (BasicAuthExtension.Client) BasicAuthExtension.of("basicauth",
        new BasicAuthConfig(null, new BasicAuthConfig.ClientAuth("inflight", "pä ss")));
    assertThat(c.headers()).containsExactly(Map.entry("Authorization",
        "Basic " + Base64.getEncoder().encodeToString("inflight:pä ss".getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void oneSideOnlyAsInTheCollector() {
    assertThat(problems("  basicauth:\n")).containsExactly(
        "config.yaml:6: extensions.basicauth.htpasswd: htpasswd (to check what receivers get) or client_auth (to"
            + " authenticate what exporters send) must be set (no credential source provided)");
    assertThat(problems("  basicauth:\n    htpasswd:\n      inline: a:b\n    client_auth:\n      username: u\n")).containsExactly(
        "config.yaml:6: extensions.basicauth: only one of htpasswd or client_auth can be specified: use one basicauth"
            + " extension for receivers and another (basicauth/<name>) for exporters");
    assertThat(problems("  basicauth:\n    htpasswd: {}\n")).containsExactly(
        "config.yaml:7: extensions.basicauth.htpasswd.file: htpasswd needs file or inline (no credential source provided)");
    assertThat(problems("  basicauth:\n    client_auth:\n      username: 'a:b'\n      password: p\n")).containsExactly(
        "config.yaml:8: extensions.basicauth.client_auth.username: username must not contain ':' (Basic credentials are"
            + " username:password)");
  }

  @Test
  void registeredForServiceLoader() {
    assertThat(FactoryRegistry.load().find(ComponentKind.EXTENSION, "basicauth")).get()
        .isInstanceOf(BasicAuthExtensionFactory.class);
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    BasicAuthConfig c = ConfigFixture.documentedExample("basicauth/config.yaml", "auth.md",
        ComponentKind.EXTENSION, "basicauth", Map.of("BASIC_AUTH_USERNAME", "bob", "BASIC_AUTH_PASSWORD", BCRYPT),
        nopReceiver(), nopExporter(), new BasicAuthExtensionFactory());
    assertThat(c.htpasswd()).isEqualTo(new BasicAuthConfig.Htpasswd("/etc/inflight/.htpasswd", "bob:" + BCRYPT + "\n"));
  }
}
