/**
 * {@code tls} settings, as the Collector's {@code configtls}: servers' ({@link
 * dev.inflight.config.configtls.TlsServerConfig}) and clients' ({@link
 * dev.inflight.config.configtls.TlsClientConfig}), turned into Netty and JDK TLS contexts, with
 * the PEM files read by {@link dev.inflight.config.configtls.Pem}.
 */
@NullMarked
package dev.inflight.config.configtls;

import org.jspecify.annotations.NullMarked;
