package dev.inflight.tests;

import dev.inflight.component.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Two inflight processes and two recording backends, as a client's spans (or log records) travel
 * through them:
 *
 * <pre>
 * client ──OTLP──▶ inflight A ─┬─ otlp (gRPC) ─────▶ {@link #grpc} recorder
 *          (memory_limiter,    └─ otlp (gRPC) ─────▶ inflight B ── otlphttp ──▶ {@link #http} recorder
 *           batch)
 * </pre>
 *
 * A fans out to both of its exporters, so the gRPC recorder sees what A's {@code otlp} exporter sends
 * and the HTTP recorder what B's {@code otlphttp} exporter sends after a second hop. Each process has
 * one such pipeline per signal it is started with, all with the same components.
 */
final class ForwardingChain implements AutoCloseable {
  static final Duration START = Duration.ofSeconds(60);

  final OtlpRecorders.GrpcRecorder grpc;
  final OtlpRecorders.HttpRecorder http;
  final Ports a;
  final Ports b;
  final InflightProcess inflightA;
  final InflightProcess inflightB;

  private ForwardingChain(OtlpRecorders.GrpcRecorder grpc, OtlpRecorders.HttpRecorder http, Ports a, Ports b,
      InflightProcess inflightA, InflightProcess inflightB) {
    this.grpc = grpc;
    this.http = http;
    this.a = a;
    this.b = b;
    this.inflightA = inflightA;
    this.inflightB = inflightB;
  }

  /** The chain for traces. */
  static ForwardingChain start(Path dir) throws Exception {
    return start(dir, Signal.TRACES);
  }

  /** The chain with a pipeline for each of {@code signals}. */
  static ForwardingChain start(Path dir, Signal... signals) throws Exception {
    List<Signal> pipelines = List.of(signals);
    OtlpRecorders.GrpcRecorder grpc = new OtlpRecorders.GrpcRecorder();
    OtlpRecorders.HttpRecorder http = new OtlpRecorders.HttpRecorder();
    InflightProcess inflightA = null;
    InflightProcess inflightB = null;
    try {
      Ports a = Ports.free();
      Ports b = Ports.free();
      Path configB = Files.writeString(dir.resolve("inflight-b.yaml"), config(b, """
          exporters:
            otlphttp:
              endpoint: %s
              retry_on_failure:
                initial_interval: 200ms
          """.formatted(http.endpoint()), pipelines, "[]", "[otlphttp]"));
      Path configA = Files.writeString(dir.resolve("inflight-a.yaml"), config(a, """
          exporters:
            otlp/next:
              endpoint: http://127.0.0.1:%d
              retry_on_failure:
                initial_interval: 200ms
            otlp/recorder:
              endpoint: %s
              retry_on_failure:
                initial_interval: 200ms
          processors:
            memory_limiter:
              check_interval: 1s
              limit_percentage: 90
            batch:
              timeout: 100ms
          """.formatted(b.grpc(), grpc.endpoint()), pipelines, "[memory_limiter, batch]", "[otlp/next, otlp/recorder]"));
      // Both start at once (A's exporters connect when they first send); data flows once both are healthy.
      inflightB = InflightProcess.start(Map.of(), "--config", configB.toString());
      inflightA = InflightProcess.start(Map.of(), "--config", configA.toString());
      inflightB.awaitHttp200(b.healthUrl(), START);
      inflightA.awaitHttp200(a.healthUrl(), START);
      return new ForwardingChain(grpc, http, a, b, inflightA, inflightB);
    } catch (Exception | AssertionError e) {
      if (inflightA != null) {
        inflightA.close();
      }
      if (inflightB != null) {
        inflightB.close();
      }
      grpc.close();
      http.close();
      throw e;
    }
  }

  private static String config(Ports p, String components, List<Signal> signals, String processors, String exporters) {
    StringBuilder pipelines = new StringBuilder();
    for (Signal signal : signals) {
      pipelines.append("""
          %s:
            receivers: [otlp]
            processors: %s
            exporters: %s
          """.formatted(signal.key(), processors, exporters));
    }
    return p.otlpReceivers() + components + p.service(pipelines.toString());
  }

  /** OTLP/gRPC into A: {@code http://127.0.0.1:PORT}. */
  String grpcEndpoint() {
    return "http://127.0.0.1:" + a.grpc();
  }

  /** OTLP/HTTP traces URL of A: {@code http://127.0.0.1:PORT/v1/traces}. */
  String httpTracesUrl() {
    return "http://127.0.0.1:" + a.http() + "/v1/traces";
  }

  /** OTLP/HTTP logs URL of A: {@code http://127.0.0.1:PORT/v1/logs}. */
  String httpLogsUrl() {
    return "http://127.0.0.1:" + a.http() + "/v1/logs";
  }

  void clearRecorders() {
    grpc.clear();
    http.clear();
  }

  /** Both processes' stderr, for failure messages. */
  String stderr() {
    return "inflight A stderr:\n" + inflightA.stderr() + "\ninflight B stderr:\n" + inflightB.stderr();
  }

  @Override
  public void close() {
    inflightA.close();
    inflightB.close();
    grpc.close();
    http.close();
  }
}
