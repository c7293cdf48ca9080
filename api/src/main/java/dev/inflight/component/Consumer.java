package dev.inflight.component;

import dev.inflight.pdata.SignalData;

/**
 * Takes a batch of one signal's data; the form of {@link TracesConsumer} and {@link
 * MetricsConsumer} that code written once for every signal holds (fan-out, counting, the exporter
 * helper, the otlp receiver). Same contract: synchronous, accepted when it returns, otherwise a
 * {@link Refusal}. {@link SignalType} turns one form into the other.
 *
 * @param <T> {@link dev.inflight.pdata.Traces}, {@link dev.inflight.pdata.Metrics}
 */
@FunctionalInterface
public interface Consumer<T extends SignalData> {
  void consume(T data) throws Refusal;
}
