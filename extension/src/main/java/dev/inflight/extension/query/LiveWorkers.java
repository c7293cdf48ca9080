package dev.inflight.extension.query;

import dev.inflight.component.concurrency.GroupWindow;
import dev.inflight.component.concurrency.ConcurrencyView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The live view of every group the connectors report: its last closed window, a ring of (window
 * end, mean, peak) covering the history, and the cumulative duration histograms of the last minute
 * of windows for p50/p99. Fed by closed windows (the numbers the connector exports, so the page and
 * Prometheus agree); groups with nothing in the history are forgotten.
 */
final class LiveWorkers {
  private static final long MINUTE_NANOS = Duration.ofMinutes(1).toNanos();

  private final long historyNanos;
  private final Map<String, Group> groups = new HashMap<>();

  /** One group's state. Guarded by the LiveWorkers monitor. */
  static final class Group {
    final String connector;
    final String key;
    final String workerType;
    final Map<String, String> dimensions;
    final boolean overflow;
    final Double capacity;
    final double[] boundsSeconds;
    GroupWindow last;
    // History ring: oldest at (head - size) mod length.
    final long[] ends;
    final double[] means;
    final double[] peaks;
    int head;
    int size;
    // Cumulative histograms of the last minute of windows, by window end.
    final long[] bucketEnds;
    final double[][] buckets;
    int bucketHead;
    int bucketSize;

    Group(String connector, String key, GroupWindow w, double[] boundsSeconds, int historyWindows, int minuteWindows) {
      this.connector = connector;
      this.key = key;
      this.workerType = w.workerType();
      this.dimensions = w.dimensions();
      this.overflow = w.overflow();
      this.capacity = w.capacity();
      this.boundsSeconds = boundsSeconds;
      this.ends = new long[historyWindows];
      this.means = new double[historyWindows];
      this.peaks = new double[historyWindows];
      this.bucketEnds = new long[minuteWindows];
      this.buckets = new double[minuteWindows][];
    }

    void add(GroupWindow w) {
      last = w;
      ends[head] = w.windowEndNanos();
      means[head] = w.active();
      peaks[head] = w.activeMax();
      head = (head + 1) % ends.length;
      size = Math.min(size + 1, ends.length);
      bucketEnds[bucketHead] = w.windowEndNanos();
      buckets[bucketHead] = w.bucketCounts();
      bucketHead = (bucketHead + 1) % bucketEnds.length;
      bucketSize = Math.min(bucketSize + 1, bucketEnds.length);
    }

    /** The i-th history entry, oldest first. */
    int at(int i) {
      return Math.floorMod(head - size + i, ends.length);
    }

    double peakInHistory() {
      double max = 0;
      for (int i = 0; i < size; i++) {
        max = Math.max(max, peaks[at(i)]);
      }
      return max;
    }

    /**
     * Duration quantile, seconds, of the spans that ended in the last minute of windows, as
     * Prometheus' histogram_quantile estimates it from the buckets; NaN when none ended.
     */
    double quantile(double q) {
      double[] latest = buckets[Math.floorMod(bucketHead - 1, buckets.length)];
      // A minute back: the entry whose end is a minute before the latest's. Until the ring has
      // filled, the group is younger than that and its counts start from zero.
      double[] base = null;
      if (bucketSize == buckets.length) {
        base = buckets[bucketHead % buckets.length];
      }
      double[] counts = new double[latest.length];
      double total = 0;
      for (int i = 0; i < latest.length; i++) {
        counts[i] = latest[i] - (base == null ? 0 : base[i]);
        total += counts[i];
      }
      return histogramQuantile(q, boundsSeconds, counts, total);
    }
  }

  /**
   * Prometheus' estimate: find the bucket holding rank q·total, interpolate linearly inside it (from
   * 0 for the first bucket); in the overflow bucket answer the highest bound.
   */
  static double histogramQuantile(double q, double[] bounds, double[] counts, double total) {
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double cumulative = 0;
    for (int i = 0; i < counts.length; i++) {
      double before = cumulative;
      cumulative += counts[i];
      if (cumulative >= rank && counts[i] > 0) {
        if (i == bounds.length) {
          return bounds.length == 0 ? Double.NaN : bounds[bounds.length - 1];
        }
        double lower = i == 0 ? 0 : bounds[i - 1];
        return lower + (bounds[i] - lower) * ((rank - before) / counts[i]);
      }
    }
    return bounds.length == 0 ? Double.NaN : bounds[bounds.length - 1];
  }

  LiveWorkers(Duration history) {
    this.historyNanos = history.toNanos();
  }

