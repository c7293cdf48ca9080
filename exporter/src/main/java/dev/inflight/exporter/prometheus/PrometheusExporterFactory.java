package dev.inflight.exporter.prometheus;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.Signal;
import dev.inflight.exporterhelper.ExporterHelper;
import dev.inflight.exporterhelper.SendingOptions;
import java.util.Set;

/** {@code exporters: prometheus:}: metrics on a Prometheus scrape endpoint (default :8889). */
public final class PrometheusExporterFactory implements ExporterFactory<PrometheusExporterConfig> {
  public static final String TYPE = "prometheus";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "serves metrics for Prometheus to scrape (endpoint 0.0.0.0:8889, /metrics)";
  }

  @Override
  public Class<PrometheusExporterConfig> configClass() {
    return PrometheusExporterConfig.class;
  }

  @Override
  public PrometheusExporterConfig createDefaultConfig() {
    return PrometheusExporterConfig.DEFAULT;
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.METRICS);
  }

  @Override
  public MetricsExporter createMetrics(CreateSettings settings, PrometheusExporterConfig config) {
    PrometheusExporter exporter = new PrometheusExporter(settings.logger(), config, settings.telemetry());
    // In the caller's thread, no queue: storing the latest values cannot fail for a retry to help.
    return ExporterHelper.metrics(settings, SendingOptions.synchronous(), exporter::pushMetrics, exporter);
  }
}
