package dev.inflight.exporter.otlp;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesExporter;
import dev.inflight.exporterhelper.ExporterHelper;
import java.util.Set;

/** {@code exporters: otlp:}: traces and metrics over OTLP/gRPC. */
public final class OtlpExporterFactory implements ExporterFactory<OtlpExporterConfig> {
  public static final String TYPE = "otlp";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "sends traces and metrics over OTLP/gRPC (endpoint host:port), with queue and retries";
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
    return Set.of(Signal.TRACES, Signal.METRICS);
  }

  @Override
  public TracesExporter createTraces(CreateSettings settings, OtlpExporterConfig config) {
    OtlpGrpcExporter exporter = new OtlpGrpcExporter(settings.logger(), config);
    return ExporterHelper.traces(settings, config.sending(), exporter::pushTraces, exporter);
  }

  @Override
  public MetricsExporter createMetrics(CreateSettings settings, OtlpExporterConfig config) {
    OtlpGrpcExporter exporter = new OtlpGrpcExporter(settings.logger(), config);
    return ExporterHelper.metrics(settings, config.sending(), exporter::pushMetrics, exporter);
  }
}
