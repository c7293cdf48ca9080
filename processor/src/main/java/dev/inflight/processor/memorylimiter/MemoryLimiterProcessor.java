package dev.inflight.processor.memorylimiter;

import dev.inflight.component.Consumer;
import dev.inflight.component.Host;
import dev.inflight.component.LogsConsumer;
import dev.inflight.component.LogsProcessor;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.MetricsProcessor;
import dev.inflight.component.Processor;
import dev.inflight.component.Refusal;
import dev.inflight.component.SignalType;
import dev.inflight.component.TracesConsumer;
import dev.inflight.component.TracesProcessor;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.SignalData;
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

  static LogsProcessor logs(MemoryLimiter limiter, LogsConsumer next) {
    return new LogsLimiter(limiter, Objects.requireNonNull(next, "next"));
  }

  /**
   * The limiting for any signal, holding one reference on the shared limiter between start and
   * shutdown; the typed limiters below only name the signal's consume method.
   */
  private abstract static class Limiter<T extends SignalData> implements Processor, Consumer<T> {
    final MemoryLimiter limiter;
    private final SignalType<T, ?> type;
    private final Consumer<T> next;
    private final AtomicBoolean started = new AtomicBoolean();

    <C> Limiter(MemoryLimiter limiter, SignalType<T, C> type, C next) {
      this.limiter = Objects.requireNonNull(limiter, "limiter");
      this.type = type;
      this.next = type.generic(next);
    }

    @Override
    public final void consume(T data) throws Refusal {
      if (limiter.mustRefuse()) {
        limiter.countRefused(type.signal(), data.itemCount());
        throw Refusal.retryable(MemoryLimiter.REFUSED_MESSAGE);
      }
      next.consume(data);
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

    @Override
    public String toString() {
      return limiter + " (" + type + ")";
    }
  }

  private static final class TracesLimiter extends Limiter<Traces> implements TracesProcessor {
    TracesLimiter(MemoryLimiter limiter, TracesConsumer next) {
      super(limiter, SignalType.TRACES, next);
    }

    @Override
    public void consumeTraces(Traces traces) throws Refusal {
      consume(traces);
    }
  }

  private static final class MetricsLimiter extends Limiter<Metrics> implements MetricsProcessor {
    MetricsLimiter(MemoryLimiter limiter, MetricsConsumer next) {
      super(limiter, SignalType.METRICS, next);
    }

    @Override
    public void consumeMetrics(Metrics metrics) throws Refusal {
      consume(metrics);
    }
  }

  private static final class LogsLimiter extends Limiter<Logs> implements LogsProcessor {
    LogsLimiter(MemoryLimiter limiter, LogsConsumer next) {
      super(limiter, SignalType.LOGS, next);
    }

    @Override
    public void consumeLogs(Logs logs) throws Refusal {
      consume(logs);
    }
  }
}
