package dev.inflight.tools.loadgen;

import dev.inflight.exporter.otlp.OtlpGrpcExporter;
import dev.inflight.pdata.Traces;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/gRPC trace endpoint that takes every request, counts its spans and throws it away: the
 * backend a benchmark forwards to, costing as little as a gRPC server can.
 */
public final class DiscardingSink implements AutoCloseable {
  private static final byte[] EMPTY = new byte[0];

  private final Server server;
  private final AtomicLong spans = new AtomicLong();

  public DiscardingSink(String host) throws IOException {
    MethodDescriptor<byte[], byte[]> export = OtlpGrpcExporter.TRACES_EXPORT;
    ServerServiceDefinition service = ServerServiceDefinition.builder("opentelemetry.proto.collector.trace.v1.TraceService")
        .addMethod(export, ServerCalls.asyncUnaryCall((request, response) -> {
          spans.addAndGet(Traces.ofEncoded(request).spanCount());
          response.onNext(EMPTY);
          response.onCompleted();
        }))
        .build();
    server = NettyServerBuilder.forAddress(new InetSocketAddress(host, 0))
        .addService(service)
        .maxInboundMessageSize(64 << 20)
        .build()
        .start();
  }

  public int port() {
    return server.getPort();
  }

  public long spans() {
    return spans.get();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
