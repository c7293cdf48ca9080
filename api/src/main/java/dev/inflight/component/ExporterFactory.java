package dev.inflight.component;

import dev.inflight.component.config.ComponentConfig;
import java.util.Set;

/** Makes exporters; one instance per (exporter id, signal), shared by the pipelines that list it. */
public interface ExporterFactory<C extends ComponentConfig> extends Factory<C> {
  @Override
  default ComponentKind kind() {
    return ComponentKind.EXPORTER;
  }

  Set<Signal> signals();

  default TracesExporter createTraces(CreateSettings settings, C config) throws Exception {
    throw new UnsupportedOperationException(type() + " exporter does not support traces");
  }

  default MetricsExporter createMetrics(CreateSettings settings, C config) throws Exception {
    throw new UnsupportedOperationException(type() + " exporter does not support metrics");
  }

  default LogsExporter createLogs(CreateSettings settings, C config) throws Exception {
    throw new UnsupportedOperationException(type() + " exporter does not support logs");
  }
}
