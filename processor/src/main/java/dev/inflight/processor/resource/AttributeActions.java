package dev.inflight.processor.resource;

import dev.inflight.processor.internal.attraction.ActionConfig;
import dev.inflight.processor.internal.attraction.ActionKind;
import dev.inflight.processor.internal.attraction.Attraction;
import dev.inflight.processor.resource.ResourceProcessorConfig.AttributeAction;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;

/**
 * The configured actions on a resource: the shared {@link Attraction} with the four actions the
 * resource processor's config offers. Immutable and thread-safe.
 */
final class AttributeActions {
  private final Attraction attraction;

  private AttributeActions(Attraction attraction) {
    this.attraction = attraction;
  }

  /**
   * @throws IllegalArgumentException for a config {@link ResourceProcessorConfig#validate} refuses
   */
  static AttributeActions of(List<AttributeAction> config) {
    List<ActionConfig> actions =
        config.stream()
            .map(
                a -> {
                  if (a == null || a.key().isEmpty() || a.action() == null) {
                    throw new IllegalArgumentException("invalid resource attribute action: " + a);
                  }
                  return new ActionConfig(
                      a.key(), a.value(), null, a.fromAttribute(), null, null,
                      ActionKind.valueOf(a.action().name()));
                })
            .toList();
    return new AttributeActions(Attraction.of(actions));
  }

  /**
   * Applies every action in order.
   *
   * @return {@code resource} itself when no action changed anything, else a new resource with the
   *     same other fields (dropped attribute count, entity references, unknown fields)
   */
  Resource apply(Resource resource) {
    List<KeyValue> original = resource.getAttributesList();
    List<KeyValue> attrs = attraction.apply(original);
    if (attrs == original) {
      return resource;
    }
    return resource.toBuilder().clearAttributes().addAllAttributes(attrs).build();
  }
}
