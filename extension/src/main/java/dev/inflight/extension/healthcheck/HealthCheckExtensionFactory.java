package dev.inflight.extension.healthcheck;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.Extension;
import dev.inflight.component.ExtensionFactory;

/** {@code extensions: health_check:}. */
public final class HealthCheckExtensionFactory implements ExtensionFactory<HealthCheckConfig> {
  public static final String TYPE = "health_check";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "HTTP probe endpoint: 200 while the pipelines run, else 503";
  }

  @Override
  public Class<HealthCheckConfig> configClass() {
    return HealthCheckConfig.class;
  }

  @Override
  public HealthCheckConfig createDefaultConfig() {
    return HealthCheckConfig.DEFAULT;
  }

  @Override
  public Extension create(CreateSettings settings, HealthCheckConfig config) {
    return new HealthCheckExtension(settings.id().toString(), config);
  }
}
