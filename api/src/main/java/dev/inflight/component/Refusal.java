package dev.inflight.component;

import java.time.Duration;
import java.util.Optional;

/**
 * Thrown by a consumer that does not accept a batch. It says whether the sender may send the same
 * data again later (retryable: a full queue, memory pressure, a backend that is down) or never
 * (permanent: the data itself is bad). Receivers map it to the protocol: retryable to gRPC {@code
 * UNAVAILABLE} / HTTP 503 with {@code Retry-After}, permanent to {@code INVALID_ARGUMENT} / 400.
 */
public final class Refusal extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;
  private final Duration retryAfter;

  private Refusal(String message, boolean retryable, Duration retryAfter, Throwable cause) {
    super(message, cause, false, false);
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** The sender may send the same data again; no hint when. */
  public static Refusal retryable(String message) {
    return new Refusal(message, true, null, null);
  }

  /** The sender may send the same data again after {@code retryAfter}. */
  public static Refusal retryable(String message, Duration retryAfter) {
    return new Refusal(message, true, retryAfter, null);
  }

  /** The data will never be accepted; sending it again is pointless. */
  public static Refusal permanent(String message) {
    return new Refusal(message, false, null, null);
  }

  public static Refusal permanent(String message, Throwable cause) {
    return new Refusal(message, false, null, cause);
  }

  public boolean isRetryable() {
    return retryable;
  }

  /** A hint for the sender, when the refusing component knows one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
