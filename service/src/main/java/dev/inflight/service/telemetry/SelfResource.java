package dev.inflight.service.telemetry;

import dev.inflight.service.config.TelemetryConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.util.Map;
import java.util.UUID;

/** The resource inflight's own metrics and logs carry: one instance id per process, so a backend joins them. */
final class SelfResource {
  private static final String INSTANCE_ID = UUID.randomUUID().toString();

  private SelfResource() {}

  static Resource of(TelemetryConfig config, String serviceVersion) {
    AttributesBuilder resource =
        Attributes.builder()
            .put(AttributeKey.stringKey("service.name"), "inflight")
            .put(AttributeKey.stringKey("service.version"), serviceVersion)
            .put(AttributeKey.stringKey("service.instance.id"), INSTANCE_ID);
    for (Map.Entry<String, String> e : config.resource().entrySet()) {
      resource.put(AttributeKey.stringKey(e.getKey()), e.getValue());
    }
    return Resource.create(resource.build());
  }
}
