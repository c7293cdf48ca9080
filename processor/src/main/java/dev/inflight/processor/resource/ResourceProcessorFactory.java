package dev.inflight.processor.resource;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.LogsConsumer;
import dev.inflight.component.LogsProcessor;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.MetricsProcessor;
import dev.inflight.component.ProcessorFactory;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesConsumer;
import dev.inflight.component.TracesProcessor;
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
    return ResourceProcessorConfig.DEFAULT;
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
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

  @Override
  public LogsProcessor createLogs(
      CreateSettings settings, ResourceProcessorConfig config, LogsConsumer next) {
    return ResourceProcessor.logs(config, next);
  }
}
