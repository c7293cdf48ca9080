package dev.inflight.extension.query;

import dev.inflight.component.concurrency.ClosedWindow;
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
    ClosedWindow last;
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

    Group(String connector, String key, ClosedWindow w, double[] boundsSeconds, int historyWindows, int minuteWindows) {
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

    void add(ClosedWindow w) {
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
  static String key(ClosedWindow w) {
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

  synchronized void add(ConcurrencyView connector, List<ClosedWindow> windows) {
    long resolution = connector.resolution().toNanos();
    int historyWindows = (int) Math.min(3600, Math.max(2, historyNanos / resolution));
    int minuteWindows = (int) Math.min(3600, MINUTE_NANOS / resolution + 1);
    double[] bounds = null;
    long latest = Long.MIN_VALUE;
    for (ClosedWindow w : windows) {
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

  /** A copy of one group's current numbers. */
  record Row(
      String connector, String key, String workerType, Map<String, String> dimensions, boolean overflow,
      Double capacity, ClosedWindow last, double peakInHistory, double p50Seconds, double p99Seconds) {}

  /** Every group, by worker type then key. */
  synchronized List<Row> rows() {
    List<Row> out = new ArrayList<>(groups.size());
    for (Group g : groups.values()) {
      out.add(new Row(g.connector, g.key, g.workerType, g.dimensions, g.overflow, g.capacity, g.last,
          g.peakInHistory(), g.quantile(0.5), g.quantile(0.99)));
    }
    out.sort(Comparator.comparing(Row::workerType).thenComparing(Row::key).thenComparing(Row::connector));
    return out;
  }

  /** One group's history: window ends (ns), means and peaks, oldest first. */
  record Series(String connector, String key, String workerType, Map<String, String> dimensions,
      long[] ends, double[] means, double[] peaks) {}

  /** Every group's history with window ends after {@code fromNanos}. */
  synchronized List<Series> history(long fromNanos) {
    List<Series> out = new ArrayList<>(groups.size());
    for (Group g : groups.values()) {
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
      out.add(new Series(g.connector, g.key, g.workerType, g.dimensions, ends, means, peaks));
    }
    out.sort(Comparator.comparing(Series::workerType).thenComparing(Series::key).thenComparing(Series::connector));
    return out;
  }

  /**
   * Mean active workers of one worker type, all its groups summed (a sum of means is the mean of
   * the sum), per window end in {@code [fromNanos, toNanos]}.
   */
  synchronized TreeMap<Long, Double> sumOfMeans(String workerType, long fromNanos, long toNanos) {
    TreeMap<Long, Double> out = new TreeMap<>();
    for (Group g : groups.values()) {
      if (!g.workerType.equals(workerType)) {
        continue;
      }
      for (int i = 0; i < g.size; i++) {
        int k = g.at(i);
        if (g.ends[k] >= fromNanos && g.ends[k] <= toNanos) {
          out.merge(g.ends[k], g.means[k], Double::sum);
        }
      }
    }
    return out;
  }
}
