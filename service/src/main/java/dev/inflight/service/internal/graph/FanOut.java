package dev.inflight.service.internal.graph;

import dev.inflight.component.Consumer;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Refusal;
import dev.inflight.component.SignalType;
import dev.inflight.component.TracesConsumer;
import dev.inflight.pdata.SignalData;
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
public final class FanOut<T extends SignalData> implements Consumer<T> {
  private static final Logger log = LoggerFactory.getLogger(FanOut.class);

  private final List<Consumer<T>> consumers;
  private final String where;

  /** @param where what the consumers are, for the log: {@code pipeline "traces"} */
  public FanOut(List<? extends Consumer<T>> consumers, String where) {
    this.consumers = List.copyOf(consumers);
    this.where = where;
  }

  static TracesConsumer traces(List<TracesConsumer> consumers, String where) {
    return typed(SignalType.TRACES, consumers, where);
  }

  static MetricsConsumer metrics(List<MetricsConsumer> consumers, String where) {
    return typed(SignalType.METRICS, consumers, where);
  }

  private static <T extends SignalData, C> C typed(SignalType<T, C> type, List<C> consumers, String where) {
    return type.typed(new FanOut<>(consumers.stream().map(type::generic).toList(), where));
  }

  @Override
  public void consume(T data) throws Refusal {
    Refusal first = null;
    boolean retryable = true;
    for (Consumer<T> c : consumers) {
      try {
        c.consume(data);
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

  @Override
  public String toString() {
    return "fan-out of " + where;
  }

  private static Refusal combine(Refusal first, boolean retryable, int consumers) {
    if (consumers == 1 || first.isRetryable() == retryable) {
      return first;
    }
    return Refusal.permanent(first.getMessage(), first);
  }
}
