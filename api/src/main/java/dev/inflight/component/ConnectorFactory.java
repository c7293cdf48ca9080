package dev.inflight.component;

import dev.inflight.component.config.ComponentConfig;
import java.util.Set;

/**
 * Makes connectors. A connector is listed as an exporter in pipelines of signal {@code from} and as
 * a receiver in pipelines of signal {@code to}; one instance is made per pair it is used for.
 */
public interface ConnectorFactory<C extends ComponentConfig> extends Factory<C> {
  /** A supported (input signal, output signal) pair. */
  record Route(Signal from, Signal to) {
    @Override
    public String toString() {
      return from + " → " + to;
    }
  }

  @Override
  default ComponentKind kind() {
    return ComponentKind.CONNECTOR;
  }

  Set<Route> routes();

  default TracesConnector createTracesToTraces(
      CreateSettings settings, C config, TracesConsumer next) throws Exception {
    throw new UnsupportedOperationException(type() + " connector does not support traces → traces");
  }

  default TracesConnector createTracesToMetrics(
      CreateSettings settings, C config, MetricsConsumer next) throws Exception {
    throw new UnsupportedOperationException(type() + " connector does not support traces → metrics");
  }

  default MetricsConnector createMetricsToMetrics(
      CreateSettings settings, C config, MetricsConsumer next) throws Exception {
    throw new UnsupportedOperationException(
        type() + " connector does not support metrics → metrics");
  }

  default MetricsConnector createMetricsToTraces(
      CreateSettings settings, C config, TracesConsumer next) throws Exception {
    throw new UnsupportedOperationException(type() + " connector does not support metrics → traces");
  }

  default LogsConnector createLogsToLogs(CreateSettings settings, C config, LogsConsumer next)
      throws Exception {
    throw new UnsupportedOperationException(type() + " connector does not support logs → logs");
  }
}
