package dev.inflight.tools.analyze;

import java.util.List;

/**
 * What a recording says about one worker type. Every number is exact.
 *
 * @param capacity the configured pool size, or null
 * @param spans spans of the type (valid times)
 * @param errors of them, with status code ERROR
 * @param busyNanos the sum of their durations (span time)
 * @param meanConcurrency {@code busyNanos} / the recording's range: the mean number active
 * @param peak the highest number active at one instant
 * @param utilizationMean {@code meanConcurrency / capacity}, null without capacity
 * @param utilizationPeak {@code peak / capacity}, null without capacity
 * @param durations duration percentiles (nearest rank) and maximum
 * @param longest the longest spans, longest first
 * @param unionNanos time with at least one span of the type active
 * @param idleGapCount periods inside the range with none active, longer than the minimum
 * @param idleGapNanos their total length
 * @param longestIdleGaps the longest of them, longest first
 * @param instances the spread over instances, or null when no instance attribute was given
 */
public record WorkerTypeStats(
    String name,
    Double capacity,
    long spans,
    long errors,
    long busyNanos,
    double meanConcurrency,
    int peak,
    Double utilizationMean,
    Double utilizationPeak,
    DurationStats durations,
    List<LongSpan> longest,
    long unionNanos,
    long idleGapCount,
    long idleGapNanos,
    List<IdleGap> longestIdleGaps,
    InstanceSummary instances) {}
