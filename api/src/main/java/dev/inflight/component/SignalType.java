package dev.inflight.component;

import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.SignalData;
import dev.inflight.pdata.Traces;
import java.util.function.Function;

/**
 * A {@link Signal} with its data type and its typed consumer: what code written once for every
 * signal needs to call typed APIs (factories take a {@link TracesConsumer}). Adding a signal is one
 * more constant here.
 *
 * <p>The typed consumers are not subtypes of {@link Consumer}: one component may serve several
 * signals (the file exporter is one instance for traces and metrics), and Java lets a class
 * implement a generic interface only once. The conversions are method references, so a stack trace
 * goes straight from one named consumer to the next.
 *
 * @param <T> the data type
 * @param <C> the typed consumer, e.g. {@link TracesConsumer}
 */
public final class SignalType<T extends SignalData, C> {
  public static final SignalType<Traces, TracesConsumer> TRACES =
      new SignalType<>(Signal.TRACES, "spans", "ExportTraceServiceRequest", c -> c::consumeTraces, c -> c::consume);

  public static final SignalType<Metrics, MetricsConsumer> METRICS =
      new SignalType<>(Signal.METRICS, "metric points", "ExportMetricsServiceRequest", c -> c::consumeMetrics, c -> c::consume);

  public static final SignalType<Logs, LogsConsumer> LOGS =
      new SignalType<>(Signal.LOGS, "log records", "ExportLogsServiceRequest", c -> c::consumeLogs, c -> c::consume);

  private final Signal signal;
  private final String items;
  private final String requestName;
  private final Function<C, Consumer<T>> generic;
  private final Function<Consumer<T>, C> typed;

  private SignalType(
      Signal signal,
      String items,
      String requestName,
      Function<C, Consumer<T>> generic,
      Function<Consumer<T>, C> typed) {
    this.signal = signal;
    this.items = items;
    this.requestName = requestName;
    this.generic = generic;
    this.typed = typed;
  }

  /** The type of a signal. */
  public static SignalType<?, ?> of(Signal signal) {
    return switch (signal) {
      case TRACES -> TRACES;
      case METRICS -> METRICS;
      case LOGS -> LOGS;
    };
  }

  public Signal signal() {
    return signal;
  }

  /** What its items are called in messages: {@code spans}, {@code metric points}, {@code log records}. */
  public String items() {
    return items;
  }

  /**
   * The refusal's message for a batch whose bytes are not this signal's export request: {@code
   * logs are not a valid ExportLogsServiceRequest}.
   */
  public String notValidRequest() {
    return signal.key() + " are not a valid " + requestName;
  }

  /** A typed consumer as a generic one. */
  public Consumer<T> generic(C consumer) {
    return generic.apply(consumer);
  }

  /** A generic consumer as a typed one, e.g. to hand to a factory. */
  public C typed(Consumer<T> consumer) {
    return typed.apply(consumer);
  }

  /**
   * A component's input side as a generic consumer: the component is this signal's typed consumer
   * (a {@link TracesExporter} is a {@link TracesConsumer}).
   *
   * @throws ClassCastException if it is not
   */
  @SuppressWarnings("unchecked")
  public Consumer<T> input(Object component) {
    return generic((C) component);
  }

  @Override
  public String toString() {
    return signal.toString();
  }
}
