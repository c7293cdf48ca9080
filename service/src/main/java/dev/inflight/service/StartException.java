package dev.inflight.service;

/** A component failed to start: {@code failed to start "otlp" receiver: ...}. */
public final class StartException extends Exception {
  private static final long serialVersionUID = 1L;

  public StartException(String message, Throwable cause) {
    super(message, cause);
  }
}
