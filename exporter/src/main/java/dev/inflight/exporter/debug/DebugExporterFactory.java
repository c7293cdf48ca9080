package dev.inflight.exporter.debug;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.LogsExporter;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesExporter;
import dev.inflight.exporterhelper.ExporterHelper;
import java.util.Set;

/** {@code exporters: debug:}: traces, metrics and logs to the log. */
public final class DebugExporterFactory implements ExporterFactory<DebugExporterConfig> {
  public static final String TYPE = "debug";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "logs each batch (verbosity: basic, normal or detailed)";
  }

  @Override
  public Class<DebugExporterConfig> configClass() {
    return DebugExporterConfig.class;
  }

  @Override
  public DebugExporterConfig createDefaultConfig() {
    return DebugExporterConfig.DEFAULT;
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  @Override
  public TracesExporter createTraces(CreateSettings settings, DebugExporterConfig config) {
    DebugExporter exporter = new DebugExporter(settings.logger(), config);
    return ExporterHelper.traces(settings, exporter::pushTraces, exporter);
  }

  @Override
  public MetricsExporter createMetrics(CreateSettings settings, DebugExporterConfig config) {
    DebugExporter exporter = new DebugExporter(settings.logger(), config);
    return ExporterHelper.metrics(settings, exporter::pushMetrics, exporter);
  }

  @Override
  public LogsExporter createLogs(CreateSettings settings, DebugExporterConfig config) {
    DebugExporter exporter = new DebugExporter(settings.logger(), config);
    return ExporterHelper.logs(settings, exporter::pushLogs, exporter);
  }
}
