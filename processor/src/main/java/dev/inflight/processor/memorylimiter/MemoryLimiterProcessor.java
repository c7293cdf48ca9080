package dev.inflight.processor.memorylimiter;

import dev.inflight.component.Host;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.MetricsProcessor;
import dev.inflight.component.Processor;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.TracesConsumer;
import dev.inflight.component.TracesProcessor;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The per-pipeline face of a shared {@link MemoryLimiter}: refuses each batch with a retryable
 * {@link Refusal} ({@value MemoryLimiter#REFUSED_MESSAGE}) while the limiter says memory is short,
 * so receivers answer UNAVAILABLE / 503 and senders retry later; otherwise hands the batch on
 * untouched. The check costs one volatile read.
 */
final class MemoryLimiterProcessor {
  private MemoryLimiterProcessor() {}

  static TracesProcessor traces(MemoryLimiter limiter, TracesConsumer next) {
    return new TracesLimiter(limiter, Objects.requireNonNull(next, "next"));
  }

  static MetricsProcessor metrics(MemoryLimiter limiter, MetricsConsumer next) {
    return new MetricsLimiter(limiter, Objects.requireNonNull(next, "next"));
  }

  /** Holds one reference on the shared limiter between start and shutdown. */
  private abstract static class Base implements Processor {
    final MemoryLimiter limiter;
    private final AtomicBoolean started = new AtomicBoolean();

    Base(MemoryLimiter limiter) {
      this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    @Override
    public void start(Host host) {
      if (started.compareAndSet(false, true)) {
        limiter.start();
      }
    }

    @Override
    public void shutdown() {
      if (started.compareAndSet(true, false)) {
        limiter.stop();
      }
    }
  }

  private static final class TracesLimiter extends Base implements TracesProcessor {
    private final TracesConsumer next;

    TracesLimiter(MemoryLimiter limiter, TracesConsumer next) {
      super(limiter);
      this.next = next;
    }

    @Override
    public void consumeTraces(Traces traces) throws Refusal {
      if (limiter.mustRefuse()) {
        limiter.countRefused(Signal.TRACES, traces.spanCount());
        throw Refusal.retryable(MemoryLimiter.REFUSED_MESSAGE);
      }
      next.consumeTraces(traces);
    }

    @Override
    public String toString() {
      return limiter + " (traces)";
    }
  }

  private static final class MetricsLimiter extends Base implements MetricsProcessor {
    private final MetricsConsumer next;

    MetricsLimiter(MemoryLimiter limiter, MetricsConsumer next) {
      super(limiter);
      this.next = next;
    }

    @Override
    public void consumeMetrics(Metrics metrics) throws Refusal {
      if (limiter.mustRefuse()) {
        limiter.countRefused(Signal.METRICS, metrics.dataPointCount());
        throw Refusal.retryable(MemoryLimiter.REFUSED_MESSAGE);
      }
      next.consumeMetrics(metrics);
    }

    @Override
    public String toString() {
      return limiter + " (metrics)";
    }
  }
}
