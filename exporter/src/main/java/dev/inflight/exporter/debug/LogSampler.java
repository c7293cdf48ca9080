package dev.inflight.exporter.debug;

import java.util.function.LongSupplier;

/**
 * Decides which batches get logged, like zap's sampler behind the Collector's debug exporter: in
 * each one-second window the first {@code initial} are logged, then every {@code thereafter}-th
 * (none when it is 0). One decision per batch, so a batch's summary and details go together.
 */
final class LogSampler {
  private static final long WINDOW_NANOS = 1_000_000_000L;

  private final int initial;
  private final int thereafter;
  private final LongSupplier nanoTime;
  private long windowStart;
  private long seen;

  LogSampler(int initial, int thereafter, LongSupplier nanoTime) {
    this.initial = initial;
    this.thereafter = thereafter;
    this.nanoTime = nanoTime;
    this.windowStart = nanoTime.getAsLong();
  }

  /** True if this batch should be logged. Called once per batch, so a lock costs nothing here. */
  boolean sample() {
    if (thereafter == 1) {
      return true; // every batch is logged whatever the window holds: skip the clock
    }
    long n;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      if (now - windowStart >= WINDOW_NANOS) {
        windowStart = now;
        seen = 0;
      }
      n = ++seen;
    }
    if (n <= initial) {
      return true;
    }
    return thereafter > 0 && (n - initial) % thereafter == 0;
  }
}
