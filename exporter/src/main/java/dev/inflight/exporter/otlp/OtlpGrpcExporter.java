package dev.inflight.exporter.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import dev.inflight.component.Component;
import dev.inflight.component.Host;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.auth.ClientAuthenticator;
import dev.inflight.component.SignalType;
import dev.inflight.config.configgrpc.ClientAuthInterceptor;
import dev.inflight.config.configgrpc.GrpcTls;
import dev.inflight.otlp.wire.MalformedWireException;
import dev.inflight.otlp.wire.PartialSuccess;
import dev.inflight.pdata.SignalData;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Sends OTLP over gRPC with grpc-java: the encoded request bytes as they came (a byte-array
 * marshaller, no parsing) on {@code TraceService/Export}, {@code MetricsService/Export} or {@code
 * LogsService/Export}, the configured headers as metadata, a deadline per call. The response is
 * read for its {@code partial_success} without parsing it either. Maps the status as the
 * Collector does: {@code UNAVAILABLE}, {@code CANCELLED}, {@code DEADLINE_EXCEEDED}, {@code
 * ABORTED}, {@code OUT_OF_RANGE}, {@code DATA_LOSS}, and {@code RESOURCE_EXHAUSTED} with {@code
 * RetryInfo} are retryable (after the {@code RetryInfo} delay when given); everything else is
 * permanent, whatever the signal. One
 * instance per signal, each with its own channel.
 */
public final class OtlpGrpcExporter implements Component {
  static final String TRACE_SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";
  static final String METRICS_SERVICE = "opentelemetry.proto.collector.metrics.v1.MetricsService";
  static final String LOGS_SERVICE = "opentelemetry.proto.collector.logs.v1.LogsService";

