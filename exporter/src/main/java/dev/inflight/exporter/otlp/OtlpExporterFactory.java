package dev.inflight.exporter.otlp;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.LogsExporter;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesExporter;
import dev.inflight.exporterhelper.ExporterHelper;
import java.util.Set;

/** {@code exporters: otlp_grpc:} (or {@code otlp:}, its older name): traces, metrics and logs over OTLP/gRPC. */
public final class OtlpExporterFactory implements ExporterFactory<OtlpExporterConfig> {
  public static final String TYPE = "otlp_grpc";
  /** The name the Collector used before; configs with it still load. */
  public static final String OLD_TYPE = "otlp";

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
    return "sends traces, metrics and logs over OTLP/gRPC (endpoint host:port), with queue and retries";
  }

  @Override
  public Class<OtlpExporterConfig> configClass() {
    return OtlpExporterConfig.class;
  }

  @Override
  public OtlpExporterConfig createDefaultConfig() {
    return OtlpExporterConfig.DEFAULT;
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  @Override
  public TracesExporter createTraces(CreateSettings settings, OtlpExporterConfig config) {
    OtlpGrpcExporter exporter = new OtlpGrpcExporter(settings.logger(), config, Signal.TRACES);
    return ExporterHelper.traces(settings, config.sending(), exporter::push, exporter);
  }

  @Override
  public MetricsExporter createMetrics(CreateSettings settings, OtlpExporterConfig config) {
    OtlpGrpcExporter exporter = new OtlpGrpcExporter(settings.logger(), config, Signal.METRICS);
    return ExporterHelper.metrics(settings, config.sending(), exporter::push, exporter);
  }

  @Override
  public LogsExporter createLogs(CreateSettings settings, OtlpExporterConfig config) {
    OtlpGrpcExporter exporter = new OtlpGrpcExporter(settings.logger(), config, Signal.LOGS);
    return ExporterHelper.logs(settings, config.sending(), exporter::push, exporter);
  }
}
