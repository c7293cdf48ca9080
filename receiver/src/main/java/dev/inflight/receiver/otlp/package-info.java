/**
 * The {@code otlp} receiver: OTLP/gRPC and OTLP/HTTP (protobuf or JSON) in, traces, metrics and
 * logs out, kept encoded. Requests are checked with a streaming walk (so bad input gets 400 /
 * INVALID_ARGUMENT and counts stay exact) and handed on as the bytes that arrived. Its {@code tls},
 * {@code auth}, {@code cors} and content encodings are the shared settings of {@code
 * dev.inflight.config}. Only {@link
 * dev.inflight.receiver.otlp.OtlpReceiverFactory} and {@link
 * dev.inflight.receiver.otlp.OtlpReceiverConfig} are API; everything else here is package-private.
 * Everything is non-null unless documented otherwise.
 */
@NullMarked
package dev.inflight.receiver.otlp;

import org.jspecify.annotations.NullMarked;
