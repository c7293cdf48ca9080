package dev.inflight.processor.memorylimiter;

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

/**
 * {@code processors: memory_limiter:}: refuses data while the heap is above the soft limit. One
 * limiter (one checker thread) per component id, shared by every pipeline that lists it.
 */
public final class MemoryLimiterProcessorFactory
    implements ProcessorFactory<MemoryLimiterProcessorConfig> {
  public static final String TYPE = "memory_limiter";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "refuses data (retryable) while the JVM heap is above the configured limit";
  }

  @Override
  public Class<MemoryLimiterProcessorConfig> configClass() {
    return MemoryLimiterProcessorConfig.class;
  }

  @Override
  public MemoryLimiterProcessorConfig createDefaultConfig() {
    return MemoryLimiterProcessorConfig.DEFAULT;
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  @Override
  public TracesProcessor createTraces(
      CreateSettings settings, MemoryLimiterProcessorConfig config, TracesConsumer next) {
    return MemoryLimiterProcessor.traces(limiter(settings, config), next);
  }

  @Override
  public MetricsProcessor createMetrics(
      CreateSettings settings, MemoryLimiterProcessorConfig config, MetricsConsumer next) {
    return MemoryLimiterProcessor.metrics(limiter(settings, config), next);
  }

  @Override
  public LogsProcessor createLogs(
      CreateSettings settings, MemoryLimiterProcessorConfig config, LogsConsumer next) {
    return MemoryLimiterProcessor.logs(limiter(settings, config), next);
  }

  private static MemoryLimiter limiter(CreateSettings settings, MemoryLimiterProcessorConfig config) {
    return settings.shared(
        () ->
            MemoryLimiter.forThisJvm(
                settings.id().toString(), config, settings.logger(), settings.telemetry()));
  }
}
