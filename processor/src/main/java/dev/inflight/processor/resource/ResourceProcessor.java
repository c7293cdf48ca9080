package dev.inflight.processor.resource;

import dev.inflight.component.Component;
import dev.inflight.component.LogsConsumer;
import dev.inflight.component.LogsProcessor;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.MetricsProcessor;
import dev.inflight.component.TracesConsumer;
import dev.inflight.component.TracesProcessor;
import dev.inflight.processor.internal.resource.ResourceRewriter;
import dev.inflight.processor.internal.resource.ResourceRewriting;

/**
 * Applies the configured actions to the resource of every {@code ResourceSpans}, {@code
 * ResourceMetrics} and {@code ResourceLogs} and hands the batch on. Works on the encoded request
 * (see {@link ResourceRewriter}); a batch that no action changes is handed on as the same object,
 * bytes and all. Holds nothing, so start and shutdown have nothing to do.
 */
public final class ResourceProcessor {
  private static final String NAME = "resource processor";
  private static final Component NOTHING = new Component() {};

  private ResourceProcessor() {}

  /**
   * @throws IllegalArgumentException for a config that does not validate
   */
  public static TracesProcessor traces(ResourceProcessorConfig config, TracesConsumer next) {
    ResourceRewriter r = ResourceRewriter.traces(AttributeActions.of(config.attributes())::apply);
    return ResourceRewriting.traces(NAME, () -> r, NOTHING, next);
  }

  /**
   * @throws IllegalArgumentException for a config that does not validate
   */
  public static MetricsProcessor metrics(ResourceProcessorConfig config, MetricsConsumer next) {
    ResourceRewriter r = ResourceRewriter.metrics(AttributeActions.of(config.attributes())::apply);
    return ResourceRewriting.metrics(NAME, () -> r, NOTHING, next);
  }

  /**
   * @throws IllegalArgumentException for a config that does not validate
   */
  public static LogsProcessor logs(ResourceProcessorConfig config, LogsConsumer next) {
    ResourceRewriter r = ResourceRewriter.logs(AttributeActions.of(config.attributes())::apply);
    return ResourceRewriting.logs(NAME, () -> r, NOTHING, next);
  }
}
