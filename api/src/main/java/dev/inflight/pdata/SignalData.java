package dev.inflight.pdata;

/**
 * A batch of one signal's data ({@link Traces}, {@link Metrics}, {@link Logs}), for code that is the
 * same for every signal: fan-out, counting, the exporter helper.
 */
public interface SignalData {
  /** What self-metrics count for the signal: spans, metric data points, log records. */
  int itemCount();
}
