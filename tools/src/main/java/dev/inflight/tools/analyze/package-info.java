/**
 * Offline analysis of recordings written by the {@code file} exporter, for {@code inflight analyze}
 * and {@code inflight convert}: a streaming span decoder, a memory-lean columnar store of worker
 * spans, and the exact statistics (peak and mean concurrency, busy time, idle gaps, duration
 * percentiles, per-instance busy share and imbalance) with their text and JSON renderings.
 *
 * <p>Every number is exact (a sweep over all the spans of a worker type, sorted), not windowed as
 * in the concurrency connector; the definitions are in {@code docs/analyze.md}.
 */
@NullMarked
package dev.inflight.tools.analyze;

import org.jspecify.annotations.NullMarked;
