package dev.inflight.connector.concurrency;

import dev.inflight.component.ConnectorFactory;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesConnector;
import java.util.Set;

/** {@code connectors: concurrency:}: traces in, active-worker metrics out. */
public final class ConcurrencyConnectorFactory implements ConnectorFactory<ConcurrencyConnectorConfig> {
  public static final String TYPE = "concurrency";

  private static final Set<Route> ROUTES = Set.of(new Route(Signal.TRACES, Signal.METRICS));

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "counts busy workers per span-name pattern: traces in, workers.* metrics out";
  }

  @Override
  public Class<ConcurrencyConnectorConfig> configClass() {
    return ConcurrencyConnectorConfig.class;
  }

  @Override
  public ConcurrencyConnectorConfig createDefaultConfig() {
    return ConcurrencyConnectorConfig.DEFAULT;
  }

  @Override
  public Set<Route> routes() {
    return ROUTES;
  }

  @Override
  public TracesConnector createTracesToMetrics(
      CreateSettings settings, ConcurrencyConnectorConfig config, MetricsConsumer next) {
    return new ConcurrencyConnector(
        settings.id().toString(), config, next, settings.telemetry(), settings.logger(), ConcurrencyConnector::systemClock);
  }
}
