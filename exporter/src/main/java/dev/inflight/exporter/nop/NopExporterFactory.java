package dev.inflight.exporter.nop;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.ExporterFactory;
import dev.inflight.component.LogsExporter;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesExporter;
import java.util.Set;

/** {@code exporters: nop:}: accepts traces, metrics and logs and drops them, counting nothing. */
public final class NopExporterFactory implements ExporterFactory<NopExporterConfig> {
  public static final String TYPE = "nop";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "accepts traces, metrics and logs and discards them";
  }

  @Override
  public Class<NopExporterConfig> configClass() {
    return NopExporterConfig.class;
  }

  @Override
  public NopExporterConfig createDefaultConfig() {
    return new NopExporterConfig();
  }

  @Override
  public Set<Signal> signals() {
    return Set.of(Signal.TRACES, Signal.METRICS, Signal.LOGS);
  }

  @Override
  public TracesExporter createTraces(CreateSettings settings, NopExporterConfig config) {
    return NopExporter.INSTANCE;
  }

  @Override
  public MetricsExporter createMetrics(CreateSettings settings, NopExporterConfig config) {
    return NopExporter.INSTANCE;
  }

  @Override
  public LogsExporter createLogs(CreateSettings settings, NopExporterConfig config) {
    return NopExporter.INSTANCE;
  }
}
