package dev.inflight.app;

/** A request to the query extension that gave no usable answer; the message is one sentence for stderr. */
final class QueryFailedException extends Exception {
  private final int exitCode;

  QueryFailedException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** {@link ExitCodes#UNREACHABLE} when nothing answered, {@link ExitCodes#FAILED} when the answer was an error. */
  int exitCode() {
    return exitCode;
  }
}
