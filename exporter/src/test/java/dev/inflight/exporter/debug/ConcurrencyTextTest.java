package dev.inflight.exporter.debug;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.inflight.exporter.debug.DebugExporterConfig.Verbosity;
import dev.inflight.pdata.Metrics;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code [CONCURRENCY]} lines. Requests are built as the concurrency connector builds them
 * (scope, metric names, attributes, timestamps), from literals: this module does not see the
 * connector's classes.
 */
class ConcurrencyTextTest {
  private static final String SCOPE = "dev.inflight.connector.concurrency";
  private static final long SECOND = 1_000_000_000L;
  // Windows of one second; W1 ends at 2020-02-11T20:26:13Z.
  private static final long W0 = 1_581_452_772L * SECOND;
  private static final long W1 = W0 + SECOND;
  private static final long W2 = W1 + SECOND;
  private static final long W3 = W2 + SECOND;

  @RegisterExtension final CapturedLog captured = new CapturedLog("exporter.debug.concurrency-test");

  private DebugExporter exporter(Verbosity verbosity) {
    return new DebugExporter(captured.logger(), new DebugExporterConfig(verbosity, null, null), () -> 0L);
  }

  // --- building the connector's request -------------------------------------------------------

  /** One group's numbers for one window, as the connector's WindowPoint holds them. */
  private static final class Point {
    final List<KeyValue> attributes = new ArrayList<>();
    long end = W1;
    double active;
    double max;
    Double utilization; // only for worker types with a capacity
    Long instances; // only with instance tracking
    double busySeconds;
    double[] spans = {0, 0, 0}; // unset, ok, error
    double late;

    Point(String workerType) {
      attributes.add(str("worker.type", workerType));
    }

    Point dim(String key, String value) {
      attributes.add(str(key, value));
      return this;
    }

    Point overflow() {
      attributes.add(
          KeyValue.newBuilder().setKey("otel.metric.overflow").setValue(AnyValue.newBuilder().setBoolValue(true)).build());
      return this;
    }

    Point window(long end) {
      this.end = end;
      return this;
    }

    Point active(double active, double max) {
      this.active = active;
      this.max = max;
      return this;
    }

    Point capacity(double capacity) {
      this.utilization = active / capacity;
      return this;
    }

    Point utilization(double utilization) {
      this.utilization = utilization;
      return this;
    }

    Point instances(long instances) {
      this.instances = instances;
      return this;
    }

    Point spans(double unset, double ok, double error) {
      this.spans = new double[] {unset, ok, error};
      return this;
    }

    Point late(double late) {
      this.late = late;
      return this;
    }
  }

  private static Point point(String workerType) {
    return new Point(workerType);
  }

