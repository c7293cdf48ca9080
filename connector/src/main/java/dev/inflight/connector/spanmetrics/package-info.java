/**
 * The {@code spanmetrics} connector (also {@code span_metrics}): request, error and duration
 * metrics from spans, with the contrib spanmetricsconnector's config keys and output names, so
 * dashboards built on the Collector's keep working. Spans are read from the encoded request.
 */
@NullMarked
package dev.inflight.connector.spanmetrics;

import org.jspecify.annotations.NullMarked;
