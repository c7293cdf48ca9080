package dev.inflight.connector.forward;

import dev.inflight.component.ConnectorFactory;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.LogsConnector;
import dev.inflight.component.LogsConsumer;
import dev.inflight.component.MetricsConnector;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesConnector;
import dev.inflight.component.TracesConsumer;
import java.util.Set;

/** {@code connectors: forward:}: traces → traces, metrics → metrics and logs → logs, unchanged. */
public final class ForwardConnectorFactory implements ConnectorFactory<ForwardConnectorConfig> {
  public static final String TYPE = "forward";

  private static final Set<Route> ROUTES =
      Set.of(
          new Route(Signal.TRACES, Signal.TRACES),
          new Route(Signal.METRICS, Signal.METRICS),
          new Route(Signal.LOGS, Signal.LOGS));

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "hands batches unchanged to pipelines of the same signal";
  }

  @Override
  public Class<ForwardConnectorConfig> configClass() {
    return ForwardConnectorConfig.class;
  }

  @Override
  public ForwardConnectorConfig createDefaultConfig() {
    return new ForwardConnectorConfig();
  }

  @Override
  public Set<Route> routes() {
    return ROUTES;
  }

  @Override
  public TracesConnector createTracesToTraces(
      CreateSettings settings, ForwardConnectorConfig config, TracesConsumer next) {
    return ForwardConnector.traces(next);
  }

  @Override
  public MetricsConnector createMetricsToMetrics(
      CreateSettings settings, ForwardConnectorConfig config, MetricsConsumer next) {
    return ForwardConnector.metrics(next);
  }

  @Override
  public LogsConnector createLogsToLogs(
      CreateSettings settings, ForwardConnectorConfig config, LogsConsumer next) {
    return ForwardConnector.logs(next);
  }
}
