/**
 * OpenTelemetry → Prometheus translation (names, units, labels, target_info), shared by the {@code
 * prometheus} and {@code prometheusremotewrite} exporters as the Collector shares {@code
 * pkg/translator/prometheus}.
 */
@NullMarked
package dev.inflight.translator.prometheus;

import org.jspecify.annotations.NullMarked;
