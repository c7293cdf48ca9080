package dev.inflight.tools.loadgen;

/**
 * Sends one encoded export request and waits for the answer. One sender is one connection, used
 * by one thread at a time.
 */
interface LoadSender extends AutoCloseable {
  /** What came back: {@code error} is null when the server took the request. */
  record Outcome(String error, long rejectedSpans) {
    static final Outcome OK = new Outcome(null, 0);
  }

  Outcome send(byte[] request) throws InterruptedException;

  @Override
  void close();
}
