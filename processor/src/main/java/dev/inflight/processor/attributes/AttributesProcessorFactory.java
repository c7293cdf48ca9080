package dev.inflight.processor.attributes;

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

/** {@code processors: attributes:}: changes span, log record and data point attributes. */
public final class AttributesProcessorFactory
    implements ProcessorFactory<AttributesProcessorConfig> {
  public static final String TYPE = "attributes";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "inserts, updates, upserts, deletes, hashes, extracts or converts span, log record and"
        + " data point attributes";
  }

  @Override
  public Class<AttributesProcessorConfig> configClass() {
    return AttributesProcessorConfig.class;
  }

  @Override
  public AttributesProcessorConfig createDefaultConfig() {
    return AttributesProcessorConfig.DEFAULT;
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  @Override
  public TracesProcessor createTraces(
      CreateSettings settings, AttributesProcessorConfig config, TracesConsumer next) {
    return AttributesProcessor.traces(config, next);
  }

  @Override
  public MetricsProcessor createMetrics(
      CreateSettings settings, AttributesProcessorConfig config, MetricsConsumer next) {
    return AttributesProcessor.metrics(config, next);
  }

  @Override
  public LogsProcessor createLogs(
      CreateSettings settings, AttributesProcessorConfig config, LogsConsumer next) {
    return AttributesProcessor.logs(config, next);
  }
}
