package dev.inflight.tools.loadgen;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One OTLP trace connection for callers outside this package ({@code inflight replay}): the load
 * generator's gRPC and HTTP senders, with headers, and the answer classified as OTLP senders do:
 * taken, retryable (the server or the network is busy or down for now), or not.
 */
public final class TraceSender implements AutoCloseable {
  /**
   * Answers worth sending the same request again for, as the OTLP specification lists them: gRPC
   * {@code UNAVAILABLE} (also what a refused connection gives), {@code DEADLINE_EXCEEDED}, {@code
   * RESOURCE_EXHAUSTED}, {@code ABORTED}; HTTP 429, 502, 503, 504; no answer in time; a connection
   * that could not be made or broke.
   */
  private static final Set<String> RETRYABLE = Set.of(
      "grpc UNAVAILABLE", "grpc DEADLINE_EXCEEDED", "grpc RESOURCE_EXHAUSTED", "grpc ABORTED",
      "http 429", "http 502", "http 503", "http 504", "http timeout",
      "http ConnectException", "http HttpConnectTimeoutException", "http IOException", "http EOFException");

  /**
   * What came back for one request.
   *
   * @param error null when the server took the request; else the gRPC status or HTTP status
   *     ({@code grpc UNAVAILABLE}, {@code http 503})
   * @param rejectedSpans spans a partial success said were rejected
   * @param retryable whether sending the same request again may succeed
   */
  public record Result(String error, long rejectedSpans, boolean retryable) {
    public boolean ok() {
      return error == null;
    }
  }

  private final LoadSender sender;

  private TraceSender(LoadSender sender) {
    this.sender = sender;
  }

  /** A connection to {@code target} that sends {@code headers} with every request. */
  public static TraceSender open(LoadGenerator.Target target, Map<String, String> headers) {
    Objects.requireNonNull(target, "target");
    return new TraceSender(LoadGenerator.sender(target, Map.copyOf(headers)));
  }

  /** Sends one encoded request (protobuf, or OTLP/JSON for {@code http/json}) and waits for the answer. */
  public Result send(byte[] request) throws InterruptedException {
    LoadSender.Outcome o = sender.send(request);
    return new Result(o.error(), o.rejectedSpans(), o.error() != null && RETRYABLE.contains(o.error()));
  }

  @Override
  public void close() {
    sender.close();
  }
}
