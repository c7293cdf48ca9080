package dev.inflight.processor.batch;

import com.google.protobuf.ByteString;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.Signal;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.component.telemetry.SpanTotals;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.pdata.testing.TestData;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Requests with recognisable resources, scopes and span ids, and what a test compares them by. */
final class BatchTestData {
  private static final AtomicLong NEXT_SPAN = new AtomicLong(1);
  private static final AtomicLong NEXT_RECORD = new AtomicLong(1);

  private BatchTestData() {}

  static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  /**
   * A request with {@code spansPerScope[r][s]} spans in scope {@code s} of resource {@code r}; the
   * resource is named {@code tag/r}, every span id is unique in the JVM.
   */
  static ExportTraceServiceRequest request(String tag, int[][] spansPerScope) {
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    for (int r = 0; r < spansPerScope.length; r++) {
      ResourceSpans.Builder rs = TestData.resourceSpans(tag + "/" + r, "host-" + r);
      for (int s = 0; s < spansPerScope[r].length; s++) {
        ScopeSpans.Builder ss =
            ScopeSpans.newBuilder()
                .setScope(
                    InstrumentationScope.newBuilder()
                        .setName(tag + "/" + r + "/scope-" + s)
                        .setVersion("1.0")
                        .addAttributes(attr("scope.attr", "x")))
                .setSchemaUrl("https://example.com/scope/" + s);
        for (int i = 0; i < spansPerScope[r][s]; i++) {
          ss.addSpans(span(NEXT_SPAN.getAndIncrement(), i));
        }
        rs.addScopeSpans(ss);
      }
      req.addResourceSpans(rs);
    }
    return req.build();
  }

