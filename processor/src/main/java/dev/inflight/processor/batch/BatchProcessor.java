package dev.inflight.processor.batch;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.Host;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.MetricsProcessor;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesConsumer;
import dev.inflight.component.TracesProcessor;
import dev.inflight.pdata.MalformedDataException;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import java.util.Objects;

/**
 * The {@code batch} processor for traces and for metrics. See {@link Batcher} for when requests are
 * sent and how refusals travel, {@link HeldTraces} and {@link HeldMetrics} for merging and
 * splitting.
 */
public final class BatchProcessor {
  private BatchProcessor() {}

  /** Batches spans; each instance has its own timer thread, started on first use. */
  public static TracesProcessor traces(
      CreateSettings settings, BatchProcessorConfig config, TracesConsumer next) {
    Objects.requireNonNull(next, "next");
    return new TracesBatchProcessor(
        new Batcher<>(
            config,
            new HeldTraces(),
            next::consumeTraces,
            FlushScheduler.daemonThread(threadName(settings, Signal.TRACES)),
            telemetry(settings, Signal.TRACES),
            settings.logger(),
            "spans"));
  }

  /** Batches metric data points; each instance has its own timer thread, started on first use. */
  public static MetricsProcessor metrics(
      CreateSettings settings, BatchProcessorConfig config, MetricsConsumer next) {
    Objects.requireNonNull(next, "next");
    return new MetricsBatchProcessor(
        new Batcher<>(
            config,
            new HeldMetrics(),
            next::consumeMetrics,
            FlushScheduler.daemonThread(threadName(settings, Signal.METRICS)),
            telemetry(settings, Signal.METRICS),
            settings.logger(),
            "data points"));
  }

  private static String threadName(CreateSettings settings, Signal signal) {
    return "processor." + settings.id() + "-" + signal.key() + "-timeout";
  }

  private static BatchProcessorTelemetry telemetry(CreateSettings settings, Signal signal) {
    return new BatchProcessorTelemetry(settings.telemetry(), signal);
  }

  static final class TracesBatchProcessor implements TracesProcessor {
    private final Batcher<Traces> batcher;

    TracesBatchProcessor(Batcher<Traces> batcher) {
      this.batcher = batcher;
    }

    @Override
    public void consumeTraces(Traces traces) throws Refusal {
      int spans;
      try {
        spans = traces.spanCount();
      } catch (MalformedDataException e) {
        throw Refusal.permanent("traces are not a valid ExportTraceServiceRequest", e);
      }
      batcher.consume(traces, spans);
    }

    @Override
    public void start(Host host) {}

    @Override
    public void shutdown() throws InterruptedException {
      batcher.shutdown();
    }

    Batcher<Traces> batcher() {
      return batcher;
    }

    @Override
    public String toString() {
      return "batch processor (traces)";
    }
  }

  static final class MetricsBatchProcessor implements MetricsProcessor {
    private final Batcher<Metrics> batcher;

    MetricsBatchProcessor(Batcher<Metrics> batcher) {
      this.batcher = batcher;
    }

    @Override
    public void consumeMetrics(Metrics metrics) throws Refusal {
      int points;
      try {
        points = metrics.dataPointCount();
      } catch (MalformedDataException e) {
        throw Refusal.permanent("metrics are not a valid ExportMetricsServiceRequest", e);
      }
      batcher.consume(metrics, points);
    }

    @Override
    public void start(Host host) {}

    @Override
    public void shutdown() throws InterruptedException {
      batcher.shutdown();
    }

    Batcher<Metrics> batcher() {
      return batcher;
    }

    @Override
    public String toString() {
      return "batch processor (metrics)";
    }
  }
}
