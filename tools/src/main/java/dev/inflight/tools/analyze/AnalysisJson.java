package dev.inflight.tools.analyze;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The JSON document of {@code inflight analyze --json}: snake_case keys, times as ns since the
 * epoch ({@code *_unix_ns}) with their UTC form ({@code *_utc}), durations in ns and ms. The shape
 * is documented in {@code docs/analyze.md}.
 */
public final class AnalysisJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AnalysisJson() {}

  /** The document, on one line. */
  public static String render(RecordingAnalysis a) {
    return toTree(a).toString();
  }

  public static ObjectNode toTree(RecordingAnalysis a) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode files = root.putArray("files");
    a.read().files().forEach(files::add);
    root.put("records", a.read().records());
    root.put("metrics_records_skipped", a.read().metricsRecords());
    root.put("logs_records_skipped", a.read().logsRecords());
    root.put("damaged_records_skipped", a.read().damagedRecords());
    root.put("truncated_files", a.read().truncatedFiles());
    root.put("worker_types_from", a.source());
    root.put("spans", a.spans());
    root.put("spans_unmatched", a.unmatched());
    root.put("spans_invalid", a.invalid());
    ObjectNode range = root.putObject("range");
    time(range, "start", a.rangeStart());
    time(range, "end", a.rangeEnd());
    duration(range, "duration", a.rangeNanos());
    range.put("definition", "earliest start to latest end of all spans read");
    root.put("instance_attribute", a.instanceAttribute());
    duration(root, "min_idle", a.minIdleNanos());
    root.put("idle_below_percent", a.idleBelowPercent());
    root.put("percentile_definition", "nearest rank: the ceil(p/100*n)-th smallest duration");
    ArrayNode types = root.putArray("worker_types");
    for (WorkerTypeStats t : a.workerTypes()) {
      types.add(workerType(t, a.rangeNanos()));
    }
    return root;
  }

  private static ObjectNode workerType(WorkerTypeStats t, long range) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("name", t.name());
    o.put("capacity", t.capacity());
    o.put("spans", t.spans());
    o.put("errors", t.errors());
    duration(o, "busy_time", t.busyNanos());
    o.put("mean_concurrency", t.meanConcurrency());
    o.put("peak_concurrency", t.peak());
    o.put("utilization_mean", t.utilizationMean());
    o.put("utilization_peak", t.utilizationPeak());
    ObjectNode d = o.putObject("duration");
    duration(d, "p50", t.durations().p50());
    duration(d, "p90", t.durations().p90());
    duration(d, "p99", t.durations().p99());
    duration(d, "max", t.durations().max());
    ArrayNode longest = o.putArray("longest_spans");
    for (LongSpan s : t.longest()) {
      ObjectNode l = longest.addObject();
      l.put("trace_id", s.traceId());
      l.put("span_id", s.spanId());
      l.put("name", s.name());
      time(l, "start", s.start());
      duration(l, "duration", s.durationNanos());
    }
    ObjectNode idle = o.putObject("idle");
    duration(idle, "busy_union", t.unionNanos());
    duration(idle, "idle", range - t.unionNanos());
    idle.put("gaps", t.idleGapCount());
    duration(idle, "gap_time", t.idleGapNanos());
    idle.put("gap_percent", range > 0 ? 100.0 * t.idleGapNanos() / range : 0);
    ArrayNode gaps = idle.putArray("longest_gaps");
    for (IdleGap g : t.longestIdleGaps()) {
      ObjectNode j = gaps.addObject();
      time(j, "start", g.start());
      time(j, "end", g.end());
      duration(j, "duration", g.durationNanos());
    }
    if (t.instances() == null) {
      o.putNull("instances");
    } else {
      InstanceSummary s = t.instances();
      ObjectNode i = o.putObject("instances");
      i.put("count", s.instances().size());
      i.put("spans_without_instance", s.spansWithoutInstance());
      i.put("max_min_busy_ratio", s.maxMinRatio());
      i.put("busy_coefficient_of_variation", s.coefficientOfVariation());
      ArrayNode idleNames = i.putArray("idle");
      s.idleInstances().forEach(idleNames::add);
      ArrayNode list = i.putArray("list");
      for (InstanceStats x : s.instances()) {
        ObjectNode j = list.addObject();
        j.put("instance", x.instance());
        j.put("spans", x.spans());
        duration(j, "busy", x.busyNanos());
        j.put("busy_percent", 100 * x.busyFraction());
        j.put("peak_concurrency", x.peak());
        j.put("idle", x.idle());
      }
    }
    return o;
  }

  private static void time(ObjectNode o, String key, long unixNanos) {
    o.put(key + "_unix_ns", unixNanos);
    o.put(key + "_utc", utc(unixNanos));
  }

  private static void duration(ObjectNode o, String key, long nanos) {
    o.put(key + "_ns", nanos);
    o.put(key + "_ms", nanos / 1e6);
  }

  /** ISO-8601 in UTC with nanoseconds as needed, e.g. {@code 2023-11-14T22:13:20.123456789Z}. */
  static String utc(long unixNanos) {
    return Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L), Math.floorMod(unixNanos, 1_000_000_000L))
        .toString();
  }
}
