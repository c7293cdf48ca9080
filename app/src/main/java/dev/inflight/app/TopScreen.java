package dev.inflight.app;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code inflight top} prints for one workers snapshot: a header, a table with one row per
 * group, then the seed monitor's {@code [CONCURRENCY]}, {@code [SPANS]} and {@code [SYSTEM]} lines,
 * which stay greppable in a log.
 */
final class TopScreen {
  static final String NO_WORKERS = "no worker spans have been seen yet";

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
  private static final String[] HEADINGS = {
    "WORKER TYPE", "DIMENSIONS", "ACTIVE", "PEAK", "CAPACITY", "UTIL", "TOTAL", "FAILED", "P50", "P99", "LATE"
  };
  /** The first two columns are text (left-aligned), the rest numbers (right-aligned). */
  private static final int TEXT_COLUMNS = 2;

  private TopScreen() {}

  static String render(WorkersSnapshot snapshot, URI url, ZoneId zone, boolean colour) {
    StringBuilder out = new StringBuilder();
    out.append(Ansi.BOLD.paint(header(snapshot, url, zone), colour)).append("\n\n");
    if (snapshot.workerTypes().isEmpty()) {
      out.append(NO_WORKERS).append('\n');
    } else {
      table(snapshot.workerTypes(), colour).forEach(row -> out.append(row).append('\n'));
      out.append('\n');
      for (WorkersSnapshot.Group g : snapshot.workerTypes()) {
        out.append(concurrencyLine(g, colour)).append('\n');
      }
    }
    out.append(Ansi.BLUE.paint("[SPANS]", colour))
        .append(" Accepted: ").append(snapshot.spans().accepted())
        .append(" | Refused: ").append(alarm(snapshot.spans().refused(), Ansi.RED, colour))
        .append('\n');
    WorkersSnapshot.Process p = snapshot.process();
    out.append(Ansi.MAGENTA.paint("[SYSTEM]", colour))
        .append(" CPU: ").append(fixed1(p.cpuPercent())).append('%')
        .append(" | Memory: ").append(p.memoryRssMb() == null ? "-" : fixed1(p.memoryRssMb()) + " MB")
        .append(" | Threads: ").append(p.threads())
        .append('\n');
    return out.toString();
  }

  /** {@code inflight http://localhost:5050 | 12:53:20 | up 2m 3s | window ending 12:53:05, 15 s behind} */
  static String header(WorkersSnapshot snapshot, URI url, ZoneId zone) {
    StringBuilder out = new StringBuilder("inflight ").append(url)
        .append(" | ").append(clock(snapshot.timeUnixMs(), zone))
        .append(" | up ").append(uptime(snapshot.uptimeS()));
    // Groups of several connectors can close windows at different times: the newest says how fresh.
    snapshot.workerTypes().stream()
        .mapToDouble(WorkersSnapshot.Group::windowEndUnixMs)
        .max()
        .ifPresent(end -> out.append(" | window ending ").append(clock(end, zone))
            .append(snapshot.allowedLatenessMs() == null ? ""
                : ", " + compact(snapshot.allowedLatenessMs() / 1000) + " s behind"));
    return out.toString();
  }

  /**
   * {@code [CONCURRENCY] account_workers{service.name=checkout} Active: 3.7/16 | Peak: 7 | Total: 256
   * | Failed: 0}, without {@code /16} when the worker type has no capacity.
   */
  static String concurrencyLine(WorkersSnapshot.Group g, boolean colour) {
    return Ansi.CYAN.paint("[CONCURRENCY]", colour) + " " + g.key()
        + " Active: " + compact(g.active()) + (g.capacity() == null ? "" : "/" + compact(g.capacity()))
        + " | Peak: " + compact(g.peak())
        + " | Total: " + compact(g.spansTotal())
        + " | Failed: " + alarm(g.spansFailed(), Ansi.RED, colour);
  }

  static List<String> table(List<WorkersSnapshot.Group> groups, boolean colour) {
    List<String[]> cells = new ArrayList<>();
    cells.add(HEADINGS);
    for (WorkersSnapshot.Group g : groups) {
      cells.add(new String[] {
        g.workerType(),
        g.dimensionsText(),
        fixed1(g.active()),
        compact(g.peak()),
        g.capacity() == null ? "-" : compact(g.capacity()),
        g.utilization() == null ? "-" : fixed1(g.utilization() * 100) + "%",
        compact(g.spansTotal()),
        compact(g.spansFailed()),
        millis(g.p50Ms()),
        millis(g.p99Ms()),
        compact(g.lateSpans()),
      });
    }
    int[] widths = new int[HEADINGS.length];
    for (String[] row : cells) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    List<String> rows = new ArrayList<>();
    for (int r = 0; r < cells.size(); r++) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < HEADINGS.length; c++) {
        String text = cells.get(r)[c];
        String pad = " ".repeat(widths[c] - text.length());
        // Pad first, paint after: escape codes take no room on screen.
        String shown = r == 0 ? Ansi.BOLD.paint(text, colour) : paint(groups.get(r - 1), c, text, colour);
        line.append(c == 0 ? "" : "  ").append(c < TEXT_COLUMNS ? shown + pad : pad + shown);
      }
      rows.add(line.toString().stripTrailing());
    }
    return rows;
  }

  private static String paint(WorkersSnapshot.Group g, int column, String text, boolean colour) {
    return switch (HEADINGS[column]) {
      case "UTIL" -> g.utilization() == null ? text
          : (g.utilization() >= 0.9 ? Ansi.RED : g.utilization() >= 0.7 ? Ansi.YELLOW : Ansi.GREEN)
              .paint(text, colour);
      case "FAILED" -> g.spansFailed() > 0 ? Ansi.RED.paint(text, colour) : text;
      case "LATE" -> g.lateSpans() > 0 ? Ansi.YELLOW.paint(text, colour) : text;
      default -> text;
    };
  }

  private static String alarm(double count, Ansi colourWhenNonZero, boolean colour) {
    return count > 0 ? colourWhenNonZero.paint(compact(count), colour) : compact(count);
  }

  private static String clock(double unixMs, ZoneId zone) {
    return CLOCK.format(Instant.ofEpochMilli((long) Math.floor(unixMs)).atZone(zone));
  }

  /** {@code 1h 23m 45s}, {@code 2m 3s}, {@code 45s}: the seed's uptime. */
  static String uptime(double seconds) {
    long s = (long) Math.max(0, Math.floor(seconds));
    long h = s / 3600;
    long m = s % 3600 / 60;
    if (h > 0) {
      return h + "h " + m + "m " + s % 60 + "s";
    }
    return m > 0 ? m + "m " + s % 60 + "s" : s % 60 + "s";
  }

  /** Milliseconds for the quantile columns: two decimals below 1 ms, where one would round to 0.0. */
  private static String millis(Double ms) {
    if (ms == null) {
      return "-";
    }
    return String.format(Locale.ROOT, ms < 1 ? "%.2fms" : "%.1fms", ms);
  }

  private static String fixed1(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  /** Whole numbers without decimals, others with one: {@code 16}, {@code 3.7}; large counts stay exact. */
  static String compact(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    String s = fixed1(value);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }
}
