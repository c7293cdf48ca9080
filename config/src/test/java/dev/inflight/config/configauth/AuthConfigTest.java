package dev.inflight.config.configauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.ComponentId;
import dev.inflight.component.Extension;
import dev.inflight.component.Host;
import dev.inflight.component.auth.ClientAuthenticator;
import dev.inflight.component.auth.ServerAuthenticator;
import dev.inflight.component.config.ConfigProblem;
import dev.inflight.component.config.ConfigProblems;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class AuthConfigTest {
  /** A server authenticator that accepts the header value "ok". */
  static final class Checker implements Extension, ServerAuthenticator {
    @Override
    public @Nullable String reject(Headers headers) {
      return "ok".equals(headers.get("Authorization")) ? null : "no";
    }

    @Override
    public String challenge() {
      return "Test";
    }
  }

  static final class Sender implements Extension, ClientAuthenticator {
    @Override
    public Map<String, String> headers() {
      return Map.of("Authorization", "ok");
    }
  }

  private static final Host HOST = () -> Map.of(ComponentId.of("checker"), new Checker(), ComponentId.of("sender"), new Sender());

  private static List<ConfigProblem> problems(AuthConfig c) {
    ConfigProblems p = ConfigProblems.root().at("auth");
    c.validate(p);
    return p.all();
  }

  @Test
  void oneOfAuthenticatorAndBearerToken() {
    assertThat(problems(AuthConfig.bearer("t"))).isEmpty();
    assertThat(problems(AuthConfig.authenticator("bearertokenauth/in"))).isEmpty();
    assertThat(problems(new AuthConfig("t", "bearertokenauth"))).containsExactly(
        new ConfigProblem("auth.authenticator", "authenticator and bearer_token cannot both be set: keep one"));
    assertThat(problems(new AuthConfig(null, null))).containsExactly(new ConfigProblem("auth.bearer_token",
        "bearer_token must not be empty when auth is set (or name an auth extension in authenticator, e.g. bearertokenauth)"));
    assertThat(problems(AuthConfig.authenticator("/in"))).singleElement()
        .isEqualTo(new ConfigProblem("auth.authenticator", "authenticator: id \"/in\" has an empty type"));
    assertThat(AuthConfig.bearer("s3cret").toString()).doesNotContain("s3cret");
  }

  @Test
  void resolvesTheExtensionAtStartOrSaysWhyNot() {
    ServerAuthenticator s = AuthConfig.authenticator("checker").server(HOST, "receivers.otlp.protocols.http.auth");
    assertThat(s.reject(name -> "ok")).isNull();
    assertThat(s.reject(name -> "nope")).isEqualTo("no");
    assertThat(AuthConfig.bearer("t").server(HOST, "x").reject(name -> "Bearer t")).isNull();
    assertThatThrownBy(() -> AuthConfig.authenticator("missing").server(HOST, "receivers.otlp.protocols.http.auth"))
        .hasMessage("receivers.otlp.protocols.http.auth.authenticator: extension \"missing\" is not running: define it"
            + " under extensions and list it in service.extensions");
    assertThatThrownBy(() -> AuthConfig.authenticator("sender").server(HOST, "extensions.query.auth"))
        .hasMessage("extensions.query.auth.authenticator: extension \"sender\" is not a server authenticator");
    assertThat(new ClientAuthConfig("sender").client(HOST, "auth").headers()).containsEntry("Authorization", "ok");
    assertThatThrownBy(() -> new ClientAuthConfig("checker").client(HOST, "auth"))
        .hasMessage("auth.authenticator: extension \"checker\" is not a client authenticator");
  }
}
