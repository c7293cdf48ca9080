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

  abstract static class Recorder implements AutoCloseable {
    abstract String endpoint();

    /** Every trace export request so far, oldest first. */
    abstract List<Received> received();

    List<CanonicalSpans.Span> spans() {
      List<CanonicalSpans.Span> out = new ArrayList<>();
      received().forEach(r -> out.addAll(r.spans()));
      return out;
    }

    abstract void clear();

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

  /** The exporter tests' OTLP/gRPC server (TraceService/Export and MetricsService/Export), answering OK. */
  static final class GrpcRecorder extends Recorder {
    private final RecordingGrpcServer server;

    GrpcRecorder() throws Exception {
      server = RecordingGrpcServer.start();
    }

    /** For an {@code otlp} exporter: {@code http://127.0.0.1:PORT} (plaintext). */
    @Override
    String endpoint() {
      return "http://127.0.0.1:" + server.port();
    }

    @Override
    List<Received> received() {
      return server.calls(Signal.TRACES).stream()
          .map(c -> new Received(c.body(), c.header("content-type"), c.header("grpc-encoding"), c.header("authorization")))
          .toList();
    }

    @Override
    void clear() {
      server.clear();
    }

    @Override
    public void close() {
      server.close();
    }
  }

  /** The exporter tests' OTLP/HTTP server (bodies decompressed by their Content-Encoding), answering 200. */
  static final class HttpRecorder extends Recorder {
    private final RecordingHttpServer server;

    HttpRecorder() throws IOException {
      server = RecordingHttpServer.start();
    }

    /** For an {@code otlphttp} exporter: the base URL, {@code /v1/traces} is appended. */
    @Override
    String endpoint() {
      return server.baseUrl();
    }

    @Override
    List<Received> received() {
      return server.requests().stream()
          .filter(r -> r.method().equals("POST") && r.path().equals("/v1/traces"))
          .map(r -> new Received(r.body(), r.header("Content-Type"), r.header("Content-Encoding"), r.header("Authorization")))
          .toList();
    }

    @Override
    void clear() {
      server.clear();
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
