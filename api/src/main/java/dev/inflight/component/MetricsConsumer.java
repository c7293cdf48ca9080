package dev.inflight.component;

import dev.inflight.pdata.Metrics;

/** Takes a batch of metrics; same contract as {@link TracesConsumer}. */
@FunctionalInterface
public interface MetricsConsumer {
  void consumeMetrics(Metrics metrics) throws Refusal;
}
