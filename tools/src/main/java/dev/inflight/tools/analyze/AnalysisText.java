package dev.inflight.tools.analyze;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The text report of {@code inflight analyze}: aligned tables that fit in 100 columns. */
public final class AnalysisText {
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TIME_OF_DAY =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final int WIDTH = 100;

  private AnalysisText() {}

  public static String render(RecordingAnalysis a) {
    StringBuilder out = new StringBuilder();
    ReadSummary r = a.read();
    line(out, "Read %s, %s records%s%s%s.", plural(r.files().size(), "file"), n(r.records()),
        r.metricsRecords() > 0 ? " (" + n(r.metricsRecords()) + " metrics records skipped)" : "",
        r.logsRecords() > 0 ? " (" + n(r.logsRecords()) + " logs records skipped)" : "",
        r.damagedRecords() + r.truncatedFiles() > 0
            ? "; skipped " + n(r.damagedRecords() + r.truncatedFiles()) + " damaged or cut-off records (see the warnings)"
            : "");
    line(out, "%s spans: %s of a worker type, %s matched no worker type%s.", n(a.spans()),
        n(a.spans() - a.unmatched() - a.invalid()), n(a.unmatched()),
        a.invalid() > 0 ? ", " + n(a.invalid()) + " without valid start/end times (ignored)" : "");
    line(out, "Worker types from %s.", a.source());
    if (a.rangeNanos() <= 0 && a.spans() - a.invalid() == 0) {
      line(out, "No spans with times: nothing to analyse.");
      return out.toString();
    }
    line(out, "Range: %s to %s UTC, %s", time(a.rangeStart()), time(a.rangeEnd()), dur(a.rangeNanos()));
    line(out, "  (earliest start to latest end of all spans read; mean concurrency, busy and idle time");
    line(out, "  are over this range).");
    out.append('\n');

    line(out, "%-22s %11s %8s %8s %6s %6s %13s %8s %10s", "WORKER TYPE", "SPANS", "ERRORS", "MEAN", "PEAK",
        "CAP", "UTIL MEAN/PK", "BUSY %", "IDLE GAPS");
    for (WorkerTypeStats t : a.workerTypes()) {
      line(out, "%-22s %11s %8s %8s %6d %6s %13s %8s %10s", clip(t.name(), 22), n(t.spans()), n(t.errors()),
          fixed(t.meanConcurrency()), t.peak(), t.capacity() == null ? "-" : num(t.capacity()),
          t.capacity() == null ? "-" : pct(t.utilizationMean()) + "/" + pct(t.utilizationPeak()),
          pct(a.rangeNanos() > 0 ? (double) t.unionNanos() / a.rangeNanos() : 0), n(t.idleGapCount()));
    }
    line(out, "MEAN = busy time / range; PEAK = most active at one instant (exact); BUSY %% = time with");
    line(out, "at least one active; IDLE GAPS = periods with none active longer than %s.", dur(a.minIdleNanos()));

    for (WorkerTypeStats t : a.workerTypes()) {
      out.append('\n');
      line(out, "== %s: %s spans, busy time %s", t.name(), n(t.spans()), dur(t.busyNanos()));
      if (t.spans() == 0) {
        line(out, "  no spans");
        continue;
      }
      DurationStats d = t.durations();
      line(out, "  duration (nearest rank): p50 %s  p90 %s  p99 %s  max %s", dur(d.p50()), dur(d.p90()),
          dur(d.p99()), dur(d.max()));
      if (!t.longest().isEmpty()) {
        // Within one UTC day (the range line has the date) the time of day is enough.
        boolean oneDay = Math.floorDiv(a.rangeStart(), DAY) == Math.floorDiv(a.rangeEnd() - 1, DAY);
        int timeWidth = oneDay ? 15 : 26;
        String row = "  %10s  %-" + timeWidth + "s  %-32s  %-16s  %s";
        int nameWidth = Math.max(16, WIDTH - (2 + 10 + 2 + timeWidth + 2 + 32 + 2 + 16 + 2));
        line(out, "  longest spans:");
        line(out, row, "DURATION", "START (UTC)", "TRACE ID", "SPAN ID", "NAME");
        for (LongSpan s : t.longest()) {
          line(out, row, dur(s.durationNanos()), oneDay ? timeOfDay(s.start()) : time(s.start()), s.traceId(),
              s.spanId(), clip(s.name(), nameWidth));
        }
      }
      long range = a.rangeNanos();
      line(out, "  idle gaps longer than %s: %s, %s in all (%s of the range)%s", dur(a.minIdleNanos()),
          n(t.idleGapCount()), dur(t.idleGapNanos()), pct(range > 0 ? (double) t.idleGapNanos() / range : 0),
          t.longestIdleGaps().isEmpty() ? "" : "; longest:");
      if (!t.longestIdleGaps().isEmpty()) {
        line(out, "  %10s  %-26s  %-26s", "DURATION", "FROM (UTC)", "TO (UTC)");
        for (IdleGap g : t.longestIdleGaps()) {
          line(out, "  %10s  %-26s  %-26s", dur(g.durationNanos()), time(g.start()), time(g.end()));
        }
      }
      InstanceSummary s = t.instances();
      if (s != null) {
        line(out, "  instances (%s): %d; %d idle (busy < %s%%)%s", a.instanceAttribute(), s.instances().size(),
            s.idleInstances().size(), num(a.idleBelowPercent()),
            s.idleInstances().isEmpty() ? "" : ": " + clip(String.join(", ", s.idleInstances()), 50));
        line(out, "  imbalance: max/min busy %s, coefficient of variation of busy %% %s",
            s.maxMinRatio() == null ? "n/a (an instance was idle)" : fixed(s.maxMinRatio()),
            s.coefficientOfVariation() == null ? "n/a" : fixed(s.coefficientOfVariation()));
        if (s.spansWithoutInstance() > 0) {
          line(out, "  %s spans without %s (not in the instance table)", n(s.spansWithoutInstance()),
              a.instanceAttribute());
        }
        if (!s.instances().isEmpty()) {
          line(out, "  %-40s %11s %8s %6s", "INSTANCE", "SPANS", "BUSY %", "PEAK");
          for (InstanceStats i : s.instances()) {
            line(out, "  %-40s %11s %8s %6d%s", clip(i.instance(), 40), n(i.spans()), pct(i.busyFraction()),
                i.peak(), i.idle() ? "  idle" : "");
          }
        }
      }
    }
    return out.toString();
  }

  private static void line(StringBuilder out, String format, Object... args) {
    out.append(String.format(Locale.ROOT, format, args).stripTrailing()).append('\n');
  }

  static String n(long v) {
    return String.format(Locale.ROOT, "%,d", v);
  }

  private static String plural(long v, String word) {
    return n(v) + " " + word + (v == 1 ? "" : "s");
  }

  private static String fixed(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }

  /** A fraction as a percentage. */
  private static String pct(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
  }

  private static final long DAY = 86_400_000_000_000L;

  private static String timeOfDay(long unixNanos) {
    return TIME_OF_DAY.format(Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L),
        Math.floorMod(unixNanos, 1_000_000_000L)));
  }

  static String time(long unixNanos) {
    return UTC.format(Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L),
        Math.floorMod(unixNanos, 1_000_000_000L)));
  }

  /** A duration in the unit that reads best: 850 ns, 12.3 µs, 4.250 ms, 1.234 s. */
  static String dur(long nanos) {
    if (nanos < 1_000) {
      return nanos + " ns";
    }
    if (nanos < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }
    if (nanos < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
  }

  private static String clip(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }
}
