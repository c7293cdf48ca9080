package dev.inflight.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/workers}: the fields {@code inflight top} shows. Fields marked required must be
 * present and not null; the others are null when the server says so (no concurrency connector, a
 * worker type without capacity, a minute without ended spans, a platform without RSS) or leaves
 * them out. Counts are numbers, not integers: the connector weighs sampled spans.
 */
record WorkersSnapshot(
    @JsonProperty(value = "time_unix_ms", required = true) double timeUnixMs,
    @JsonProperty(value = "uptime_s", required = true) double uptimeS,
    @JsonProperty(value = "allowed_lateness_ms") Double allowedLatenessMs,
    @JsonProperty(value = "process", required = true) Process process,
    @JsonProperty(value = "spans", required = true) Spans spans,
    @JsonProperty(value = "worker_types", required = true) List<Group> workerTypes) {

  record Process(
      @JsonProperty(value = "cpu_percent", required = true) double cpuPercent,
      @JsonProperty(value = "memory_rss_mb") Double memoryRssMb,
      @JsonProperty(value = "threads", required = true) long threads) {}

  record Spans(
      @JsonProperty(value = "accepted", required = true) long accepted,
      @JsonProperty(value = "refused", required = true) long refused) {}

  /**
   * One worker type with one set of dimension values, over the last closed window.
   *
   * @param key {@code account_workers{service.name=checkout}}, the series key of
   *     {@code /api/v1/history}; made from the type and dimensions when the server leaves it out
   * @param overflow the group that counts the spans of groups beyond the connector's {@code max_groups}
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
      @JsonProperty(value = "window_end_unix_ms", required = true) double windowEndUnixMs) {
    Group {
      dimensions = dimensions == null ? Map.of() : dimensions;
      overflow = Boolean.TRUE.equals(overflow);
      if (key == null) {
        key = overflow ? workerType + "{overflow}"
            : dimensions.isEmpty() ? workerType : workerType + "{" + dimensionList(dimensions) + "}";
      }
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
