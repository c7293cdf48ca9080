package dev.inflight.connector.forward;

import dev.inflight.component.Consumer;
import dev.inflight.component.LogsConnector;
import dev.inflight.component.LogsConsumer;
import dev.inflight.component.MetricsConnector;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Refusal;
import dev.inflight.component.SignalType;
import dev.inflight.component.TracesConnector;
import dev.inflight.component.TracesConsumer;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.SignalData;
import dev.inflight.pdata.Traces;
import java.util.Objects;

/**
 * Hands every batch to the next pipeline as it is: same object, no copy (batches are immutable), and
 * a refusal from downstream goes back upstream unchanged so the receiver still tells its sender
 * whether to retry. Holds nothing, so start and shutdown have nothing to do.
 */
public final class ForwardConnector {
  private ForwardConnector() {}

  /** traces → traces. */
  public static TracesConnector traces(TracesConsumer next) {
    return new TracesToTraces(Objects.requireNonNull(next, "next"));
  }

  /** metrics → metrics. */
  public static MetricsConnector metrics(MetricsConsumer next) {
    return new MetricsToMetrics(Objects.requireNonNull(next, "next"));
  }

  /** logs → logs. */
  public static LogsConnector logs(LogsConsumer next) {
    return new LogsToLogs(Objects.requireNonNull(next, "next"));
  }

  /** Forwarding for any signal; the typed connectors below only name the signal's consume method. */
  private abstract static class Forward<T extends SignalData> implements Consumer<T> {
    private final SignalType<T, ?> type;
    private final Consumer<T> next;

    <C> Forward(SignalType<T, C> type, C next) {
      this.type = type;
      this.next = type.generic(next);
    }

    @Override
    public final void consume(T data) throws Refusal {
      next.consume(data);
    }

    @Override
    public String toString() {
      return "forward connector (" + type + " → " + type + ")";
    }
  }

  private static final class TracesToTraces extends Forward<Traces> implements TracesConnector {
    TracesToTraces(TracesConsumer next) {
      super(SignalType.TRACES, next);
    }

    @Override
    public void consumeTraces(Traces traces) throws Refusal {
      consume(traces);
    }
  }

  private static final class MetricsToMetrics extends Forward<Metrics> implements MetricsConnector {
    MetricsToMetrics(MetricsConsumer next) {
      super(SignalType.METRICS, next);
    }

    @Override
    public void consumeMetrics(Metrics metrics) throws Refusal {
      consume(metrics);
    }
  }

  private static final class LogsToLogs extends Forward<Logs> implements LogsConnector {
    LogsToLogs(LogsConsumer next) {
      super(SignalType.LOGS, next);
    }

    @Override
    public void consumeLogs(Logs logs) throws Refusal {
      consume(logs);
    }
  }
}
