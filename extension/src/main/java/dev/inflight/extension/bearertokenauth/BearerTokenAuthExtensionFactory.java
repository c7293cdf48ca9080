package dev.inflight.extension.bearertokenauth;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.Extension;
import dev.inflight.component.ExtensionFactory;
import dev.inflight.component.auth.ClientAuthenticator;
import dev.inflight.component.auth.ServerAuthenticator;
import java.util.Set;

/** {@code extensions: bearertokenauth:}. */
public final class BearerTokenAuthExtensionFactory implements ExtensionFactory<BearerTokenAuthConfig> {
  public static final String TYPE = "bearertokenauth";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "bearer token auth: checks the token on receivers' auth, sends it on exporters' auth";
  }

  @Override
  public Class<BearerTokenAuthConfig> configClass() {
    return BearerTokenAuthConfig.class;
  }

  @Override
  public BearerTokenAuthConfig createDefaultConfig() {
    return BearerTokenAuthConfig.DEFAULT;
  }

  @Override
  public Set<Class<?>> roles(BearerTokenAuthConfig config) {
    return Set.of(ServerAuthenticator.class, ClientAuthenticator.class);
  }

  @Override
  public Extension create(CreateSettings settings, BearerTokenAuthConfig config) {
    return new BearerTokenAuthExtension(settings.id().toString(), config, settings.logger());
  }
}
