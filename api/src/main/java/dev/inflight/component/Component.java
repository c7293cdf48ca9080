package dev.inflight.component;

/**
 * Lifecycle shared by every component. {@code start} is called once, after every component
 * downstream of this one has started; {@code shutdown} once, after everything upstream has stopped,
 * and must drain what the component holds (queues, open batches) before it returns.
 */
public interface Component {
  /** Binds ports, starts threads. A failure here stops the whole service with a clear message. */
  default void start(Host host) throws Exception {}

  /** Flushes and releases everything. Called even if {@link #start} was not. Must be idempotent. */
  default void shutdown() throws Exception {}
}
