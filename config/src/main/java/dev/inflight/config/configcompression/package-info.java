/**
 * Compression, as the Collector's {@code configcompression}: what a client compresses with
 * ({@link dev.inflight.config.configcompression.Compression}) and what an HTTP server decodes
 * ({@link dev.inflight.config.configcompression.ContentEncoding}). Everything here is non-null
 * unless documented otherwise.
 */
@NullMarked
package dev.inflight.config.configcompression;

import org.jspecify.annotations.NullMarked;
