package dev.inflight.component;

import dev.inflight.pdata.Traces;

/**
 * Takes a batch of spans. Synchronous: when it returns, the batch is accepted (and owned by the
 * consumer); otherwise it throws a {@link Refusal}. {@link Traces} are immutable, so a consumer
 * that wants to change spans builds new ones and fan-out never copies.
 */
@FunctionalInterface
public interface TracesConsumer {
  void consumeTraces(Traces traces) throws Refusal;
}
