package dev.inflight.tests;

import dev.inflight.component.Signal;

import dev.inflight.exporter.otlp.RecordingGrpcServer;
import dev.inflight.exporter.otlphttp.RecordingHttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * OTLP trace backends that record every request they get, one over gRPC and one over HTTP: the
 * exporter tests' recording servers (from inflight-exporter's test-jar) seen as trace backends.
 */
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

  /** A recording server seen as a trace backend: where to send, and the trace exports it got. */
  static class Recorder implements AutoCloseable {
    private final String endpoint;
    private final Supplier<List<Received>> received;
    private final Runnable clear;
    private final Runnable close;

    private Recorder(String endpoint, Supplier<List<Received>> received, Runnable clear, Runnable close) {
      this.endpoint = endpoint;
      this.received = received;
      this.clear = clear;
      this.close = close;
    }

    /** For an exporter of the recorder's protocol: {@code http://127.0.0.1:PORT}. */
    String endpoint() {
      return endpoint;
    }

    /** Every trace export request so far, oldest first. */
    List<Received> received() {
      return received.get();
    }

    List<CanonicalSpans.Span> spans() {
      List<CanonicalSpans.Span> out = new ArrayList<>();
      received().forEach(r -> out.addAll(r.spans()));
      return out;
    }

    void clear() {
      clear.run();
    }

    @Override
    public void close() {
      close.run();
    }

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

  /** OTLP/gRPC (an {@code otlp} exporter's plaintext endpoint), answering OK. */
  static final class GrpcRecorder extends Recorder {
    GrpcRecorder() throws Exception {
      this(RecordingGrpcServer.start());
    }

    private GrpcRecorder(RecordingGrpcServer server) {
      super("http://127.0.0.1:" + server.port(),
          () -> server.calls(Signal.TRACES).stream()
              .map(c -> new Received(c.body(), c.header("content-type"), c.header("grpc-encoding"), c.header("authorization")))
              .toList(),
          server::clear, server::close);
    }
  }

  /** OTLP/HTTP (an {@code otlphttp} exporter's base URL; {@code /v1/traces} is appended), answering 200. */
  static final class HttpRecorder extends Recorder {
    HttpRecorder() throws IOException {
      this(RecordingHttpServer.start());
    }

    private HttpRecorder(RecordingHttpServer server) {
      super(server.baseUrl(),
          () -> server.requests().stream()
              .filter(r -> r.method().equals("POST") && r.path().equals("/v1/traces"))
              .map(r -> new Received(r.body(), r.header("Content-Type"), r.header("Content-Encoding"), r.header("Authorization")))
              .toList(),
          server::clear, server::close);
    }
  }
}
