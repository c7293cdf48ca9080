package dev.inflight.pipeline.telemetry;

import dev.inflight.pipeline.ComponentId;
import dev.inflight.pipeline.ComponentKind;
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

  ComponentTelemetry(Meter meter, Attributes attributes) {
    this.meter = meter;
    this.attributes = attributes;
  }

  static ComponentTelemetry of(MeterProvider provider, ComponentKind kind, ComponentId id) {
    return new ComponentTelemetry(
        provider.get("dev.inflight." + kind.singular()),
        Attributes.of(
            io.opentelemetry.api.common.AttributeKey.stringKey(kind.singular()), id.toString()));
  }

  /** Telemetry that records nothing: for tests and tools that build components outside a service. */
  public static ComponentTelemetry noop(ComponentKind kind, ComponentId id) {
    return of(MeterProvider.noop(), kind, id);
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
    return new ReceiverMetrics(meter, attributes, transport);
  }

  public ExporterMetrics exporterMetrics() {
    return new ExporterMetrics(meter, attributes);
  }

  public ProcessorMetrics processorMetrics() {
    return new ProcessorMetrics(meter, attributes);
  }
}
