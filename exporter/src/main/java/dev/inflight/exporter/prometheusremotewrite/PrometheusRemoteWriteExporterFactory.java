package dev.inflight.exporter.prometheusremotewrite;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.Signal;
import dev.inflight.exporterhelper.ExporterHelper;
import java.util.Set;

/** {@code exporters: prometheusremotewrite:}: metrics to Prometheus (or compatible) with remote write 1.0. */
public final class PrometheusRemoteWriteExporterFactory
    implements ExporterFactory<PrometheusRemoteWriteExporterConfig> {
  public static final String TYPE = "prometheusremotewrite";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "pushes metrics with Prometheus remote write (endpoint URL), keeping their timestamps";
  }

  @Override
  public Class<PrometheusRemoteWriteExporterConfig> configClass() {
    return PrometheusRemoteWriteExporterConfig.class;
  }

  @Override
  public PrometheusRemoteWriteExporterConfig createDefaultConfig() {
    return PrometheusRemoteWriteExporterConfig.DEFAULT;
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.METRICS);
  }

  @Override
  public MetricsExporter createMetrics(CreateSettings settings, PrometheusRemoteWriteExporterConfig config) {
    config.warnings().forEach(w -> settings.logger().warn("{}", w));
    PrometheusRemoteWriteExporter exporter =
        new PrometheusRemoteWriteExporter(settings.logger(), config, settings.telemetry());
    return ExporterHelper.metrics(settings, config.sending(), exporter::pushMetrics, exporter);
  }
}
