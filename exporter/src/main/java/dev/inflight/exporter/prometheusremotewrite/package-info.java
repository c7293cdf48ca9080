/**
 * The {@code prometheusremotewrite} exporter: metrics pushed to Prometheus (≥ 2.33 with {@code
 * --web.enable-remote-write-receiver}) or any remote-write receiver with remote write 1.0
 * (protobuf {@code WriteRequest}, Snappy), as the Collector's exporter of the same name, with the
 * queue and retries of {@link dev.inflight.exporterhelper.ExporterHelper}. Samples keep
 * their points' own time, and samples Prometheus would refuse as out of order are filtered out
 * before they can fail a request. Everything here is non-null unless documented otherwise.
 */
@NullMarked
package dev.inflight.exporter.prometheusremotewrite;

import org.jspecify.annotations.NullMarked;
