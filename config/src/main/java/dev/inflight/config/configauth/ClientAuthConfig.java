package dev.inflight.config.configauth;

import dev.inflight.component.Host;
import dev.inflight.component.auth.AuthenticatorReference;
import dev.inflight.component.auth.ClientAuthenticator;
import dev.inflight.component.config.ConfigProblems;

/**
 * {@code auth} of a client (the otlp_grpc and otlp_http exporters' {@code auth}), as the
 * Collector's {@code configauth.Config}: the auth extension whose credentials go with every
 * request.
 *
 * @param authenticator the id of an auth extension listed in {@code service.extensions}, e.g.
 *     {@code bearertokenauth} or {@code basicauth/upstream}
 */
public record ClientAuthConfig(String authenticator) implements AuthenticatorReference {
  public ClientAuthConfig {
    authenticator = authenticator == null ? "" : authenticator;
  }

  @Override
  public Class<?> role() {
    return ClientAuthenticator.class;
  }

  /** @param problems scoped at {@code auth} */
  public void validate(ConfigProblems problems) {
    if (authenticator.isEmpty()) {
      problems.add("authenticator", "authenticator must name an auth extension (e.g. bearertokenauth) when auth is set");
      return;
    }
    Authenticators.checkId(authenticator, problems);
  }

  /**
   * The extension's credentials, resolved when the client starts.
   *
   * @param path where this {@code auth} is, e.g. {@code exporters.otlp_http.auth}
   * @throws IllegalStateException naming the key when the extension is not a running client
   *     authenticator
   */
  public ClientAuthenticator client(Host host, String path) {
    return Authenticators.resolve(host, authenticator, ClientAuthenticator.class, path);
  }
}