  /** Encoded bytes in and out: the request is sent as it is, the response read as bytes. */
  static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new BytesStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw Status.INTERNAL.withDescription("cannot read the response").withCause(e).asRuntimeException();
          }
        }
      };

  /**
   * {@code TraceService/Export} with encoded requests and responses as bytes: for anything else that
   * speaks OTLP/gRPC without parsing (the load generator, the benchmark's sink).
   */
  public static final MethodDescriptor<byte[], byte[]> TRACES_EXPORT = export(TRACE_SERVICE);
  static final MethodDescriptor<byte[], byte[]> METRICS_EXPORT = export(METRICS_SERVICE);
  static final MethodDescriptor<byte[], byte[]> LOGS_EXPORT = export(LOGS_SERVICE);

  /** The {@code Export} method of {@code signal}'s OTLP service. */
  public static MethodDescriptor<byte[], byte[]> exportMethod(Signal signal) {
    return switch (signal) {
      case TRACES -> TRACES_EXPORT;
      case METRICS -> METRICS_EXPORT;
      case LOGS -> LOGS_EXPORT;
    };
  }

  private static MethodDescriptor<byte[], byte[]> export(String service) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "Export"))
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }

  private final Logger log;
  private final OtlpExporterConfig config;
  private final GrpcEndpoint endpoint;
  private final MethodDescriptor<byte[], byte[]> method;
  private final String items;
  private volatile ManagedChannel channel;
  private volatile Channel withHeaders;

  /** An exporter of {@code signal}'s requests. */
  public OtlpGrpcExporter(Logger log, OtlpExporterConfig config, Signal signal) {
    this.log = log;
    this.config = config;
    this.endpoint = config.grpcEndpoint();
    this.method = exportMethod(signal);
    this.items = SignalType.of(signal).items();
  }

  /** Opens the channel (it connects on the first call). TLS files are read here. */
  @Override
  public void start(Host host) {
    String unavailable = config.compression().unavailable();
    if (unavailable != null) {
      throw new IllegalArgumentException(unavailable);
    }
    // Resolved before the channel exists, so a missing extension leaks nothing.
    ClientAuthenticator auth = config.auth() == null ? null : config.auth().client(host, "auth");
    if (auth != null && !endpoint.tls()) {
      // The Collector refuses per-RPC credentials without TLS; sending them is allowed here (a
      // sidecar on localhost), but said once.
      log.warn("auth credentials go to {} in clear text: the endpoint has no TLS", endpoint.authority());
    }
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port())
            .userAgent("inflight")
            .disableRetry() // the exporter helper retries, with the configured backoff
            .compressorRegistry(compressors());
    if (endpoint.tls()) {
      builder.sslContext(GrpcTls.client(config.tls()));
      if (!config.tls().serverNameOverride().isEmpty()) {
        // grpc-java checks the certificate against the authority, sends it as SNI and :authority.
        builder.overrideAuthority(config.tls().serverNameOverride());
      }
    } else {
      builder.usePlaintext();
    }
    ManagedChannel c = builder.build();
    Metadata metadata = new Metadata();
    for (Map.Entry<String, String> h : config.headers().entrySet()) {
      metadata.put(Metadata.Key.of(h.getKey(), Metadata.ASCII_STRING_MARSHALLER), h.getValue());
    }
    ClientInterceptor headers = MetadataUtils.newAttachHeadersInterceptor(metadata);
    withHeaders = auth == null
        ? ClientInterceptors.intercept(c, headers)
        // The last interceptor runs first: the authenticator's metadata is put after the
        // configured headers, replacing one of the same name.
        : ClientInterceptors.intercept(c, new ClientAuthInterceptor(auth), headers);
    channel = c;
    log.debug("exporting over gRPC to {} ({})", endpoint.authority(), endpoint.tls() ? "TLS" : "plaintext");
  }

  private static CompressorRegistry compressors() {
    CompressorRegistry registry = CompressorRegistry.newEmptyInstance();
    registry.register(new Codec.Gzip());
    registry.register(Codec.Identity.NONE);
    registry.register(ZstdCodec.INSTANCE);
    return registry;
  }

  /**
   * Sends one encoded request of this exporter's signal as it is; returns the items the server
   * rejected in a partial success.
   */
  public long push(SignalData data, Duration timeout) throws Refusal {
    byte[] response = call(data.encoded(), timeout);
    PartialSuccess partial;
    try {
      partial = PartialSuccess.read(response);
    } catch (MalformedWireException e) {
      log.debug("ignoring a response to {} that is not an export response", method.getFullMethodName(), e);
      return 0;
    }
    if (partial.isPresent()) {
      log.warn("partial success from {}: {} {} rejected: {}",
          endpoint.authority(), partial.rejected(), items, partial.errorMessage());
    }
    return partial.rejected();
  }

  private byte[] call(byte[] request, Duration timeout) throws Refusal {
    Channel c = withHeaders;
    if (c == null) {
      throw Refusal.retryable("the otlp exporter has not started");
    }
    CallOptions options =
        CallOptions.DEFAULT
            .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
            .withCompression(config.compression().encoding());
    try {
      return ClientCalls.blockingUnaryCall(c, method, options, request);
    } catch (StatusRuntimeException e) {
      throw refusal(endpoint.authority(), e.getStatus(), e.getTrailers());
    }
  }

  /** The Collector's mapping of a gRPC status to retryable or permanent. */
  static Refusal refusal(String target, Status status, Metadata trailers) {
    RetryInfo retryInfo = retryInfo(status, trailers);
    StringBuilder message = new StringBuilder("export to ").append(target).append(" failed: ").append(status.getCode());
    if (status.getDescription() != null) {
      // The first line: grpc-java appends the Netty pipeline on a line of its own.
      message.append(": ").append(status.getDescription().strip().split("\\R", 2)[0].strip());
    }
    if (status.getCause() != null) {
      Throwable root = status.getCause();
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      message.append(" (").append(root.getClass().getSimpleName());
      if (root.getMessage() != null) {
        message.append(": ").append(root.getMessage().strip().replaceAll("\\s+", " "));
      }
      message.append(')');
    }
    boolean retryable =
        switch (status.getCode()) {
          case CANCELLED, DEADLINE_EXCEEDED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS -> true;
          case RESOURCE_EXHAUSTED -> retryInfo != null;
          default -> false;
        };
    if (!retryable) {
      return Refusal.permanent(message.toString());
    }
    if (retryInfo != null && retryInfo.hasRetryDelay()) {
      Duration delay = Duration.ofSeconds(retryInfo.getRetryDelay().getSeconds(), retryInfo.getRetryDelay().getNanos());
      if (!delay.isNegative() && !delay.isZero()) {
        return Refusal.retryable(message.toString(), delay);
      }
    }
    return Refusal.retryable(message.toString());
  }

  /** The {@code google.rpc.RetryInfo} among the status details in the trailers, or null. */
  static RetryInfo retryInfo(Status status, Metadata trailers) {
    com.google.rpc.Status details = StatusProto.fromStatusAndTrailers(status, trailers);
    if (details == null) {
      return null;
    }
    for (com.google.protobuf.Any any : details.getDetailsList()) {
      if (any.is(RetryInfo.class)) {
        try {
          return any.unpack(RetryInfo.class);
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** Closes the channel: lets calls in flight finish for a moment, then cuts them. */
  @Override
  public void shutdown() {
    ManagedChannel c = channel;
    if (c == null) {
      return;
    }
    c.shutdown();
    try {
      if (!c.awaitTermination(1, TimeUnit.SECONDS)) {
        c.shutdownNow();
      }
    } catch (InterruptedException e) {
      c.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** The request bytes as a stream grpc-java can size and copy without buffering them again. */
  private static final class BytesStream extends ByteArrayInputStream implements KnownLength, Drainable {
    BytesStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = count - pos;
      target.write(buf, pos, n);
      pos = count;
      return n;
    }
  }
}
