package dev.inflight.component.concurrency;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a concurrency connector publishes about itself ({@link ConcurrencySource}): its settings,
 * how it classifies spans, its closed windows (by subscription) and its recent-trace store.
 */
public interface ConcurrencyView {
  /** Its component id, e.g. {@code concurrency} or {@code concurrency/batch}. */
  String id();

  /**
   * The configured worker types, in config order: their names, capacities (null: none), and the
   * {@code match} and {@code services} patterns as configured.
   */
  List<WorkerTypeInfo> workerTypes();

  /** Attribute names of the dimensions, in config order. */
  List<String> dimensions();

  Duration resolution();

  Duration allowedLateness();

  /** Duration histogram bounds, seconds, increasing. */
  double[] durationBoundsSeconds();

  /**
   * The worker type a span of this name (and service, null if unknown) belongs to, as the connector
   * decides it for live spans; -1 for none. For traces that did not pass through the connector.
   */
  int classify(String spanName, String serviceName);

  /**
   * Its recent-trace store: present when a configured {@link TraceStoreReader} asked for one (then
   * the connector also reads trace ids and span names). Decided when the connector starts, before
   * any span arrives.
   */
  Optional<TraceStore> traceStore();

  /**
   * Every group's open windows as they stand now, oldest first per group, up to the one holding
   * the current watermark (windows of spans ending in the future are left out): provisional
   * numbers, each a lower bound of what the window will close with. The caller pays for the read
   * (a copy of what changed since the last one, swept after the connector's locks are let go).
   */
  OpenWindows openWindows();

  /**
   * A read of the open windows.
   *
   * @param closedUntilNanos windows ending at or before this are closed (final); {@link
   *     Long#MIN_VALUE} while none has closed yet
   * @param windows every group's open windows, {@link GroupWindow#closed()} false
   */
  record OpenWindows(long closedUntilNanos, List<GroupWindow> windows) {}

  /**
   * Tells {@code listener} every window this connector closes from now on, and when it shuts
   * down. May be called before the connector starts.
   */
  void subscribe(WindowListener listener);

  /** One configured worker type; {@code services} is empty when it takes spans of every service. */
  record WorkerTypeInfo(String name, Double capacity, List<String> match, List<String> services) {}
}
