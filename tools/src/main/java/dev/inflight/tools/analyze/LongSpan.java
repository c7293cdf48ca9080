package dev.inflight.tools.analyze;

/** One of the longest spans of a worker type, with what finds it in a trace backend. */
public record LongSpan(String traceId, String spanId, String name, long start, long durationNanos) {}
