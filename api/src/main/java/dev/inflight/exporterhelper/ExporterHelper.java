package dev.inflight.exporterhelper;

import dev.inflight.component.Component;
import dev.inflight.component.Consumer;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.Host;
import dev.inflight.component.LogsExporter;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.Refusal;
import dev.inflight.component.SignalType;
import dev.inflight.component.TracesExporter;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.SignalData;
import dev.inflight.pdata.Traces;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;

/**
 * What every exporter shares, written once (the Collector's exporterhelper): the sending queue,
 * retries with backoff, the per-attempt timeout, counting sent / failed / refused items under the
 * Collector's names, turning failures into refusals the receivers understand, and the lifecycle.
 * An exporter supplies only how to push one batch.
 *
 * <p>Two forms:
 *
 * <ul>
 *   <li>{@link #traces(CreateSettings, PushTraces, Component)}: one attempt in the caller's
 *       thread, its failure reported to the caller (a local exporter such as {@code debug}).
 *   <li>{@link #traces(CreateSettings, SendingOptions, Push, Component)}: {@code timeout}, {@code
 *       retry_on_failure} and {@code sending_queue} from the exporter's config (network exporters).
 * </ul>
 *
 * <p>With the queue, {@code consume} enqueues and returns: a full queue refuses the batch as
 * retryable (receivers answer {@code UNAVAILABLE} / 503) and counts it in {@code
 * otelcol_exporter_enqueue_failed_*}; {@code num_consumers} threads send, retrying retryable
 * failures, and count each batch once as {@code otelcol_exporter_sent_*} or {@code
 * otelcol_exporter_send_failed_*} after its real outcome. {@code otelcol_exporter_queue_size} and
 * {@code otelcol_exporter_queue_capacity} (attributes {@code exporter}, {@code data_type}) show
 * the queue. Shutdown refuses new batches, sends what is queued (retries included) and then stops
 * the exporter's own resources; when the service's shutdown time runs out (the shutting-down
 * thread is interrupted) the rest is abandoned and counted as failed.
 */
public final class ExporterHelper {
  private ExporterHelper() {}

  /** Sends one batch of spans; throws to report failure. */
  @FunctionalInterface
  public interface PushTraces {
    void push(Traces traces) throws Exception;
  }

  /** Sends one batch of metrics; throws to report failure. */
  @FunctionalInterface
  public interface PushMetrics {
    void push(Metrics metrics) throws Exception;
  }

  /** Sends one batch of log records; throws to report failure. */
  @FunctionalInterface
  public interface PushLogs {
    void push(Logs logs) throws Exception;
  }

  /**
   * Sends one batch, once, within {@code timeout}. Failure is reported by throwing: a {@link
   * Refusal} says whether the batch may be retried (and after how long, from the server's hint);
   * any other checked exception (I/O, timeout) is retryable; a runtime exception is permanent.
   * Interruption means the exporter is being abandoned: give up promptly.
   *
   * @param <T> {@link Traces}, {@link Metrics} or {@link Logs}
   */
  @FunctionalInterface
  public interface Push<T> {
    /**
     * @return how many of the batch's items the destination accepted the request but rejected
     *     (OTLP partial success), usually 0; they are counted as failed, the rest as sent
     */
    long push(T data, Duration timeout) throws Exception;
  }

  /** One attempt per batch in the caller's thread: no queue, no retry. */
  public static TracesExporter traces(CreateSettings settings, PushTraces push, Component lifecycle) {
    Objects.requireNonNull(push, "push");
    return traces(settings, SendingOptions.synchronous(), (t, timeout) -> {
      push.push(t);
      return 0;
    }, lifecycle);
  }

  /** One attempt per batch in the caller's thread: no queue, no retry. */
  public static MetricsExporter metrics(CreateSettings settings, PushMetrics push, Component lifecycle) {
    Objects.requireNonNull(push, "push");
    return metrics(settings, SendingOptions.synchronous(), (m, timeout) -> {
      push.push(m);
      return 0;
    }, lifecycle);
  }

  /** One attempt per batch in the caller's thread: no queue, no retry. */
  public static LogsExporter logs(CreateSettings settings, PushLogs push, Component lifecycle) {
    Objects.requireNonNull(push, "push");
    return logs(settings, SendingOptions.synchronous(), (l, timeout) -> {
      push.push(l);
      return 0;
    }, lifecycle);
  }

  /** A traces exporter with the timeout, retries and queue of {@code options}. */
  public static TracesExporter traces(
      CreateSettings settings, SendingOptions options, Push<Traces> push, Component lifecycle) {
    return traces(settings, options, push, lifecycle, QueuedRetrySender.defaultRandom());
  }

