package dev.inflight.component.auth;

import java.util.Map;

/**
 * Credentials a client adds to every request it sends. Asked for each request, so an extension
 * whose credentials change (a token file rewritten) is seen without a restart.
 */
public interface ClientAuthenticator {
  /** Header name to value, e.g. {@code Authorization: Bearer <token>}. */
  Map<String, String> headers();
}
