/**
 * The {@code otlp} exporter: OTLP over gRPC (grpc-java on Netty), as the Collector's {@code otlp}
 * exporter: {@code host:port} endpoints, headers as metadata, gzip, TLS, and the shared queue and
 * retries of {@link dev.inflight.exporterhelper.ExporterHelper}; its {@code tls} and {@code
 * compression} are the shared {@link dev.inflight.config.configtls.TlsClientConfig} and {@link
 * dev.inflight.config.configcompression.Compression}. Everything here is non-null unless documented
 * otherwise.
 */
@NullMarked
package dev.inflight.exporter.otlp;

import org.jspecify.annotations.NullMarked;