  private static KeyValue str(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static NumberDataPoint number(List<KeyValue> attributes, long start, long end, double value) {
    return NumberDataPoint.newBuilder()
        .addAllAttributes(attributes).setStartTimeUnixNano(start).setTimeUnixNano(end).setAsDouble(value).build();
  }

  private static Sum.Builder cumulative() {
    return Sum.newBuilder()
        .setIsMonotonic(true)
        .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
  }

  /** The connector's scope: its metrics in its order, gauges and sums stamped with the window's end. */
  private static ScopeMetrics concurrencyScope(Point... points) {
    Gauge.Builder active = Gauge.newBuilder();
    Gauge.Builder max = Gauge.newBuilder();
    Gauge.Builder utilization = Gauge.newBuilder();
    Gauge.Builder instances = Gauge.newBuilder();
    Sum.Builder busy = cumulative();
    Sum.Builder spans = cumulative();
    Sum.Builder late = cumulative();
    Histogram.Builder duration =
        Histogram.newBuilder().setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
    String[] statuses = {"unset", "ok", "error"};
    for (Point p : points) {
      long start = p.end - SECOND;
      active.addDataPoints(number(p.attributes, start, p.end, p.active));
      max.addDataPoints(number(p.attributes, start, p.end, p.max));
      if (p.utilization != null) {
        utilization.addDataPoints(number(p.attributes, start, p.end, p.utilization));
      }
      if (p.instances != null) {
        instances.addDataPoints(
            NumberDataPoint.newBuilder().addAllAttributes(p.attributes)
                .setStartTimeUnixNano(start).setTimeUnixNano(p.end).setAsInt(p.instances));
      }
      busy.addDataPoints(number(p.attributes, W0, p.end, p.busySeconds));
      late.addDataPoints(number(p.attributes, W0, p.end, p.late));
      for (int s = 0; s < statuses.length; s++) {
        List<KeyValue> withStatus = new ArrayList<>(p.attributes);
        withStatus.add(str("status", statuses[s]));
        spans.addDataPoints(number(withStatus, W0, p.end, p.spans[s]));
      }
      duration.addDataPoints(
          HistogramDataPoint.newBuilder().addAllAttributes(p.attributes)
              .setStartTimeUnixNano(W0).setTimeUnixNano(p.end)
              .addExplicitBounds(0.1).addBucketCounts(0).addBucketCounts(0));
    }
    ScopeMetrics.Builder scope = ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName(SCOPE));
    scope.addMetrics(Metric.newBuilder().setName("workers.active").setUnit("{worker}").setGauge(active));
    scope.addMetrics(Metric.newBuilder().setName("workers.active.max").setUnit("{worker}").setGauge(max));
    if (utilization.getDataPointsCount() > 0) {
      scope.addMetrics(Metric.newBuilder().setName("workers.utilization").setUnit("1").setGauge(utilization));
    }
    if (instances.getDataPointsCount() > 0) {
      scope.addMetrics(Metric.newBuilder().setName("workers.instances").setUnit("{instance}").setGauge(instances));
    }
    scope.addMetrics(Metric.newBuilder().setName("workers.busy_time").setUnit("s").setSum(busy));
    scope.addMetrics(Metric.newBuilder().setName("workers.spans").setUnit("{span}").setSum(spans));
    scope.addMetrics(Metric.newBuilder().setName("workers.duration").setUnit("s").setHistogram(duration));
    scope.addMetrics(Metric.newBuilder().setName("workers.late_spans").setUnit("{span}").setSum(late));
    return scope.build();
  }

  private static Metrics request(ScopeMetrics... scopes) {
    ResourceMetrics.Builder rm = ResourceMetrics.newBuilder().setResource(Resource.getDefaultInstance());
    for (ScopeMetrics scope : scopes) {
      rm.addScopeMetrics(scope);
    }
    return Metrics.of(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(rm).build());
  }

  private static Metrics connector(Point... points) {
    return request(concurrencyScope(points));
  }

  /** The same names and attributes under another scope: not the connector's. */
  private static ScopeMetrics otherScope(String scopeName) {
    ScopeMetrics connectors = concurrencyScope(point("account_workers").active(5, 9).capacity(10).spans(1, 2, 3));
    return connectors.toBuilder().setScope(InstrumentationScope.newBuilder().setName(scopeName)).build();
  }

  // --- the tests ------------------------------------------------------------------------------

