package dev.inflight.receiver.otlp;

import dev.inflight.otlp.wire.InvalidRequestException;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import dev.inflight.component.Refusal;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;

/**
 * The one place where outcomes become protocol status codes, for both transports (the Collector's
 * {@code receiver/otlpreceiver/internal/errors}):
 *
 * <table>
 *   <tr><th>outcome</th><th>gRPC</th><th>HTTP</th></tr>
 *   <tr><td>no or wrong bearer token</td><td>UNAUTHENTICATED</td><td>401 + WWW-Authenticate</td></tr>
 *   <tr><td>malformed request</td><td>INVALID_ARGUMENT</td><td>400</td></tr>
 *   <tr><td>body over the limit</td><td>RESOURCE_EXHAUSTED (grpc-java)</td><td>413</td></tr>
 *   <tr><td>refusal, retryable</td><td>UNAVAILABLE (+ RetryInfo)</td><td>503 + Retry-After</td></tr>
 *   <tr><td>refusal, permanent</td><td>INVALID_ARGUMENT</td><td>400</td></tr>
 *   <tr><td>bug downstream</td><td>INTERNAL</td><td>500</td></tr>
 * </table>
 */
final class OtlpErrors {
  /** What a 503 says in {@code Retry-After} when the refusal gave no hint. */
  static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  private OtlpErrors() {}

  static int httpStatus(Refusal r) {
    return r.isRetryable() ? 503 : 400;
  }

  /** The gRPC code for an HTTP status this receiver answers with, for the {@code Status} body. */
  static Code grpcCode(int httpStatus) {
    return switch (httpStatus) {
      case 400 -> Code.INVALID_ARGUMENT;
      case 401 -> Code.UNAUTHENTICATED;
      case 404 -> Code.NOT_FOUND;
      case 405, 415 -> Code.UNIMPLEMENTED;
      case 413 -> Code.RESOURCE_EXHAUSTED;
      case 503 -> Code.UNAVAILABLE;
      default -> Code.INTERNAL;
    };
  }

  /** Whole seconds for {@code Retry-After}, rounded up, at least 1. */
  static long retryAfterSeconds(Refusal r) {
    Duration d = r.retryAfter().orElse(DEFAULT_RETRY_AFTER);
    long s = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    return Math.max(1, s);
  }

  static StatusRuntimeException grpc(Refusal r) {
    String message = r.getMessage() == null ? "refused" : r.getMessage();
    if (!r.isRetryable()) {
      return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
    }
    if (r.retryAfter().isEmpty()) {
      return Status.UNAVAILABLE.withDescription(message).asRuntimeException();
    }
    Duration d = r.retryAfter().get();
    RetryInfo info =
        RetryInfo.newBuilder()
            .setRetryDelay(
                com.google.protobuf.Duration.newBuilder()
                    .setSeconds(d.getSeconds())
                    .setNanos(d.getNano()))
            .build();
    return StatusProto.toStatusRuntimeException(
        com.google.rpc.Status.newBuilder()
            .setCode(Code.UNAVAILABLE_VALUE)
            .setMessage(message)
            .addDetails(Any.pack(info))
            .build());
  }

  static StatusRuntimeException grpc(InvalidRequestException e) {
    Status s = e.isTooLarge() ? Status.RESOURCE_EXHAUSTED : Status.INVALID_ARGUMENT;
    return s.withDescription(e.getMessage()).asRuntimeException();
  }

  static StatusRuntimeException grpcInternal(RuntimeException e) {
    return Status.INTERNAL.withDescription("internal error: " + e).asRuntimeException();
  }
}
