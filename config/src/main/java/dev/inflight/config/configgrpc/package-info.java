/**
 * gRPC transport of the shared settings, as the Collector's {@code configgrpc}: TLS contexts for
 * gRPC servers and clients, the bearer-token interceptor. Everything here is non-null unless
 * documented otherwise.
 */
@NullMarked
package dev.inflight.config.configgrpc;

import org.jspecify.annotations.NullMarked;
