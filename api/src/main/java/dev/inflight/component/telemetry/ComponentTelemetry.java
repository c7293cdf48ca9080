package dev.inflight.component.telemetry;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;

/**
 * Self-metrics scoped to one component: a {@link Meter} and the attributes that name the
 * component ({@code receiver="otlp"}, {@code exporter="otlphttp/dash0"}, ...).
 */
public final class ComponentTelemetry {
  private final Meter meter;
  private final Attributes attributes;
  private final SpanTotals spanTotals;

  ComponentTelemetry(Meter meter, Attributes attributes, SpanTotals spanTotals) {
    this.meter = meter;
    this.attributes = attributes;
    this.spanTotals = spanTotals;
  }

  public static ComponentTelemetry of(
      MeterProvider provider, ComponentKind kind, ComponentId id, SpanTotals spanTotals) {
    return new ComponentTelemetry(
        provider.get("dev.inflight." + kind.singular()),
        Attributes.of(
            io.opentelemetry.api.common.AttributeKey.stringKey(kind.singular()), id.toString()),
        spanTotals);
  }

  /** Telemetry that records nothing: for tests and tools that build components outside a service. */
  public static ComponentTelemetry noop(ComponentKind kind, ComponentId id) {
    return of(MeterProvider.noop(), kind, id, new SpanTotals());
  }

  /** Spans accepted and refused by all the service's receivers. */
  public SpanTotals spanTotals() {
    return spanTotals;
  }

  public Meter meter() {
    return meter;
  }

  /** {@code <kind>="<id>"}: put on every point this component records. */
  public Attributes attributes() {
    return attributes;
  }

  /** Counters every receiver keeps, Collector names, for one transport ({@code grpc}, {@code http}). */
  public ReceiverMetrics receiverMetrics(String transport) {
    return new ReceiverMetrics(meter, attributes, transport, spanTotals);
  }

  public ExporterMetrics exporterMetrics() {
    return new ExporterMetrics(meter, attributes);
  }

  public ProcessorMetrics processorMetrics() {
    return new ProcessorMetrics(meter, attributes);
  }
}
