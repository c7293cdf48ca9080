package dev.inflight.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * zap's sampler ({@code service.telemetry.logs.sampling}): in each tick, of the events with the
 * same level and message, the first {@code initial} pass, then every {@code thereafter}-th. The
 * message is the formatted one: zap's messages are constant with values in fields, inflight's carry
 * their values, so lines that differ are all kept and only true repeats are thinned.
 */
final class LogSampler extends TurboFilter {
  /** Distinct messages tracked at once; past it the counts start over (a bound, not a policy). */
  private static final int MAX_KEYS = 4096;

  private final long tickNanos;
  private final long initial;
  private final long thereafter;
  private final LongSupplier nanoTime;
  private final Map<String, Count> counts = new ConcurrentHashMap<>();

  private static final class Count {
    volatile long tick;
    final AtomicLong n = new AtomicLong();
  }

  LogSampler(long tickNanos, long initial, long thereafter, LongSupplier nanoTime) {
    this.tickNanos = tickNanos;
    this.initial = initial;
    this.thereafter = thereafter;
    this.nanoTime = nanoTime;
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    // the effective level, not isEnabledFor: that asks the turbo filters, this one included
    if (level == null || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL; // only events that would be logged count
    }
    String message = format == null ? "" : params == null ? format : MessageFormatter.arrayFormat(format, params).getMessage();
    String key = level.levelStr + '\u0000' + message;
    if (counts.size() > MAX_KEYS) {
      counts.clear();
    }
    Count c = counts.computeIfAbsent(key, k -> new Count());
    long tick = nanoTime.getAsLong() / tickNanos;
    if (c.tick != tick) {
      synchronized (c) {
        if (c.tick != tick) {
          c.tick = tick;
          c.n.set(0);
        }
      }
    }
    long n = c.n.incrementAndGet();
    if (n <= initial) {
      return FilterReply.NEUTRAL;
    }
    if (thereafter > 0 && (n - initial) % thereafter == 0) {
      return FilterReply.NEUTRAL;
    }
    return FilterReply.DENY;
  }
}
