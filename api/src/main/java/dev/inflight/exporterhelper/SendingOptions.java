package dev.inflight.exporterhelper;

import dev.inflight.component.config.ConfigProblems;
import java.time.Duration;
import java.util.Objects;

/**
 * The three blocks every queued exporter's config carries, as keys of its own: {@code timeout},
 * {@code retry_on_failure} ({@link RetryConfig}) and {@code sending_queue} ({@link QueueConfig}).
 * An exporter config record declares the three fields with these defaults, calls {@link
 * #validate} from its own {@code validate}, and hands them to {@link ExporterHelper}.
 *
 * @param timeout how long one attempt to send a batch may take; default {@code 5s}
 * @param retryOnFailure retries of failed attempts
 * @param sendingQueue the queue in front of the senders
 */
public record SendingOptions(Duration timeout, RetryConfig retryOnFailure, QueueConfig sendingQueue) {
  /** The Collector's default per-attempt timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  public SendingOptions {
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.defaults() : sendingQueue;
  }

  /** Timeout 5s, retries and queue on, all with the Collector's defaults. */
  public static SendingOptions defaults() {
    return new SendingOptions(null, null, null);
  }

  /** One attempt in the caller's thread: no queue, no retry (what the debug exporter needs). */
  public static SendingOptions synchronous() {
    return new SendingOptions(null, RetryConfig.disabled(), QueueConfig.disabled());
  }

  public SendingOptions withTimeout(Duration timeout) {
    return new SendingOptions(Objects.requireNonNull(timeout, "timeout"), retryOnFailure, sendingQueue);
  }

  public SendingOptions withRetry(RetryConfig retry) {
    return new SendingOptions(timeout, Objects.requireNonNull(retry, "retry"), sendingQueue);
  }

  public SendingOptions withQueue(QueueConfig queue) {
    return new SendingOptions(timeout, retryOnFailure, Objects.requireNonNull(queue, "queue"));
  }

  /**
   * Checks {@code timeout}, {@code retry_on_failure} and {@code sending_queue}.
   *
   * @param problems scoped at the exporter (the three keys are its own)
   */
  public void validate(ConfigProblems problems) {
    validateTimeout(timeout, problems);
    retryOnFailure.validate(problems.at("retry_on_failure"));
    sendingQueue.validate(problems.at("sending_queue"));
  }

  /** {@code timeout} must be positive: an attempt without a deadline could hold a sender forever. */
  public static void validateTimeout(Duration timeout, ConfigProblems problems) {
    if (timeout.isNegative() || timeout.isZero()) {
      problems.add("timeout", "timeout must be greater than 0");
    }
  }
}
