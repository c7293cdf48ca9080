package dev.inflight.component.telemetry;

import java.util.ArrayList;
import java.util.List;

/**
 * The observed (callback) instruments a component registers when it starts, closed together when
 * it stops: a stopped component must not report stale values, nor keep its state reachable from
 * the meter.
 */
public final class ObservedInstruments {
  private final List<AutoCloseable> instruments = new ArrayList<>();

  public synchronized void add(AutoCloseable instrument) {
    instruments.add(instrument);
  }

  public synchronized void closeAll() {
    for (AutoCloseable c : instruments) {
      try {
        c.close();
      } catch (Exception e) {
        // The SDK's instruments do not throw on close; there is nothing to do for one that does.
      }
    }
    instruments.clear();
  }
}
