package dev.inflight.component.auth;

import org.jspecify.annotations.Nullable;

/**
 * Checks a request's headers before anything of it is read. Called on a server's I/O thread for
 * every request, so it must not block (an extension that reads a file re-reads it elsewhere).
 */
public interface ServerAuthenticator {
  /** The headers of one request, looked up by name without regard to case. */
  @FunctionalInterface
  interface Headers {
    /** The first value of {@code name}, or null when absent. */
    @Nullable String get(String name);
  }

  /**
   * Why the request does not authenticate, or null when it does. The message goes back to the
   * client (401 body, gRPC status description), so it names what is expected, never a secret.
   */
  @Nullable String reject(Headers headers);

  /** The {@code WWW-Authenticate} value of a 401, e.g. {@code Bearer} or {@code Basic realm="..."}. */
  String challenge();
}
