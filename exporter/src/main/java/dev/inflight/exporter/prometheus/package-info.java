/**
 * The {@code prometheus} exporter: the latest value of every series on a scrape endpoint ({@code
 * :8889/metrics}), in the Prometheus text format or OpenMetrics as the scraper asks.
 */
@NullMarked
package dev.inflight.exporter.prometheus;

import org.jspecify.annotations.NullMarked;
