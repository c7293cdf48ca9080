package dev.inflight.app;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What {@code inflight top} prints for one workers snapshot: a header, a table with one row per
 * group, then the seed monitor's {@code [CONCURRENCY]}, {@code [SPANS]} and {@code [SYSTEM]} lines,
 * which stay greppable in a log. The table's numbers are the last closed (final) window's; the SO
 * FAR column shows the open (provisional) windows as they fill, each value marked {@code ~} and,
 * with colour, dimmed.
 */
final class TopScreen {
  static final String NO_WORKERS = "no worker spans have been seen yet";

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
  /** Marks a provisional value (an open window's, a lower bound), also without colour. */
  static final String PROVISIONAL = "~";
  /** How many open windows the SO FAR column shows, the newest. */
  static final int SO_FAR_WINDOWS = 6;

  private static final String SO_FAR = "SO FAR";
  private static final String[] HEADINGS = {
    "WORKER TYPE", "DIMENSIONS", "ACTIVE", "PEAK", "CAPACITY", "UTIL", "TOTAL", "FAILED", "P50", "P99", "LATE", SO_FAR
  };
  /** The first two columns are text (left-aligned), the rest numbers (right-aligned) but SO FAR. */
  private static final int TEXT_COLUMNS = 2;
  private static final Pattern PROVISIONAL_VALUE = Pattern.compile(Pattern.quote(PROVISIONAL) + "\\S+");

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

  /**
   * {@code inflight http://localhost:5050 | 12:53:20 | up 2m 3s | final to 12:53:05, 15 s behind | so far
   * to 12:53:21}; from a server without provisional windows {@code ... | window ending 12:53:05, 15 s behind}.
   */
  static String header(WorkersSnapshot snapshot, URI url, ZoneId zone) {
    StringBuilder out = new StringBuilder("inflight ").append(url)
        .append(" | ").append(clock(snapshot.timeUnixMs(), zone))
        .append(" | up ").append(uptime(snapshot.uptimeS()));
    if (snapshot.provisional()) {
      Double finalUntil = snapshot.finalUntilUnixMs();
      if (finalUntil == null) {
        out.append(" | nothing final yet");
      } else {
        long behind = Math.max(0, Math.round((snapshot.timeUnixMs() - finalUntil) / 1000));
        out.append(" | final to ").append(clock(finalUntil, zone)).append(", ").append(behind).append(" s behind");
      }
      if (snapshot.provisionalUntilUnixMs() != null) {
        out.append(" | so far to ").append(clock(snapshot.provisionalUntilUnixMs(), zone));
      }
      return out.toString();
    }
    // Groups of several connectors can close windows at different times: the newest says how fresh.
    snapshot.workerTypes().stream()
        .filter(WorkersSnapshot.Group::closed)
        .mapToDouble(WorkersSnapshot.Group::windowEndUnixMs)
        .max()
        .ifPresent(end -> out.append(" | window ending ").append(clock(end, zone))
            .append(snapshot.allowedLatenessMs() == null ? ""
                : ", " + compact(snapshot.allowedLatenessMs() / 1000) + " s behind"));
    return out.toString();
  }

  /**
   * {@code [CONCURRENCY] account_workers{service.name=checkout} Active: 3.7/16 | Peak: 7 | Total: 256
   * | Failed: 0}, without {@code /16} when the worker type has no capacity, then {@code | So far: ~4.2
   * (peak ~8)} (the newest open window) when the group has one. A group with no closed window yet
   * has {@code -} for the closed numbers.
   */
  static String concurrencyLine(WorkersSnapshot.Group g, boolean colour) {
    StringBuilder out = new StringBuilder(Ansi.CYAN.paint("[CONCURRENCY]", colour)).append(' ').append(g.key());
    if (g.closed()) {
      out.append(" Active: ").append(compact(g.active()))
          .append(g.capacity() == null ? "" : "/" + compact(g.capacity()))
          .append(" | Peak: ").append(compact(g.peak()))
          .append(" | Total: ").append(compact(g.spansTotal()))
          .append(" | Failed: ").append(alarm(g.spansFailed(), Ansi.RED, colour));
    } else {
      out.append(" Active: - | Peak: - | Total: - | Failed: -");
    }
    List<WorkersSnapshot.Window> open = g.provisionalWindows();
    if (!open.isEmpty()) {
      WorkersSnapshot.Window newest = open.get(open.size() - 1);
      out.append(" | So far: ").append(Ansi.DIM.paint(
          PROVISIONAL + compact(newest.active()) + " (peak " + PROVISIONAL + compact(newest.peak()) + ")", colour));
    }
    return out.toString();
  }

