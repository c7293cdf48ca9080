package dev.inflight.component;

import dev.inflight.component.telemetry.ComponentTelemetry;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a factory gets besides the config when it makes a component. */
public final class CreateSettings {
  private final ComponentId id;
  private final ComponentKind kind;
  private final ComponentTelemetry telemetry;
  private final Map<Object, Object> sharedInstances;

  public CreateSettings(
      ComponentId id,
      ComponentKind kind,
      ComponentTelemetry telemetry,
      Map<Object, Object> sharedInstances) {
    this.id = Objects.requireNonNull(id, "id");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    this.sharedInstances = Objects.requireNonNull(sharedInstances, "sharedInstances");
  }

  public ComponentId id() {
    return id;
  }

  public ComponentKind kind() {
    return kind;
  }

  /** Self-metrics scoped to this component (its {@code receiver}/{@code exporter}/... label). */
  public ComponentTelemetry telemetry() {
    return telemetry;
  }

  /** A logger named after the component, e.g. {@code exporter.debug/verbose}. */
  public Logger logger() {
    return LoggerFactory.getLogger(kind.singular() + "." + id);
  }

  /**
   * One instance per component id within this service, however many signals use it: the otlp
   * receiver serves traces and metrics on one port. The graph starts and stops it once.
   */
  @SuppressWarnings("unchecked")
  public <T> T shared(Supplier<T> create) {
    return (T) sharedInstances.computeIfAbsent(kind + "/" + id, k -> create.get());
  }
}
