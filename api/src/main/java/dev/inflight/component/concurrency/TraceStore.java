package dev.inflight.component.concurrency;

import java.util.List;
import java.util.Optional;

/**
 * A connector's recent traces' worker spans, read-only: what {@code GET /trace/{id}} answers from.
 * Readers get copies; the connector fills it.
 */
public interface TraceStore {
  /** One worker span of a trace; {@code name} is null when the name table was full. */
  record StoredSpan(
      long spanId, long parentSpanId, String name, String workerType, long startNanos, long endNanos, int status) {}

  /** A copy of one trace: its extent in ns since the epoch and its worker spans, by start time. */
  record TraceSnapshot(long traceIdHigh, long traceIdLow, long startNanos, long endNanos, List<StoredSpan> spans) {}

  /** Copies of the spans in a time range, by trace; {@code truncated} when the limit cut them. */
  record SpansInRange(List<TraceSnapshot> traces, boolean truncated) {}

  /** What the store holds and has let go. */
  record Stats(
      long traces, long spans, long bytes, long maxBytes, long maxAgeNanos,
      long evictedForBytes, long evictedForAge, long droppedSpans) {}

  Optional<TraceSnapshot> get(long traceIdHigh, long traceIdLow);

  /** The newest traces first, at most {@code limit}. */
  List<TraceSnapshot> newest(int limit);

  /** Spans overlapping {@code [fromNanos, toNanos)}, at most {@code maxSpans}. */
  SpansInRange overlapping(long fromNanos, long toNanos, int maxSpans);

  Stats stats();

  /** Drops traces older than the max age now (the store otherwise does so as spans arrive). */
  void expire();
}
