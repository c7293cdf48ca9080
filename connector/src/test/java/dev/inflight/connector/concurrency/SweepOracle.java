package dev.inflight.connector.concurrency;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The reference for every number the concurrency connector emits: a brute-force sweep over all the
 * spans of one group at once, written for obviousness rather than speed, and sharing no code with
 * the engine. Events are +w at a span's start and -w at its end, sorted by time with ends before
 * starts at equal times; a span is the half-open interval {@code [start, end)}.
 *
 * <p>Public so the end-to-end tests (tests module, through this module's test-jar) check the
 * running process against the same reference.
 */
public final class SweepOracle {
  private SweepOracle() {}

  /** Status values as the connector counts them. */
  public static final int UNSET = 0;
  public static final int OK = 1;
  public static final int ERROR = 2;

  /**
   * One span of a group.
   *
   * @param weight its adjusted count (1 for unsampled spans)
   * @param status {@link #UNSET}, {@link #OK} or {@link #ERROR}
   */
  public record Span(long start, long end, double weight, int status) {
    public Span {
      if (end < start) {
        throw new IllegalArgumentException("end before start");
      }
    }

    public static Span of(long start, long end) {
      return new Span(start, end, 1, UNSET);
    }
  }

  /**
   * What the connector must report for window {@code [start, end)}. Cumulative values count every
   * span from the beginning of time up to the window's end.
   *
   * @param active time-weighted mean of in-flight weight over the window
   * @param activeMax peak in-flight weight in the window
   * @param busySeconds cumulative span time up to the window's end
   * @param spans cumulative weight of spans whose end is before the window's end, by status
   * @param bucketCounts cumulative duration histogram of those spans: bucket i counts durations ≤
   *     bound i (and above bound i-1); the last counts the rest
   * @param durationSum cumulative sum of their durations, seconds
   */
  public record Window(
      long start,
      long end,
      double active,
      double activeMax,
      double busySeconds,
      double[] spans,
      double[] bucketCounts,
      double durationSum) {

    public double spanCount() {
      return spans[0] + spans[1] + spans[2];
    }

    @Override
    public String toString() {
      return "Window[" + start + ".." + end + " active=" + active + " max=" + activeMax
          + " busy=" + busySeconds + " spans=" + Arrays.toString(spans) + " buckets="
          + Arrays.toString(bucketCounts) + " durationSum=" + durationSum + "]";
    }
  }

  private record Event(long time, double delta, boolean isEnd) {}

  /**
   * The windows with index {@code fromIdx} (inclusive) to {@code toIdx} (exclusive), window {@code
   * i} being {@code [i * resolution, (i + 1) * resolution)}.
   */
  public static List<Window> windows(
      List<Span> spans, long resolution, long fromIdx, long toIdx, long[] boundsNanos) {
    List<Event> events = new ArrayList<>();
    for (Span s : spans) {
      events.add(new Event(s.start(), s.weight(), false));
      events.add(new Event(s.end(), -s.weight(), true));
    }
    // Ends before starts at equal times: a span ending at t and one starting at t never overlap.
    events.sort(Comparator.comparingLong(Event::time).thenComparing(e -> !e.isEnd()));

    List<Window> out = new ArrayList<>();
    for (long idx = fromIdx; idx < toIdx; idx++) {
      long t = idx * resolution;
      long tEnd = t + resolution;

      // Sweep from the beginning of time. The level at t is the level after every event at or
      // before t; inside the window the level rises only at starts, so the peak is the level at t
      // or the level right after some start in (t, tEnd).
      double level = 0;
      double max = 0;
      double integral = 0; // weight·ns over [t, tEnd)
      long prev = t;
      boolean levelAtTTaken = false;
      for (Event e : events) {
        if (e.time() > t && !levelAtTTaken) {
          max = level;
          levelAtTTaken = true;
        }
        if (e.time() >= tEnd) {
          break;
        }
        if (e.time() > prev) {
          integral += level * (e.time() - prev);
          prev = e.time();
        }
        level += e.delta();
        if (Math.abs(level) < 1e-9) {
          level = 0;
        }
        if (e.time() > t && !e.isEnd()) {
          max = Math.max(max, level);
        }
      }
      if (!levelAtTTaken) {
        max = level;
      }
      integral += level * (tEnd - prev);

      double busy = 0;
      double[] statusCounts = new double[3];
      double[] buckets = new double[boundsNanos.length + 1];
      double durationSum = 0;
      for (Span s : spans) {
        long overlap = Math.max(0, Math.min(s.end(), tEnd) - Math.min(s.start(), tEnd));
        busy += s.weight() * overlap;
        if (s.end() < tEnd) {
          statusCounts[s.status()] += s.weight();
          long d = s.end() - s.start();
          int b = 0;
          while (b < boundsNanos.length && d > boundsNanos[b]) {
            b++;
          }
          buckets[b] += s.weight();
          durationSum += s.weight() * (d / 1e9);
        }
      }
      out.add(new Window(t, tEnd, integral / resolution, max, busy / 1e9, statusCounts, buckets, durationSum));
    }
    return out;
  }

  /**
   * The level at instant {@code x}, straight from the definition: the weight of spans with {@code
   * start ≤ x < end}. For checking the sweep itself.
   */
  public static double levelAt(List<Span> spans, long x) {
    double level = 0;
    for (Span s : spans) {
      if (s.start() <= x && x < s.end()) {
        level += s.weight();
      }
    }
    return level;
  }

  /**
   * The highest level at any instant of {@code [from, to)}, from {@link #levelAt}: the level rises
   * only at starts, so it is the level at {@code from} or at some start inside the interval.
   */
  public static double peakIn(List<Span> spans, long from, long to) {
    double peak = levelAt(spans, from);
    for (Span s : spans) {
      if (s.start() > from && s.start() < to) {
        peak = Math.max(peak, levelAt(spans, s.start()));
      }
    }
    return peak;
  }

  /** The highest level at any instant: the level at some span's start (0 without spans). */
  public static double peak(List<Span> spans) {
    double peak = 0;
    for (Span s : spans) {
      peak = Math.max(peak, levelAt(spans, s.start()));
    }
    return peak;
  }
}
