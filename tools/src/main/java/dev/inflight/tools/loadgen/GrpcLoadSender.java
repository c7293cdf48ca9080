package dev.inflight.tools.loadgen;

import dev.inflight.exporter.otlp.OtlpGrpcExporter;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC over its own channel (one HTTP/2 connection), plaintext, bytes in and out unparsed (the
 * {@code otlp} exporter's method descriptor).
 */
final class GrpcLoadSender implements LoadSender {
  private final ManagedChannel channel;
  /** The channel, with {@code headers} added to every call when there are any. */
  private final Channel calls;
  private final Duration timeout;

  GrpcLoadSender(String host, int port, Duration timeout) {
    this(host, port, timeout, Map.of());
  }

  /** @param headers metadata sent with every request (lowercase keys, as gRPC wants them) */
  GrpcLoadSender(String host, int port, Duration timeout, Map<String, String> headers) {
    this.channel = NettyChannelBuilder.forAddress(host, port)
        .usePlaintext()
        .maxInboundMessageSize(4 << 20)
        .build();
    if (headers.isEmpty()) {
      this.calls = channel;
    } else {
      Metadata metadata = new Metadata();
      headers.forEach((k, v) -> metadata.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
      this.calls = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(metadata));
    }
    this.timeout = timeout;
  }

  @Override
  public Outcome send(byte[] request) {
    byte[] response;
    try {
      response = ClientCalls.blockingUnaryCall(
          calls, OtlpGrpcExporter.TRACES_EXPORT, CallOptions.DEFAULT.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS), request);
    } catch (StatusRuntimeException e) {
      return new Outcome("grpc " + e.getStatus().getCode(), 0);
    }
    return response.length == 0 ? Outcome.OK : partialSuccess(response);
  }

  private static Outcome partialSuccess(byte[] response) {
    try {
      long rejected = ExportTraceServiceResponse.parseFrom(response).getPartialSuccess().getRejectedSpans();
      return rejected == 0 ? Outcome.OK : new Outcome(null, rejected);
    } catch (IOException e) {
      return new Outcome("grpc unreadable response", 0);
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
