package dev.inflight.connector.concurrency;

import java.util.List;

/**
 * An extension that shows what concurrency connectors see: the {@code query} extension. A
 * connector looks for one among the extensions when it starts ({@code
 * host.extension(ConcurrencyListener.class)}), attaches, hands it every window it closes, and fills
 * the recent-trace store it gets back. No extra pipeline is needed.
 *
 * <p>Calls come from the connector's closing thread; implementations must be quick and must not
 * throw.
 */
public interface ConcurrencyListener {
  /**
   * A connector has started.
   *
   * @return the store to put the connector's worker spans into, or null for none
   */
  RecentTraceStore attached(ConcurrencyView connector);

  /** Windows the connector closed, in window order per group; the same points it exports. */
  void windowsClosed(ConcurrencyView connector, List<ClosedWindow> windows);

  /** The connector is shutting down: it sends nothing more. */
  void detached(ConcurrencyView connector);
}
