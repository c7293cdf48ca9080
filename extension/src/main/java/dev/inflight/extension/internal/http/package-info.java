/**
 * Not public API: the small HTTP server the {@code health_check} and {@code query} extensions
 * share (bound through {@code confignet}, a bounded pool of named threads).
 */
@NullMarked
package dev.inflight.extension.internal.http;

import org.jspecify.annotations.NullMarked;
