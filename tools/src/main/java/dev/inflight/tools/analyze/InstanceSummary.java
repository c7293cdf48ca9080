package dev.inflight.tools.analyze;

import java.util.List;

/**
 * How a worker type's work spread over its instances.
 *
 * @param instances every instance that ran a span of the type, busiest first
 * @param spansWithoutInstance spans of the type without the instance attribute (not in {@code
 *     instances})
 * @param idleInstances names of the instances below the idle threshold
 * @param maxMinRatio the busiest instance's busy time over the least busy one's; null when the least
 *     busy was never busy (the ratio is infinite) or there are no instances
 * @param coefficientOfVariation population standard deviation of the instances' busy fractions over
 *     their mean; null without instances or when all were idle
 */
public record InstanceSummary(
    List<InstanceStats> instances,
    long spansWithoutInstance,
    List<String> idleInstances,
    Double maxMinRatio,
    Double coefficientOfVariation) {}
