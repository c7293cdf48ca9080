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
   * Tells {@code listener} every window this connector closes from now on, and when it shuts
   * down. May be called before the connector starts.
   */
  void subscribe(WindowListener listener);

  /** One configured worker type; {@code services} is empty when it takes spans of every service. */
  record WorkerTypeInfo(String name, Double capacity, List<String> match, List<String> services) {}
}
