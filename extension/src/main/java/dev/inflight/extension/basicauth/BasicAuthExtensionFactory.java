package dev.inflight.extension.basicauth;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.Extension;
import dev.inflight.component.ExtensionFactory;
import dev.inflight.component.auth.ClientAuthenticator;
import dev.inflight.component.auth.ServerAuthenticator;
import java.util.Set;

/** {@code extensions: basicauth:}. */
public final class BasicAuthExtensionFactory implements ExtensionFactory<BasicAuthConfig> {
  public static final String TYPE = "basicauth";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "HTTP Basic auth: htpasswd users on receivers' auth, or client_auth credentials on exporters' auth";
  }

  @Override
  public Class<BasicAuthConfig> configClass() {
    return BasicAuthConfig.class;
  }

  @Override
  public BasicAuthConfig createDefaultConfig() {
    return BasicAuthConfig.DEFAULT;
  }

  /** One side only, as in the Collector: {@code htpasswd} checks, {@code client_auth} sends. */
  @Override
  public Set<Class<?>> roles(BasicAuthConfig config) {
    if (config.htpasswd() != null && config.clientAuth() == null) {
      return Set.of(ServerAuthenticator.class);
    }
    if (config.clientAuth() != null && config.htpasswd() == null) {
      return Set.of(ClientAuthenticator.class);
    }
    return Set.of();
  }

  @Override
  public Extension create(CreateSettings settings, BasicAuthConfig config) {
    return BasicAuthExtension.of(settings.id().toString(), config);
  }
}
