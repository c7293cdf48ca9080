package dev.inflight.config.configauth;

import dev.inflight.component.Host;
import dev.inflight.component.auth.AuthenticatorReference;
import dev.inflight.component.auth.ServerAuthenticator;
import dev.inflight.component.config.ConfigProblems;

/**
 * {@code auth} of a server (the otlp receiver's {@code protocols.grpc.auth} / {@code
 * protocols.http.auth}, the query extension's {@code auth}): every request must authenticate before
 * anything of it is read. Requests that do not get HTTP 401 (with {@code WWW-Authenticate}) or gRPC
 * {@code UNAUTHENTICATED}, and nothing reaches the pipeline.
 *
 * <p>As in the Collector, {@code authenticator} names an auth extension ({@code bearertokenauth},
 * {@code basicauth}) that must be listed in {@code service.extensions}. {@code bearer_token} is
 * inflight's shorthand, kept from before it had auth extensions: the token written in place, as a
 * {@code bearertokenauth} extension with {@code token} would check it.
 *
 * @param bearerToken the token clients must send as {@code Authorization: Bearer <token>},
 *     typically {@code ${env:INFLIGHT_TOKEN}}; empty when {@code authenticator} is used
 * @param authenticator the id of an auth extension, e.g. {@code bearertokenauth/clients}; empty
 *     when {@code bearer_token} is used
 */
public record AuthConfig(String bearerToken, String authenticator) implements AuthenticatorReference {
  public AuthConfig {
    bearerToken = bearerToken == null ? "" : bearerToken;
    authenticator = authenticator == null ? "" : authenticator;
  }

  public static AuthConfig bearer(String token) {
    return new AuthConfig(token, null);
  }

  /** {@code auth: {authenticator: <id>}}. */
  public static AuthConfig authenticator(String id) {
    return new AuthConfig(null, id);
  }

  @Override
  public Class<?> role() {
    return ServerAuthenticator.class;
  }

  @Override
  public String toString() {
    return "AuthConfig[bearerToken=" + (bearerToken.isEmpty() ? "" : "<redacted>") + ", authenticator=" + authenticator + "]";
  }

  /** @param problems scoped at {@code auth} */
  public void validate(ConfigProblems problems) {
    if (!authenticator.isEmpty() && !bearerToken.isEmpty()) {
      problems.add("authenticator", "authenticator and bearer_token cannot both be set: keep one");
      return;
    }
    if (authenticator.isEmpty() && bearerToken.isEmpty()) {
      // An unset ${env:...} token lands here too, so the message names bearer_token first.
      problems.add("bearer_token", "bearer_token must not be empty when auth is set"
          + " (or name an auth extension in authenticator, e.g. bearertokenauth)");
      return;
    }
    if (!authenticator.isEmpty()) {
      Authenticators.checkId(authenticator, problems);
    }
  }

  /**
   * The check this {@code auth} stands for, resolved when the server starts (extensions have
   * started by then).
   *
   * @param path where this {@code auth} is in the config, for the error when the extension is
   *     missing, e.g. {@code receivers.otlp.protocols.grpc.auth}
   * @throws IllegalStateException naming the key when {@code authenticator} is not a running
   *     server authenticator
   */
  public ServerAuthenticator server(Host host, String path) {
    if (authenticator.isEmpty()) {
      return new BearerToken(bearerToken);
    }
    return Authenticators.resolve(host, authenticator, ServerAuthenticator.class, path);
  }
}
