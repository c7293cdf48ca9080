package dev.inflight.connector.concurrency;

import java.time.Duration;
import java.util.List;

/** What a running concurrency connector tells a {@link ConcurrencyListener} about itself. */
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

  /** One configured worker type; {@code services} is empty when it takes spans of every service. */
  record WorkerTypeInfo(String name, Double capacity, List<String> match, List<String> services) {}
}
