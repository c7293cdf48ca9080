package dev.inflight.app;

import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as requests to drain and exit 0. With only a shutdown hook the JVM would exit
 * with 143/130, which orchestrators report as a failure; handling the signals lets the main thread
 * shut the pipelines down in order and choose the exit code.
 */
final class Signals {
  private Signals() {}

  static void onTermination(Consumer<String> handler) {
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        Signal.handle(new Signal(name), s -> handler.accept(s.getName()));
      } catch (IllegalArgumentException e) {
        // The signal is not available on this platform (or the JVM reserved it): the hook still drains.
      }
    }
  }
}