  static Span span(long id, int i) {
    byte[] traceId = new byte[16];
    traceId[0] = 1;
    traceId[15] = (byte) id;
    byte[] spanId = new byte[8];
    for (int b = 0; b < 8; b++) {
      spanId[7 - b] = (byte) (id >>> (8 * b));
    }
    long t = 1_700_000_000_000_000_000L + i * 1_000_000L;
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(traceId))
        .setSpanId(ByteString.copyFrom(spanId))
        .setName("account worker " + i)
        .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
        .setStartTimeUnixNano(t)
        .setEndTimeUnixNano(t + 5_000_000L)
        .addAttributes(attr("job.id", "job-" + i))
        .build();
  }

  /** One span of a request with where it was: its resource and scope, with their schema URLs. */
  record Located(Resource resource, String resourceSchema, InstrumentationScope scope, String scopeSchema, Span span) {}

  static List<Located> flatten(ExportTraceServiceRequest request) {
    List<Located> out = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          out.add(new Located(rs.getResource(), rs.getSchemaUrl(), ss.getScope(), ss.getSchemaUrl(), s));
        }
      }
    }
    return out;
  }

  static List<Located> flatten(List<Traces> batches) {
    List<Located> out = new ArrayList<>();
    for (Traces t : batches) {
      out.addAll(flatten(t.request()));
    }
    return out;
  }

  static int spans(ExportTraceServiceRequest request) {
    return flatten(request).size();
  }

  /**
   * {@link TestData#logsRequest} (every body kind, trace context on every other record) with the
   * resources named {@code tag/r}, the scopes {@code tag/r/logger-s} with a schema URL, and an
   * attribute {@code record.id} unique in the JVM on every record.
   */
  static ExportLogsServiceRequest logsRequest(String tag, int[][] recordsPerScope) {
    ExportLogsServiceRequest.Builder req = TestData.logsRequest(recordsPerScope).toBuilder();
    for (int r = 0; r < req.getResourceLogsCount(); r++) {
      ResourceLogs.Builder rl = req.getResourceLogsBuilder(r);
      rl.getResourceBuilder().addAttributes(attr("batch.tag", tag + "/" + r));
      for (int s = 0; s < rl.getScopeLogsCount(); s++) {
        ScopeLogs.Builder sl = rl.getScopeLogsBuilder(s).setSchemaUrl("https://example.com/logger/" + s);
        sl.getScopeBuilder().setName(tag + "/" + r + "/logger-" + s);
        for (LogRecord.Builder lr : sl.getLogRecordsBuilderList()) {
          lr.addAttributes(attr("record.id", Long.toString(NEXT_RECORD.getAndIncrement())));
        }
      }
    }
    return req.build();
  }

  /** One log record of a request with where it was: its resource and scope, with their schema URLs. */
  record LocatedRecord(
      Resource resource, String resourceSchema, InstrumentationScope scope, String scopeSchema, LogRecord record) {}

  static List<LocatedRecord> records(ExportLogsServiceRequest request) {
    List<LocatedRecord> out = new ArrayList<>();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord lr : sl.getLogRecordsList()) {
          out.add(new LocatedRecord(rl.getResource(), rl.getSchemaUrl(), sl.getScope(), sl.getSchemaUrl(), lr));
        }
      }
    }
    return out;
  }

  /** The records of batches as sent, parsed from their bytes, in order. */
  static List<LocatedRecord> records(List<Logs> batches) {
    List<LocatedRecord> out = new ArrayList<>();
    for (Logs l : batches) {
      out.addAll(records(parse(l)));
    }
    return out;
  }

  /** Parses the bytes themselves, not a message the {@link Logs} may have been made from. */
  static ExportLogsServiceRequest parse(Logs logs) {
    try {
      return ExportLogsServiceRequest.parseFrom(logs.encoded());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("not a valid ExportLogsServiceRequest", e);
    }
  }

  /** Metrics: resource {@code tag}, one scope, a gauge, a sum and a histogram with the given points. */
  static ExportMetricsServiceRequest metrics(String tag, int gaugePoints, int sumPoints, int histogramPoints) {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (int i = 0; i < gaugePoints; i++) {
      gauge.addDataPoints(NumberDataPoint.newBuilder().setAsInt(i).addAttributes(attr("i", tag + i)));
    }
    Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true);
    for (int i = 0; i < sumPoints; i++) {
      sum.addDataPoints(NumberDataPoint.newBuilder().setAsDouble(i).addAttributes(attr("i", tag + i)));
    }
    Histogram.Builder histogram = Histogram.newBuilder();
    for (int i = 0; i < histogramPoints; i++) {
      histogram.addDataPoints(HistogramDataPoint.newBuilder().setCount(i).addAttributes(attr("i", tag + i)));
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", tag)))
                .addScopeMetrics(
                    ScopeMetrics.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("scope-" + tag))
                        .addMetrics(Metric.newBuilder().setName("g").setUnit("1").setGauge(gauge))
                        .addMetrics(Metric.newBuilder().setName("s").setSum(sum))
                        .addMetrics(Metric.newBuilder().setName("h").setHistogram(histogram))))
        .build();
  }

  /** One data point with its resource, scope and metric (without its other points). */
  record Point(Resource resource, InstrumentationScope scope, String metric, Object point) {}

  static List<Point> points(List<Metrics> batches) {
    List<Point> out = new ArrayList<>();
    for (Metrics m : batches) {
      for (ResourceMetrics rm : m.request().getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric metric : sm.getMetricsList()) {
            List<?> points =
                switch (metric.getDataCase()) {
                  case GAUGE -> metric.getGauge().getDataPointsList();
                  case SUM -> metric.getSum().getDataPointsList();
                  case HISTOGRAM -> metric.getHistogram().getDataPointsList();
                  case EXPONENTIAL_HISTOGRAM -> metric.getExponentialHistogram().getDataPointsList();
                  case SUMMARY -> metric.getSummary().getDataPointsList();
                  case DATA_NOT_SET -> List.of();
                };
            String descriptor = metric.getName() + "|" + metric.getUnit() + "|" + metric.getDataCase()
                + (metric.hasSum() ? "|" + metric.getSum().getIsMonotonic() : "");
            for (Object p : points) {
              out.add(new Point(rm.getResource(), sm.getScope(), descriptor, p));
            }
          }
        }
      }
    }
    return out;
  }

  /** Self-metrics read straight from an SDK meter provider. */
  static final class TestMeter implements MetricReader {
    private volatile CollectionRegistration registration = CollectionRegistration.noop();
    final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(this).build();

    BatchProcessorTelemetry telemetry(Signal signal) {
      return new BatchProcessorTelemetry(
          ComponentTelemetry.of(
              provider, ComponentKind.PROCESSOR, ComponentId.of("batch"), new SpanTotals()),
          signal);
    }

    @Override
    public void register(CollectionRegistration registration) {
      this.registration = registration;
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode forceFlush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }

    private MetricData metric(String name) {
      return registration.collectAllMetrics().stream()
          .filter(m -> m.getName().equals(name))
          .findFirst()
          .orElse(null);
    }

    /** A counter's value over points whose attributes include {@code key=value} (any, when key null). */
    long counter(String name, String key, String value) {
      MetricData m = metric(name);
      if (m == null) {
        return 0;
      }
      long sum = 0;
      for (LongPointData p : m.getLongSumData().getPoints()) {
        if (key == null || value.equals(p.getAttributes().get(AttributeKey.stringKey(key)))) {
          sum += p.getValue();
        }
      }
      return sum;
    }

    long counter(String name) {
      return counter(name, null, null);
    }

    /** {count, sum} of a histogram. */
    long[] histogram(String name) {
      MetricData m = metric(name);
      if (m == null) {
        return new long[] {0, 0};
      }
      long count = 0;
      long sum = 0;
      for (HistogramPointData p : m.getHistogramData().getPoints()) {
        count += p.getCount();
        sum += (long) p.getSum();
      }
      return new long[] {count, sum};
    }
  }
}
