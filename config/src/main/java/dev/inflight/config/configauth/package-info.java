/**
 * {@code auth} settings of servers and the bearer-token check, as the Collector's {@code
 * configauth}. Everything here is non-null unless documented otherwise.
 */
@NullMarked
package dev.inflight.config.configauth;

import org.jspecify.annotations.NullMarked;
