package dev.inflight.exporterhelper;

import dev.inflight.component.config.ConfigProblems;
import dev.inflight.component.config.DurationFormat;
import java.time.Duration;

/**
 * {@code retry_on_failure}: how an exporter retries a batch that failed with a retryable error, as
 * the Collector's {@code configretry.BackOffConfig}. The wait before retry n is drawn at random
 * from {@code [i·(1−r), i·(1+r)]} where {@code i = min(initial_interval · multiplier^(n−1),
 * max_interval)} and {@code r} is the randomization factor; a server's hint (gRPC {@code
 * RetryInfo}, HTTP {@code Retry-After}) lengthens the wait to at least the hint. A batch is given
 * up when the next wait would end after {@code max_elapsed_time} from the first attempt; permanent
 * errors (bad data, 400) are never retried.
 *
 * @param enabled retry at all; default true. Off: one attempt per batch
 * @param initialInterval wait before the first retry; default {@code 5s}
 * @param randomizationFactor jitter, 0 to 1; default {@value #DEFAULT_RANDOMIZATION_FACTOR}
 * @param multiplier growth of the wait per retry, at least 1; default {@value #DEFAULT_MULTIPLIER}
 * @param maxInterval the longest wait between two attempts; default {@code 30s}
 * @param maxElapsedTime how long a batch may be retried, from its first attempt; default {@code
 *     300s}; {@code 0} retries until it is sent (or the exporter shuts down)
 */
public record RetryConfig(
    Boolean enabled,
    Duration initialInterval,
    Double randomizationFactor,
    Double multiplier,
    Duration maxInterval,
    Duration maxElapsedTime) {
  public static final Duration DEFAULT_INITIAL_INTERVAL = Duration.ofSeconds(5);
  public static final double DEFAULT_RANDOMIZATION_FACTOR = 0.5;
  public static final double DEFAULT_MULTIPLIER = 1.5;
  public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_MAX_ELAPSED_TIME = Duration.ofSeconds(300);

  public RetryConfig {
    enabled = enabled == null ? Boolean.TRUE : enabled;
    initialInterval = initialInterval == null ? DEFAULT_INITIAL_INTERVAL : initialInterval;
    randomizationFactor = randomizationFactor == null ? DEFAULT_RANDOMIZATION_FACTOR : randomizationFactor;
    multiplier = multiplier == null ? DEFAULT_MULTIPLIER : multiplier;
    maxInterval = maxInterval == null ? DEFAULT_MAX_INTERVAL : maxInterval;
    maxElapsedTime = maxElapsedTime == null ? DEFAULT_MAX_ELAPSED_TIME : maxElapsedTime;
  }

  /** The Collector's defaults. */
  public static RetryConfig defaults() {
    return new RetryConfig(null, null, null, null, null, null);
  }

  /** No retries: one attempt per batch. */
  public static RetryConfig disabled() {
    return new RetryConfig(false, null, null, null, null, null);
  }

  /**
   * Checks the values when retrying is enabled, as the Collector does.
   *
   * @param problems scoped at {@code retry_on_failure}
   */
  public void validate(ConfigProblems problems) {
    if (!enabled) {
      return;
    }
    if (initialInterval.isNegative() || initialInterval.isZero()) {
      problems.add("initial_interval", "initial_interval must be greater than 0");
    }
    if (maxInterval.isNegative() || maxInterval.isZero()) {
      problems.add("max_interval", "max_interval must be greater than 0");
    } else if (maxInterval.compareTo(initialInterval) < 0) {
      problems.add(
          "max_interval",
          "max_interval (" + DurationFormat.format(maxInterval)
              + ") must not be less than initial_interval (" + DurationFormat.format(initialInterval) + ")");
    }
    if (maxElapsedTime.isNegative()) {
      problems.add("max_elapsed_time", "max_elapsed_time must not be negative (0 retries without a time limit)");
    }
    if (!(randomizationFactor >= 0 && randomizationFactor <= 1)) {
      problems.add("randomization_factor", "randomization_factor must be between 0 and 1");
    }
    if (!(multiplier >= 1) || multiplier.isInfinite()) {
      problems.add("multiplier", "multiplier must be at least 1");
    }
  }
}
