package dev.inflight.exporterhelper;

import dev.inflight.component.config.ConfigProblems;

/**
 * {@code sending_queue}: the bounded in-memory queue between an exporter's callers and its
 * senders, as the Collector's exporterhelper has it. {@code consume} only enqueues and returns;
 * {@code num_consumers} threads take batches off the queue and send them, retrying as {@link
 * RetryConfig} says. When the queue is full the exporter refuses the batch as retryable, so
 * receivers answer {@code UNAVAILABLE} / 503 and memory stays bounded instead of growing.
 *
 * @param enabled queue at all; default true. Off: {@code consume} sends (and retries) in the
 *     caller's thread and reports the outcome to it
 * @param numConsumers batches sent at once; default {@value #DEFAULT_NUM_CONSUMERS}, the
 *     Collector's. Each is an idle thread until there is something to send, and for a backend far
 *     away (tens to hundreds of ms per request) concurrent requests are what keeps throughput up
 * @param queueSize batches the queue holds; default {@value #DEFAULT_QUEUE_SIZE}. Memory is about
 *     this many times the size of one batch (the batch processor's {@code send_batch_max_size})
 */
public record QueueConfig(Boolean enabled, Integer numConsumers, Integer queueSize) {
  public static final int DEFAULT_NUM_CONSUMERS = 10;
  public static final int DEFAULT_QUEUE_SIZE = 1000;

  public QueueConfig {
    enabled = enabled == null ? Boolean.TRUE : enabled;
    numConsumers = numConsumers == null ? DEFAULT_NUM_CONSUMERS : numConsumers;
    queueSize = queueSize == null ? DEFAULT_QUEUE_SIZE : queueSize;
  }

  /** The Collector's defaults. */
  public static QueueConfig defaults() {
    return new QueueConfig(null, null, null);
  }

  /** No queue: {@code consume} sends in the caller's thread. */
  public static QueueConfig disabled() {
    return new QueueConfig(false, null, null);
  }

  /**
   * Checks the values when the queue is enabled, as the Collector does.
   *
   * @param problems scoped at {@code sending_queue}
   */
  public void validate(ConfigProblems problems) {
    if (!enabled) {
      return;
    }
    if (numConsumers < 1) {
      problems.add("num_consumers", "num_consumers must be at least 1");
    }
    if (queueSize < 1) {
      problems.add("queue_size", "queue_size must be at least 1");
    }
  }
}
