/**
 * Network endpoints of servers, as the Collector's {@code confignet}: resolving a {@code host:port}
 * and binding it, with one error for both. Everything here is non-null unless documented otherwise.
 */
@NullMarked
package dev.inflight.config.confignet;

import org.jspecify.annotations.NullMarked;
