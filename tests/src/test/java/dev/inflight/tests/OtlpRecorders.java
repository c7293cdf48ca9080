package dev.inflight.tests;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/** OTLP trace backends that record every request they get: one over gRPC, one over HTTP. */
final class OtlpRecorders {
  private OtlpRecorders() {}

  /** One request as the backend got it: the (decompressed) body and how it was sent. */
  record Received(byte[] body, String contentType, String contentEncoding, String authorization) {
    ExportTraceServiceRequest request() {
      try {
        return ExportTraceServiceRequest.parseFrom(body);
      } catch (IOException e) {
        throw new AssertionError("a body that is not an ExportTraceServiceRequest (" + contentType + ")", e);
      }
    }

    List<CanonicalSpans.Span> spans() {
      return CanonicalSpans.fromRequest(request());
    }
  }

  abstract static class Recorder implements AutoCloseable {
    final List<Received> received = new CopyOnWriteArrayList<>();

    abstract String endpoint();

    List<CanonicalSpans.Span> spans() {
      List<CanonicalSpans.Span> out = new ArrayList<>();
      received.forEach(r -> out.addAll(r.spans()));
      return out;
    }

    void clear() {
      received.clear();
    }

    @Override
    public abstract void close();

    /**
     * Waits until at least {@code count} spans arrived, then {@code settle} longer (a duplicate or a
     * straggler shows up in that time), and returns all spans received.
     */
    List<CanonicalSpans.Span> awaitSpans(int count, Duration timeout, Duration settle, Supplier<String> context)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (spans().size() < count) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(getClass().getSimpleName() + " at " + endpoint() + " got " + spans().size()
              + " of " + count + " spans within " + timeout + "\n" + context.get());
        }
        Thread.sleep(50);
      }
      Thread.sleep(settle.toMillis());
      return spans();
    }
  }

  /** A grpc-java server for opentelemetry.proto.collector.trace.v1.TraceService/Export, answering OK. */
  static final class GrpcRecorder extends Recorder {
    private static final Metadata.Key<String> ENCODING = Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> CONTENT_TYPE = Metadata.Key.of("content-type", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
      }

      @Override
      public byte[] parse(InputStream stream) {
        try {
          return stream.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };

    private final Server server;

    GrpcRecorder() throws IOException {
      MethodDescriptor<byte[], byte[]> export = MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
          .setRequestMarshaller(BYTES).setResponseMarshaller(BYTES).build();
      ThreadLocal<Metadata> headers = new ThreadLocal<>();
      ServerServiceDefinition service = ServerServiceDefinition.builder("opentelemetry.proto.collector.trace.v1.TraceService")
          .addMethod(export, ServerCalls.asyncUnaryCall((byte[] body, io.grpc.stub.StreamObserver<byte[]> out) -> {
            Metadata h = headers.get();
            received.add(new Received(body, h == null ? null : h.get(CONTENT_TYPE), h == null ? null : h.get(ENCODING),
                h == null ? null : h.get(AUTHORIZATION)));
            out.onNext(ExportTraceServiceResponse.getDefaultInstance().toByteArray());
            out.onCompleted();
          }))
          .build();
      ServerInterceptor captureHeaders = new ServerInterceptor() {
        @Override
        public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata h, ServerCallHandler<Q, A> next) {
          ServerCall.Listener<Q> delegate = next.startCall(call, h);
          return new io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onHalfClose() {
              headers.set(h);
              try {
                super.onHalfClose();
              } finally {
                headers.remove();
              }
            }
          };
        }
      };
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
          .addService(ServerInterceptors.intercept(service, captureHeaders)).directExecutor().build().start();
    }

    /** For an {@code otlp} exporter: {@code http://127.0.0.1:PORT} (plaintext). */
    @Override
    String endpoint() {
      return "http://127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
      server.shutdownNow();
    }
  }

  /** A JDK HttpServer taking POST /v1/traces (gunzipping Content-Encoding: gzip), answering 200. */
  static final class HttpRecorder extends Recorder {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    HttpRecorder() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        try (exchange) {
          if (!"POST".equals(exchange.getRequestMethod()) || !"/v1/traces".equals(exchange.getRequestURI().getPath())) {
            exchange.sendResponseHeaders(404, -1);
            return;
          }
          String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
          byte[] body;
          try (InputStream in = "gzip".equalsIgnoreCase(encoding)
              ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          received.add(new Received(body, exchange.getRequestHeaders().getFirst("Content-Type"), encoding,
              exchange.getRequestHeaders().getFirst("Authorization")));
          byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
          exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
          exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
          if (response.length > 0) {
            exchange.getResponseBody().write(response);
          }
        }
      });
      server.setExecutor(executor);
      server.start();
    }

    /** For an {@code otlphttp} exporter: the base URL, {@code /v1/traces} is appended. */
    @Override
    String endpoint() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
