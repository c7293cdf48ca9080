package dev.inflight.processor.batch;

import dev.inflight.pipeline.CreateSettings;
import dev.inflight.pipeline.MetricsConsumer;
import dev.inflight.pipeline.MetricsProcessor;
import dev.inflight.pipeline.ProcessorFactory;
import dev.inflight.pipeline.Signal;
import dev.inflight.pipeline.TracesConsumer;
import dev.inflight.pipeline.TracesProcessor;
import java.util.Set;

/** {@code processors: batch:}: traces and metrics into fewer, larger requests. */
public final class BatchProcessorFactory implements ProcessorFactory<BatchProcessorConfig> {
  public static final String TYPE = "batch";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "sends spans and data points in batches (send_batch_size, send_batch_max_size, timeout)";
  }

  @Override
  public Class<BatchProcessorConfig> configClass() {
    return BatchProcessorConfig.class;
  }

  @Override
  public BatchProcessorConfig createDefaultConfig() {
    return BatchProcessorConfig.defaults();
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS);
  }

  @Override
  public TracesProcessor createTraces(
      CreateSettings settings, BatchProcessorConfig config, TracesConsumer next) {
    return BatchProcessor.traces(settings, config, next);
  }

  @Override
  public MetricsProcessor createMetrics(
      CreateSettings settings, BatchProcessorConfig config, MetricsConsumer next) {
    return BatchProcessor.metrics(settings, config, next);
  }
}
