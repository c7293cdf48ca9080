package dev.inflight.processor.batch;

import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import java.time.Duration;

/**
 * {@code processors.batch}: when to send and how large a request may be. Items are spans for
 * traces, data points for metrics and log records for logs.
 *
 * @param timeout how long the first item held after a send may wait before everything held is
 *     sent; {@code 0} sends every batch as it arrives (split by {@code send_batch_max_size}); default
 *     200ms
 * @param sendBatchSize once this many items are held they are sent without waiting for the timeout;
 *     {@code 0} sends every batch as it arrives, like {@code timeout: 0}; default {@value
 *     #DEFAULT_SEND_BATCH_SIZE}
 * @param sendBatchMaxSize no request sent holds more items than this; larger ones are split; {@code
 *     0} means no limit; default {@value #DEFAULT_SEND_BATCH_MAX_SIZE}
 */
public record BatchProcessorConfig(Duration timeout, Integer sendBatchSize, Integer sendBatchMaxSize)
    implements ComponentConfig {
  /** The Collector's default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(200);

  /** The Collector's default. */
  public static final int DEFAULT_SEND_BATCH_SIZE = 8192;

  /** The Collector's default: no limit. */
  public static final int DEFAULT_SEND_BATCH_MAX_SIZE = 0;

  public BatchProcessorConfig {
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    sendBatchSize = sendBatchSize == null ? DEFAULT_SEND_BATCH_SIZE : sendBatchSize;
    sendBatchMaxSize = sendBatchMaxSize == null ? DEFAULT_SEND_BATCH_MAX_SIZE : sendBatchMaxSize;
  }

  /** Every setting at its default: what {@code createDefaultConfig()} returns. */
  public static final BatchProcessorConfig DEFAULT = new BatchProcessorConfig(null, null, null);

  /** This config with {@code timeout} set; null means its default. */
  public BatchProcessorConfig withTimeout(Duration timeout) {
    return new BatchProcessorConfig(timeout, sendBatchSize, sendBatchMaxSize);
  }

  /** This config with {@code send_batch_size} set; null means its default. */
  public BatchProcessorConfig withSendBatchSize(Integer sendBatchSize) {
    return new BatchProcessorConfig(timeout, sendBatchSize, sendBatchMaxSize);
  }

  /** This config with {@code send_batch_max_size} set; null means its default. */
  public BatchProcessorConfig withSendBatchMaxSize(Integer sendBatchMaxSize) {
    return new BatchProcessorConfig(timeout, sendBatchSize, sendBatchMaxSize);
  }

  /**
   * Whether every batch is sent as it arrives: the Collector runs no timer when {@code timeout} or
   * {@code send_batch_size} is 0.
   */
  boolean sendsImmediately() {
    return timeout.isZero() || sendBatchSize == 0;
  }

  @Override
  public void validate(ConfigProblems problems) {
    if (timeout.isNegative()) {
      problems.add("timeout", "timeout must be greater or equal to 0");
    }
    if (sendBatchSize < 0) {
      problems.add("send_batch_size", "send_batch_size must be greater or equal to 0");
    }
    if (sendBatchMaxSize < 0) {
      problems.add("send_batch_max_size", "send_batch_max_size must be greater or equal to 0");
    } else if (sendBatchMaxSize > 0 && sendBatchMaxSize < sendBatchSize) {
      problems.add(
          "send_batch_max_size", "send_batch_max_size must be greater or equal to send_batch_size");
    }
  }
}
