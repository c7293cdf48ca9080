package dev.inflight.receiver.prometheus;

import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import java.util.List;
import java.util.Map;

/**
 * {@code receivers.prometheus}: the scrape jobs, written as Prometheus's own configuration file
 * under {@code config} (as in the Collector, {@code $$} for a literal {@code $}).
 *
 * @param config Prometheus's {@code global} and {@code scrape_configs}; read by {@link
 *     PrometheusConfigReader}, which checks Prometheus's keys rather than the config binder, as the
 *     contrib receiver hands this section to Prometheus's loader
 */
public record PrometheusReceiverConfig(Map<String, Object> config) implements ComponentConfig {
  public PrometheusReceiverConfig {
    config = config == null ? Map.of() : config;
  }

  /** Every setting at its default: no scrape job yet, which {@code validate} reports. */
  public static final PrometheusReceiverConfig DEFAULT = new PrometheusReceiverConfig(null);

  /** The scrape jobs with Prometheus's defaults applied; for a config that validated. */
  List<ScrapeJob> jobs() {
    return PrometheusConfigReader.read(config, ConfigProblems.root());
  }

  @Override
  public void validate(ConfigProblems problems) {
    if (config.isEmpty()) {
      problems.add("config", "config is required: the Prometheus scrape configuration, e.g. config:"
          + " {scrape_configs: [{job_name: app, static_configs: [{targets: ['localhost:8888']}]}]}");
      return;
    }
    PrometheusConfigReader.read(config, problems.at("config"));
  }
}
