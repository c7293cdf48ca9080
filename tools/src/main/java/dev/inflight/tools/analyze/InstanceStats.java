package dev.inflight.tools.analyze;

/**
 * One instance (a thread, a pod: the value of the instance attribute) of a worker type.
 *
 * @param busyNanos time with at least one of its spans of this type active (the union of their
 *     intervals)
 * @param busyFraction {@code busyNanos} / the recording's range
 * @param peak the most spans of this type active on it at one instant
 * @param idle whether its busy share is below the {@code --idle-below} threshold
 */
public record InstanceStats(String instance, long spans, long busyNanos, double busyFraction, int peak, boolean idle) {}
