package dev.inflight.pipeline.graph;

import dev.inflight.pipeline.MetricsConsumer;
import dev.inflight.pipeline.Refusal;
import dev.inflight.pipeline.TracesConsumer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one batch to several consumers (a receiver in several pipelines, a pipeline with several
 * exporters). Data is immutable, so nothing is copied. Every consumer gets the batch even when one
 * refuses it; the caller then sees one refusal, retryable only if every refusal was. A consumer
 * that throws anything else is a bug: it is logged and reported as a permanent refusal, so the
 * receiver's thread carries on.
 */
final class FanOut {
  private static final Logger log = LoggerFactory.getLogger(FanOut.class);

  private FanOut() {}

  static TracesConsumer traces(List<TracesConsumer> consumers, String where) {
    TracesConsumer[] all = consumers.toArray(TracesConsumer[]::new);
    return traces -> {
      Refusal first = null;
      boolean retryable = true;
      for (TracesConsumer c : all) {
        try {
          c.consumeTraces(traces);
        } catch (Refusal r) {
          first = first == null ? r : first;
          retryable &= r.isRetryable();
        } catch (RuntimeException e) {
          // Not spanCount(): the exception may be that the bytes do not decode.
          log.error("{} failed on a batch ({})", where, traces, e);
          first = first == null ? Refusal.permanent("internal error: " + e, e) : first;
          retryable = false;
        }
      }
      if (first != null) {
        throw combine(first, retryable, all.length);
      }
    };
  }

  static MetricsConsumer metrics(List<MetricsConsumer> consumers, String where) {
    MetricsConsumer[] all = consumers.toArray(MetricsConsumer[]::new);
    return metrics -> {
      Refusal first = null;
      boolean retryable = true;
      for (MetricsConsumer c : all) {
        try {
          c.consumeMetrics(metrics);
        } catch (Refusal r) {
          first = first == null ? r : first;
          retryable &= r.isRetryable();
        } catch (RuntimeException e) {
          log.error("{} failed on a batch of metrics", where, e);
          first = first == null ? Refusal.permanent("internal error: " + e, e) : first;
          retryable = false;
        }
      }
      if (first != null) {
        throw combine(first, retryable, all.length);
      }
    };
  }

  private static Refusal combine(Refusal first, boolean retryable, int consumers) {
    if (consumers == 1 || first.isRetryable() == retryable) {
      return first;
    }
    return Refusal.permanent(first.getMessage(), first);
  }
}
