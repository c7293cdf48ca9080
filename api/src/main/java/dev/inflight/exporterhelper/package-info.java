/**
 * Shared exporter behaviour, as the Collector's exporterhelper: the sending queue ({@link
 * dev.inflight.exporterhelper.QueueConfig}), retries with backoff ({@link
 * dev.inflight.exporterhelper.RetryConfig}), the per-attempt timeout, self-metrics,
 * failure mapping and lifecycle. Everything here is non-null unless documented otherwise.
 */
@NullMarked
package dev.inflight.exporterhelper;

import org.jspecify.annotations.NullMarked;
