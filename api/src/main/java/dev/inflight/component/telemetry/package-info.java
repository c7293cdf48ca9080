/** inflight's own metrics (Collector names, Prometheus format on :8888). */
@NullMarked
package dev.inflight.component.telemetry;

import org.jspecify.annotations.NullMarked;
