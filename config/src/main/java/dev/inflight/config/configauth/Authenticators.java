package dev.inflight.config.configauth;

import dev.inflight.component.ComponentId;
import dev.inflight.component.Extension;
import dev.inflight.component.Host;
import dev.inflight.component.auth.ClientAuthenticator;
import dev.inflight.component.config.ConfigProblems;

/** Finding the extension an {@code authenticator} key names. */
final class Authenticators {
  private Authenticators() {}

  static void checkId(String authenticator, ConfigProblems problems) {
    try {
      ComponentId.parse(authenticator);
    } catch (IllegalArgumentException e) {
      problems.add("authenticator", "authenticator: " + e.getMessage());
    }
  }

  /**
   * Validation has checked the reference when the config came through the loader; this is the
   * check for everything else (a config built in code), with the same words.
   */
  static <T> T resolve(Host host, String authenticator, Class<T> role, String path) {
    ComponentId id = ComponentId.parse(authenticator);
    Extension e = host.extension(id).orElseThrow(() -> new IllegalStateException(path + ".authenticator: extension \""
        + id + "\" is not running: define it under extensions and list it in service.extensions"));
    if (!role.isInstance(e)) {
      throw new IllegalStateException(path + ".authenticator: extension \"" + id + "\" is not a "
          + (role == ClientAuthenticator.class ? "client" : "server") + " authenticator");
    }
    return role.cast(e);
  }
}
