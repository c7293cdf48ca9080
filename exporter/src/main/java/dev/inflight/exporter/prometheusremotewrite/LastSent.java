package dev.inflight.exporter.prometheusremotewrite;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The last sample Prometheus acknowledged (2xx) for each series, so that samples it would refuse
 * as out of order are left out of the next requests instead of failing them whole. Updated only
 * after a 2xx, so a batch that failed is sent again whole. Bounded in time: a series not sent for
 * {@code forgetAfterNanos} is forgotten (what it would guard against after that is a sample more
 * than that much older than its predecessor). Thread-safe.
 */
final class LastSent {
  /** The newest acknowledged sample of a series, and when it was acknowledged ({@code nanoTime}). */
  record Sample(long timestamp, long valueBits, long sentNanos) {}

  private final ConcurrentHashMap<SeriesId, Sample> last = new ConcurrentHashMap<>();
  private final long forgetAfterNanos;
  private final long sweepEveryNanos;
  private final LongSupplier nanoTime;
  private volatile long lastSweep;

  LastSent(long forgetAfterNanos, LongSupplier nanoTime) {
    this.forgetAfterNanos = forgetAfterNanos;
    this.sweepEveryNanos = Math.max(1, forgetAfterNanos / 15);
    this.nanoTime = nanoTime;
    this.lastSweep = nanoTime.getAsLong();
  }

  /** The newest acknowledged sample of {@code id}, or null. */
  Sample get(SeriesId id) {
    return last.get(id);
  }

  /** Prometheus acknowledged a request whose newest sample of {@code id} is this one. */
  void acknowledged(SeriesId id, long timestamp, long valueBits) {
    Sample s = new Sample(timestamp, valueBits, nanoTime.getAsLong());
    last.merge(id, s, (old, now) -> old.timestamp() > now.timestamp()
        ? new Sample(old.timestamp(), old.valueBits(), now.sentNanos())
        : now);
  }

  /** Forgets the series not acknowledged for {@code forgetAfterNanos}; a cheap no-op most calls. */
  void sweep() {
    long now = nanoTime.getAsLong();
    if (now - lastSweep < sweepEveryNanos) {
      return;
    }
    lastSweep = now;
    last.values().removeIf(s -> now - s.sentNanos() > forgetAfterNanos);
  }

  int size() {
    return last.size();
  }
}
