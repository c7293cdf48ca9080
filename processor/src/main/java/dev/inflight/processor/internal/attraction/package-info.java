/**
 * Not public API: the Collector's {@code attraction} (attribute actions), shared by the {@code
 * resource}, {@code attributes} and {@code resource_detection} processors. Everything here is
 * non-null unless documented otherwise.
 */
@NullMarked
package dev.inflight.processor.internal.attraction;

import org.jspecify.annotations.NullMarked;
