package dev.inflight.config.configauth;

import dev.inflight.component.config.ConfigProblems;

/**
 * {@code auth} of a server (the otlp receiver's {@code protocols.grpc.auth} / {@code
 * protocols.http.auth}): require {@code Authorization: Bearer
 * <token>} on every request. Requests without it, or with another token, get HTTP 401 (with {@code
 * WWW-Authenticate: Bearer}) or gRPC {@code UNAUTHENTICATED}, and nothing reaches the pipeline.
 *
 * <p>The Collector writes {@code auth: {authenticator: bearertokenauth}} and configures the token
 * in a {@code bearertokenauth} extension; inflight has no auth extensions yet, so the token is a
 * setting of the protocol itself. An {@code authenticator} key is refused with a pointer to {@code
 * bearer_token}.
 *
 * @param bearerToken the token clients must send, typically {@code ${env:INFLIGHT_TOKEN}}; must not
 *     be empty
 * @param authenticator the Collector's extension reference; not supported (a config error)
 */
public record AuthConfig(String bearerToken, String authenticator) {
  public AuthConfig {
    bearerToken = bearerToken == null ? "" : bearerToken;
    authenticator = authenticator == null ? "" : authenticator;
  }

  public static AuthConfig bearer(String token) {
    return new AuthConfig(token, null);
  }

  @Override
  public String toString() {
    return "AuthConfig[bearerToken=" + (bearerToken.isEmpty() ? "" : "<redacted>") + ", authenticator=" + authenticator + "]";
  }

  /** @param problems scoped at {@code auth} */
  public void validate(ConfigProblems problems) {
    if (!authenticator.isEmpty()) {
      problems.add("authenticator", "authenticator (an auth extension such as " + authenticator
          + ") is not supported; set the token here instead: bearer_token: ${env:INFLIGHT_TOKEN}");
      return;
    }
    if (bearerToken.isEmpty()) {
      problems.add("bearer_token", "bearer_token must not be empty when auth is set");
    }
  }
}
