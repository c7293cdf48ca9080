/**
 * Not public API: rewriting the resources of encoded OTLP requests, shared by the {@code resource}
 * and {@code resource_detection} processors. Everything here is non-null unless documented
 * otherwise.
 */
@NullMarked
package dev.inflight.processor.internal.resource;

import org.jspecify.annotations.NullMarked;
