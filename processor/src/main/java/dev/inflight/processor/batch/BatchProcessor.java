package dev.inflight.processor.batch;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.Host;
import dev.inflight.component.LogsConsumer;
import dev.inflight.component.LogsProcessor;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.MetricsProcessor;
import dev.inflight.component.Processor;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.SignalType;
import dev.inflight.component.TracesConsumer;
import dev.inflight.component.TracesProcessor;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.MalformedDataException;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.SignalData;
import dev.inflight.pdata.Traces;
import java.util.Objects;

/**
 * The {@code batch} processor for traces, metrics and logs. See {@link Batcher} for when requests
 * are sent and how refusals travel, {@link HeldEncoded} (traces, logs) and {@link HeldMetrics} for
 * merging and splitting.
 */
public final class BatchProcessor {
  private BatchProcessor() {}

  /** Batches spans; each instance has its own timer thread, started on first use. */
  public static TracesProcessor traces(
      CreateSettings settings, BatchProcessorConfig config, TracesConsumer next) {
    Objects.requireNonNull(next, "next");
    return new TracesBatchProcessor(
        batcher(settings, config, Signal.TRACES, HeldEncoded.traces(), next::consumeTraces, "spans"));
  }

  /** Batches metric data points; each instance has its own timer thread, started on first use. */
  public static MetricsProcessor metrics(
      CreateSettings settings, BatchProcessorConfig config, MetricsConsumer next) {
    Objects.requireNonNull(next, "next");
    return new MetricsBatchProcessor(
        batcher(settings, config, Signal.METRICS, new HeldMetrics(), next::consumeMetrics, "data points"));
  }

  /** Batches log records; each instance has its own timer thread, started on first use. */
  public static LogsProcessor logs(
      CreateSettings settings, BatchProcessorConfig config, LogsConsumer next) {
    Objects.requireNonNull(next, "next");
    return new LogsBatchProcessor(
        batcher(settings, config, Signal.LOGS, HeldEncoded.logs(), next::consumeLogs, "log records"));
  }

  private static <D> Batcher<D> batcher(
      CreateSettings settings,
      BatchProcessorConfig config,
      Signal signal,
      HeldBatch<D> held,
      Batcher.Sender<D> next,
      String unit) {
    return new Batcher<>(
        config,
        held,
        next,
        FlushScheduler.daemonThread("processor." + settings.id() + "-" + signal.key() + "-timeout"),
        new BatchProcessorTelemetry(settings.telemetry(), signal),
        settings.logger(),
        unit);
  }

  /**
   * What the three typed processors share: count the items (a walk of the encoded bytes, refusing
   * bytes that do not walk) and hand the batch to the {@link Batcher}.
   */
  abstract static class SignalBatchProcessor<D extends SignalData> implements Processor {
    private final Batcher<D> batcher;
    private final SignalType<D, ?> type;

    SignalBatchProcessor(Batcher<D> batcher, SignalType<D, ?> type) {
      this.batcher = batcher;
      this.type = type;
    }

    final void consume(D data) throws Refusal {
      int items;
      try {
        items = data.itemCount();
      } catch (MalformedDataException e) {
        throw Refusal.permanent(type.notValidRequest(), e);
      }
      batcher.consume(data, items);
    }

    @Override
    public void start(Host host) {}

    @Override
    public void shutdown() throws InterruptedException {
      batcher.shutdown();
    }

    Batcher<D> batcher() {
      return batcher;
    }

    @Override
    public String toString() {
      return "batch processor (" + type.signal().key() + ")";
    }
  }

  static final class TracesBatchProcessor extends SignalBatchProcessor<Traces>
      implements TracesProcessor {
    TracesBatchProcessor(Batcher<Traces> batcher) {
      super(batcher, SignalType.TRACES);
    }

    @Override
    public void consumeTraces(Traces traces) throws Refusal {
      consume(traces);
    }
  }

  static final class MetricsBatchProcessor extends SignalBatchProcessor<Metrics>
      implements MetricsProcessor {
    MetricsBatchProcessor(Batcher<Metrics> batcher) {
      super(batcher, SignalType.METRICS);
    }

    @Override
    public void consumeMetrics(Metrics metrics) throws Refusal {
      consume(metrics);
    }
  }

  static final class LogsBatchProcessor extends SignalBatchProcessor<Logs>
      implements LogsProcessor {
    LogsBatchProcessor(Batcher<Logs> batcher) {
      super(batcher, SignalType.LOGS);
    }

    @Override
    public void consumeLogs(Logs logs) throws Refusal {
      consume(logs);
    }
  }
}