  /**
   * The newest open windows of every group, at most {@link #SO_FAR_WINDOWS}: the SO FAR column has
   * one slot per window, so that a window's values line up under each other.
   */
  private static List<Double> soFarSlots(List<WorkersSnapshot.Group> groups) {
    TreeSet<Double> ends = new TreeSet<>();
    for (WorkersSnapshot.Group g : groups) {
      g.provisionalWindows().forEach(w -> ends.add(w.windowEndUnixMs()));
    }
    List<Double> slots = new ArrayList<>(ends);
    return slots.subList(Math.max(0, slots.size() - SO_FAR_WINDOWS), slots.size());
  }

  /** {@code ~3.1 ~3.4 ~2.0}: a group's values in the slots, blank where it has no such window. */
  private static String soFar(WorkersSnapshot.Group g, List<Double> slots, int[] slotWidths) {
    Map<Double, WorkersSnapshot.Window> byEnd = new HashMap<>();
    g.provisionalWindows().forEach(w -> byEnd.put(w.windowEndUnixMs(), w));
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < slots.size(); i++) {
      WorkersSnapshot.Window w = byEnd.get(slots.get(i));
      String value = w == null ? "" : PROVISIONAL + fixed1(w.active());
      out.append(i == 0 ? "" : " ").append(" ".repeat(slotWidths[i] - value.length())).append(value);
    }
    return out.toString();
  }

  static List<String> table(List<WorkersSnapshot.Group> groups, boolean colour) {
    List<Double> slots = soFarSlots(groups);
    int[] slotWidths = new int[slots.size()];
    for (WorkersSnapshot.Group g : groups) {
      for (WorkersSnapshot.Window w : g.provisionalWindows()) {
        int i = slots.indexOf(w.windowEndUnixMs());
        if (i >= 0) {
          slotWidths[i] = Math.max(slotWidths[i], (PROVISIONAL + fixed1(w.active())).length());
        }
      }
    }
    List<String[]> cells = new ArrayList<>();
    cells.add(HEADINGS);
    for (WorkersSnapshot.Group g : groups) {
      // A group with no closed window yet: nothing final to show, only what its open windows say so far.
      boolean closed = g.closed();
      cells.add(new String[] {
        g.workerType(),
        g.dimensionsText(),
        closed ? fixed1(g.active()) : "-",
        closed ? compact(g.peak()) : "-",
        g.capacity() == null ? "-" : compact(g.capacity()),
        !closed || g.utilization() == null ? "-" : fixed1(g.utilization() * 100) + "%",
        closed ? compact(g.spansTotal()) : "-",
        closed ? compact(g.spansFailed()) : "-",
        closed ? millis(g.p50Ms()) : "-",
        closed ? millis(g.p99Ms()) : "-",
        closed ? compact(g.lateSpans()) : "-",
        g.provisionalWindows().isEmpty() ? "-" : soFar(g, slots, slotWidths),
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
        boolean left = c < TEXT_COLUMNS || HEADINGS[c].equals(SO_FAR); // SO FAR: values in slots of their own
        line.append(c == 0 ? "" : "  ").append(left ? shown + pad : pad + shown);
      }
      rows.add(line.toString().stripTrailing());
    }
    return rows;
  }

  private static String paint(WorkersSnapshot.Group g, int column, String text, boolean colour) {
    if (!g.closed() && column >= TEXT_COLUMNS && !HEADINGS[column].equals(SO_FAR)) {
      return text;
    }
    return switch (HEADINGS[column]) {
      case SO_FAR -> colour ? PROVISIONAL_VALUE.matcher(text).replaceAll(m -> Ansi.DIM.paint(m.group(), true)) : text;
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
