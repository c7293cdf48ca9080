package dev.inflight.pdata;

/**
 * A batch of one signal's data ({@link Traces}, {@link Metrics}, {@link Logs}), for code that is the
 * same for every signal: fan-out, counting, the exporter helper, exporters that send the bytes.
 */
public interface SignalData {
  /** What self-metrics count for the signal: spans, metric data points, log records. */
  int itemCount();

  /**
   * The encoded OTLP {@code Export*ServiceRequest}: what exporters that do not change the data
   * send as it is. Shared, not copied: do not modify.
   */
  byte[] encoded();
}
