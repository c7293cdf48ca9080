/**
 * Not public API: the pipeline graph behind {@link dev.inflight.service.Service}, as the
 * Collector's {@code service/internal/graph}. It checks a config's pipelines (cycles, signals,
 * unused or missing components), builds one node per component and signal in reverse topological
 * order, puts a fan-out before every set of successors, and names each node's consumer so that a
 * stack trace reads as the pipeline does.
 */
@NullMarked
package dev.inflight.service.internal.graph;

import org.jspecify.annotations.NullMarked;
