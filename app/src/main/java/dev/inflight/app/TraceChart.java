package dev.inflight.app;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Seed 000's ASCII chart: active workers (y, integer ticks) over milliseconds since the trace start
 * (x, about 8 labelled ticks), one step line per worker type with its own glyphs (and colour), and
 * a {@code ← worker_type} legend where each line ends.
 *
 * <pre>
 * Active Workers
 * 3 ┤    ┌───────┐
 * 2 ┤━━━━│━━━┓   │     ← b
 * 1 ┤────┘   ┗━━━│━━━  ← a
 * 0 ┼┬───┬───┬───└───► ms
 *    0   10  20  30
 * </pre>
 *
 * <p>When there are more buckets than columns, a column shows the largest value of the buckets it
 * covers, so a one-bucket burst still reaches its height; with fewer buckets, a bucket spans
 * several columns.
 */
final class TraceChart {
  static final String TITLE = "Active Workers";
  /** Rows above zero at most; beyond that a row stands for 2, 5, 10... workers. */
  static final int MAX_LEVELS = 12;
  /** Below this many plot columns the legend goes under the chart instead of beside it. */
  static final int MIN_COLUMNS = 16;
  static final int MIN_WIDTH = 20;
  /** About this many labelled x ticks, fewer when the labels would not fit. */
  static final int X_TICKS = 8;

  private static final Ansi[] COLOURS = {Ansi.CYAN, Ansi.YELLOW, Ansi.MAGENTA, Ansi.GREEN, Ansi.BLUE, Ansi.RED};

  /**
   * @param name the worker type
   * @param active active workers per bucket, bucket i starting at {@code i * bucketMs}
   */
  record Line(String name, long[] active) {
    Line {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(active, "active");
    }
  }

  /** How one line is drawn: a horizontal, a vertical and the four corners, named by the sides they join. */
  private record Glyphs(char across, char up, char downRight, char downLeft, char upRight, char upLeft) {
    static Glyphs of(String s) {
      return new Glyphs(s.charAt(0), s.charAt(1), s.charAt(2), s.charAt(3), s.charAt(4), s.charAt(5));
    }
  }

  /** Distinct without colour: light, heavy, double, dashed-rounded, heavy-dashed. */
  private static final Glyphs[] BOX = {
    Glyphs.of("─│┌┐└┘"), Glyphs.of("━┃┏┓┗┛"), Glyphs.of("═║╔╗╚╝"), Glyphs.of("┄┆╭╮╰╯"), Glyphs.of("┅┇┏┓┗┛")
  };
  /** For a stdout that cannot encode box drawing: one mark per line. */
  private static final Glyphs[] ASCII = {
    Glyphs.of("******"), Glyphs.of("######"), Glyphs.of("oooooo"), Glyphs.of("++++++"), Glyphs.of("%%%%%%")
  };

  /** The axes: tick, plain, origin, x axis, x tick, arrow, legend arrow. */
  private record Axes(char yTick, char y, char origin, char x, char xTick, String arrow, String pointer) {}

  private static final Axes BOX_AXES = new Axes('┤', '│', '┼', '─', '┬', "►", "←");
  private static final Axes ASCII_AXES = new Axes('+', '|', '+', '-', '+', ">", "<-");

  private TraceChart() {}

