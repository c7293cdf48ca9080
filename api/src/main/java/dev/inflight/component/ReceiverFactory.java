package dev.inflight.component;

import dev.inflight.component.config.ComponentConfig;
import java.util.Set;

/**
 * Makes receivers. A receiver used in several signals' pipelines may share one instance (one port
 * for traces, metrics and logs): use {@link CreateSettings#shared}.
 */
public interface ReceiverFactory<C extends ComponentConfig> extends Factory<C> {
  @Override
  default ComponentKind kind() {
    return ComponentKind.RECEIVER;
  }

  Set<Signal> signals();

  default Receiver createTraces(CreateSettings settings, C config, TracesConsumer next)
      throws Exception {
    throw new UnsupportedOperationException(type() + " receiver does not support traces");
  }

  default Receiver createMetrics(CreateSettings settings, C config, MetricsConsumer next)
      throws Exception {
    throw new UnsupportedOperationException(type() + " receiver does not support metrics");
  }

  default Receiver createLogs(CreateSettings settings, C config, LogsConsumer next)
      throws Exception {
    throw new UnsupportedOperationException(type() + " receiver does not support logs");
  }
}
