package dev.inflight.exporter.file;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.LogsExporter;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesExporter;
import java.time.Clock;
import java.util.Set;

/**
 * {@code exporters: file:}: records traces, metrics and logs to rotating files within a disk budget.
 * One instance per component id, so the pipelines of every signal that list it share its files.
 */
public final class FileExporterFactory implements ExporterFactory<FileExporterConfig> {
  public static final String TYPE = "file";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "records traces, metrics and logs to rotating files (OTLP protobuf or JSON lines, optional zstd)";
  }

  @Override
  public Class<FileExporterConfig> configClass() {
    return FileExporterConfig.class;
  }

  @Override
  public FileExporterConfig createDefaultConfig() {
    return FileExporterConfig.DEFAULT;
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  @Override
  public TracesExporter createTraces(CreateSettings settings, FileExporterConfig config) {
    return exporter(settings, config);
  }

  @Override
  public MetricsExporter createMetrics(CreateSettings settings, FileExporterConfig config) {
    return exporter(settings, config);
  }

  @Override
  public LogsExporter createLogs(CreateSettings settings, FileExporterConfig config) {
    return exporter(settings, config);
  }

  private static FileExporter exporter(CreateSettings settings, FileExporterConfig config) {
    return settings.shared(() -> new FileExporter(settings.logger(), config, settings.telemetry(), Clock.systemUTC()));
  }
}
