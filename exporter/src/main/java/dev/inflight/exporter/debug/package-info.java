/**
 * The {@code debug} exporter: logs a summary line per batch and, at higher verbosity, the spans,
 * data points and log records themselves, as the Collector's debug exporter does. For looking at data, not for
 * parsing: the text format may change.
 */
@NullMarked
package dev.inflight.exporter.debug;

import org.jspecify.annotations.NullMarked;
