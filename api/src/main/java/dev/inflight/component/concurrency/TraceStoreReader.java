package dev.inflight.component.concurrency;

import java.time.Duration;
import java.util.Optional;

/**
 * An extension that reads concurrency connectors' recent-trace stores (the query extension). A
 * connector keeps a store, and reads trace ids and span names for it, only when a configured
 * extension asks for one: the decision follows from the service's configuration, which every
 * component can see through the host before any span arrives, not from who started first.
 */
public interface TraceStoreReader {
  /** The budget this reader wants a store kept with; empty for none. */
  Optional<Limits> traceStoreLimits();

  /**
   * @param maxBytes memory budget, at least 64KiB
   * @param maxAge how long a trace is kept after its first span arrived
   */
  record Limits(long maxBytes, Duration maxAge) {}
}
