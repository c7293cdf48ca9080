package dev.inflight.processor.resource;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.inflight.component.Consumer;
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

/**
 * Applies the configured actions to the resource of every {@code ResourceSpans}, {@code
 * ResourceMetrics} and {@code ResourceLogs} and hands the batch on. Works on the encoded request
 * (see {@link ResourceRewriter}); a batch that no action changes is handed on as the same object,
 * bytes and all. Holds nothing, so start and shutdown have nothing to do.
 */
public final class ResourceProcessor {
  private ResourceProcessor() {}

  /**
   * @throws IllegalArgumentException for a config that does not validate
   */
  public static TracesProcessor traces(ResourceProcessorConfig config, TracesConsumer next) {
    return new TracesResource(ResourceRewriter.traces(actions(config)), next);
  }

  /**
   * @throws IllegalArgumentException for a config that does not validate
   */
  public static MetricsProcessor metrics(ResourceProcessorConfig config, MetricsConsumer next) {
    return new MetricsResource(ResourceRewriter.metrics(actions(config)), next);
  }

  /**
   * @throws IllegalArgumentException for a config that does not validate
   */
  public static LogsProcessor logs(ResourceProcessorConfig config, LogsConsumer next) {
    return new LogsResource(ResourceRewriter.logs(actions(config)), next);
  }

  private static AttributeActions actions(ResourceProcessorConfig config) {
    return AttributeActions.of(config.attributes());
  }

  /**
   * Rewriting for any signal; the typed processors below name the signal's consume method, how its
   * bytes are read and how rewritten bytes are wrapped again.
   */
  private abstract static class Rewriting<T extends SignalData> implements Processor, Consumer<T> {
    private final ResourceRewriter rewriter;
    private final SignalType<T, ?> type;
    private final Consumer<T> next;

    <C> Rewriting(ResourceRewriter rewriter, SignalType<T, C> type, C next) {
      this.rewriter = rewriter;
      this.type = type;
      this.next = type.generic(Objects.requireNonNull(next, "next"));
    }

    /** {@code in}'s data in rewritten bytes {@code out}. */
    abstract T rewritten(T in, byte[] out);

    @Override
    public final void consume(T data) throws Refusal {
      byte[] in = data.encoded();
      byte[] out;
      try {
        out = rewriter.rewrite(in);
      } catch (InvalidProtocolBufferException e) {
        throw Refusal.permanent(type.notValidRequest() + ": " + e.getMessage(), e);
      }
      next.consume(out == in ? data : rewritten(data, out));
    }

    @Override
    public String toString() {
      return "resource processor (" + type + ")";
    }
  }

  private static final class TracesResource extends Rewriting<Traces> implements TracesProcessor {
    TracesResource(ResourceRewriter rewriter, TracesConsumer next) {
      super(rewriter, SignalType.TRACES, next);
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

  private static final class MetricsResource extends Rewriting<Metrics> implements MetricsProcessor {
    MetricsResource(ResourceRewriter rewriter, MetricsConsumer next) {
      super(rewriter, SignalType.METRICS, next);
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

  private static final class LogsResource extends Rewriting<Logs> implements LogsProcessor {
    LogsResource(ResourceRewriter rewriter, LogsConsumer next) {
      super(rewriter, SignalType.LOGS, next);
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
