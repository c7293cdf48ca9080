package dev.inflight.exporterhelper;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter for one batch, as Go's {@code backoff.ExponentialBackOff} that
 * the Collector uses: each wait is drawn from {@code [i·(1−r), i·(1+r)]}, then {@code i} grows by
 * the multiplier up to the maximum interval. Not thread-safe: one per batch being retried.
 */
final class Backoff {
  private final double randomizationFactor;
  private final double multiplier;
  private final long maxIntervalNanos;
  private final DoubleSupplier random;
  private long currentNanos;

  /** @param random uniform in {@code [0, 1)} */
  Backoff(RetryConfig config, DoubleSupplier random) {
    this.randomizationFactor = config.randomizationFactor();
    this.multiplier = config.multiplier();
    this.maxIntervalNanos = config.maxInterval().toNanos();
    this.random = random;
    this.currentNanos = Math.min(config.initialInterval().toNanos(), maxIntervalNanos);
  }

  /** The wait before the next attempt. */
  Duration next() {
    double delta = randomizationFactor * currentNanos;
    double min = currentNanos - delta;
    double max = currentNanos + delta;
    long wait = (long) (min + random.getAsDouble() * (max - min));
    if (currentNanos >= maxIntervalNanos / multiplier) {
      currentNanos = maxIntervalNanos;
    } else {
      currentNanos = (long) (currentNanos * multiplier);
    }
    return Duration.ofNanos(Math.max(0, wait));
  }
}
