/**
 * The component model: factories, components, consumers and refusals, in the shape of the
 * OpenTelemetry Collector's. Everything here is non-null unless documented otherwise.
 */
@NullMarked
package dev.inflight.component;

import org.jspecify.annotations.NullMarked;
