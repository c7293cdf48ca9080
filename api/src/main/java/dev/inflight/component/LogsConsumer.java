package dev.inflight.component;

import dev.inflight.pdata.Logs;

/** Takes a batch of log records; same contract as {@link TracesConsumer}. */
@FunctionalInterface
public interface LogsConsumer {
  void consumeLogs(Logs logs) throws Refusal;
}
