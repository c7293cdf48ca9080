package dev.inflight.otlp.wire;

/**
 * A request that cannot be handed on: its bytes do not decode as the message its path or method
 * says, its JSON does not convert, or it is too large. The message says where and what, for the
 * sender (it goes into the 400 / {@code INVALID_ARGUMENT} answer).
 */
public final class InvalidRequestException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean tooLarge;

  private InvalidRequestException(String message, boolean tooLarge, Throwable cause) {
    super(message, cause, false, false);
    this.tooLarge = tooLarge;
  }

  public static InvalidRequestException malformed(String message) {
    return new InvalidRequestException(message, false, null);
  }

  public static InvalidRequestException malformed(String message, Throwable cause) {
    return new InvalidRequestException(message, false, cause);
  }

  public static InvalidRequestException tooLarge(String message) {
    return new InvalidRequestException(message, true, null);
  }

  /** The body (as sent or once decompressed) is over the limit: HTTP 413. */
  public boolean isTooLarge() {
    return tooLarge;
  }
}
