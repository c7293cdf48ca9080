package dev.inflight.pipeline;

import dev.inflight.pipeline.data.Metrics;

/** Takes a batch of metrics; same contract as {@link TracesConsumer}. */
@FunctionalInterface
public interface MetricsConsumer {
  void consumeMetrics(Metrics metrics) throws Refusal;
}
