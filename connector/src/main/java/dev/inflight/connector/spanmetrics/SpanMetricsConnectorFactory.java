package dev.inflight.connector.spanmetrics;

import dev.inflight.component.ConnectorFactory;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesConnector;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** {@code connectors: spanmetrics:} (or {@code span_metrics}): traces in, R.E.D. metrics out. */
public final class SpanMetricsConnectorFactory implements ConnectorFactory<SpanMetricsConnectorConfig> {
  public static final String TYPE = "spanmetrics";
  /** The spelling the Collector's component naming guidelines give it; configs use both. */
  public static final String ALIAS = "span_metrics";

  private static final Set<Route> ROUTES = Set.of(new Route(Signal.TRACES, Signal.METRICS));

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public List<String> aliases() {
    return List.of(ALIAS);
  }

  @Override
  public String description() {
    return "request, error and duration metrics from spans, as contrib's spanmetrics";
  }

  @Override
  public Class<SpanMetricsConnectorConfig> configClass() {
    return SpanMetricsConnectorConfig.class;
  }

  @Override
  public SpanMetricsConnectorConfig createDefaultConfig() {
    return SpanMetricsConnectorConfig.DEFAULT;
  }

  @Override
  public Set<Route> routes() {
    return ROUTES;
  }

  @Override
  public TracesConnector createTracesToMetrics(
      CreateSettings settings, SpanMetricsConnectorConfig config, MetricsConsumer next) {
    return new SpanMetricsConnector(config, next, settings.logger(), SpanMetricsConnectorFactory::systemClock);
  }

  static long systemClock() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
