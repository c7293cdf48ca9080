package dev.inflight.processor.internal.resource;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.inflight.component.Component;
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
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Processors that rewrite the resource of every batch with a {@link ResourceRewriter} and hand it
 * on: a batch the rewriter leaves alone is handed on as the same object, bytes and all.
 */
public final class ResourceRewriting {
  private ResourceRewriting() {}

  /**
   * @param name for {@code toString}, e.g. "resource processor"
   * @param rewriter the current rewriter; null hands batches on untouched (before a start that
   *     computes it)
   * @param lifecycle what start and shutdown do
   */
  public static TracesProcessor traces(
      String name, Supplier<@Nullable ResourceRewriter> rewriter, Component lifecycle,
      TracesConsumer next) {
    return new TracesRewriting(name, rewriter, lifecycle, next);
  }

  /** As {@link #traces}. */
  public static MetricsProcessor metrics(
      String name, Supplier<@Nullable ResourceRewriter> rewriter, Component lifecycle,
      MetricsConsumer next) {
    return new MetricsRewriting(name, rewriter, lifecycle, next);
  }

  /** As {@link #traces}. */
  public static LogsProcessor logs(
      String name, Supplier<@Nullable ResourceRewriter> rewriter, Component lifecycle,
      LogsConsumer next) {
    return new LogsRewriting(name, rewriter, lifecycle, next);
  }

  /**
   * Rewriting for any signal; the typed processors below name the signal's consume method and how
   * rewritten bytes are wrapped again.
   */
  private abstract static class Rewriting<T extends SignalData> implements Processor, Consumer<T> {
    private final String name;
    private final Supplier<@Nullable ResourceRewriter> rewriter;
    private final Component lifecycle;
    private final SignalType<T, ?> type;
    private final Consumer<T> next;

    <C> Rewriting(
        String name, Supplier<@Nullable ResourceRewriter> rewriter, Component lifecycle,
        SignalType<T, C> type, C next) {
      this.name = name;
      this.rewriter = rewriter;
      this.lifecycle = lifecycle;
      this.type = type;
      this.next = type.generic(Objects.requireNonNull(next, "next"));
    }

    /** {@code in}'s data in rewritten bytes {@code out}. */
    abstract T rewritten(T in, byte[] out);

    @Override
    public void start(Host host) throws Exception {
      lifecycle.start(host);
    }

    @Override
    public void shutdown() throws Exception {
      lifecycle.shutdown();
    }

    @Override
    public final void consume(T data) throws Refusal {
      ResourceRewriter r = rewriter.get();
      if (r == null) {
        next.consume(data);
        return;
      }
      byte[] in = data.encoded();
      byte[] out;
      try {
        out = r.rewrite(in);
      } catch (InvalidProtocolBufferException e) {
        throw Refusal.permanent(type.notValidRequest() + ": " + e.getMessage(), e);
      }
      next.consume(out == in ? data : rewritten(data, out));
    }

    @Override
    public String toString() {
      return name + " (" + type + ")";
    }
  }

  private static final class TracesRewriting extends Rewriting<Traces> implements TracesProcessor {
    TracesRewriting(
        String name, Supplier<@Nullable ResourceRewriter> rewriter, Component lifecycle,
        TracesConsumer next) {
      super(name, rewriter, lifecycle, SignalType.TRACES, next);
    }

    @Override
    public void consumeTraces(Traces traces) throws Refusal {
      consume(traces);
    }

    @Override
    Traces rewritten(Traces in, byte[] out) {
      // Spans are copied, not touched: the count carries over (already known from the graph's count).
      return Traces.ofEncoded(out, in.spanCount());
    }
  }

  private static final class MetricsRewriting extends Rewriting<Metrics>
      implements MetricsProcessor {
    MetricsRewriting(
        String name, Supplier<@Nullable ResourceRewriter> rewriter, Component lifecycle,
        MetricsConsumer next) {
      super(name, rewriter, lifecycle, SignalType.METRICS, next);
    }

    @Override
    public void consumeMetrics(Metrics metrics) throws Refusal {
      consume(metrics);
    }

    @Override
    Metrics rewritten(Metrics in, byte[] out) {
      return Metrics.ofEncoded(out);
    }
  }

  private static final class LogsRewriting extends Rewriting<Logs> implements LogsProcessor {
    LogsRewriting(
        String name, Supplier<@Nullable ResourceRewriter> rewriter, Component lifecycle,
        LogsConsumer next) {
      super(name, rewriter, lifecycle, SignalType.LOGS, next);
    }

    @Override
    public void consumeLogs(Logs logs) throws Refusal {
      consume(logs);
    }

    @Override
    Logs rewritten(Logs in, byte[] out) {
      // Records are copied, not touched: the count carries over.
      return Logs.ofEncoded(out, in.logRecordCount());
    }
  }
}
