package dev.inflight.extension.zpages;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.Extension;
import dev.inflight.component.ExtensionFactory;

/** {@code extensions: zpages:}. */
public final class ZPagesExtensionFactory implements ExtensionFactory<ZPagesConfig> {
  public static final String TYPE = "zpages";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "HTML pages about the running service: /debug/servicez, /debug/pipelinez, /debug/extensionz";
  }

  @Override
  public Class<ZPagesConfig> configClass() {
    return ZPagesConfig.class;
  }

  @Override
  public ZPagesConfig createDefaultConfig() {
    return ZPagesConfig.DEFAULT;
  }

  @Override
  public Extension create(CreateSettings settings, ZPagesConfig config) {
    return new ZPagesExtension(settings.id().toString(), config);
  }
}
