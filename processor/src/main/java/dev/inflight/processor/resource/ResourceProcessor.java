package dev.inflight.processor.resource;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.MetricsProcessor;
import dev.inflight.component.Refusal;
import dev.inflight.component.TracesConsumer;
import dev.inflight.component.TracesProcessor;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import java.util.Objects;

/**
 * Applies the configured actions to the resource of every {@code ResourceSpans} and {@code
 * ResourceMetrics} and hands the batch on. Works on the encoded request (see {@link
 * ResourceRewriter}); a batch that no action changes is handed on as the same object, bytes and all.
 * Holds nothing, so start and shutdown have nothing to do.
 */
public final class ResourceProcessor {
  private ResourceProcessor() {}

  /**
   * @throws IllegalArgumentException for a config that does not validate
   */
  public static TracesProcessor traces(ResourceProcessorConfig config, TracesConsumer next) {
    return new TracesResource(rewriter(config), Objects.requireNonNull(next, "next"));
  }

  /**
   * @throws IllegalArgumentException for a config that does not validate
   */
  public static MetricsProcessor metrics(ResourceProcessorConfig config, MetricsConsumer next) {
    return new MetricsResource(rewriter(config), Objects.requireNonNull(next, "next"));
  }

  private static ResourceRewriter rewriter(ResourceProcessorConfig config) {
    return new ResourceRewriter(AttributeActions.of(config.attributes()));
  }

  private static final class TracesResource implements TracesProcessor {
    private final ResourceRewriter rewriter;
    private final TracesConsumer next;

    TracesResource(ResourceRewriter rewriter, TracesConsumer next) {
      this.rewriter = rewriter;
      this.next = next;
    }

    @Override
    public void consumeTraces(Traces traces) throws Refusal {
      byte[] in = traces.encoded();
      byte[] out;
      try {
        out = rewriter.rewrite(in);
      } catch (InvalidProtocolBufferException e) {
        throw Refusal.permanent("traces are not a valid ExportTraceServiceRequest: " + e.getMessage(), e);
      }
      // Spans are copied, not touched: the count carries over (already known from the graph's count).
      next.consumeTraces(out == in ? traces : Traces.ofEncoded(out, traces.spanCount()));
    }

    @Override
    public String toString() {
      return "resource processor (traces)";
    }
  }

  private static final class MetricsResource implements MetricsProcessor {
    private final ResourceRewriter rewriter;
    private final MetricsConsumer next;

    MetricsResource(ResourceRewriter rewriter, MetricsConsumer next) {
      this.rewriter = rewriter;
      this.next = next;
    }

    @Override
    public void consumeMetrics(Metrics metrics) throws Refusal {
      byte[] in = metrics.encoded();
      byte[] out;
      try {
        out = rewriter.rewrite(in);
      } catch (InvalidProtocolBufferException e) {
        throw Refusal.permanent("metrics are not a valid ExportMetricsServiceRequest: " + e.getMessage(), e);
      }
      next.consumeMetrics(out == in ? metrics : Metrics.ofEncoded(out));
    }

    @Override
    public String toString() {
      return "resource processor (metrics)";
    }
  }
}
