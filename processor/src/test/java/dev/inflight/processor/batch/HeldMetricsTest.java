package dev.inflight.processor.batch;

import static dev.inflight.processor.batch.BatchTestData.metrics;
import static dev.inflight.processor.batch.BatchTestData.points;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.pdata.Metrics;
import dev.inflight.processor.batch.HeldBatch.Cut;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HeldMetricsTest {
  private final HeldMetrics held = new HeldMetrics();

  private Metrics add(ExportMetricsServiceRequest request) {
    Metrics m = Metrics.of(request);
    held.add(m, m.dataPointCount());
    return m;
  }

  private List<Metrics> drain(int cap) {
    List<Metrics> out = new ArrayList<>();
    while (held.items() > 0) {
      Cut<Metrics> cut = held.take(cap);
      Metrics m = cut.data();
      assertThat(m.dataPointCount()).isEqualTo(cut.items()).isPositive();
      if (cap > 0) {
        assertThat(cut.items()).isLessThanOrEqualTo(cap);
      }
      out.add(m);
    }
    return out;
  }

  @Test
  void mergesRequestsResourceByResource() {
    ExportMetricsServiceRequest a = metrics("a", 1, 2, 0);
    ExportMetricsServiceRequest b = metrics("b", 0, 1, 3);
    add(a);
    add(b);

    List<Metrics> out = drain(0);

    assertThat(out).singleElement().satisfies(m -> assertThat(m.request())
        .isEqualTo(ExportMetricsServiceRequest.newBuilder()
            .addAllResourceMetrics(a.getResourceMetricsList())
            .addAllResourceMetrics(b.getResourceMetricsList())
            .build()));
  }

  @Test
  void aRequestTakenWholeIsHandedOnAsItIs() {
    Metrics m = add(metrics("a", 1, 1, 1));
    assertThat(held.take(10).data()).isSameAs(m);
  }

  @Test
  void splitsInsideAMetricBetweenDataPointsKeepingItsDescriptor() {
    ExportMetricsServiceRequest in = metrics("a", 3, 5, 4);
    add(in);

    List<Metrics> out = drain(5);

    assertThat(out).extracting(Metrics::dataPointCount).containsExactly(5, 5, 2);
    List<Metric> first = out.get(0).request().getResourceMetrics(0).getScopeMetrics(0).getMetricsList();
    assertThat(first).extracting(Metric::getName).containsExactly("g", "s");
    assertThat(first.get(1).getSum().getIsMonotonic()).isTrue();
    assertThat(points(out)).isEqualTo(points(List.of(Metrics.of(in))));
  }

  @Test
  void randomShapesLoseNothingAndRespectTheCap() {
    for (int seed = 0; seed < 200; seed++) {
      Random random = new Random(seed);
      HeldMetrics batch = new HeldMetrics();
      int cap = 1 + random.nextInt(12);
      List<Metrics> in = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(5); i++) {
        Metrics m = Metrics.of(metrics("s" + seed + "." + i, random.nextInt(8), random.nextInt(8), random.nextInt(8)));
        if (m.dataPointCount() == 0) {
          continue;
        }
        in.add(m);
        batch.add(m, m.dataPointCount());
      }
      List<Metrics> out = new ArrayList<>();
      while (batch.items() > 0) {
        Cut<Metrics> cut = batch.take(cap);
        assertThat(cut.items()).as("seed %d", seed).isBetween(1, cap);
        assertThat(cut.data().dataPointCount()).isEqualTo(cut.items());
        out.add(cut.data());
      }
      assertThat(points(out)).as("seed %d", seed).isEqualTo(points(in));
    }
  }
}
