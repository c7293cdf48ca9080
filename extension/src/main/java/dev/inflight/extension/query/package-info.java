/**
 * The {@code query} extension on :5050: per-trace concurrency ({@code /trace/{id}}), the live
 * worker view ({@code /api/v1/workers}), a Grafana JSON datasource and the web page, read from
 * what the concurrency connectors publish through the host and from their recent-trace stores, or
 * from Tempo.
 */
@NullMarked
package dev.inflight.extension.query;

import org.jspecify.annotations.NullMarked;
