package dev.inflight.exporter.nop;

import dev.inflight.component.LogsExporter;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.TracesExporter;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;

/**
 * Accepts everything and sends it nowhere, as the Collector's {@code nop} exporter: the end of a
 * pipeline that must exist (a connector's input, a test) but whose data nobody wants.
 */
final class NopExporter implements TracesExporter, MetricsExporter, LogsExporter {
  static final NopExporter INSTANCE = new NopExporter();

  private NopExporter() {}

  @Override
  public void consumeTraces(Traces traces) {}

  @Override
  public void consumeMetrics(Metrics metrics) {}

  @Override
  public void consumeLogs(Logs logs) {}

  @Override
  public String toString() {
    return "nop exporter (discards everything)";
  }
}
