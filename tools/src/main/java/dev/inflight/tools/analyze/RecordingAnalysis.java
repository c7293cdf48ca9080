package dev.inflight.tools.analyze;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The analysis of a recording: what was read, its range (earliest start to latest end of all spans
 * read, worker spans or not), and the statistics of each worker type.
 *
 * @param source where the worker types came from, for the reader
 * @param instanceAttribute the attribute naming instances, or null when instances were not analysed
 * @param spans every span read
 * @param unmatched spans that matched no worker type (counted, not analysed)
 * @param invalid spans without start or end, or ending before they start (ignored)
 * @param rangeStart earliest start, ns since the epoch (0 when there were no spans)
 * @param rangeEnd latest end (0 when there were no spans)
 * @param minIdleNanos idle gaps count when longer than this
 * @param idleBelowPercent instances busy less than this percentage of the range are idle
 * @param workerTypes one entry per worker type, in config order (types without spans included,
 *     except with {@code --by-name}, where a type exists only by its spans), or by name
 */
public record RecordingAnalysis(
    ReadSummary read,
    String source,
    String instanceAttribute,
    long spans,
    long unmatched,
    long invalid,
    long rangeStart,
    long rangeEnd,
    long minIdleNanos,
    double idleBelowPercent,
    List<WorkerTypeStats> workerTypes) {

  /** {@code rangeEnd - rangeStart}. */
  public long rangeNanos() {
    return rangeEnd - rangeStart;
  }

  /** What to compute and how much to list. */
  public record Options(long minIdleNanos, double idleBelowPercent, int top) {
    public static final long DEFAULT_MIN_IDLE_NANOS = 1_000_000;
    public static final double DEFAULT_IDLE_BELOW_PERCENT = 1;
    public static final int DEFAULT_TOP = 5;

    public static Options defaults() {
      return new Options(DEFAULT_MIN_IDLE_NANOS, DEFAULT_IDLE_BELOW_PERCENT, DEFAULT_TOP);
    }
  }

  /**
   * Computes every statistic from the store; the store is not changed (the sorts work on copies:
   * up to 16 bytes per span of the largest worker type, for the time of its analysis).
   *
   * @param instanceNames the text of an instance id
   */
  public static RecordingAnalysis of(
      ReadSummary read,
      String source,
      RecordedSpans spans,
      WorkerTypeSet types,
      String instanceAttribute,
      IntFunction<String> instanceNames,
      Options options) {
    boolean any = spans.rangeStart() != Long.MAX_VALUE;
    long rangeStart = any ? spans.rangeStart() : 0;
    long rangeEnd = any ? spans.rangeEnd() : 0;
    List<WorkerTypeStats> stats = new ArrayList<>();
    for (int t = 0; t < types.size(); t++) {
      RecordedSpans.Column c = spans.column(t);
      if (c == null && types.isByName()) {
        continue;
      }
      stats.add(workerType(types.name(t), types.capacity(t), c, rangeStart, rangeEnd,
          spans.hasInstances() ? instanceNames : null, options));
    }
    if (types.isByName()) {
      stats.sort(Comparator.comparing(WorkerTypeStats::name));
    }
    return new RecordingAnalysis(read, source, spans.hasInstances() ? instanceAttribute : null, spans.spans(),
        spans.unmatched(), spans.invalid(), rangeStart, rangeEnd, options.minIdleNanos(),
        options.idleBelowPercent(), stats);
  }

  static WorkerTypeStats workerType(String name, Double capacity, RecordedSpans.Column c, long rangeStart,
      long rangeEnd, IntFunction<String> instanceNames, Options options) {
    int n = c == null ? 0 : c.size;
    long[] starts = c == null ? new long[0] : c.start;
    long[] ends = c == null ? new long[0] : c.end;

    long[] durations = new long[n];
    long busy = 0;
    for (int i = 0; i < n; i++) {
      durations[i] = ends[i] - starts[i];
      busy += durations[i];
    }
    Arrays.sort(durations);
    DurationStats durationStats = DurationStats.ofSorted(durations, n);
    durations = null; // may be collected before the copies below are made

    long[] s;
    long[] e;
    InstanceSummary instances = null;
    if (instanceNames != null) {
      // Group by instance (a counting sort), then each instance's starts and ends sorted in place.
      int[] inst = c == null ? new int[0] : c.instance;
      int maxId = -1;
      for (int i = 0; i < n; i++) {
        maxId = Math.max(maxId, inst[i]);
      }
      int[] offsets = new int[maxId + 3]; // slot 0: no instance (-1); slot id + 1: instance id
      for (int i = 0; i < n; i++) {
        offsets[inst[i] + 2]++;
      }
      for (int k = 1; k < offsets.length; k++) {
        offsets[k] += offsets[k - 1];
      }
      s = new long[n];
      e = new long[n];
      int[] fill = offsets.clone();
      for (int i = 0; i < n; i++) {
        int at = fill[inst[i] + 1]++;
        s[at] = starts[i];
        e[at] = ends[i];
      }
      List<InstanceStats> list = new ArrayList<>();
      double range = rangeEnd - rangeStart;
      for (int id = 0; id <= maxId; id++) {
        int from = offsets[id + 1];
        int to = offsets[id + 2];
        if (from == to) {
          continue;
        }
        Arrays.sort(s, from, to);
        Arrays.sort(e, from, to);
        Sweep.Result r = Sweep.run(s, e, from, to, rangeStart, rangeEnd, Long.MAX_VALUE, 0);
        double fraction = range > 0 ? r.unionNanos() / range : 0;
        list.add(new InstanceStats(instanceNames.apply(id), to - from, r.unionNanos(), fraction, r.peak(),
            fraction * 100 < options.idleBelowPercent()));
      }
      instances = summary(list, offsets[1]);
    } else {
      s = Arrays.copyOf(starts, n);
      e = Arrays.copyOf(ends, n);
    }
    Arrays.sort(s);
    Arrays.sort(e);
    Sweep.Result r = Sweep.run(s, e, 0, n, rangeStart, rangeEnd, options.minIdleNanos(), options.top());
    long range = rangeEnd - rangeStart;
    double mean = range > 0 ? (double) busy / range : 0;
    return new WorkerTypeStats(name, capacity, n, c == null ? 0 : c.errors, busy, mean, r.peak(),
        capacity == null ? null : mean / capacity, capacity == null ? null : r.peak() / capacity,
        durationStats, c == null ? List.of() : c.longest.list(), r.unionNanos(), r.gapCount(),
        r.gapNanos(), r.longestGaps(), instances);
  }

  static InstanceSummary summary(List<InstanceStats> list, long withoutInstance) {
    list.sort(Comparator.comparingDouble(InstanceStats::busyFraction).reversed()
        .thenComparing(InstanceStats::instance));
    List<String> idle = list.stream().filter(InstanceStats::idle).map(InstanceStats::instance).toList();
    Double ratio = null;
    Double cv = null;
    if (!list.isEmpty()) {
      long max = list.get(0).busyNanos();
      long min = list.get(list.size() - 1).busyNanos();
      ratio = min > 0 ? (double) max / min : null;
      double sum = 0;
      for (InstanceStats i : list) {
        sum += i.busyFraction();
      }
      double mean = sum / list.size();
      double squares = 0;
      for (InstanceStats i : list) {
        squares += (i.busyFraction() - mean) * (i.busyFraction() - mean);
      }
      cv = mean > 0 ? Math.sqrt(squares / list.size()) / mean : null;
    }
    return new InstanceSummary(List.copyOf(list), withoutInstance, idle, ratio, cv);
  }
}
