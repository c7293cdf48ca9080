package dev.inflight.component.concurrency;

import java.util.List;

/**
 * Told every window a connector closes ({@link ConcurrencyView#subscribe}). Calls come from the
 * connector's closing thread; implementations must be quick and must not throw (a throw is logged
 * and the metrics go on).
 */
public interface WindowListener {
  /** Windows the connector closed, in window order per group; the same points it exports. */
  void windowsClosed(ConcurrencyView connector, List<GroupWindow> windows);

  /** The connector is shutting down: it sends nothing more. */
  default void detached(ConcurrencyView connector) {}
}
