package dev.inflight.extension.query;

/** A request the API answers with an error: the HTTP status and one clear sentence for the body. */
final class QueryException extends Exception {
  final int status;

  QueryException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