  @Test
  void oneWindowLogsOneLineAfterTheSummaryAtBasic() {
    DebugExporter exporter = exporter(Verbosity.BASIC);

    exporter.pushMetrics(connector(point("account_workers").active(3.7, 7).capacity(8).spans(250, 6, 0)));

    assertThat(captured.messages())
        .containsExactly(
            "Metrics: resource metrics 1, metrics 7, data points 9",
            "[CONCURRENCY] account_workers Active: 3.7/8 | Peak: 7 | Spans: 256 | Failed: 0");
    assertThat(captured.events()).allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.INFO));
  }

  @Test
  void severalWindowsLogInWindowOrderThenGroupsInOrderOfFirstAppearance() {
    DebugExporter exporter = exporter(Verbosity.BASIC);

    // Out of order on purpose: storage first appears first, and the later window comes first.
    exporter.pushMetrics(
        connector(
            point("storage_workers").window(W2).active(1, 2).spans(4, 0, 1),
            point("account_workers").window(W2).active(2.5, 4).spans(20, 0, 2),
            point("account_workers").window(W1).active(2, 3).spans(10, 0, 1),
            point("storage_workers").window(W1).active(0.5, 1).spans(3, 0, 0),
            point("account_workers").window(W3).active(0, 0).spans(20, 0, 2)));

    assertThat(captured.messages())
        .containsExactly(
            "Metrics: resource metrics 1, metrics 6, data points 40",
            "[CONCURRENCY] storage_workers Active: 0.5 | Peak: 1 | Spans: 3 | Failed: 0",
            "[CONCURRENCY] account_workers Active: 2 | Peak: 3 | Spans: 11 | Failed: 1",
            "[CONCURRENCY] storage_workers Active: 1 | Peak: 2 | Spans: 5 | Failed: 1",
            "[CONCURRENCY] account_workers Active: 2.5 | Peak: 4 | Spans: 22 | Failed: 2",
            "[CONCURRENCY] account_workers Active: 0 | Peak: 0 | Spans: 22 | Failed: 2");
  }

  @Test
  void dimensionsFollowTheWorkerTypeInTheirOrder() {
    DebugExporter exporter = exporter(Verbosity.BASIC);

    exporter.pushMetrics(
        connector(
            point("account_workers").dim("service.name", "cart").dim("deployment.environment", "prod")
                .active(1.25, 2).spans(7, 1, 0),
            point("account_workers").dim("service.name", "checkout").dim("deployment.environment", "prod")
                .active(0.75, 1).spans(3, 0, 1)));

    assertThat(captured.messages())
        .containsExactly(
            "Metrics: resource metrics 1, metrics 6, data points 16",
            "[CONCURRENCY] account_workers{service.name=cart,deployment.environment=prod} Active: 1.25 | Peak: 2 | Spans: 8 | Failed: 0",
            "[CONCURRENCY] account_workers{service.name=checkout,deployment.environment=prod} Active: 0.75 | Peak: 1 | Spans: 4 | Failed: 1");
  }

  @Test
  void overflowGroupShowsItsMarker() {
    DebugExporter exporter = exporter(Verbosity.BASIC);

    exporter.pushMetrics(
        connector(
            point("account_workers").dim("service.name", "cart").active(1, 1).capacity(8).spans(5, 0, 0),
            point("account_workers").overflow().active(3, 5).capacity(8).spans(40, 0, 4)));

    assertThat(captured.messages())
        .containsExactly(
            "Metrics: resource metrics 1, metrics 7, data points 18",
            "[CONCURRENCY] account_workers{service.name=cart} Active: 1/8 | Peak: 1 | Spans: 5 | Failed: 0",
            "[CONCURRENCY] account_workers{otel.metric.overflow=true} Active: 3/8 | Peak: 5 | Spans: 44 | Failed: 4");
  }

  @Test
  void capacityIsDerivedFromUtilizationAndRememberedForIdleWindows() {
    DebugExporter exporter = exporter(Verbosity.BASIC);

    // No capacity learnt yet: an idle window shows none.
    exporter.pushMetrics(connector(point("account_workers").window(W1).active(0, 0).utilization(0)));
    // 3.7 / (3.7 / 8) is 8.000000000000002 in doubles: six significant digits make it 8.
    exporter.pushMetrics(
        connector(
            point("account_workers").window(W2).active(3.7, 7).utilization(3.7 / 8).spans(250, 6, 0),
            point("storage_workers").window(W2).active(1, 2).capacity(2.5).spans(1, 0, 0),
            point("queue").window(W2).active(4, 4).spans(9, 0, 0)));
    // A later batch, idle: the remembered capacity per worker type; still none without utilization.
    exporter.pushMetrics(
        connector(
            point("account_workers").window(W3).active(0, 0).utilization(0).spans(250, 6, 0),
            point("storage_workers").window(W3).active(0, 0).utilization(0).spans(1, 0, 0),
            point("queue").window(W3).active(0, 0).spans(9, 0, 0)));

    assertThat(captured.messages().stream().filter(m -> m.startsWith("[CONCURRENCY]")).toList())
        .containsExactly(
            "[CONCURRENCY] account_workers Active: 0 | Peak: 0 | Spans: 0 | Failed: 0",
            "[CONCURRENCY] account_workers Active: 3.7/8 | Peak: 7 | Spans: 256 | Failed: 0",
            "[CONCURRENCY] storage_workers Active: 1/2.5 | Peak: 2 | Spans: 1 | Failed: 0",
            "[CONCURRENCY] queue Active: 4 | Peak: 4 | Spans: 9 | Failed: 0",
            "[CONCURRENCY] account_workers Active: 0/8 | Peak: 0 | Spans: 256 | Failed: 0",
            "[CONCURRENCY] storage_workers Active: 0/2.5 | Peak: 0 | Spans: 1 | Failed: 0",
            "[CONCURRENCY] queue Active: 0 | Peak: 0 | Spans: 9 | Failed: 0");
  }

  @Test
  void idleWindowEarlierInTheBatchUsesCapacityFromALaterWindow() {
    ConcurrencyText text = new ConcurrencyText();

    List<String> lines =
        text.lines(
            connector(
                    point("account_workers").window(W1).active(0, 0).utilization(0),
                    point("account_workers").window(W2).active(2, 3).capacity(12))
                .request());

    assertThat(lines)
        .containsExactly(
            "[CONCURRENCY] account_workers Active: 0/12 | Peak: 0 | Spans: 0 | Failed: 0",
            "[CONCURRENCY] account_workers Active: 2/12 | Peak: 3 | Spans: 0 | Failed: 0");
  }

  @Test
  void sampledFractionalValuesShowAtMostTwoDecimals() {
    DebugExporter exporter = exporter(Verbosity.BASIC);

    // Spans weighted by adjusted count 1/0.3, as with 30% sampling.
    double weight = 1 / 0.3;
    exporter.pushMetrics(
        connector(
            point("account_workers").active(3.745, 6.666666666666667).capacity(8).instances(3)
                .spans(10 * weight, 0, weight).late(1.5)));

    assertThat(captured.messages())
        .containsExactly(
            "Metrics: resource metrics 1, metrics 8, data points 10",
            "[CONCURRENCY] account_workers Active: 3.75/8 | Peak: 6.67 | Spans: 36.67 | Failed: 3.33 | Instances: 3 | Late: 1.5");
  }

  @Test
  void lateSpansShowOnlyWhenThereAreAny() {
    ConcurrencyText text = new ConcurrencyText();

    assertThat(text.lines(connector(point("a").active(1, 1).spans(1, 0, 0).late(0)).request()))
        .containsExactly("[CONCURRENCY] a Active: 1 | Peak: 1 | Spans: 1 | Failed: 0");
    assertThat(text.lines(connector(point("a").active(1, 1).spans(1, 0, 0).late(2)).request()))
        .containsExactly("[CONCURRENCY] a Active: 1 | Peak: 1 | Spans: 1 | Failed: 0 | Late: 2");
  }

  @Test
  void metricsOfOtherScopesLogNoConcurrencyLine() {
    DebugExporter exporter = exporter(Verbosity.BASIC);

    exporter.pushMetrics(request(otherScope("io.example")));

    assertThat(captured.messages()).containsExactly("Metrics: resource metrics 1, metrics 7, data points 9");
  }

  @Test
  void onlyTheConnectorsScopeCountsInAMixedBatch() {
    ConcurrencyText text = new ConcurrencyText();

    List<String> lines =
        text.lines(
            request(
                    otherScope("io.example"),
                    concurrencyScope(point("account_workers").active(1, 2).spans(3, 0, 0)),
                    otherScope(""))
                .request());

    assertThat(lines).containsExactly("[CONCURRENCY] account_workers Active: 1 | Peak: 2 | Spans: 3 | Failed: 0");
  }

  @Test
  void windowSplitAcrossBatchesShowsWhatItHas() {
    ConcurrencyText text = new ConcurrencyText();
    ScopeMetrics full = concurrencyScope(point("account_workers").active(1, 2).spans(3, 0, 1));
    // The batch processor split the connector's request after workers.busy_time.
    ScopeMetrics tail = full.toBuilder().clearMetrics().addAllMetrics(full.getMetricsList().subList(3, 6)).build();

    assertThat(text.lines(request(tail).request()))
        .containsExactly("[CONCURRENCY] account_workers Active: - | Peak: - | Spans: 4 | Failed: 1");
  }

  @Test
  void normalAndDetailedKeepTheirOutputAfterTheConcurrencyLines() {
    Metrics metrics = connector(point("account_workers").active(1, 2).spans(3, 0, 0));
    for (Verbosity verbosity : List.of(Verbosity.NORMAL, Verbosity.DETAILED)) {
      captured.events().clear();
      DebugExporter exporter = exporter(verbosity);

      exporter.pushMetrics(metrics);

      String details =
          verbosity == Verbosity.NORMAL
              ? MetricsText.normal(metrics.request())
              : MetricsText.detailed(metrics.request());
      assertThat(captured.messages())
          .containsExactly(
              "Metrics: resource metrics 1, metrics 6, data points 8",
              "[CONCURRENCY] account_workers Active: 1 | Peak: 2 | Spans: 3 | Failed: 0",
              details.substring(0, details.length() - 1));
    }
  }

  @Test
  void sampledOutBatchesLogNoConcurrencyLines() {
    AtomicLong now = new AtomicLong();
    DebugExporter exporter =
        new DebugExporter(captured.logger(), new DebugExporterConfig(Verbosity.BASIC, 1, 0), now::get);

    exporter.pushMetrics(connector(point("account_workers").window(W1).active(1, 1)));
    exporter.pushMetrics(connector(point("account_workers").window(W2).active(2, 2)));

    assertThat(captured.messages())
        .containsExactly(
            "Metrics: resource metrics 1, metrics 6, data points 8",
            "[CONCURRENCY] account_workers Active: 1 | Peak: 1 | Spans: 0 | Failed: 0");
  }

  @Test
  void infoOffLogsNothing() {
    captured.logger().setLevel(Level.WARN);

    exporter(Verbosity.BASIC).pushMetrics(connector(point("account_workers").active(1, 1)));

    assertThat(captured.events()).isEmpty();
  }

  @Test
  void numbersAreIntegersOrAtMostTwoDecimals() {
    assertThat(ConcurrencyText.number(4)).isEqualTo("4");
    assertThat(ConcurrencyText.number(256.0)).isEqualTo("256");
    assertThat(ConcurrencyText.number(3.75)).isEqualTo("3.75");
    assertThat(ConcurrencyText.number(0.5)).isEqualTo("0.5");
    assertThat(ConcurrencyText.number(3.7)).isEqualTo("3.7");
    assertThat(ConcurrencyText.number(0.125)).isEqualTo("0.13");
    assertThat(ConcurrencyText.number(1.999)).isEqualTo("2");
    assertThat(ConcurrencyText.number(0.001)).isEqualTo("0");
    assertThat(ConcurrencyText.number(-0.0)).isEqualTo("0");
    assertThat(ConcurrencyText.number(1e20)).isEqualTo("100000000000000000000");
    assertThat(ConcurrencyText.number(Double.NaN)).isEqualTo("NaN");
    assertThat(ConcurrencyText.roundCapacity(8.000000000000002)).isEqualTo(8.0);
    assertThat(ConcurrencyText.roundCapacity(2.4999999999999996)).isEqualTo(2.5);
  }
}
