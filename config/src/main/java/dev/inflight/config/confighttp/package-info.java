/**
 * HTTP settings, as the Collector's {@code confighttp}: a server's {@code cors}, and the client the
 * HTTP exporters post with ({@link dev.inflight.config.confighttp.HttpPost}) with the checks of its
 * URLs and headers. Everything here is non-null unless documented otherwise.
 */
@NullMarked
package dev.inflight.config.confighttp;

import org.jspecify.annotations.NullMarked;
