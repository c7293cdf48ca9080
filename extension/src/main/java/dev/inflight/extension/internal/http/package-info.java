/**
 * Not public API: the small HTTP server the {@code health_check} and {@code query} extensions
 * share (bound through {@code confignet}, a bounded pool of named threads).
 */
package dev.inflight.extension.internal.http;
