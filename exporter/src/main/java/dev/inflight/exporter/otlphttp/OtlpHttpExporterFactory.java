package dev.inflight.exporter.otlphttp;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.LogsExporter;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesExporter;
import dev.inflight.exporterhelper.ExporterHelper;
import java.util.Set;

/** {@code exporters: otlp_http:} (or {@code otlphttp:}, its older name): traces, metrics and logs over OTLP/HTTP (protobuf). */
public final class OtlpHttpExporterFactory implements ExporterFactory<OtlpHttpExporterConfig> {
  public static final String TYPE = "otlp_http";
  /** The name the Collector used before; configs with it still load. */
  public static final String OLD_TYPE = "otlphttp";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public java.util.List<String> aliases() {
    return java.util.List.of(OLD_TYPE);
  }

  @Override
  public String description() {
    return "sends traces, metrics and logs over OTLP/HTTP (endpoint URL), with queue and retries";
  }

  @Override
  public Class<OtlpHttpExporterConfig> configClass() {
    return OtlpHttpExporterConfig.class;
  }

  @Override
  public OtlpHttpExporterConfig createDefaultConfig() {
    return OtlpHttpExporterConfig.DEFAULT;
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  @Override
  public TracesExporter createTraces(CreateSettings settings, OtlpHttpExporterConfig config) {
    OtlpHttpExporter exporter = new OtlpHttpExporter(settings.logger(), config, Signal.TRACES);
    return ExporterHelper.traces(settings, config.sending(), exporter::push, exporter);
  }

  @Override
  public MetricsExporter createMetrics(CreateSettings settings, OtlpHttpExporterConfig config) {
    OtlpHttpExporter exporter = new OtlpHttpExporter(settings.logger(), config, Signal.METRICS);
    return ExporterHelper.metrics(settings, config.sending(), exporter::push, exporter);
  }

  @Override
  public LogsExporter createLogs(CreateSettings settings, OtlpHttpExporterConfig config) {
    OtlpHttpExporter exporter = new OtlpHttpExporter(settings.logger(), config, Signal.LOGS);
    return ExporterHelper.logs(settings, config.sending(), exporter::push, exporter);
  }
}