  /**
   * The chart's lines, none longer than {@code width} (trailing spaces trimmed).
   *
   * @param lines at least one; arrays of equal length, at least 1
   * @param unicode box-drawing characters; false: ASCII only
   */
  static List<String> render(List<Line> lines, int bucketMs, int width, boolean colour, boolean unicode) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("lines must not be empty");
    }
    if (bucketMs < 1) {
      throw new IllegalArgumentException("bucketMs must be at least 1, got " + bucketMs);
    }
    if (width < MIN_WIDTH) {
      throw new IllegalArgumentException("width must be at least " + MIN_WIDTH + ", got " + width);
    }
    Axes axes = unicode ? BOX_AXES : ASCII_AXES;
    Glyphs[] glyphs = unicode ? BOX : ASCII;
    int buckets = lines.stream().mapToInt(l -> l.active().length).max().orElse(0);
    if (buckets == 0) {
      throw new IllegalArgumentException("lines must have at least one bucket");
    }
    long top = Math.max(1, lines.stream().flatMapToLong(l -> Arrays.stream(l.active())).max().orElse(0));

    // Vertical: one row per `unit` workers, a nice number so every row is a whole number of workers.
    long unit = 1;
    while (ceilDiv(top, unit) > MAX_LEVELS) {
      unit = nextNice(unit);
    }
    int levels = (int) ceilDiv(top, unit);
    int labelEvery = 1;
    while (levels / labelEvery > 6) {
      labelEvery = (int) nextNice(labelEvery);
    }
    int labelWidth = Long.toString(levels * unit).length();
    int prefix = labelWidth + 2;

    // Horizontal: the plot takes what the labels, the legend and "► ms" leave of the width.
    String axisTail = axes.arrow() + " ms";
    int longestName = lines.stream().mapToInt(l -> l.name().length()).max().orElse(0);
    int legendWidth = 3 + axes.pointer().length() + longestName;
    int columns = width - prefix - Math.max(legendWidth, axisTail.length());
    boolean legendBeside = columns >= MIN_COLUMNS;
    if (!legendBeside) {
      columns = width - prefix - axisTail.length();
    }

    char[][] cells = new char[levels + 1][columns];
    int[][] owner = new int[levels + 1][columns];
    for (int level = 0; level <= levels; level++) {
      Arrays.fill(cells[level], level == 0 ? axes.x() : ' ');
      Arrays.fill(owner[level], -1);
    }
    long totalMs = (long) buckets * bucketMs;
    List<long[]> ticks = xTicks(totalMs, columns);
    for (long[] tick : ticks) {
      cells[0][(int) tick[1]] = axes.xTick();
    }

    int[][] levelsByColumn = new int[lines.size()][];
    for (int i = 0; i < lines.size(); i++) {
      long[] shown = columnMaxima(lines.get(i).active(), buckets, columns);
      int[] lv = new int[columns];
      for (int c = 0; c < columns; c++) {
        lv[c] = level(shown[c], unit, levels);
      }
      levelsByColumn[i] = lv;
    }
    // The first line is drawn last, so it is on top where lines cross.
    for (int i = lines.size() - 1; i >= 0; i--) {
      draw(levelsByColumn[i], glyphs[i % glyphs.length], i, cells, owner);
    }

    String[] legendAt = new String[levels + 1];
    int[] legendOwner = new int[levels + 1];
    List<Integer> legendBelow = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      int row = legendBeside ? freeRowNear(Math.max(1, levelsByColumn[i][columns - 1]), legendAt) : -1;
      if (row < 0) {
        legendBelow.add(i);
      } else {
        legendAt[row] = "  " + axes.pointer() + " " + lines.get(i).name();
        legendOwner[row] = i;
      }
    }

    List<String> out = new ArrayList<>();
    out.add(Ansi.BOLD.paint(TITLE, colour));
    for (int level = levels; level >= 0; level--) {
      boolean labelled = level % labelEvery == 0;
      String label = labelled ? Long.toString(level * unit) : "";
      StringBuilder row = new StringBuilder()
          .append(" ".repeat(labelWidth - label.length())).append(label).append(' ')
          .append(level == 0 ? axes.origin() : labelled ? axes.yTick() : axes.y());
      appendCells(row, cells[level], owner[level], colour);
      if (level == 0) {
        row.append(axisTail);
      } else if (legendAt[level] != null) {
        row.append(paint(legendAt[level], legendOwner[level], colour));
      }
      out.add(stripTrailing(row.toString()));
    }
    out.add(xLabels(ticks, prefix, prefix + columns + axisTail.length()));
    for (int i : legendBelow) {
      Glyphs g = glyphs[i % glyphs.length];
      String entry = "  " + String.valueOf(g.across()).repeat(3) + " " + lines.get(i).name();
      out.add(paint(entry.length() > width ? entry.substring(0, width) : entry, i, colour));
    }
    return out;
  }

  /** Column c covers buckets [c·n/columns, (c+1)·n/columns), at least one: their largest value. */
  static long[] columnMaxima(long[] active, int buckets, int columns) {
    long[] shown = new long[columns];
    for (int c = 0; c < columns; c++) {
      int from = (int) ((long) c * buckets / columns);
      int to = Math.max(from + 1, (int) ((long) (c + 1) * buckets / columns));
      long max = 0;
      for (int b = from; b < to && b < active.length; b++) {
        max = Math.max(max, active[b]);
      }
      shown[c] = max;
    }
    return shown;
  }

  /** The row of a value; any non-zero value at least row 1, so a single worker is never flat on the axis. */
  private static int level(long value, long unit, int levels) {
    if (value <= 0) {
      return 0;
    }
    return (int) Math.min(levels, Math.max(1, Math.round((double) value / unit)));
  }

  /** A step line: level changes turn at the column where they happen (┘ then ┌ going up, ┐ then └ down). */
  private static void draw(int[] lv, Glyphs g, int index, char[][] cells, int[][] owner) {
    for (int c = 0; c < lv.length; c++) {
      int prev = c == 0 ? lv[0] : lv[c - 1];
      int cur = lv[c];
      if (cur == prev) {
        put(cells, owner, cur, c, g.across(), index);
      } else {
        boolean up = cur > prev;
        put(cells, owner, prev, c, up ? g.upLeft() : g.downLeft(), index);
        for (int r = Math.min(prev, cur) + 1; r < Math.max(prev, cur); r++) {
          put(cells, owner, r, c, g.up(), index);
        }
        put(cells, owner, cur, c, up ? g.downRight() : g.upRight(), index);
      }
    }
  }

  private static void put(char[][] cells, int[][] owner, int level, int column, char glyph, int index) {
    cells[level][column] = glyph;
    owner[level][column] = index;
  }

  /** The free legend row nearest the one wanted (above first on ties); -1 when all are taken. */
  private static int freeRowNear(int wanted, String[] legendAt) {
    int levels = legendAt.length - 1;
    for (int d = 0; d < levels; d++) {
      for (int row : new int[] {wanted + d, wanted - d}) {
        if (row >= 1 && row <= levels && legendAt[row] == null) {
          return row;
        }
      }
    }
    return -1;
  }

  /** [ms, column] of each labelled tick: a nice step giving about {@link #X_TICKS} ticks whose labels fit. */
  static List<long[]> xTicks(long totalMs, int columns) {
    long step = 1;
    while (step * X_TICKS < totalMs) {
      step = nextNice(step);
    }
    int labelRoom = Long.toString(totalMs).length() + 1;
    while (step < totalMs && (double) step * columns / totalMs < labelRoom) {
      step = nextNice(step);
    }
    List<long[]> ticks = new ArrayList<>();
    for (long t = 0; t < totalMs; t += step) {
      ticks.add(new long[] {t, t * columns / totalMs});
    }
    return ticks;
  }

  /** The tick labels centred under their ticks, skipping any that would touch the previous one. */
  private static String xLabels(List<long[]> ticks, int prefix, int rowWidth) {
    char[] row = new char[rowWidth];
    Arrays.fill(row, ' ');
    int free = 0;
    for (long[] tick : ticks) {
      String label = Long.toString(tick[0]);
      int start = prefix + (int) tick[1] - (label.length() - 1) / 2;
      if (start < free || start + label.length() > rowWidth) {
        continue;
      }
      label.getChars(0, label.length(), row, start);
      free = start + label.length() + 1;
    }
    return stripTrailing(new String(row));
  }

  private static void appendCells(StringBuilder row, char[] cells, int[] owner, boolean colour) {
    int open = -1;
    for (int c = 0; c < cells.length; c++) {
      int o = owner[c];
      if (colour && o != open) {
        if (open >= 0) {
          row.append(Ansi.RESET);
        }
        if (o >= 0) {
          row.append(COLOURS[o % COLOURS.length].code());
        }
        open = o;
      }
      row.append(cells[c]);
    }
    if (colour && open >= 0) {
      row.append(Ansi.RESET);
    }
  }

  private static String paint(String text, int index, boolean colour) {
    return COLOURS[index % COLOURS.length].paint(text, colour);
  }

  private static String stripTrailing(String s) {
    return s.replaceAll(" +$", "");
  }

  /** 1, 2, 5, 10, 20, 50, ... */
  private static long nextNice(long n) {
    long magnitude = 1;
    while (magnitude * 10 <= n) {
      magnitude *= 10;
    }
    long mantissa = n / magnitude;
    return mantissa < 2 ? 2 * magnitude : mantissa < 5 ? 5 * magnitude : 10 * magnitude;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