  /** A metrics exporter with the timeout, retries and queue of {@code options}. */
  public static MetricsExporter metrics(
      CreateSettings settings, SendingOptions options, Push<Metrics> push, Component lifecycle) {
    return metrics(settings, options, push, lifecycle, QueuedRetrySender.defaultRandom());
  }

  /** A logs exporter with the timeout, retries and queue of {@code options}. */
  public static LogsExporter logs(
      CreateSettings settings, SendingOptions options, Push<Logs> push, Component lifecycle) {
    return logs(settings, options, push, lifecycle, QueuedRetrySender.defaultRandom());
  }

  /** With the jitter's random source, for tests. */
  static TracesExporter traces(
      CreateSettings settings, SendingOptions options, Push<Traces> push, Component lifecycle, DoubleSupplier random) {
    final class SendingTracesExporter extends SendingExporter<Traces> implements TracesExporter {
      SendingTracesExporter() {
        super(settings, SignalType.TRACES, options, push, lifecycle, random);
      }

      @Override
      public void consumeTraces(Traces traces) throws Refusal {
        consume(traces);
      }
    }
    return new SendingTracesExporter();
  }

  static MetricsExporter metrics(
      CreateSettings settings, SendingOptions options, Push<Metrics> push, Component lifecycle, DoubleSupplier random) {
    final class SendingMetricsExporter extends SendingExporter<Metrics> implements MetricsExporter {
      SendingMetricsExporter() {
        super(settings, SignalType.METRICS, options, push, lifecycle, random);
      }

      @Override
      public void consumeMetrics(Metrics metrics) throws Refusal {
        consume(metrics);
      }
    }
    return new SendingMetricsExporter();
  }

  static LogsExporter logs(
      CreateSettings settings, SendingOptions options, Push<Logs> push, Component lifecycle, DoubleSupplier random) {
    final class SendingLogsExporter extends SendingExporter<Logs> implements LogsExporter {
      SendingLogsExporter() {
        super(settings, SignalType.LOGS, options, push, lifecycle, random);
      }

      @Override
      public void consumeLogs(Logs logs) throws Refusal {
        consume(logs);
      }
    }
    return new SendingLogsExporter();
  }

  /**
   * An exporter of any signal: each batch goes to the sender. The typed exporters above only name
   * the signal's consume method.
   */
  private abstract static class SendingExporter<T extends SignalData> extends Lifecycle implements Consumer<T> {
    private final QueuedRetrySender<T> sender;

    SendingExporter(
        CreateSettings settings, SignalType<T, ?> type, SendingOptions options, Push<T> push, Component lifecycle,
        DoubleSupplier random) {
      this(lifecycle, new QueuedRetrySender<>(settings, type.signal(), options, push, SignalData::itemCount, random));
    }

    private SendingExporter(Component lifecycle, QueuedRetrySender<T> sender) {
      super(lifecycle, sender);
      this.sender = sender;
    }

    @Override
    public final void consume(T data) throws Refusal {
      sender.send(data);
    }
  }

  /**
   * Start: the exporter's own resources, then the senders. Shutdown, once: drain the senders, then
   * release the exporter's resources (even when draining was cut short).
   */
  private abstract static class Lifecycle implements Component {
    private final Component lifecycle;
    private final QueuedRetrySender<?> sender;
    private final AtomicBoolean shutDown = new AtomicBoolean();

    Lifecycle(Component lifecycle, QueuedRetrySender<?> sender) {
      this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
      this.sender = sender;
    }

    @Override
    public void start(Host host) throws Exception {
      lifecycle.start(host);
      sender.start();
    }

    @Override
    public void shutdown() throws Exception {
      if (!shutDown.compareAndSet(false, true)) {
        return;
      }
      try {
        sender.shutdown();
      } finally {
        lifecycle.shutdown();
      }
    }
  }

  /**
   * A refusal passes through as it is; a checked exception (I/O) may pass if retried; a runtime
   * exception is a bug that retrying will not fix.
   */
  static Refusal refusal(Logger log, String what, int n, Exception e) {
    if (e instanceof Refusal r) {
      log.warn("exporting {} {} failed: {}", n, what, r.getMessage());
      return r;
    }
    if (e instanceof RuntimeException) {
      log.error("exporting {} {} failed", n, what, e); // a bug: the stack trace helps
    } else {
      log.warn("exporting {} {} failed: {}", n, what, QueuedRetrySender.message(e));
    }
    String message = "export failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    return e instanceof RuntimeException ? Refusal.permanent(message, e) : Refusal.retryable(message);
  }
}
