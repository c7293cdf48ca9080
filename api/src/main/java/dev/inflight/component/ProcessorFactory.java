package dev.inflight.component;

import dev.inflight.component.config.ComponentConfig;
import java.util.Set;

/** Makes processors; one instance per pipeline that lists the processor. */
public interface ProcessorFactory<C extends ComponentConfig> extends Factory<C> {
  @Override
  default ComponentKind kind() {
    return ComponentKind.PROCESSOR;
  }

  Set<Signal> signals();

  default TracesProcessor createTraces(CreateSettings settings, C config, TracesConsumer next)
      throws Exception {
    throw new UnsupportedOperationException(type() + " processor does not support traces");
  }

  default MetricsProcessor createMetrics(CreateSettings settings, C config, MetricsConsumer next)
      throws Exception {
    throw new UnsupportedOperationException(type() + " processor does not support metrics");
  }

  default LogsProcessor createLogs(CreateSettings settings, C config, LogsConsumer next)
      throws Exception {
    throw new UnsupportedOperationException(type() + " processor does not support logs");
  }
}
