package dev.inflight.tests;

import dev.inflight.component.Signal;

import dev.inflight.exporter.otlp.RecordingGrpcServer;
import dev.inflight.exporter.otlphttp.RecordingHttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * OTLP backends that record every request they get, one over gRPC and one over HTTP: the exporter
 * tests' recording servers (from inflight-exporter's test-jar) seen as trace and logs backends.
 */
final class OtlpRecorders {
  private OtlpRecorders() {}

  /** The gRPC method each signal's exports call. */
  static final Map<Signal, String> GRPC_METHODS = Map.of(
      Signal.TRACES, "opentelemetry.proto.collector.trace.v1.TraceService/Export",
      Signal.METRICS, "opentelemetry.proto.collector.metrics.v1.MetricsService/Export",
      Signal.LOGS, "opentelemetry.proto.collector.logs.v1.LogsService/Export");

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

    ExportLogsServiceRequest logsRequest() {
      try {
        return ExportLogsServiceRequest.parseFrom(body);
      } catch (IOException e) {
        throw new AssertionError("a body that is not an ExportLogsServiceRequest (" + contentType + ")", e);
      }
    }

    List<CanonicalLogs.Log> logs() {
      return CanonicalLogs.fromRequest(logsRequest());
    }
  }

  /** A recording server seen as an OTLP backend: where to send, and the exports of each signal it got. */
  static class Recorder implements AutoCloseable {
    private final String endpoint;
    private final Function<Signal, List<Received>> received;
    private final Runnable clear;
    private final Runnable close;

    private Recorder(String endpoint, Function<Signal, List<Received>> received, Runnable clear, Runnable close) {
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
      return received(Signal.TRACES);
    }

    /** Every export request of {@code signal} so far, oldest first. */
    List<Received> received(Signal signal) {
      return received.apply(signal);
    }

    List<CanonicalSpans.Span> spans() {
      List<CanonicalSpans.Span> out = new ArrayList<>();
      received().forEach(r -> out.addAll(r.spans()));
      return out;
    }

    List<CanonicalLogs.Log> logs() {
      List<CanonicalLogs.Log> out = new ArrayList<>();
      received(Signal.LOGS).forEach(r -> out.addAll(r.logs()));
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
      return await(this::spans, "spans", count, timeout, settle, context);
    }

    /** As {@link #awaitSpans}, for log records. */
    List<CanonicalLogs.Log> awaitLogs(int count, Duration timeout, Duration settle, Supplier<String> context)
        throws InterruptedException {
      return await(this::logs, "log records", count, timeout, settle, context);
    }

    private <T> List<T> await(Supplier<List<T>> items, String what, int count, Duration timeout, Duration settle,
        Supplier<String> context) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (items.get().size() < count) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(getClass().getSimpleName() + " at " + endpoint() + " got " + items.get().size()
              + " of " + count + " " + what + " within " + timeout + "\n" + context.get());
        }
        Thread.sleep(50);
      }
      Thread.sleep(settle.toMillis());
      return items.get();
    }
  }

  /** OTLP/gRPC (an {@code otlp} exporter's plaintext endpoint), answering OK. */
  static final class GrpcRecorder extends Recorder {
    GrpcRecorder() throws Exception {
      this(RecordingGrpcServer.start());
    }

    private GrpcRecorder(RecordingGrpcServer server) {
      super("http://127.0.0.1:" + server.port(),
          signal -> server.calls().stream().filter(c -> c.method().equals(GRPC_METHODS.get(signal)))
              .map(c -> new Received(c.body(), c.header("content-type"), c.header("grpc-encoding"), c.header("authorization")))
              .toList(),
          server::clear, server::close);
    }
  }

  /** OTLP/HTTP (an {@code otlphttp} exporter's base URL; {@code /v1/traces}, {@code /v1/logs} are appended), answering 200. */
  static final class HttpRecorder extends Recorder {
    HttpRecorder() throws IOException {
      this(RecordingHttpServer.start());
    }

    private HttpRecorder(RecordingHttpServer server) {
      super(server.baseUrl(),
          signal -> server.requests().stream()
              .filter(r -> r.method().equals("POST") && r.path().equals("/v1/" + signal.key()))
              .map(r -> new Received(r.body(), r.header("Content-Type"), r.header("Content-Encoding"), r.header("Authorization")))
              .toList(),
          server::clear, server::close);
    }
  }
}