  /** The key the page, the history and the table share: {@code type{k=v,...}}, or just the type. */
  static String key(GroupWindow w) {
    if (w.overflow()) {
      return w.workerType() + "{overflow}";
    }
    if (w.dimensions().isEmpty()) {
      return w.workerType();
    }
    StringBuilder sb = new StringBuilder(w.workerType()).append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : w.dimensions().entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.append('}').toString();
  }

  synchronized void add(ConcurrencyView connector, List<GroupWindow> windows) {
    long resolution = connector.resolution().toNanos();
    int historyWindows = (int) Math.min(3600, Math.max(2, historyNanos / resolution));
    int minuteWindows = (int) Math.min(3600, MINUTE_NANOS / resolution + 1);
    double[] bounds = null;
    long latest = Long.MIN_VALUE;
    for (GroupWindow w : windows) {
      String key = key(w);
      String id = connector.id() + "|" + key;
      Group g = groups.get(id);
      if (g == null) {
        if (bounds == null) {
          bounds = connector.durationBoundsSeconds();
        }
        g = new Group(connector.id(), key, w, bounds, historyWindows, Math.max(2, minuteWindows));
        groups.put(id, g);
      }
      g.add(w);
      latest = Math.max(latest, w.windowEndNanos());
    }
    if (latest != Long.MIN_VALUE) {
      long horizon = latest - historyNanos;
      groups.values().removeIf(g -> g.last.windowEndNanos() <= horizon);
    }
  }

  /** Forgets the groups of a connector that stopped. */
  synchronized void remove(ConcurrencyView connector) {
    groups.values().removeIf(g -> g.connector.equals(connector.id()));
  }

  /** One group's open windows as a connector gave them, oldest first. */
  record OpenGroup(String connector, String key, List<GroupWindow> windows) {}

  /**
   * One read of every connector's open windows: provisional numbers, not kept here.
   *
   * @param groups by {@code connector|key}
   * @param closedUntilNanos the lowest closed boundary among the connectors ({@link Long#MIN_VALUE}
   *     while one has closed nothing yet): every window ending at or before it is final
   * @param untilNanos the end of the newest open window, {@link Long#MIN_VALUE} when none is open
   */
  record Open(Map<String, OpenGroup> groups, long closedUntilNanos, long untilNanos) {
    static final Open NONE = new Open(Map.of(), Long.MIN_VALUE, Long.MIN_VALUE);

    /** Reads every connector's open windows now (each connector pays for its own read). */
    static Open read(List<ConcurrencyView> connectors) {
      Map<String, OpenGroup> groups = new HashMap<>();
      long closedUntil = Long.MAX_VALUE;
      long until = Long.MIN_VALUE;
      for (ConcurrencyView c : connectors) {
        ConcurrencyView.OpenWindows open = c.openWindows();
        closedUntil = Math.min(closedUntil, open.closedUntilNanos());
        Map<String, List<GroupWindow>> byKey = new java.util.LinkedHashMap<>();
        for (GroupWindow w : open.windows()) {
          byKey.computeIfAbsent(key(w), k -> new ArrayList<>()).add(w);
          until = Math.max(until, w.windowEndNanos());
        }
        byKey.forEach((key, windows) -> groups.put(c.id() + "|" + key, new OpenGroup(c.id(), key, List.copyOf(windows))));
      }
      return new Open(groups, connectors.isEmpty() ? Long.MIN_VALUE : closedUntil, until);
    }

    /** The group's open windows newer than its last closed one (a read may race a close). */
    List<GroupWindow> after(String id, long lastClosedEnd) {
      OpenGroup g = groups.get(id);
      if (g == null) {
        return List.of();
      }
      return g.windows().stream().filter(w -> w.windowEndNanos() > lastClosedEnd).toList();
    }
  }

  /**
   * A copy of one group's current numbers: its last closed window ({@code last}, null for a group
   * only provisional windows know yet) and, when asked for, its open windows after that one.
   */
  record Row(
      String connector, String key, String workerType, Map<String, String> dimensions, boolean overflow,
      Double capacity, GroupWindow last, double peakInHistory, double p50Seconds, double p99Seconds,
      List<GroupWindow> provisional) {}

  /** Every group with a closed window, by worker type then key. */
  synchronized List<Row> rows() {
    return rows(Open.NONE);
  }

