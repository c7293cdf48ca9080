package dev.inflight.extension.query;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.Extension;
import dev.inflight.component.ExtensionFactory;

/** {@code extensions: query:}. */
public final class QueryExtensionFactory implements ExtensionFactory<QueryExtensionConfig> {
  public static final String TYPE = "query";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "concurrency API, Grafana JSON datasource and web page (:5050): live workers and per-trace concurrency";
  }

  @Override
  public Class<QueryExtensionConfig> configClass() {
    return QueryExtensionConfig.class;
  }

  @Override
  public QueryExtensionConfig createDefaultConfig() {
    return QueryExtensionConfig.DEFAULT;
  }

  @Override
  public Extension create(CreateSettings settings, QueryExtensionConfig config) {
    return new QueryExtension(settings.id().toString(), config, settings.telemetry(), settings.logger());
  }
}
