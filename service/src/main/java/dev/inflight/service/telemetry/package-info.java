/**
 * The service's own telemetry: the OpenTelemetry SDK meter provider every component's {@code
 * ComponentTelemetry} comes from, served for Prometheus on {@code service.telemetry.metrics}, and
 * the process metrics ({@code otelcol_process_*}).
 */
@NullMarked
package dev.inflight.service.telemetry;

import org.jspecify.annotations.NullMarked;
