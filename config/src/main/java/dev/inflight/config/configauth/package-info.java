/**
 * {@code auth} settings of servers ({@link dev.inflight.config.configauth.AuthConfig}) and clients
 * ({@link dev.inflight.config.configauth.ClientAuthConfig}) and the bearer-token check, as the
 * Collector's {@code configauth}. Everything here is non-null unless documented otherwise.
 */
@NullMarked
package dev.inflight.config.configauth;

import org.jspecify.annotations.NullMarked;
