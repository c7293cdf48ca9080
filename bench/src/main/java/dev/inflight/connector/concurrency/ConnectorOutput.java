package dev.inflight.connector.concurrency;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What the {@code concurrency} connector emits when a window closes, built by its own {@link
 * ConcurrencyMetrics} (so the names, units, types, temporality and attributes are the real ones)
 * from made-up window points: for benchmarks of what comes after the connector (the {@code
 * prometheus} exporter).
 */
public final class ConnectorOutput {
  /**
   * Series one group (worker type × dimension values) exposes without {@code capacity} or {@code
   * instance_attribute}: {@code workers.active}, {@code workers.active.max}, {@code
   * workers.busy_time}, {@code workers.spans} × 3 statuses, {@code workers.late_spans}, {@code
   * workers.duration}.
   */
  public static final int SERIES_PER_GROUP = 8;

  private ConnectorOutput() {}

  /**
   * One closed window {@code [windowEnd - 1s, windowEnd)} of {@code groups} groups: group {@code g}
   * is worker type {@code g % workerTypes} ({@code type_0_workers}, ...) of service {@code
   * service-<g / workerTypes>} (the default dimension, {@code service.name}), with the default
   * duration buckets (11 bounds, 12 buckets) and no capacity, so {@link #SERIES_PER_GROUP} series
   * each. Sums and the histogram count since {@code since}. Values are drawn from {@code random}.
   */
  public static ExportMetricsServiceRequest window(
      int groups, int workerTypes, long since, long windowEnd, Random random) {
    String[] typeNames = new String[workerTypes];
    for (int t = 0; t < workerTypes; t++) {
      typeNames[t] = "type_" + t + "_workers";
    }
    List<Duration> buckets = ConcurrencyConnectorConfig.DEFAULT_DURATION_BUCKETS;
    long[] bounds = new long[buckets.size()];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = buckets.get(i).toNanos();
    }
    ConcurrencyMetrics metrics =
        new ConcurrencyMetrics(typeNames, new Double[workerTypes], new String[] {"service.name"}, bounds);
    List<WindowPoint> points = new ArrayList<>(groups);
    for (int g = 0; g < groups; g++) {
      GroupKey key = new GroupKey(g % workerTypes, new String[] {"service-" + g / workerTypes}, false);
      double[] counts = new double[bounds.length + 1];
      double total = 0;
      for (int b = 0; b < counts.length; b++) {
        counts[b] = random.nextInt(5000);
        total += counts[b];
      }
      double unset = random.nextInt(100);
      double error = random.nextInt(100);
      double[] spans = {unset, Math.max(0, total - unset - error), error};
      points.add(new WindowPoint(key, windowEnd - 1_000_000_000L, windowEnd, since,
          random.nextDouble() * 40, random.nextInt(64), random.nextDouble() * 1e5, spans, counts,
          random.nextDouble() * 1e5, random.nextInt(10), -1));
    }
    return metrics.toRequest(points);
  }
}
