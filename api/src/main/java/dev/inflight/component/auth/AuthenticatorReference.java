package dev.inflight.component.auth;

/**
 * A config value that names an auth extension ({@code auth: {authenticator: <id>}}). Config
 * validation finds every such value in a component's config and checks that the id is an extension
 * that is defined, listed in {@code service.extensions}, and that its factory says it can be used
 * as {@link #role()} ({@link dev.inflight.component.ExtensionFactory#roles}).
 */
public interface AuthenticatorReference {
  /** The extension id, or empty when this value names none. */
  String authenticator();

  /** {@link ServerAuthenticator} or {@link ClientAuthenticator}. */
  Class<?> role();
}
