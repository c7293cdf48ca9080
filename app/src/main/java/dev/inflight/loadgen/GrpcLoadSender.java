package dev.inflight.loadgen;

import dev.inflight.exporter.otlp.OtlpGrpcExporter;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC over its own channel (one HTTP/2 connection), plaintext, bytes in and out unparsed (the
 * {@code otlp} exporter's method descriptor).
 */
final class GrpcLoadSender implements LoadSender {
  private final ManagedChannel channel;
  private final Duration timeout;

  GrpcLoadSender(String host, int port, Duration timeout) {
    this.channel = NettyChannelBuilder.forAddress(host, port)
        .usePlaintext()
        .maxInboundMessageSize(4 << 20)
        .build();
    this.timeout = timeout;
  }

  @Override
  public Outcome send(byte[] request) {
    byte[] response;
    try {
      response = ClientCalls.blockingUnaryCall(
          channel, OtlpGrpcExporter.TRACES_EXPORT, CallOptions.DEFAULT.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS), request);
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
