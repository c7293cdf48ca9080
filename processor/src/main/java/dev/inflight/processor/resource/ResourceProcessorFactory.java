package dev.inflight.processor.resource;

import dev.inflight.pipeline.CreateSettings;
import dev.inflight.pipeline.MetricsConsumer;
import dev.inflight.pipeline.MetricsProcessor;
import dev.inflight.pipeline.ProcessorFactory;
import dev.inflight.pipeline.Signal;
import dev.inflight.pipeline.TracesConsumer;
import dev.inflight.pipeline.TracesProcessor;
import java.util.Set;

/** {@code processors: resource:}: inserts, updates, upserts or deletes resource attributes. */
public final class ResourceProcessorFactory implements ProcessorFactory<ResourceProcessorConfig> {
  public static final String TYPE = "resource";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "inserts, updates, upserts or deletes resource attributes";
  }

  @Override
  public Class<ResourceProcessorConfig> configClass() {
    return ResourceProcessorConfig.class;
  }

  @Override
  public ResourceProcessorConfig createDefaultConfig() {
    return ResourceProcessorConfig.defaults();
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS);
  }

  @Override
  public TracesProcessor createTraces(
      CreateSettings settings, ResourceProcessorConfig config, TracesConsumer next) {
    return ResourceProcessor.traces(config, next);
  }

  @Override
  public MetricsProcessor createMetrics(
      CreateSettings settings, ResourceProcessorConfig config, MetricsConsumer next) {
    return ResourceProcessor.metrics(config, next);
  }
}
