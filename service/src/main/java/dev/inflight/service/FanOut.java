package dev.inflight.service;

import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Refusal;
import dev.inflight.component.TracesConsumer;
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
    List<TracesConsumer> all = List.copyOf(consumers);
    return traces -> deliver(all, traces, TracesConsumer::consumeTraces, where);
  }

  static MetricsConsumer metrics(List<MetricsConsumer> consumers, String where) {
    List<MetricsConsumer> all = List.copyOf(consumers);
    return metrics -> deliver(all, metrics, MetricsConsumer::consumeMetrics, where);
  }

  @FunctionalInterface
  private interface Delivery<C, D> {
    void deliver(C consumer, D data) throws Refusal;
  }

  private static <C, D> void deliver(List<C> consumers, D data, Delivery<C, D> delivery, String where)
      throws Refusal {
    Refusal first = null;
    boolean retryable = true;
    for (C c : consumers) {
      try {
        delivery.deliver(c, data);
      } catch (Refusal r) {
        first = first == null ? r : first;
        retryable &= r.isRetryable();
      } catch (RuntimeException e) {
        // Log the batch by its size, not its counts: the exception may be that it does not decode.
        log.error("{} failed on a batch ({})", where, data, e);
        first = first == null ? Refusal.permanent("internal error: " + e, e) : first;
        retryable = false;
      }
    }
    if (first != null) {
      throw combine(first, retryable, consumers.size());
    }
  }

  private static Refusal combine(Refusal first, boolean retryable, int consumers) {
    if (consumers == 1 || first.isRetryable() == retryable) {
      return first;
    }
    return Refusal.permanent(first.getMessage(), first);
  }
}
