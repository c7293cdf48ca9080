package dev.inflight.extension.query;

/**
 * Tempo could not be asked, or answered with something other than a trace or 404. The message says
 * which, with the URL and the status, and is fit for an HTTP 502 body (it never holds the configured
 * headers' values).
 */
final class TempoException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;

  TempoException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status Tempo answered with, or 0 when no answer came (no connection, timeout). */
  int status() {
    return status;
  }
}
