package dev.inflight.pdata;

/** Encoded data that does not decode. Receivers check bytes first, so this means a bug upstream. */
public final class MalformedDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
