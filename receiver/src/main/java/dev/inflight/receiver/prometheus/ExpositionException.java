package dev.inflight.receiver.prometheus;

/** A scraped body that is not valid Prometheus text or OpenMetrics; the message names the line. */
final class ExpositionException extends Exception {
  private static final long serialVersionUID = 1L;

  ExpositionException(String message) {
    super(message);
  }
}