  /** Every group, closed windows and the open ones of {@code open} after them, by worker type then key. */
  synchronized List<Row> rows(Open open) {
    List<Row> out = new ArrayList<>(groups.size());
    for (Map.Entry<String, Group> e : groups.entrySet()) {
      Group g = e.getValue();
      out.add(new Row(g.connector, g.key, g.workerType, g.dimensions, g.overflow, g.capacity, g.last,
          g.peakInHistory(), g.quantile(0.5), g.quantile(0.99), open.after(e.getKey(), g.last.windowEndNanos())));
    }
    for (Map.Entry<String, OpenGroup> e : open.groups().entrySet()) {
      if (groups.containsKey(e.getKey())) {
        continue;
      }
      OpenGroup o = e.getValue();
      GroupWindow w = o.windows().get(0);
      out.add(new Row(o.connector(), o.key(), w.workerType(), w.dimensions(), w.overflow(), w.capacity(), null,
          Double.NaN, Double.NaN, Double.NaN, o.windows()));
    }
    out.sort(Comparator.comparing(Row::workerType).thenComparing(Row::key).thenComparing(Row::connector));
    return out;
  }

  /**
   * One group's history: window ends (ns), means and peaks of its closed windows, oldest first; and
   * its open windows after them when asked for.
   */
  record Series(String connector, String key, String workerType, Map<String, String> dimensions,
      long[] ends, double[] means, double[] peaks, List<GroupWindow> provisional) {}

  /** Every group's history with window ends after {@code fromNanos}. */
  synchronized List<Series> history(long fromNanos) {
    return history(fromNanos, Open.NONE);
  }

  /** {@link #history(long)}, with the open windows of {@code open} after each group's closed ones. */
  synchronized List<Series> history(long fromNanos, Open open) {
    List<Series> out = new ArrayList<>(groups.size());
    for (Map.Entry<String, OpenGroup> e : open.groups().entrySet()) {
      if (!groups.containsKey(e.getKey())) {
        OpenGroup o = e.getValue();
        GroupWindow w = o.windows().get(0);
        out.add(new Series(o.connector(), o.key(), w.workerType(), w.dimensions(),
            new long[0], new double[0], new double[0], o.windows()));
      }
    }
    for (Map.Entry<String, Group> entry : groups.entrySet()) {
      Group g = entry.getValue();
      int n = 0;
      for (int i = 0; i < g.size; i++) {
        if (g.ends[g.at(i)] > fromNanos) {
          n++;
        }
      }
      long[] ends = new long[n];
      double[] means = new double[n];
      double[] peaks = new double[n];
      int j = 0;
      for (int i = 0; i < g.size; i++) {
        int k = g.at(i);
        if (g.ends[k] > fromNanos) {
          ends[j] = g.ends[k];
          means[j] = g.means[k];
          peaks[j] = g.peaks[k];
          j++;
        }
      }
      out.add(new Series(g.connector, g.key, g.workerType, g.dimensions, ends, means, peaks,
          open.after(entry.getKey(), g.last.windowEndNanos())));
    }
    out.sort(Comparator.comparing(Series::workerType).thenComparing(Series::key).thenComparing(Series::connector));
    return out;
  }

  /**
   * Mean active workers of one worker type, all its groups summed (a sum of means is the mean of
   * the sum), per window end in {@code [fromNanos, toNanos]}: closed windows, then the open ones of
   * {@code open} ({@link Open#NONE} for final numbers only).
   */
  synchronized TreeMap<Long, Double> sumOfMeans(String workerType, long fromNanos, long toNanos, Open open) {
    TreeMap<Long, Double> out = new TreeMap<>();
    for (Map.Entry<String, Group> e : groups.entrySet()) {
      Group g = e.getValue();
      if (!g.workerType.equals(workerType)) {
        continue;
      }
      for (int i = 0; i < g.size; i++) {
        int k = g.at(i);
        if (g.ends[k] >= fromNanos && g.ends[k] <= toNanos) {
          out.merge(g.ends[k], g.means[k], Double::sum);
        }
      }
      for (GroupWindow w : open.after(e.getKey(), g.last.windowEndNanos())) {
        if (w.windowEndNanos() >= fromNanos && w.windowEndNanos() <= toNanos) {
          out.merge(w.windowEndNanos(), w.active(), Double::sum);
        }
      }
    }
    for (Map.Entry<String, OpenGroup> e : open.groups().entrySet()) {
      if (groups.containsKey(e.getKey())) {
        continue;
      }
      for (GroupWindow w : e.getValue().windows()) {
        if (w.workerType().equals(workerType) && w.windowEndNanos() >= fromNanos && w.windowEndNanos() <= toNanos) {
          out.merge(w.windowEndNanos(), w.active(), Double::sum);
        }
      }
    }
    return out;
  }
}
