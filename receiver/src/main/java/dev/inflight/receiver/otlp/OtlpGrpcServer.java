package dev.inflight.receiver.otlp;

import dev.inflight.component.auth.ServerAuthenticator;
import dev.inflight.config.configgrpc.ServerAuthInterceptor;
import dev.inflight.config.configgrpc.GrpcTls;
import dev.inflight.config.confignet.ListenEndpoint;
import dev.inflight.otlp.wire.InvalidRequestException;

import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.telemetry.ListenException;
import dev.inflight.component.telemetry.ReceiverMetrics;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * OTLP/gRPC: {@code opentelemetry.proto.collector.trace.v1.TraceService/Export}, {@code
 * opentelemetry.proto.collector.metrics.v1.MetricsService/Export} and {@code
 * opentelemetry.proto.collector.logs.v1.LogsService/Export}, on grpc-java over Netty. Requests
 * are taken as the bytes that arrived (a byte-array marshaller: nothing is parsed twice), checked,
 * and handed on; the answer is the empty {@code Export*ServiceResponse}. gzip is accepted (grpc's
 * default decompressors); {@code max_recv_msg_size_mib} bounds the request after decompression
 * (grpc answers RESOURCE_EXHAUSTED past it). Only the services of signals that have a pipeline are
 * registered; the others answer UNIMPLEMENTED, as in the Collector. With {@code tls} the server
 * speaks HTTP/2 over TLS only (mutual TLS with {@code client_ca_file}); with {@code auth} every call
 * without the bearer token is closed with UNAUTHENTICATED before its message is read.
 */
final class OtlpGrpcServer extends OtlpServer<OtlpReceiverConfig.Grpc> {
  static final String TRACE_SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";
  static final String METRICS_SERVICE = "opentelemetry.proto.collector.metrics.v1.MetricsService";
  static final String LOGS_SERVICE = "opentelemetry.proto.collector.logs.v1.LogsService";

  /** The encoded empty {@code Export*ServiceResponse}: the same zero bytes for every signal. */
  private static final byte[] EMPTY_RESPONSE = new byte[0];

  /**
   * What {@link #BYTES} returns for a message that grew past {@code max_recv_msg_size_mib} while
   * being decompressed (grpc-java reports that from inside the read, where an exception would
   * reach the client as UNKNOWN): compared by identity, answered with RESOURCE_EXHAUSTED.
   */
  private static final byte[] TOO_LARGE = new byte[0];

  /** Bytes in, bytes out: the receiver hands on what it got. */
  static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            if (stream instanceof KnownLength) {
              // grpc knows the (decompressed) size: one exact array, one copy.
              byte[] bytes = stream.readNBytes(stream.available());
              int more = stream.read();
              if (more < 0) {
                return bytes;
              }
              ByteArrayOutputStream all = new ByteArrayOutputStream(bytes.length * 2);
              all.write(bytes);
              all.write(more);
              stream.transferTo(all);
              return all.toByteArray();
            }
            return stream.readAllBytes();
          } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.RESOURCE_EXHAUSTED) {
              return TOO_LARGE;
            }
            throw e;
          } catch (IOException e) {
            throw Status.INTERNAL.withDescription("cannot read request: " + e.getMessage()).withCause(e).asRuntimeException();
          }
        }
      };

  private Server server;

  /** {@code auth}: null when off. */
  private final @Nullable ServerAuthenticator authenticator;

  OtlpGrpcServer(Shared shared, OtlpReceiverConfig.Grpc config, ReceiverMetrics counts,
      @Nullable ServerAuthenticator authenticator) {
    super("grpc", shared, config, counts);
    this.authenticator = authenticator;
  }

  /** Binds and serves. @throws ListenException {@code otlp receiver (grpc) cannot listen on ...} */
  void start() throws ListenException {
    InetSocketAddress address = ListenEndpoint.resolve(who, config.endpoint());
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(address)
            .channelType(NioServerSocketChannel.class)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .executor(executor)
            .maxInboundMessageSize(config.maxRecvMsgSizeBytes());
    if (config.tls() != null) {
      // Reads and checks the PEM files now: a missing file fails the start, naming it.
      builder.sslContext(GrpcTls.server(config.tls(), "receivers." + componentId + ".protocols.grpc.tls"));
    }
    if (authenticator != null) {
      builder.intercept(new ServerAuthInterceptor(authenticator, log, who, () -> counts.refusedRequest(UNAUTHENTICATED)));
    }
    for (Signal signal : Signal.values()) {
      if (receiver.serves(signal)) {
        builder.addService(service(serviceName(signal), signal));
      }
    }
    Server s = builder.build();
    server = ListenEndpoint.bind(who, config.endpoint(), () -> {
      try {
        return s.start();
      } catch (IOException | RuntimeException e) {
        s.shutdownNow();
        throw e;
      }
    });
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().get(0);
  }

  /** The OTLP collector service of a signal. */
  static String serviceName(Signal signal) {
    return switch (signal) {
      case TRACES -> TRACE_SERVICE;
      case METRICS -> METRICS_SERVICE;
      case LOGS -> LOGS_SERVICE;
    };
  }

  private ServerServiceDefinition service(String service, Signal signal) {
    MethodDescriptor<byte[], byte[]> export =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "Export"))
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
    return ServerServiceDefinition.builder(service)
        .addMethod(export, ServerCalls.asyncUnaryCall((request, response) -> export(signal, request, response)))
        .build();
  }

  private void export(Signal signal, byte[] request, StreamObserver<byte[]> response) {
    if (request == TOO_LARGE) {
      response.onError(Status.RESOURCE_EXHAUSTED.withDescription("decompressed request is larger than"
          + " max_recv_msg_size_mib (" + config.maxRecvMsgSizeMib() + " MiB)").asRuntimeException());
      return;
    }
    try {
      receiver.consume(signal, request, counts, "grpc");
    } catch (InvalidRequestException e) {
      log.debug("bad {} request over grpc: {}", signal, e.getMessage());
      response.onError(OtlpErrors.grpc(e));
      return;
    } catch (Refusal r) {
      response.onError(OtlpErrors.grpc(r));
      return;
    } catch (RuntimeException e) {
      response.onError(OtlpErrors.grpcInternal(e));
      return;
    }
    response.onNext(EMPTY_RESPONSE);
    response.onCompleted();
  }

  /** No new connections or calls; calls in flight go on. */
  void stopAccepting() {
    if (server != null) {
      server.shutdown();
    }
  }

  /** Waits for calls in flight; cancels what is left after {@code nanos}. */
  void awaitTermination(long nanos) {
    if (server == null) {
      return;
    }
    try {
      if (!server.awaitTermination(nanos, TimeUnit.NANOSECONDS)) {
        log.warn("{}: calls still in flight at shutdown; cancelling them", who);
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  void forceStopIfRunning() {
    if (server != null && !server.isTerminated()) {
      server.shutdownNow();
    }
  }
}
