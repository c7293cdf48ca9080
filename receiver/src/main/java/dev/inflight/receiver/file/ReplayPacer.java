package dev.inflight.receiver.file;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Paces a replay of recorded records: with speed {@code s}, a record whose event time is {@code t}
 * is released when {@code (t − t₀) / s} of wall time has passed since the first record (event time
 * {@code t₀}) was released. Shared by the {@code file} receiver and {@code inflight replay}.
 *
 * <p>Event time is what the record says happened: for spans the latest span end in it, for metrics
 * the latest point time, for logs the latest record time ({@link EventTime}). Records are paced by the gaps between them, in the
 * order they were written:
 *
 * <ul>
 *   <li>a record whose event time is not later than the latest seen (records are written in export
 *       order, not event order) is released at once: the pacer never waits for a gap that is
 *       negative;
 *   <li>a gap longer than {@code maxGap} (event time; the process was stopped overnight between two
 *       rotated files) is shortened to {@code maxGap} before the speed divides it, and the listener
 *       is told;
 *   <li>a record without an event time (no span, no point, no log record with a time) is released
 *       at once and moves nothing;
 *   <li>when the consumer is slower than the schedule, records are released as soon as it takes
 *       them, with no wait, until the replay catches up.
 * </ul>
 *
 * <p>Speed {@link #MAX} ({@code max}) never waits. Not thread-safe: one pacer per replay.
 */
public final class ReplayPacer {
  /** {@code max}: as fast as the consumer takes records. */
  public static final double MAX = 0;

  /** The default cap on one gap between records, in event time. */
  public static final Duration DEFAULT_MAX_GAP = Duration.ofMinutes(1);

  /** Wall time for the pacer: the system's, or a fake one in tests. */
  public interface Clock {
    long nanoTime();

    /** Sleeps about {@code nanos}; an interrupt ends it with {@link InterruptedException}. */
    void sleepNanos(long nanos) throws InterruptedException;

    /** {@link System#nanoTime} and {@link Thread#sleep}. */
    static Clock system() {
      return SystemClock.INSTANCE;
    }
  }

  /** Told when a gap is shortened to {@code maxGap}. */
  @FunctionalInterface
  public interface GapListener {
    void shortened(long gapNanos, long maxGapNanos);
  }

  private final double speed;
  private final long maxGapNanos;
  private final Clock clock;
  private final GapListener gaps;

  private boolean started;
  private long startNanos;
  private long firstEventNanos;
  private long latestEventNanos;
  /** Wall nanoseconds after the start at which the latest record is due. */
  private double dueNanos;
  private long gapsShortened;

  private ReplayPacer(double speed, Duration maxGap, Clock clock, GapListener gaps) {
    if (!(speed >= 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed must be above 0, or 0 for max, got " + speed);
    }
    Objects.requireNonNull(maxGap, "maxGap");
    if (maxGap.isNegative() || maxGap.isZero()) {
      throw new IllegalArgumentException("maxGap must be positive, got " + maxGap);
    }
    this.speed = speed;
    this.maxGapNanos = maxGap.toNanos();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.gaps = Objects.requireNonNull(gaps, "gaps");
  }

  /**
   * @param speed 1 = as recorded, 2 = twice as fast, {@link #MAX} (0) = no waiting
   * @param maxGap the longest gap between records that is kept (event time)
   */
  public static ReplayPacer create(double speed, Duration maxGap, Clock clock, GapListener gaps) {
    return new ReplayPacer(speed, maxGap, clock, gaps);
  }

  public static ReplayPacer create(double speed, Duration maxGap, GapListener gaps) {
    return new ReplayPacer(speed, maxGap, Clock.system(), gaps);
  }

  /**
   * A speed as users write it: a number above 0 ({@code 1}, {@code 2.5}, {@code 0.5}), optionally
   * followed by {@code x} ({@code 10x}), or {@code max}.
   *
   * @return the speed, {@link #MAX} for {@code max}
   * @throws IllegalArgumentException saying what is accepted
   */
  public static double parseSpeed(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("max")) {
      return MAX;
    }
    if (t.endsWith("x")) {
      t = t.substring(0, t.length() - 1);
    }
    double s;
    try {
      s = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      s = Double.NaN;
    }
    if (!(s > 0) || Double.isInfinite(s)) {
      throw new IllegalArgumentException(
          "speed must be a number above 0 (1 = as recorded, 2 = twice as fast) or max, got \"" + text + "\"");
    }
    return s;
  }

  /** {@code max}, or the number ({@code 1}, {@code 2.5}). */
  public static String formatSpeed(double speed) {
    if (speed == MAX) {
      return "max";
    }
    return speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed);
  }

  /**
   * Waits until the record with this event time is due, then returns.
   *
   * @param eventTimeNanos the record's event time (Unix nanoseconds), 0 when it has none
   * @throws InterruptedException when interrupted while waiting (a shutdown)
   */
  public void await(long eventTimeNanos) throws InterruptedException {
    if (eventTimeNanos <= 0) {
      return;
    }
    if (!started) {
      started = true;
      startNanos = clock.nanoTime();
      firstEventNanos = eventTimeNanos;
      latestEventNanos = eventTimeNanos;
      return;
    }
    if (eventTimeNanos <= latestEventNanos) {
      return; // not later than what was already released: no negative wait
    }
    long gap = eventTimeNanos - latestEventNanos;
    latestEventNanos = eventTimeNanos;
    if (gap > maxGapNanos) {
      gapsShortened++;
      gaps.shortened(gap, maxGapNanos);
      gap = maxGapNanos;
    }
    if (speed == MAX) {
      return;
    }
    dueNanos += gap / speed;
    long left;
    while ((left = startNanos + (long) dueNanos - clock.nanoTime()) > 0) {
      clock.sleepNanos(left);
    }
  }

  /** The event time of the first record released, 0 before it. */
  public long firstEventNanos() {
    return firstEventNanos;
  }

  /** Gaps shortened to {@code maxGap} so far. */
  public long gapsShortened() {
    return gapsShortened;
  }

  public double speed() {
    return speed;
  }

  private enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
      long ms = nanos / 1_000_000L;
      Thread.sleep(ms, (int) (nanos % 1_000_000L));
    }
  }
}
