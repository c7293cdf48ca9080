package dev.inflight.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /trace/{traceId}?bucket_ms=N}: active workers per bucket of one trace, per worker type
 * (seed 000's shape). The fields {@code inflight trace} shows; required ones must be present.
 *
 * @param bucketMs null from a server answering in the seed's shape, which has none: then the one asked for
 * @param source {@code store} or {@code tempo}; null when the server does not say
 * @param workerTypes in the server's order
 */
record TraceDocument(
    @JsonProperty(value = "trace_id", required = true) String traceId,
    @JsonProperty(value = "duration_ms", required = true) double durationMs,
    @JsonProperty(value = "bucket_ms") Integer bucketMs,
    @JsonProperty(value = "source") String source,
    @JsonProperty(value = "worker_types", required = true) Map<String, WorkerType> workerTypes) {

  record WorkerType(
      @JsonProperty(value = "span_count", required = true) long spanCount,
      @JsonProperty(value = "max_concurrent", required = true) long maxConcurrent,
      @JsonProperty(value = "utilization_pct") Double utilizationPct,
      @JsonProperty(value = "series", required = true) List<Point> series) {}

  /** {@code active}: the peak within {@code [time_ms, time_ms + bucket_ms)}, relative to the trace start. */
  record Point(
      @JsonProperty(value = "time_ms", required = true) double timeMs,
      @JsonProperty(value = "active", required = true) long active) {}
}
