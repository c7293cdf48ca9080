package dev.inflight.otlp.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.inflight.pdata.testing.TestData;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * {@link OtlpJson#print} (Jackson's generator over the descriptors) on requests that use every
 * field kind OTLP has: what it writes reads back, through both parsers, to the same request, and
 * the parts OTLP/JSON spells its own way (hex ids, 64-bit integers as strings, enums as numbers,
 * special doubles) are written exactly so.
 */
class OtlpJsonPrinterTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final ByteString TRACE_ID = ByteString.copyFrom(HEX.parseHex("5b8efff798038103d269b633813fc60c"));
  private static final ByteString SPAN_ID = ByteString.copyFrom(HEX.parseHex("eee19b7ec3c1b174"));
  private static final ByteString PARENT_ID = ByteString.copyFrom(HEX.parseHex("00f067aa0ba902b7"));

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }

  /** One attribute of every AnyValue kind, nested ones included. */
  private static Iterable<KeyValue> everyValueKind() {
    return java.util.List.of(
        kv("s", AnyValue.newBuilder().setStringValue("quote \" slash \\ é 😀 \u2028 \u0001").build()),
        kv("b", AnyValue.newBuilder().setBoolValue(true).build()),
        kv("i", AnyValue.newBuilder().setIntValue(Long.MIN_VALUE).build()),
        kv("d", AnyValue.newBuilder().setDoubleValue(1e21).build()),
        kv("nan", AnyValue.newBuilder().setDoubleValue(Double.NaN).build()),
        kv("inf", AnyValue.newBuilder().setDoubleValue(Double.POSITIVE_INFINITY).build()),
        kv("-inf", AnyValue.newBuilder().setDoubleValue(Double.NEGATIVE_INFINITY).build()),
        kv("bytes", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2, 3})).build()),
        kv("array", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
            .addValues(AnyValue.newBuilder().setStringValue("x"))
            .addValues(AnyValue.newBuilder().setIntValue(0))
            .addValues(AnyValue.newBuilder())).build()),
        kv("kvlist", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
            .addValues(kv("inner", AnyValue.newBuilder().setBoolValue(false).build()))).build()),
        kv("empty", AnyValue.getDefaultInstance()),
        KeyValue.newBuilder().setKey("no value").build());
  }

  private static ExportTraceServiceRequest richTraces() {
    Span span = Span.newBuilder()
        .setTraceId(TRACE_ID).setSpanId(SPAN_ID).setParentSpanId(PARENT_ID)
        .setTraceState("vendor=x").setFlags(0x301).setName("account worker")
        .setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .setStartTimeUnixNano(1_700_000_000_000_000_001L).setEndTimeUnixNano(-1L) // fixed64: 2^64 - 1
        .addAllAttributes(everyValueKind())
        .setDroppedAttributesCount(-1) // uint32: 4294967295
        .addEvents(Span.Event.newBuilder().setName("retry").setTimeUnixNano(1_700_000_000_500_000_000L)
            .addAttributes(kv("attempt", AnyValue.newBuilder().setIntValue(2).build())).setDroppedAttributesCount(1))
        .setDroppedEventsCount(3)
        .addLinks(Span.Link.newBuilder().setTraceId(TRACE_ID).setSpanId(PARENT_ID).setTraceState("a=b")
            .addAttributes(kv("link", AnyValue.newBuilder().setStringValue("follows").build())).setFlags(256))
        .setDroppedLinksCount(4)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("boom"))
        .build();
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAllAttributes(everyValueKind()).setDroppedAttributesCount(2))
            .addScopeSpans(ScopeSpans.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("lib").setVersion("1.2.3")
                    .addAttributes(kv("scope.attr", AnyValue.newBuilder().setStringValue("v").build())))
                .addSpans(span)
                .addSpans(Span.newBuilder().setSpanId(SPAN_ID).setName("minimal"))
                .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0"))
            .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0"))
        .build();
  }

  /** {@link OtlpJsonFastPathTest#allMetricTypes} and points at the edges: NaN, 64-bit extremes, hex exemplar ids. */
  private static ExportMetricsServiceRequest richMetrics() {
    long t = 1_700_000_000_000_000_000L;
    Exemplar exemplar = Exemplar.newBuilder().setTimeUnixNano(t).setAsInt(-3).setSpanId(SPAN_ID).setTraceId(TRACE_ID)
        .addFilteredAttributes(kv("f", AnyValue.newBuilder().setStringValue("v").build())).build();
    ExportMetricsServiceRequest.Builder request = OtlpJsonFastPathTest.allMetricTypes().toBuilder();
    request.getResourceMetricsBuilder(0).getResourceBuilder().addAllAttributes(everyValueKind());
    request.getResourceMetricsBuilder(0).getScopeMetricsBuilder(0)
        .setScope(InstrumentationScope.newBuilder().setName("meter"))
        .addMetrics(Metric.newBuilder().setName("edges").setDescription("d").setUnit("1")
            .setGauge(Gauge.newBuilder()
                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(0).setTimeUnixNano(t).addExemplars(exemplar))
                .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(Double.NaN).setFlags(1))
                .addDataPoints(NumberDataPoint.newBuilder().setAsInt(Long.MAX_VALUE))))
        .addMetrics(Metric.newBuilder().setName("uint64").setHistogram(Histogram.newBuilder()
            .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
            .addDataPoints(HistogramDataPoint.newBuilder().setCount(-1L).setSum(0.0).setMin(-2.5).setMax(2.5)
                .addBucketCounts(1).addBucketCounts(2).addExplicitBounds(0.0))));
    return request.build();
  }

  @Test
  void aRichTraceRequestRoundTripsThroughBothParsers() throws Exception {
    ExportTraceServiceRequest original = richTraces();
    byte[] json = OtlpJson.print(original).getBytes(StandardCharsets.UTF_8);
    assertThat(ExportTraceServiceRequest.parseFrom(OtlpJson.traces(json))).isEqualTo(original);
    assertThat(ExportTraceServiceRequest.parseFrom(OtlpJson.tracesSlow(json))).isEqualTo(original);
    assertThat(OtlpJsonTranscoder.transcodeTraces(json)).isEqualTo(original.toByteArray());
  }

  @Test
  void aRichMetricsRequestRoundTripsThroughBothParsers() throws Exception {
    ExportMetricsServiceRequest original = richMetrics();
    byte[] json = OtlpJson.print(original).getBytes(StandardCharsets.UTF_8);
    assertThat(ExportMetricsServiceRequest.parseFrom(OtlpJson.metrics(json))).isEqualTo(original);
    assertThat(ExportMetricsServiceRequest.parseFrom(OtlpJson.metricsSlow(json))).isEqualTo(original);
    assertThat(OtlpJsonTranscoder.transcodeMetrics(json)).isEqualTo(original.toByteArray());
  }

  /** TestData's logs (a body of every kind) and a record at the edges: every field, all-ones ids, 64-bit extremes. */
  private static ExportLogsServiceRequest richLogs() {
    ExportLogsServiceRequest.Builder request = TestData.logsRequest(new int[][] {{8}, {3}}).toBuilder();
    request.getResourceLogsBuilder(0).getScopeLogsBuilder(0)
        .addLogRecords(LogRecord.newBuilder()
            .setTimeUnixNano(-1L).setObservedTimeUnixNano(1_700_000_000_000_000_001L)
            .setSeverityNumber(SeverityNumber.SEVERITY_NUMBER_FATAL4).setSeverityText("FATAL")
            .setBody(AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addAllValues(everyValueKind())))
            .addAllAttributes(everyValueKind()).setDroppedAttributesCount(-1).setFlags(0x101)
            .setTraceId(TRACE_ID).setSpanId(SPAN_ID))
        .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0");
    request.addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder()
        .addLogRecords(LogRecord.newBuilder().setSeverityNumberValue(99))));
    return request.build();
  }

  @Test
  void aRichLogsRequestRoundTripsThroughBothParsers() throws Exception {
    ExportLogsServiceRequest original = richLogs();
    byte[] json = OtlpJson.print(original).getBytes(StandardCharsets.UTF_8);
    assertThat(ExportLogsServiceRequest.parseFrom(OtlpJson.logs(json))).isEqualTo(original);
    assertThat(ExportLogsServiceRequest.parseFrom(OtlpJson.logsSlow(json))).isEqualTo(original);
    assertThat(OtlpJsonTranscoder.transcodeLogs(json)).isEqualTo(original.toByteArray());
  }

  @Test
  void logRecordsPrintIdsInHexTimesAsStringsAndSeverityAsANumber() {
    String json = OtlpJson.print(richLogs());
    assertThat(json)
        .startsWith("{\"resourceLogs\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",")
        .doesNotContain("\n", " \"", "\": ")
        // TestData's record 0: a string body and trace context (ids 03…00 / 04…00).
        .contains("{\"timeUnixNano\":\"1700000000000000000\",\"severityNumber\":9,\"severityText\":\"INFO\","
            + "\"body\":{\"stringValue\":\"user 42 logged in: ünïcødé ✓ \\\"quoted\\\"\"},")
        .contains("\"flags\":1,\"traceId\":\"03000000000000000000000000000000\",\"spanId\":\"0400000000000000\","
            + "\"observedTimeUnixNano\":\"1700000000000000007\"}")
        // record 1: no trace context at all, a bool body
        .contains("\"severityNumber\":13,\"severityText\":\"WARN\",\"body\":{\"boolValue\":true},")
        .contains("\"body\":{\"bytesValue\":\"AAH+BA==\"}")
        .contains("\"body\":{\"arrayValue\":{\"values\":[{\"stringValue\":\"a\"},{\"intValue\":\"5\"},"
            + "{\"arrayValue\":{\"values\":[{\"boolValue\":true}]}}]}}")
        .contains("{\"timeUnixNano\":\"18446744073709551615\",\"severityNumber\":24,\"severityText\":\"FATAL\"")
        .contains("\"droppedAttributesCount\":4294967295,\"flags\":257,\"traceId\":\"5b8efff798038103d269b633813fc60c\","
            + "\"spanId\":\"eee19b7ec3c1b174\",\"observedTimeUnixNano\":\"1700000000000000001\"}")
        .contains("\"logRecords\":[{\"severityNumber\":99}]"); // defaults left out, unknown enum numbers kept
  }

  @Test
  void idsAreHexIntegersOf64BitsAreStringsEnumsAreNumbers() {
    String json = OtlpJson.print(richTraces());
    assertThat(json)
        .startsWith("{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"s\",")
        .doesNotContain("\n", " \"", "\": ")
        .contains("{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\","
            + "\"traceState\":\"vendor=x\",\"parentSpanId\":\"00f067aa0ba902b7\","
            + "\"name\":\"account worker\",\"kind\":2,"
            + "\"startTimeUnixNano\":\"1700000000000000001\",\"endTimeUnixNano\":\"18446744073709551615\",")
        .contains("{\"key\":\"s\",\"value\":{\"stringValue\":\"quote \\\" slash \\\\ é 😀 \\u2028 \\u0001\"}}")
        .contains("{\"key\":\"i\",\"value\":{\"intValue\":\"-9223372036854775808\"}}")
        .contains("{\"key\":\"d\",\"value\":{\"doubleValue\":1.0E21}}")
        .contains("{\"key\":\"nan\",\"value\":{\"doubleValue\":\"NaN\"}}")
        .contains("{\"key\":\"inf\",\"value\":{\"doubleValue\":\"Infinity\"}}")
        .contains("{\"key\":\"-inf\",\"value\":{\"doubleValue\":\"-Infinity\"}}")
        .contains("{\"key\":\"bytes\",\"value\":{\"bytesValue\":\"AQID\"}}")
        .contains("{\"key\":\"array\",\"value\":{\"arrayValue\":{\"values\":[{\"stringValue\":\"x\"},{\"intValue\":\"0\"},{}]}}}")
        .contains("{\"key\":\"empty\",\"value\":{}},{\"key\":\"no value\"}")
        .contains("\"droppedAttributesCount\":4294967295")
        .contains("\"links\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"00f067aa0ba902b7\","
            + "\"traceState\":\"a=b\",\"attributes\":[{\"key\":\"link\",\"value\":{\"stringValue\":\"follows\"}}],\"flags\":256}]")
        .contains("\"droppedLinksCount\":4,\"status\":{\"message\":\"boom\",\"code\":2},\"flags\":769}") // field 16 last
        .contains("{\"spanId\":\"eee19b7ec3c1b174\",\"name\":\"minimal\"}"); // defaults left out

    String metrics = OtlpJson.print(richMetrics());
    assertThat(metrics)
        .contains("\"exemplars\":[{\"timeUnixNano\":\"1700000000000000000\",\"spanId\":\"eee19b7ec3c1b174\","
            + "\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"asInt\":\"-3\",\"filteredAttributes\":")
        .contains("{\"asDouble\":\"NaN\",\"flags\":1}")
        .contains("\"asInt\":\"9223372036854775807\"")
        .contains("\"aggregationTemporality\":2,\"isMonotonic\":true")
        .contains("\"aggregationTemporality\":1}")
        .contains("\"count\":\"18446744073709551615\",\"sum\":0.0,\"bucketCounts\":[\"1\",\"2\"],\"explicitBounds\":[0.0]")
        .contains("\"scale\":-4,\"zeroCount\":\"2\",\"positive\":{\"offset\":-3,\"bucketCounts\":[\"1\",\"0\"]},\"negative\":{}")
        .contains("\"zeroThreshold\":1.0E-9")
        .contains("\"quantileValues\":[{\"quantile\":0.5,\"value\":2.0},{}]");
  }
}
