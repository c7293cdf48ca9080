package dev.inflight.tools.analyze;

/** A period {@code [start, end)} (ns since the epoch) in which no span of a worker type was active. */
public record IdleGap(long start, long end) {
  public long durationNanos() {
    return end - start;
  }
}
