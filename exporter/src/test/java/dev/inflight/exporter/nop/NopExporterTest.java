package dev.inflight.exporter.nop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.Signal;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

class NopExporterTest {
  private final NopExporterFactory factory = new NopExporterFactory();
  private final ComponentId id = ComponentId.of("nop");
  private final CreateSettings settings =
      new CreateSettings(id, ComponentKind.EXPORTER, ComponentTelemetry.noop(ComponentKind.EXPORTER, id), new HashMap<>());

  @Test
  void acceptsEverySignalAndKeepsNothing() throws Exception {
    assertThat(factory.type()).isEqualTo("nop");
    assertThat(factory.signals()).containsExactlyInAnyOrder(Signal.TRACES, Signal.METRICS, Signal.LOGS);
    var traces = factory.createTraces(settings, factory.createDefaultConfig());
    var metrics = factory.createMetrics(settings, factory.createDefaultConfig());
    var logs = factory.createLogs(settings, factory.createDefaultConfig());
    traces.start(null);
    traces.consumeTraces(Traces.of(ExportTraceServiceRequest.getDefaultInstance()));
    metrics.consumeMetrics(Metrics.of(ExportMetricsServiceRequest.getDefaultInstance()));
    logs.consumeLogs(Logs.of(ExportLogsServiceRequest.getDefaultInstance()));
    traces.shutdown();
    // One stateless instance: nothing is held per signal or per batch.
    assertThat(traces).isSameAs(metrics).isSameAs(logs);
    assertThat(NopExporter.class.getDeclaredFields()).extracting(f -> f.getName()).containsExactly("INSTANCE");
  }
}
