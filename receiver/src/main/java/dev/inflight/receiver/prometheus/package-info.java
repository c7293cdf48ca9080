/**
 * The {@code prometheus} receiver: scrapes Prometheus text and OpenMetrics endpoints of
 * {@code static_configs} scrape jobs and hands the samples on as OTLP metrics, as the Collector's
 * contrib {@code prometheusreceiver} does.
 */
@NullMarked
package dev.inflight.receiver.prometheus;

import org.jspecify.annotations.NullMarked;
