package dev.inflight.extension.query;

/** PLACEHOLDER until the Tempo client lands (overwritten). */
final class TempoException extends Exception {
  TempoException(String message) {
    super(message);
  }
}
