package dev.inflight.exporter.debug;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.google.protobuf.ByteString;
import dev.inflight.exporter.debug.DebugExporterConfig.Verbosity;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.TracesExporter;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.component.telemetry.ComponentTelemetry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
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
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DebugExporterTest {
  private static final ComponentId ID = ComponentId.of("debug");
  private static final String TRACE_ID = "0102030405060708090a0b0c0d0e0f10";
  private static final String SPAN_ID = "1112131415161718";
  private static final String PARENT_ID = "2122232425262728";
  // 2020-02-11T20:26:12.000000321Z and one second and 468 ns later.
  private static final long START = 1_581_452_772_000_000_321L;
  private static final long END = 1_581_452_773_000_000_789L;

  @RegisterExtension final CapturedLog captured = new CapturedLog("exporter.debug");

  private static CreateSettings settings() {
    return new CreateSettings(
        ID, ComponentKind.EXPORTER, ComponentTelemetry.noop(ComponentKind.EXPORTER, ID), new HashMap<>());
  }

  private static DebugExporterConfig config(Verbosity verbosity) {
    return new DebugExporterConfig(verbosity, null, null);
  }

  private static ByteString bytes(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  private static KeyValue attr(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  private static KeyValue attr(String key, String value) {
    return attr(key, AnyValue.newBuilder().setStringValue(value).build());
  }

  private static Span span(String name) {
    return Span.newBuilder()
        .setTraceId(bytes(TRACE_ID))
        .setSpanId(bytes(SPAN_ID))
        .setParentSpanId(bytes(PARENT_ID))
        .setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(START)
        .setEndTimeUnixNano(END)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
        .addAttributes(attr("http.method", "GET"))
        .addAttributes(attr("http.status_code", AnyValue.newBuilder().setIntValue(500).build()))
        .build();
  }

  private static ResourceSpans resourceSpans(String service, Span... spans) {
    return ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(attr("service.name", service)))
        .addScopeSpans(
            ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("io.example").setVersion("1.2.0"))
                .addAllSpans(List.of(spans)))
        .build();
  }

  /** Two resources, three spans. */
  private static Traces threeSpans() {
    return Traces.of(
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(resourceSpans("checkout", span("GET /cart"), span("SELECT cart")))
            .addResourceSpans(resourceSpans("payments", span("charge")))
            .build());
  }

  private static NumberDataPoint point(String route, long value) {
    return NumberDataPoint.newBuilder()
        .addAttributes(attr("route", route))
        .setStartTimeUnixNano(START)
        .setTimeUnixNano(END)
        .setAsInt(value)
        .build();
  }

  /** One resource, three metrics, four data points: a gauge of two, a sum and a histogram of one. */
  private static Metrics threeMetrics() {
    Metric gauge =
        Metric.newBuilder()
            .setName("workers.active")
            .setUnit("{worker}")
            .setGauge(Gauge.newBuilder().addDataPoints(point("/a", 3)).addDataPoints(point("/b", 4)))
            .build();
    Metric sum =
        Metric.newBuilder()
            .setName("workers.spans")
            .setSum(
                Sum.newBuilder()
                    .setIsMonotonic(true)
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .addDataPoints(point("/a", 17)))
            .build();
    Metric histogram =
        Metric.newBuilder()
            .setName("workers.duration")
            .setUnit("s")
            .setHistogram(
                Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                    .addDataPoints(
                        HistogramDataPoint.newBuilder()
                            .setStartTimeUnixNano(START)
                            .setTimeUnixNano(END)
                            .setCount(3)
                            .setSum(1.5)
                            .addExplicitBounds(0.5)
                            .addBucketCounts(2)
                            .addBucketCounts(1)))
            .build();
    return Metrics.of(
        ExportMetricsServiceRequest.newBuilder()
            .addResourceMetrics(
                ResourceMetrics.newBuilder()
                    .setResource(Resource.newBuilder().addAttributes(attr("service.name", "inflight")))
                    .addScopeMetrics(
                        ScopeMetrics.newBuilder()
                            .setScope(InstrumentationScope.newBuilder().setName("dev.inflight"))
                            .addMetrics(gauge)
                            .addMetrics(sum)
                            .addMetrics(histogram)))
            .build());
  }

  @Test
  void basicLogsOneSummaryLinePerTracesBatch() throws Exception {
    TracesExporter exporter = new DebugExporterFactory().createTraces(settings(), config(Verbosity.BASIC));

    exporter.consumeTraces(threeSpans());

    assertThat(captured.messages()).containsExactly("Traces: resource spans 2, spans 3");
    assertThat(captured.events().get(0).getLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void basicLogsOneSummaryLinePerMetricsBatch() throws Exception {
    MetricsExporter exporter = new DebugExporterFactory().createMetrics(settings(), config(Verbosity.BASIC));

    exporter.consumeMetrics(threeMetrics());

    assertThat(captured.messages()).containsExactly("Metrics: resource metrics 1, metrics 3, data points 4");
  }

  @Test
  void summaryCountsEncodedTracesAsReceived() throws Exception {
    TracesExporter exporter = new DebugExporterFactory().createTraces(settings(), config(Verbosity.BASIC));

    exporter.consumeTraces(Traces.ofEncoded(threeSpans().encoded()));
    exporter.consumeTraces(Traces.of(ExportTraceServiceRequest.getDefaultInstance()));

    assertThat(captured.messages())
        .containsExactly("Traces: resource spans 2, spans 3", "Traces: resource spans 0, spans 0");
  }

  @Test
  void normalLogsOneLinePerSpanWithIdsAndDuration() throws Exception {
    TracesExporter exporter = new DebugExporterFactory().createTraces(settings(), config(Verbosity.NORMAL));

    exporter.consumeTraces(threeSpans());

    assertThat(captured.messages())
        .containsExactly(
            "Traces: resource spans 2, spans 3",
            "GET /cart " + TRACE_ID + " " + SPAN_ID + " 1.000000468s\n"
                + "SELECT cart " + TRACE_ID + " " + SPAN_ID + " 1.000000468s\n"
                + "charge " + TRACE_ID + " " + SPAN_ID + " 1.000000468s");
  }

  @Test
  void detailedPrintsEverySpanField() throws Exception {
    TracesExporter exporter = new DebugExporterFactory().createTraces(settings(), config(Verbosity.DETAILED));
    Span withExtras =
        span("GET /cart").toBuilder()
            .setTraceState("ot=th:8")
            .addAttributes(
                attr(
                    "tags",
                    AnyValue.newBuilder()
                        .setArrayValue(
                            ArrayValue.newBuilder()
                                .addValues(AnyValue.newBuilder().setStringValue("a"))
                                .addValues(AnyValue.newBuilder().setBoolValue(true)))
                        .build()))
            .addEvents(Span.Event.newBuilder().setName("retry").setTimeUnixNano(END).addAttributes(attr("attempt", "2")))
            .build();

    exporter.consumeTraces(
        Traces.of(ExportTraceServiceRequest.newBuilder().addResourceSpans(resourceSpans("checkout", withExtras)).build()));

    assertThat(captured.messages()).hasSize(2);
    assertThat(captured.messages().get(0)).isEqualTo("Traces: resource spans 1, spans 1");
    assertThat(captured.messages().get(1))
        .isEqualTo(
            """
            ResourceSpans #0
            Resource SchemaURL: \n\
            Resource attributes:
                 -> service.name: Str(checkout)
            ScopeSpans #0
            ScopeSpans SchemaURL: \n\
            InstrumentationScope io.example 1.2.0
            Span #0
                Trace ID       : 0102030405060708090a0b0c0d0e0f10
                Parent ID      : 2122232425262728
                ID             : 1112131415161718
                Name           : GET /cart
                Kind           : Server
                TraceState     : ot=th:8
                Start time     : 2020-02-11T20:26:12.000000321Z
                End time       : 2020-02-11T20:26:13.000000789Z
                Duration       : 1.000000468s
                Status code    : Error
                Status message : boom
            Attributes:
                 -> http.method: Str(GET)
                 -> http.status_code: Int(500)
                 -> tags: Slice(["a",true])
            Events:
            SpanEvent #0
                 -> Name: retry
                 -> Timestamp: 2020-02-11T20:26:13.000000789Z
                 -> DroppedAttributesCount: 0
                 -> Attributes:
                      -> attempt: Str(2)""");
  }

  @Test
  void normalLogsOneLinePerDataPoint() throws Exception {
    MetricsExporter exporter = new DebugExporterFactory().createMetrics(settings(), config(Verbosity.NORMAL));

    exporter.consumeMetrics(threeMetrics());

    assertThat(captured.messages())
        .containsExactly(
            "Metrics: resource metrics 1, metrics 3, data points 4",
            "workers.active{route=/a} 3\n"
                + "workers.active{route=/b} 4\n"
                + "workers.spans{route=/a} 17\n"
                + "workers.duration{} count=3 sum=1.5 le0.5=2 1");
  }

  @Test
  void detailedPrintsEveryDataPoint() throws Exception {
    MetricsExporter exporter = new DebugExporterFactory().createMetrics(settings(), config(Verbosity.DETAILED));

    exporter.consumeMetrics(threeMetrics());

    assertThat(captured.messages()).hasSize(2);
    String text = captured.messages().get(1);
    assertThat(text)
        .startsWith(
            """
            ResourceMetrics #0
            Resource SchemaURL: \n\
            Resource attributes:
                 -> service.name: Str(inflight)
            ScopeMetrics #0
            ScopeMetrics SchemaURL: \n\
            InstrumentationScope dev.inflight \n\
            Metric #0
            Descriptor:
                 -> Name: workers.active
                 -> Description: \n\
                 -> Unit: {worker}
                 -> DataType: Gauge
            NumberDataPoints #0
            Data point attributes:
                 -> route: Str(/a)
            StartTimestamp: 2020-02-11T20:26:12.000000321Z
            Timestamp: 2020-02-11T20:26:13.000000789Z
            Value: 3
            NumberDataPoints #1
            """)
        .contains(
            """
                 -> DataType: Sum
                 -> IsMonotonic: true
                 -> AggregationTemporality: Cumulative
            """)
        .endsWith(
            """
                 -> DataType: Histogram
                 -> AggregationTemporality: Delta
            HistogramDataPoints #0
            StartTimestamp: 2020-02-11T20:26:12.000000321Z
            Timestamp: 2020-02-11T20:26:13.000000789Z
            Count: 3
            Sum: 1.500000
            ExplicitBounds #0: 0.500000
            Buckets #0, Count: 2
            Buckets #1, Count: 1""");
  }

  @Test
  void samplingLogsTheFirstBatchesOfEachSecondThenEveryNth() {
    AtomicLong now = new AtomicLong(5_000_000_000L);
    DebugExporter exporter =
        new DebugExporter(captured.logger(), new DebugExporterConfig(Verbosity.BASIC, 2, 3), now::get);

    for (int i = 0; i < 8; i++) {
      exporter.pushTraces(threeSpans());
    }
    // Batches 1 and 2 (initial), then 5 and 8 (every 3rd after the initial ones).
    assertThat(captured.messages()).hasSize(4);

    now.addAndGet(999_999_999L);
    exporter.pushTraces(threeSpans()); // batch 9 of the same second: not a 3rd
    assertThat(captured.messages()).hasSize(4);

    now.addAndGet(1L); // a new second starts over
    exporter.pushTraces(threeSpans());
    exporter.pushTraces(threeSpans());
    exporter.pushTraces(threeSpans());
    assertThat(captured.messages()).hasSize(6);
  }

  @Test
  void samplingThereafterZeroLogsOnlyTheInitialBatches() {
    AtomicLong now = new AtomicLong();
    DebugExporter exporter =
        new DebugExporter(captured.logger(), new DebugExporterConfig(Verbosity.DETAILED, 1, 0), now::get);

    for (int i = 0; i < 10; i++) {
      exporter.pushMetrics(threeMetrics());
    }

    // The one sampled batch logs its summary and its details; the other nine log nothing.
    assertThat(captured.messages()).hasSize(2);
    assertThat(captured.messages().get(0)).startsWith("Metrics: ");
  }

  @Test
  void defaultSamplingLogsEveryBatch() {
    DebugExporter exporter = new DebugExporter(captured.logger(), DebugExporterConfig.DEFAULT, () -> 0L);

    for (int i = 0; i < 50; i++) {
      exporter.pushTraces(threeSpans());
    }

    assertThat(captured.messages()).hasSize(50);
  }

  @Test
  void logsNothingWhenInfoIsOff() throws Exception {
    captured.logger().setLevel(Level.WARN);
    TracesExporter exporter = new DebugExporterFactory().createTraces(settings(), config(Verbosity.DETAILED));

    exporter.consumeTraces(threeSpans());

    assertThat(captured.events()).isEmpty();
  }

  @Test
  void emptyBatchLogsOnlyItsSummary() throws Exception {
    TracesExporter exporter = new DebugExporterFactory().createTraces(settings(), config(Verbosity.DETAILED));

    exporter.consumeTraces(Traces.of(ExportTraceServiceRequest.getDefaultInstance()));

    assertThat(captured.messages()).containsExactly("Traces: resource spans 0, spans 0");
  }
}
