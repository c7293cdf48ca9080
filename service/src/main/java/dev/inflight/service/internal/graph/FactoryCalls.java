package dev.inflight.service.internal.graph;

import dev.inflight.component.Component;
import dev.inflight.component.ConnectorFactory;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.LogsConsumer;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.ProcessorFactory;
import dev.inflight.component.ReceiverFactory;
import dev.inflight.component.Signal;
import dev.inflight.component.SignalType;
import dev.inflight.component.TracesConsumer;
import dev.inflight.component.config.ComponentConfig;

/**
 * The one place the graph calls a factory's per-signal method ({@code createTraces}, {@code
 * createMetrics}, ...), as the Collector's factories have one per signal. Everything else in the
 * graph is written once for every signal; a new signal adds its cases here.
 */
final class FactoryCalls {
  private FactoryCalls() {}

  /** @param next the signal's typed consumer ({@link SignalType#typed}) */
  static Component receiver(
      ReceiverFactory<ComponentConfig> f, CreateSettings s, ComponentConfig c, Signal signal, Object next)
      throws Exception {
    return switch (signal) {
      case TRACES -> f.createTraces(s, c, (TracesConsumer) next);
      case METRICS -> f.createMetrics(s, c, (MetricsConsumer) next);
      case LOGS -> f.createLogs(s, c, (LogsConsumer) next);
    };
  }

  /** @return the processor, also its signal's typed consumer */
  static Component processor(
      ProcessorFactory<ComponentConfig> f, CreateSettings s, ComponentConfig c, Signal signal, Object next)
      throws Exception {
    return switch (signal) {
      case TRACES -> f.createTraces(s, c, (TracesConsumer) next);
      case METRICS -> f.createMetrics(s, c, (MetricsConsumer) next);
      case LOGS -> f.createLogs(s, c, (LogsConsumer) next);
    };
  }

  /** @return the exporter, also its signal's typed consumer */
  static Component exporter(ExporterFactory<ComponentConfig> f, CreateSettings s, ComponentConfig c, Signal signal)
      throws Exception {
    return switch (signal) {
      case TRACES -> f.createTraces(s, c);
      case METRICS -> f.createMetrics(s, c);
      case LOGS -> f.createLogs(s, c);
    };
  }

  /** @return the connector, also the typed consumer of {@code from} */
  static Component connector(
      ConnectorFactory<ComponentConfig> f, CreateSettings s, ComponentConfig c, Signal from, Signal to, Object next)
      throws Exception {
    if (from == Signal.TRACES && to == Signal.TRACES) {
      return f.createTracesToTraces(s, c, (TracesConsumer) next);
    } else if (from == Signal.TRACES && to == Signal.METRICS) {
      return f.createTracesToMetrics(s, c, (MetricsConsumer) next);
    } else if (from == Signal.METRICS && to == Signal.METRICS) {
      return f.createMetricsToMetrics(s, c, (MetricsConsumer) next);
    } else if (from == Signal.METRICS && to == Signal.TRACES) {
      return f.createMetricsToTraces(s, c, (TracesConsumer) next);
    } else if (from == Signal.LOGS && to == Signal.LOGS) {
      return f.createLogsToLogs(s, c, (LogsConsumer) next);
    }
    throw new UnsupportedOperationException("no connectors for " + from + " → " + to);
  }
}
