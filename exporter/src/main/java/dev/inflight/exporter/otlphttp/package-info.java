/**
 * The {@code otlphttp} exporter: OTLP/HTTP with protobuf bodies over the JDK's HTTP client, as the
 * Collector's {@code otlphttp} exporter: a base URL with per-signal paths (or full per-signal
 * URLs), headers, gzip, TLS, and the shared queue and retries of {@link
 * dev.inflight.exporterhelper.ExporterHelper}. The same exporter sends to Dash0 and to
 * Prometheus' OTLP receiver. Everything here is non-null unless documented otherwise.
 */
@NullMarked
package dev.inflight.exporter.otlphttp;

import org.jspecify.annotations.NullMarked;
