package dev.inflight.component;

import dev.inflight.pdata.SignalData;

/**
 * Takes a batch of one signal's data; the form of {@link TracesConsumer}, {@link
 * MetricsConsumer} and {@link LogsConsumer} that code written once for every signal holds (fan-out, counting, the exporter
 * helper, the otlp receiver). Same contract: synchronous, accepted when it returns, otherwise a
 * {@link Refusal}. {@link SignalType} turns one form into the other.
 *
 * @param <T> {@link dev.inflight.pdata.Traces}, {@link dev.inflight.pdata.Metrics}, {@link
 *     dev.inflight.pdata.Logs}
 */
@FunctionalInterface
public interface Consumer<T extends SignalData> {
  void consume(T data) throws Refusal;
}
