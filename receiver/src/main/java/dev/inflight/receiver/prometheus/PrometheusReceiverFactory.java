package dev.inflight.receiver.prometheus;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Receiver;
import dev.inflight.component.ReceiverFactory;
import dev.inflight.component.Signal;
import java.util.Set;

/**
 * {@code receivers: prometheus:}: scrapes the {@code static_configs} targets of Prometheus scrape
 * jobs (text format and OpenMetrics) and hands the samples to the metrics pipeline as OTLP.
 */
public final class PrometheusReceiverFactory implements ReceiverFactory<PrometheusReceiverConfig> {
  public static final String TYPE = "prometheus";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "scrapes Prometheus and OpenMetrics endpoints (config.scrape_configs with static_configs) into"
        + " OTLP metrics";
  }

  @Override
  public Class<PrometheusReceiverConfig> configClass() {
    return PrometheusReceiverConfig.class;
  }

  @Override
  public PrometheusReceiverConfig createDefaultConfig() {
    return PrometheusReceiverConfig.DEFAULT;
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.METRICS);
  }

  @Override
  public Receiver createMetrics(CreateSettings settings, PrometheusReceiverConfig config, MetricsConsumer next) {
    return new PrometheusReceiver(settings, config.jobs(), next);
  }
}
