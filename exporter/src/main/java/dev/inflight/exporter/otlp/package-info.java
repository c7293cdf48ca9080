/**
 * The {@code otlp} exporter: OTLP over gRPC (grpc-java on Netty), as the Collector's {@code otlp}
 * exporter: {@code host:port} endpoints, headers as metadata, gzip, TLS, and the shared queue and
 * retries of {@link dev.inflight.exporterhelper.ExporterHelper}. Also the client settings
 * both OTLP exporters share: {@link dev.inflight.exporter.otlp.TlsClientConfig}, {@link
 * dev.inflight.exporter.otlp.Compression}. Everything here is non-null unless documented otherwise.
 */
package dev.inflight.exporter.otlp;
