package dev.inflight.exporter.otlp;

import dev.inflight.exporter.ScriptedServer;
import dev.inflight.component.Signal;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.DecompressorRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * A real OTLP/gRPC endpoint on 127.0.0.1 (grpc-java on Netty). opentelemetry-proto ships no gRPC
 * stubs, so it registers the Export method of every signal (traces, metrics, logs) with a
 * byte-array marshaller, as the exporter does, and records the bytes and metadata of every call. It answers from a script, then OK with
 * an empty response.
 */
public final class RecordingGrpcServer extends ScriptedServer<RecordingGrpcServer.Call, RecordingGrpcServer.Answer, RecordingGrpcServer> {
  private static final Context.Key<Metadata> HEADERS = Context.key("headers");

  /** One call as it arrived: full method name, request bytes (decompressed by gRPC), metadata. */
  public record Call(String method, byte[] body, Metadata headers, long atNanos) {
    public String header(String name) {
      return headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
    }
  }

  /** An answer: an error (a status exception), or a response after a delay. */
  public record Answer(StatusRuntimeException error, byte[] response, long delayMillis) {
    public static Answer ok() {
      return new Answer(null, new byte[0], 0);
    }

    public static Answer ok(byte[] response) {
      return new Answer(null, response, 0);
    }

    public static Answer fail(StatusRuntimeException error) {
      return new Answer(error, null, 0);
    }

    public static Answer slow(long delayMillis) {
      return new Answer(null, new byte[0], delayMillis);
    }
  }

  private final Server server;

  private RecordingGrpcServer(KeyManagerFactory tls) throws Exception {
    super("call", Answer.ok());
    NettyServerBuilder b =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .decompressorRegistry(DecompressorRegistry.getDefaultInstance().with(ZstdCodec.INSTANCE, true));
    if (tls != null) {
      b.sslContext(GrpcSslContexts.configure(io.netty.handler.ssl.SslContextBuilder.forServer(tls)).build());
    }
    ServerInterceptor capture =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call, headers, next);
          }
        };
    for (Signal signal : Signal.values()) {
      MethodDescriptor<byte[], byte[]> m = OtlpGrpcExporter.exportMethod(signal);
      ServerServiceDefinition service =
          ServerServiceDefinition.builder(m.getServiceName())
              .addMethod(m, ServerCalls.asyncUnaryCall((req, observer) -> handle(m.getFullMethodName(), req, observer)))
              .build();
      b.addService(ServerInterceptors.intercept(service, capture));
    }
    server = b.build().start();
  }

  public static RecordingGrpcServer start() throws Exception {
    return new RecordingGrpcServer(null);
  }

  /** TLS with the server certificate and key of {@code keys}. */
  public static RecordingGrpcServer startTls(KeyManagerFactory keys) throws Exception {
    return new RecordingGrpcServer(keys);
  }

  public int port() {
    return server.getPort();
  }

  public List<Call> calls() {
    return recorded();
  }

  /** The export calls of {@code signal} so far, oldest first. */
  public List<Call> calls(Signal signal) {
    String method = OtlpGrpcExporter.exportMethod(signal).getFullMethodName();
    return recorded().stream().filter(c -> c.method().equals(method)).toList();
  }

  private void handle(String method, byte[] request, StreamObserver<byte[]> observer) {
    Answer a = record(new Call(method, request, HEADERS.get(), System.nanoTime()));
    if (a.delayMillis() > 0) {
      try {
        Thread.sleep(a.delayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (a.error() != null) {
      observer.onError(a.error());
    } else {
      observer.onNext(a.response());
      observer.onCompleted();
    }
  }

  @Override
  public void close() {
    try {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
