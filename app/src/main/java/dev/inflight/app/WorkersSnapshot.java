package dev.inflight.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/workers}: the fields {@code inflight top} shows. Fields marked required must be
 * present and not null; the others are null when the server says so (no concurrency connector, a
 * worker type without capacity, a minute without ended spans, a platform without RSS) or leaves
 * them out. Counts are numbers, not integers: the connector weighs sampled spans.
 *
 * <p>With {@code ?provisional=true} (docs/components/query.md, "Provisional windows") the server
 * also sends its open windows: {@code provisional} is then true, {@code final_until_unix_ms} says up
 * to where windows are final (null before any closed) and {@code provisional_until_unix_ms} where
 * the newest open window ends (null when none is open). A server that predates them leaves them out:
 * every row is then final and has no provisional windows.
 */
record WorkersSnapshot(
    @JsonProperty(value = "time_unix_ms", required = true) double timeUnixMs,
    @JsonProperty(value = "uptime_s", required = true) double uptimeS,
    @JsonProperty(value = "allowed_lateness_ms") Double allowedLatenessMs,
    @JsonProperty(value = "provisional") Boolean provisional,
    @JsonProperty(value = "final_until_unix_ms") Double finalUntilUnixMs,
    @JsonProperty(value = "provisional_until_unix_ms") Double provisionalUntilUnixMs,
    @JsonProperty(value = "process", required = true) Process process,
    @JsonProperty(value = "spans", required = true) Spans spans,
    @JsonProperty(value = "worker_types", required = true) List<Group> workerTypes) {

  WorkersSnapshot {
    provisional = Boolean.TRUE.equals(provisional);
  }

  record Process(
      @JsonProperty(value = "cpu_percent", required = true) double cpuPercent,
      @JsonProperty(value = "memory_rss_mb") Double memoryRssMb,
      @JsonProperty(value = "threads", required = true) long threads) {}

  record Spans(
      @JsonProperty(value = "accepted", required = true) long accepted,
      @JsonProperty(value = "refused", required = true) long refused) {}

  /**
   * One open window of a group: what its spans received so far say, lower bounds of the final
   * numbers. Totals are cumulative, as in the row.
   */
  record Window(
      @JsonProperty(value = "window_start_unix_ms") Double windowStartUnixMs,
      @JsonProperty(value = "window_end_unix_ms", required = true) double windowEndUnixMs,
      @JsonProperty(value = "active", required = true) double active,
      @JsonProperty(value = "peak", required = true) double peak,
      @JsonProperty(value = "utilization") Double utilization,
      @JsonProperty(value = "spans_total", required = true) double spansTotal,
      @JsonProperty(value = "spans_failed", required = true) double spansFailed,
      @JsonProperty(value = "late_spans", required = true) double lateSpans) {}

  /**
   * One worker type with one set of dimension values, over the last closed window; a group that
   * has no closed window yet ({@code final} false) has its newest open window's numbers instead.
   *
   * @param key {@code account_workers{service.name=checkout}}, the series key of
   *     {@code /api/v1/history}; made from the type and dimensions when the server leaves it out
   * @param overflow the group that counts the spans of groups beyond the connector's {@code max_groups}
   * @param isFinal whether the numbers are a closed window's; true when the server leaves it out
   * @param provisionalWindows the open windows after the last closed one, oldest first; empty when
   *     the server sends none
   */
  record Group(
      @JsonProperty(value = "key") String key,
      @JsonProperty(value = "worker_type", required = true) String workerType,
      @JsonProperty(value = "dimensions") Map<String, String> dimensions,
      @JsonProperty(value = "overflow") Boolean overflow,
      @JsonProperty(value = "capacity") Double capacity,
      @JsonProperty(value = "active", required = true) double active,
      @JsonProperty(value = "peak", required = true) double peak,
      @JsonProperty(value = "utilization") Double utilization,
      @JsonProperty(value = "spans_total", required = true) double spansTotal,
      @JsonProperty(value = "spans_failed", required = true) double spansFailed,
      @JsonProperty(value = "late_spans", required = true) double lateSpans,
      @JsonProperty(value = "p50_ms") Double p50Ms,
      @JsonProperty(value = "p99_ms") Double p99Ms,
      @JsonProperty(value = "window_end_unix_ms", required = true) double windowEndUnixMs,
      @JsonProperty(value = "final") Boolean isFinal,
      @JsonProperty(value = "provisional_windows") List<Window> provisionalWindows) {
    Group {
      dimensions = dimensions == null ? Map.of() : dimensions;
      isFinal = !Boolean.FALSE.equals(isFinal);
      provisionalWindows = provisionalWindows == null ? List.of() : List.copyOf(provisionalWindows);
      overflow = Boolean.TRUE.equals(overflow);
      if (key == null) {
        key = overflow ? workerType + "{overflow}"
            : dimensions.isEmpty() ? workerType : workerType + "{" + dimensionList(dimensions) + "}";
      }
    }

    /** Whether the row's numbers are a closed window's. */
    boolean closed() {
      return isFinal;
    }

    /** {@code service.name=checkout,region=eu} in the server's order; {@code (overflow)}; {@code -} for none. */
    String dimensionsText() {
      return overflow ? "(overflow)" : dimensions.isEmpty() ? "-" : dimensionList(dimensions);
    }

    private static String dimensionList(Map<String, String> dimensions) {
      StringBuilder out = new StringBuilder();
      dimensions.forEach((k, v) -> out.append(out.length() == 0 ? "" : ",").append(k).append('=').append(v));
      return out.toString();
    }
  }
}
