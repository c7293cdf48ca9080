/** inflight's own metrics (Collector names, Prometheus format on :8888). */
package dev.inflight.component.telemetry;
