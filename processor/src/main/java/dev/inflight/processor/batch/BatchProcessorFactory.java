package dev.inflight.processor.batch;

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

/** {@code processors: batch:}: traces, metrics and logs into fewer, larger requests. */
public final class BatchProcessorFactory implements ProcessorFactory<BatchProcessorConfig> {
  public static final String TYPE = "batch";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "sends spans, data points and log records in batches (send_batch_size, send_batch_max_size, timeout)";
  }

  @Override
  public Class<BatchProcessorConfig> configClass() {
    return BatchProcessorConfig.class;
  }

  @Override
  public BatchProcessorConfig createDefaultConfig() {
    return BatchProcessorConfig.DEFAULT;
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
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

  @Override
  public LogsProcessor createLogs(
      CreateSettings settings, BatchProcessorConfig config, LogsConsumer next) {
    return BatchProcessor.logs(settings, config, next);
  }
}
