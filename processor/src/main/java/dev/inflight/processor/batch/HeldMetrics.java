package dev.inflight.processor.batch;

import dev.inflight.pdata.Metrics;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Held metrics as parsed {@code ResourceMetrics} (metrics are low volume), counted in data points,
 * the Collector's unit. A request taken whole is handed on as the same {@link Metrics}. Splitting
 * goes down to data points: whole resources where they fit, and one that alone holds more points
 * than the cap is cut by scope, by metric and, inside the metric at the edge, between data points;
 * each piece keeps its resource, scope and metric descriptor.
 */
final class HeldMetrics implements HeldBatch<Metrics> {
  private final ArrayDeque<Entry> held = new ArrayDeque<>();
  private int items;

  /** A request as it arrived ({@code metrics} set), or one resource of it. */
  private record Entry(Metrics metrics, ResourceMetrics resource, int points) {}

  @Override
  public void add(Metrics metrics, int points) {
    held.addLast(new Entry(metrics, null, points));
    items += points;
  }

  @Override
  public int items() {
    return items;
  }

  @Override
  public Cut<Metrics> take(int cap) {
    int limit = cap <= 0 ? Integer.MAX_VALUE : cap;
    List<Entry> parts = new ArrayList<>();
    int taken = 0;
    while (!held.isEmpty() && taken < limit) {
      Entry head = held.peekFirst();
      int room = limit - taken;
      if (head.points <= room) {
        parts.add(held.pollFirst());
        taken += head.points;
      } else if (head.metrics != null) {
        held.pollFirst();
        List<ResourceMetrics> resources = head.metrics.request().getResourceMetricsList();
        for (int i = resources.size() - 1; i >= 0; i--) {
          ResourceMetrics rm = resources.get(i);
          held.addFirst(new Entry(null, rm, points(rm)));
        }
      } else if (head.points <= limit && taken > 0) {
        break; // a resource that fits a request of its own starts the next one
      } else {
        held.pollFirst();
        ResourceMetrics[] split = split(head.resource, room);
        parts.add(new Entry(null, split[0], room));
        held.addFirst(new Entry(null, split[1], head.points - room));
        taken += room;
      }
    }
    while (!held.isEmpty() && held.peekFirst().points == 0) {
      parts.add(held.pollFirst());
    }
    items -= taken;
    return new MetricsCut(parts, taken);
  }

  private record MetricsCut(List<Entry> parts, int items) implements Cut<Metrics> {
    @Override
    public Metrics data() {
      if (parts.size() == 1 && parts.get(0).metrics != null) {
        return parts.get(0).metrics;
      }
      ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
      for (Entry e : parts) {
        if (e.metrics != null) {
          request.addAllResourceMetrics(e.metrics.request().getResourceMetricsList());
        } else {
          request.addResourceMetrics(e.resource);
        }
      }
      return Metrics.of(request.build());
    }
  }

  /** The first {@code n} data points of {@code rm}, and the rest; both keep the resource. */
  static ResourceMetrics[] split(ResourceMetrics rm, int n) {
    ResourceMetrics.Builder head = rm.toBuilder().clearScopeMetrics();
    ResourceMetrics.Builder rest = rm.toBuilder().clearScopeMetrics();
    int room = n;
    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
      int p = points(sm);
      if (room == 0) {
        rest.addScopeMetrics(sm);
      } else if (p <= room) {
        head.addScopeMetrics(sm);
        room -= p;
      } else {
        ScopeMetrics.Builder headScope = sm.toBuilder().clearMetrics();
        ScopeMetrics.Builder restScope = sm.toBuilder().clearMetrics();
        for (Metric m : sm.getMetricsList()) {
          int mp = Metrics.dataPoints(m);
          if (room == 0) {
            restScope.addMetrics(m);
          } else if (mp <= room) {
            headScope.addMetrics(m);
            room -= mp;
          } else {
            headScope.addMetrics(slice(m, 0, room));
            restScope.addMetrics(slice(m, room, mp));
            room = 0;
          }
        }
        head.addScopeMetrics(headScope);
        rest.addScopeMetrics(restScope);
      }
    }
    return new ResourceMetrics[] {head.build(), rest.build()};
  }

  /** The metric with only data points [from, to). */
  private static Metric slice(Metric m, int from, int to) {
    Metric.Builder b = m.toBuilder();
    switch (m.getDataCase()) {
      case GAUGE -> b.getGaugeBuilder()
          .clearDataPoints()
          .addAllDataPoints(m.getGauge().getDataPointsList().subList(from, to));
      case SUM -> b.getSumBuilder()
          .clearDataPoints()
          .addAllDataPoints(m.getSum().getDataPointsList().subList(from, to));
      case HISTOGRAM -> b.getHistogramBuilder()
          .clearDataPoints()
          .addAllDataPoints(m.getHistogram().getDataPointsList().subList(from, to));
      case EXPONENTIAL_HISTOGRAM -> b.getExponentialHistogramBuilder()
          .clearDataPoints()
          .addAllDataPoints(m.getExponentialHistogram().getDataPointsList().subList(from, to));
      case SUMMARY -> b.getSummaryBuilder()
          .clearDataPoints()
          .addAllDataPoints(m.getSummary().getDataPointsList().subList(from, to));
      case DATA_NOT_SET -> {}
    }
    return b.build();
  }

  static int points(ResourceMetrics rm) {
    int n = 0;
    for (ScopeMetrics sm : rm.getScopeMetricsList()) {
      n += points(sm);
    }
    return n;
  }

  private static int points(ScopeMetrics sm) {
    int n = 0;
    for (Metric m : sm.getMetricsList()) {
      n += Metrics.dataPoints(m);
    }
    return n;
  }
}
