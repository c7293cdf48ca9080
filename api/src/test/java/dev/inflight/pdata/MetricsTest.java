package dev.inflight.pdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.otlp.wire.OtlpRequestChecker;
import dev.inflight.pdata.testing.TestData;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void dataPointsAreCountedOverEveryMetricType() throws Exception {
    ScopeMetrics scope =
        ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("sum").setSum(Sum.newBuilder()
                .addDataPoints(NumberDataPoint.getDefaultInstance())
                .addDataPoints(NumberDataPoint.getDefaultInstance())))
            .addMetrics(Metric.newBuilder().setName("hist").setHistogram(Histogram.newBuilder()
                .addDataPoints(HistogramDataPoint.getDefaultInstance())))
            .addMetrics(Metric.newBuilder().setName("exp").setExponentialHistogram(ExponentialHistogram.newBuilder()
                .addDataPoints(ExponentialHistogramDataPoint.getDefaultInstance())
                .addDataPoints(ExponentialHistogramDataPoint.getDefaultInstance())
                .addDataPoints(ExponentialHistogramDataPoint.getDefaultInstance())))
            .addMetrics(Metric.newBuilder().setName("summary").setSummary(Summary.newBuilder()
                .addDataPoints(SummaryDataPoint.getDefaultInstance())))
            .addMetrics(Metric.newBuilder().setName("nothing"))
            .build();
    ExportMetricsServiceRequest request =
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(scope).addScopeMetrics(scope))
            .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(scope))
            .build();

    Metrics m = Metrics.of(request);

    assertThat(m.dataPointCount()).isEqualTo(3 * 7);
    assertThat(m.metricCount()).isEqualTo(3 * 5);
    assertThat(m.resourceMetricsCount()).isEqualTo(2);
    // The receiver's checker counts in the same unit, so the count it hands on is the one kept.
    assertThat(OtlpRequestChecker.METRICS.check(request.toByteArray())).isEqualTo(3 * 7);
  }

  @Test
  void aCountTheReceiverEstablishedIsKeptWithoutParsing() {
    byte[] notARequest = {(byte) 0xFF, 0x00};

    Metrics m = Metrics.ofEncoded(notARequest, 12);

    assertThat(m.dataPointCount()).isEqualTo(12);
    assertThat(m.itemCount()).isEqualTo(12);
  }

  @Test
  void encodedMetricsAreParsedOnFirstUse() {
    ExportMetricsServiceRequest request = TestData.metricsRequest(1, 4, 0);
    byte[] bytes = request.toByteArray();

    Metrics m = Metrics.ofEncoded(bytes);

    assertThat(m.encoded()).isSameAs(bytes);
    assertThat(m.dataPointCount()).isEqualTo(5);
    assertThat(m.metricCount()).isEqualTo(3);
    assertThat(m.request()).isEqualTo(request);
    assertThat(Metrics.of(request).encoded()).isEqualTo(bytes);
    assertThat(m).hasToString("Metrics[" + bytes.length + " bytes]");
    assertThat(Metrics.ofEncoded(new byte[] {0x0A, 0x05})).hasToString("Metrics[2 bytes]"); // no parse
  }

  @Test
  void malformedBytesAreAMalformedDataException() {
    Metrics m = Metrics.ofEncoded(new byte[] {0x0A, 0x05, 0x01});

    assertThatThrownBy(m::dataPointCount)
        .isInstanceOf(MalformedDataException.class)
        .hasMessage("metrics are not a valid ExportMetricsServiceRequest");
  }
}
