package dev.inflight.otlp.json;

import dev.inflight.otlp.wire.InvalidRequestException;
import dev.inflight.otlp.wire.OtlpRequestChecker;
import dev.inflight.receiver.otlp.Requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import static dev.inflight.otlp.json.ProtobufJsonPrintings.NODES;
import static dev.inflight.otlp.json.ProtobufJsonPrintings.compact;
import static dev.inflight.otlp.json.ProtobufJsonPrintings.enumNames;
import static dev.inflight.otlp.json.ProtobufJsonPrintings.field;
import static dev.inflight.otlp.json.ProtobufJsonPrintings.isId;
import static dev.inflight.otlp.json.ProtobufJsonPrintings.pretty;
import static dev.inflight.otlp.json.ProtobufJsonPrintings.protoNames;
import static dev.inflight.otlp.json.ProtobufJsonPrintings.text;
import static dev.inflight.otlp.json.ProtobufJsonPrintings.tree;
import static dev.inflight.otlp.json.ProtobufJsonPrintings.withDefaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import dev.inflight.pdata.testing.TestData;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast OTLP/JSON path ({@link OtlpJsonTranscoder}) against the slow one (a Jackson tree merged
 * with JsonFormat's rules, {@link OtlpJsonTree})
 * and the request itself: same bytes for every valid input it takes, and for what it does not take,
 * the slow path's answer (same bytes or the same refusal) through {@link OtlpJson#traces}.
 */
class OtlpJsonFastPathTest {
  private static final HexFormat HEX = HexFormat.of();

  // ---------------------------------------------------------------- valid input: same bytes

  @Test
  void theTestBuildersRequestsInEveryPrinting() throws Exception {
    assertAllPrintingsAgree(Requests.traces(new int[][] {{2}, {1}}), new Random(1));
    assertAllPrintingsAgree(Requests.traces(40), new Random(2));
    assertAllPrintingsAgree(Requests.metrics(), new Random(3));
    assertAllPrintingsAgree(ExportTraceServiceRequest.getDefaultInstance(), new Random(4));
    assertAllPrintingsAgree(ExportMetricsServiceRequest.getDefaultInstance(), new Random(5));
    assertAllPrintingsAgree(ExportLogsServiceRequest.getDefaultInstance(), new Random(6));
  }

  /** TestData's logs: every body kind, severities, trace context on every other record. */
  @Test
  void theTestDataLogsRequestsInEveryPrinting() throws Exception {
    int[][][] shapes = {{{1}}, {{8}}, {{2}, {1}}, {{3, 0, 5}, {}, {1}}, {{16, 16}}, {{0}}};
    Random random = new Random(7);
    for (int[][] shape : shapes) {
      assertAllPrintingsAgree(TestData.logsRequest(shape), random);
    }
    assertAllPrintingsAgree(TestData.logs(40).request(), random);
  }

  @Test
  void handBuiltTracesWithEveryAttributeTypeLinksEventsAndStatus() throws Exception {
    Random random = new Random(11);
    for (int i = 0; i < 30; i++) {
      assertAllPrintingsAgree(randomTraces(random), random);
    }
  }

  @Test
  void handBuiltMetricsOfEveryType() throws Exception {
    Random random = new Random(12);
    assertAllPrintingsAgree(allMetricTypes(), random);
    for (int i = 0; i < 30; i++) {
      assertAllPrintingsAgree(randomMetrics(random), random);
    }
  }

  /** Every field of every message reachable from the two requests, filled from the descriptors. */
  @Test
  void descriptorDrivenRandomRequests() throws Exception {
    Random random = new Random(13);
    for (int i = 0; i < 60; i++) {
      ExportTraceServiceRequest.Builder t = ExportTraceServiceRequest.newBuilder();
      fill(t, random, 0);
      assertAllPrintingsAgree(t.build(), random);
      ExportMetricsServiceRequest.Builder m = ExportMetricsServiceRequest.newBuilder();
      fill(m, random, 0);
      assertAllPrintingsAgree(m.build(), random);
      ExportLogsServiceRequest.Builder l = ExportLogsServiceRequest.newBuilder();
      fill(l, random, 0);
      assertAllPrintingsAgree(l.build(), random);
    }
  }

  @Test
  void jsonFormsJsonFormatAcceptsAndTheFastPathTakes() throws Exception {
    String[] spans = {
      // numbers as strings and strings as numbers, leading zeros in strings, exponents, -0
      "{\"kind\":2,\"startTimeUnixNano\":1700000000000000001,\"endTimeUnixNano\":\"0001\",\"flags\":\"4294967295\","
          + "\"droppedAttributesCount\":1.0,\"droppedEventsCount\":\"1e2\",\"droppedLinksCount\":-0}",
      "{\"kind\":2.0,\"startTimeUnixNano\":\"18446744073709551615\",\"endTimeUnixNano\":18446744073709551615,\"flags\":\"+7\"}",
      "{\"kind\":99,\"status\":{\"code\":-5}}", // open enums keep unknown numbers
      "{\"kind\":\"SPAN_KIND_CONSUMER\",\"status\":{\"code\":\"STATUS_CODE_ERROR\",\"message\":\"\"}}",
      "{\"kind\":0,\"flags\":0,\"startTimeUnixNano\":\"0\",\"name\":\"\",\"traceId\":\"\",\"spanId\":\"\",\"status\":{}}",
      // nulls are absent; unknown fields of any shape are skipped
      "{\"name\":null,\"attributes\":null,\"status\":null,\"kind\":null,\"x\":{\"a\":[1,{\"b\":null}],\"c\":\"d\"},\"y\":[[]],\"z\":-1.5e3}",
      // ids in upper case, snake_case names, mixed
      "{\"trace_id\":\"5B8EFFF798038103D269B633813FC60C\",\"span_id\":\"EEE19B7EC3C1B174\",\"parentSpanId\":\"00\","
          + "\"links\":[{\"trace_id\":\"01\",\"spanId\":\"02\",\"flags\":256,\"trace_state\":\"a=b\"}]}",
      // strings: escapes, unicode in and beyond the BMP, escaped surrogate pairs
      "{\"name\":\"q\\\"b\\\\s\\/n\\n\\t\\b\\f\\r\\u0000\\u001f é 中 \uD83D\uDE00 \\ud83d\\ude00\"}",
      // fields out of field-number order, and every AnyValue kind incl. oneof members at their defaults
      "{\"status\":{\"message\":\"m\",\"code\":1},\"name\":\"n\",\"flags\":1,\"spanId\":\"0102030405060708\",\"attributes\":["
          + "{\"value\":{\"stringValue\":\"\"},\"key\":\"s\"},{\"key\":\"b\",\"value\":{\"boolValue\":false}},"
          + "{\"key\":\"i\",\"value\":{\"intValue\":\"0\"}},{\"key\":\"d\",\"value\":{\"doubleValue\":0}},"
          + "{\"key\":\"y\",\"value\":{\"bytesValue\":\"\"}},{\"key\":\"a\",\"value\":{\"arrayValue\":{}}},"
          + "{\"key\":\"k\",\"value\":{\"kvlistValue\":{\"values\":[{\"key\":\"x\"}]}}},{\"key\":\"e\",\"value\":{}},{\"key\":\"n\"},"
          + "{\"key\":\"nul\",\"value\":{\"stringValue\":null,\"intValue\":5}},{\"key\":\"nul2\",\"value\":{\"intValue\":5,\"stringValue\":null}}]}",
      // doubles: strings, specials, tiny and huge, -0 (JsonFormat's BigDecimal drops the sign)
      "{\"attributes\":[{\"key\":\"a\",\"value\":{\"doubleValue\":\"NaN\"}},{\"key\":\"b\",\"value\":{\"doubleValue\":\"-Infinity\"}},"
          + "{\"key\":\"c\",\"value\":{\"doubleValue\":\"1.5\"}},{\"key\":\"d\",\"value\":{\"doubleValue\":4.9e-324}},"
          + "{\"key\":\"e\",\"value\":{\"doubleValue\":1.7976931348623157E308}},{\"key\":\"f\",\"value\":{\"doubleValue\":-0.0}},"
          + "{\"key\":\"g\",\"value\":{\"doubleValue\":1e-400}},{\"key\":\"h\",\"value\":{\"doubleValue\":-1e-400}},"
          + "{\"key\":\"i\",\"value\":{\"doubleValue\":123456789012345678901234567890}},{\"key\":\"j\",\"value\":{\"doubleValue\":-9223372036854775808}},"
          + "{\"key\":\"k\",\"value\":{\"doubleValue\":0.1}},{\"key\":\"l\",\"value\":{\"doubleValue\":\"2.5e-3\"}}]}",
      // bytes: standard, URL-safe, unpadded base64; bools as strings
      "{\"attributes\":[{\"key\":\"a\",\"value\":{\"bytesValue\":\"AQI=\"}},{\"key\":\"b\",\"value\":{\"bytesValue\":\"-_8\"}},"
          + "{\"key\":\"c\",\"value\":{\"bytesValue\":\"AQI\"}},{\"key\":\"d\",\"value\":{\"boolValue\":\"true\"}},"
          + "{\"key\":\"e\",\"value\":{\"intValue\":-9223372036854775808}},{\"key\":\"f\",\"value\":{\"intValue\":\"-1\"}}]}",
    };
    for (String span : spans) {
      assertFastEqualsSlow(traces(span));
      assertFastEqualsSlow("  \n" + traces(span) + " \r\n\t "); // whitespace around the object
    }
    assertFastEqualsSlow("{}");
    assertFastEqualsSlow("{\"resourceSpans\":[]}");
    assertFastEqualsSlow("{\"resource_spans\":[{}],\"extra\":true}");
  }

  @Test
  void metricsJsonForms() throws Exception {
    String json = """
        {"resourceMetrics":[{"scopeMetrics":[{"metrics":[
          {"name":"h","histogram":{"aggregationTemporality":"AGGREGATION_TEMPORALITY_DELTA","dataPoints":[
            {"count":"3","sum":0,"min":"0","max":-0.0,"bucketCounts":["1",2,"0"],"explicitBounds":[0,"1.5","Infinity"]},
            {"count":0,"bucketCounts":[],"explicitBounds":[]}]}},
          {"name":"e","exponentialHistogram":{"aggregationTemporality":1,"dataPoints":[
            {"scale":-3,"zeroCount":"5","positive":{"offset":-2,"bucketCounts":[1,"2"]},"negative":{},"zeroThreshold":1e-9,
             "exemplars":[{"asInt":"0","spanId":"0102030405060708","traceId":"","filteredAttributes":[{"key":"k","value":{"intValue":1}}]}]}]}},
          {"name":"s","summary":{"dataPoints":[{"quantileValues":[{"quantile":0.5,"value":"NaN"},{}],"sum":0,"count":1}]}},
          {"name":"g","gauge":{"dataPoints":[{"asInt":0},{"asDouble":0},{"asInt":null,"asDouble":2}]},"metadata":[{"key":"m"}]},
          {"name":"c","sum":{"isMonotonic":"true","dataPoints":[{"asDouble":"-Infinity","flags":1}]}}]}]}]}
        """;
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    assertThat(OtlpJsonTranscoder.transcodeMetrics(bytes)).isEqualTo(OtlpJson.metricsSlow(bytes));
    assertThat(OtlpJson.metrics(bytes)).isEqualTo(OtlpJson.metricsSlow(bytes));
  }

  @Test
  void logsJsonForms() throws Exception {
    String json = """
        {"resource_logs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
          "scopeLogs":[{"scope":{"name":"app"},"log_records":[
            {"timeUnixNano":1700000000000000000,"observed_time_unix_nano":"1700000000000000001",
             "severityNumber":"SEVERITY_NUMBER_WARN","severityText":"WARN","body":{"stringValue":"é \\u00e9 \\n"},
             "traceId":"5B8EFFF798038103D269B633813FC60C","span_id":"eee19b7ec3c1b174","flags":"1","eventName":"login"},
            {"severityNumber":21,"body":{"boolValue":"true"},"traceId":"","spanId":"","droppedAttributesCount":"2"},
            {"body":{"intValue":-9223372036854775808}},{"body":{"doubleValue":"NaN"}},{"body":{"bytesValue":"AP8="}},
            {"body":{"arrayValue":{"values":[{"stringValue":"a"},{"arrayValue":{}},{}]}}},
            {"body":{"kvlistValue":{"values":[{"key":"k","value":{"kvlistValue":{"values":[{"key":"n"}]}}}]}}},
            {"body":{},"attributes":[{"key":"a","value":{"doubleValue":1.5}}],"unknown":[1,{"x":null}]},
            {"body":null,"severityNumber":99}]}]}]}
        """;
    byte[] bytes = utf8(json);
    byte[] fast = OtlpJsonTranscoder.transcodeLogs(bytes);
    assertThat(fast).isEqualTo(OtlpJson.logsSlow(bytes)).isEqualTo(OtlpJson.logs(bytes));
    var records = ExportLogsServiceRequest.parseFrom(fast).getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
    assertThat(records).hasSize(9);
    assertThat(HEX.formatHex(records.get(0).getTraceId().toByteArray())).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(HEX.formatHex(records.get(0).getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b174");
    assertThat(records.get(0).getSeverityNumberValue()).isEqualTo(13);
    assertThat(records.get(0).getObservedTimeUnixNano()).isEqualTo(1_700_000_000_000_000_001L);
    assertThat(records.get(0).getBody().getStringValue()).isEqualTo("é é \n");
    assertThat(records.get(1).getBody().getBoolValue()).isTrue();
    assertThat(records.get(2).getBody().getIntValue()).isEqualTo(Long.MIN_VALUE);
    assertThat(records.get(3).getBody().getDoubleValue()).isNaN();
    assertThat(records.get(4).getBody().getBytesValue().toByteArray()).containsExactly(0, 0xFF);
    assertThat(records.get(5).getBody().getArrayValue().getValuesCount()).isEqualTo(3);
    assertThat(records.get(6).getBody().getKvlistValue().getValues(0).getValue().getKvlistValue().getValues(0).getKey())
        .isEqualTo("n");
    assertThat(records.get(7).hasBody()).isTrue();
    assertThat(records.get(8).hasBody()).isFalse();
    assertThat(records.get(8).getSeverityNumberValue()).isEqualTo(99); // open enum: unknown numbers kept
  }

  @Test
  void invalidLogsAreLeftToTheSlowPathWhichAnswersAsBefore() throws Exception {
    String[] inputs = {
      logs("{\"traceId\":\"xyz\"}"),
      logs("{\"spanId\":\"AQIDBAUGBwg=\"}"), // base64, not hex
      logs("{\"traceId\":\"abc\"}"), // odd length
      logs("{\"severityNumber\":\"SEVERITY_NUMBER_LOUD\"}"), // unknown name: JsonFormat drops the field
      logs("{\"body\":{\"stringValue\":\"a\",\"intValue\":1}}"), // two oneof members
      logs("{\"timeUnixNano\":\"-1\"}"),
      logs("{\"flags\":4294967296}"),
      "{\"resourceLogs\": [",
      "{\"resourceLogs\": 5}",
    };
    for (String json : inputs) {
      assertThatThrownBy(() -> OtlpJsonTranscoder.transcodeLogs(utf8(json))).as(json).isInstanceOf(Exception.class);
      byte[][] results = new byte[2][];
      Throwable viaBoth = catchThrowable(() -> results[0] = OtlpJson.logs(utf8(json)));
      Throwable slowOnly = catchThrowable(() -> results[1] = OtlpJson.logsSlow(utf8(json)));
      if (slowOnly == null) {
        assertThat(viaBoth).as(json).isNull();
        assertThat(results[0]).as(json).isEqualTo(results[1]);
      } else {
        assertThat(viaBoth).as(json).isInstanceOf(InvalidRequestException.class).hasMessage(slowOnly.getMessage());
      }
    }
    assertThatThrownBy(() -> OtlpJson.logs(utf8(inputs[0]))).hasMessageContaining("trace_id \"xyz\" is not a hex string");
    assertThatThrownBy(() -> OtlpJson.logs(utf8(inputs[1]))).hasMessageContaining("span_id \"AQIDBAUGBwg=\" is not a hex string");
    assertThatThrownBy(() -> OtlpJson.logs(utf8(inputs[8])))
        .hasMessageStartingWith("not a valid OTLP/JSON ExportLogsServiceRequest");
  }

  @Test
  void messageNestingUpToTheCheckersLimitAndJsonDepthUpToTheBracketLimit() throws Exception {
    // Span attributes sit at message depth 4 (request, resource spans, scope spans, span, key value);
    // each arrayValue level adds two (ArrayValue, AnyValue).
    for (int levels = 28; levels <= 31; levels++) {
      String value = "{\"stringValue\":\"leaf\"}";
      for (int i = 0; i < levels; i++) {
        value = "{\"arrayValue\":{\"values\":[" + value + "]}}";
      }
      String json = traces("{\"attributes\":[{\"key\":\"deep\",\"value\":" + value + "}]}");
      assertSameOutcome(json);
      Throwable fast = catchThrowable(() -> OtlpJsonTranscoder.transcodeTraces(utf8(json)));
      if (5 + 2 * levels <= OtlpRequestChecker.MAX_DEPTH) {
        assertThat(fast).isNull();
      } else {
        assertThat(fast).isNotNull();
        assertThatThrownBy(() -> OtlpJson.traces(utf8(json))).hasMessage("invalid JSON: nested deeper than 64 levels");
      }
    }
    for (int depth = 198; depth <= 202; depth++) {
      String json = "{\"x\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
      assertSameOutcome(json);
      Throwable fast = catchThrowable(() -> OtlpJsonTranscoder.transcodeTraces(utf8(json)));
      if (depth <= OtlpJson.MAX_JSON_DEPTH) {
        assertThat(fast).isNull();
      } else {
        assertThat(fast).isNotNull();
      }
    }
    String deep = "{\"x\":" + "[".repeat(200) + "]".repeat(200) + "}";
    assertThatThrownBy(() -> OtlpJsonTranscoder.transcodeTraces(utf8(deep))).isInstanceOf(Exception.class);
    assertThatThrownBy(() -> OtlpJson.traces(utf8(deep))).hasMessage("invalid JSON: nested deeper than 200 levels");
  }

  // ---------------------------------------------------------------- what the fast path leaves

  @Test
  void invalidOrUnusualInputIsLeftToTheSlowPathWhichAnswersAsBefore() throws Exception {
    String[] inputs = {
      traces("{\"traceId\":\"xyz\"}"), // not hex
      traces("{\"spanId\":\"AQIDBAUGBwg=\"}"), // base64, not hex
      traces("{\"spanId\":\"abc\"}"), // odd length
      traces("{\"spanId\":7}"),
      traces("{\"name\":\"a\",\"name\":\"b\"}"), // duplicate: the tree keeps the last, as Gson's did
      traces("{\"name\":\"a\",\"name\":\"\"}"),
      traces("{\"startTimeUnixNano\":\"5\",\"start_time_unix_nano\":\"6\"}"), // duplicate under both names
      traces("{\"startTimeUnixNano\":\"0\",\"start_time_unix_nano\":\"6\"}"),
      traces("{\"attributes\":[],\"attributes\":[{\"key\":\"k\"}]}"),
      traces("{\"attributes\":[{\"key\":\"k\",\"value\":{\"stringValue\":\"a\",\"intValue\":1}}]}"), // two oneof members
      traces("{\"kind\":\"SPAN_KIND_NOPE\"}"), // unknown enum name: JsonFormat drops the field
      traces("{\"kind\":\"2\"}"), // digits in a string: JsonFormat reads the number
      traces("{\"kind\":1.5}"),
      traces("{\"kind\":true}"),
      traces("{\"name\":5}"), // JsonFormat takes a number as a string
      traces("{\"name\":true}"),
      traces("{\"name\":[\"x\"]}"),
      traces("{\"droppedAttributesCount\":[3]}"), // JsonFormat reads one-element arrays as scalars
      traces("{\"droppedAttributesCount\":-1}"),
      traces("{\"droppedAttributesCount\":4294967296}"),
      traces("{\"droppedAttributesCount\":{}}"),
      traces("{\"startTimeUnixNano\":\"-1\"}"),
      traces("{\"startTimeUnixNano\":\"18446744073709551616\"}"),
      traces("{\"startTimeUnixNano\":\"1.5\"}"),
      traces("{\"startTimeUnixNano\":\" 1\"}"),
      traces("{\"startTimeUnixNano\":true}"),
      traces("{\"status\":5}"),
      traces("{\"status\":[]}"),
      traces("{\"attributes\":{}}"),
      traces("{\"attributes\":[null]}"),
      traces("{\"attributes\":[5]}"),
      traces("{\"attributes\":[{\"key\":\"b\",\"value\":{\"boolValue\":1}}]}"),
      traces("{\"attributes\":[{\"key\":\"b\",\"value\":{\"boolValue\":\"yes\"}}]}"),
      traces("{\"attributes\":[{\"key\":\"b\",\"value\":{\"bytesValue\":\"***\"}}]}"),
      traces("{\"attributes\":[{\"key\":\"d\",\"value\":{\"doubleValue\":\"1e400\"}}]}"),
      traces("{\"attributes\":[{\"key\":\"d\",\"value\":{\"doubleValue\":1e400}}]}"),
      traces("{\"attributes\":[{\"key\":\"d\",\"value\":{\"doubleValue\":\"nan\"}}]}"),
      traces("{\"name\":\"\\ud800\"}"), // unpaired surrogate: protobuf writes '?'
      traces("{\"name\":\"a\u0001b\"}"), // raw control character: the tree reader takes it (as Gson did), the streaming parser does not
      traces("{\"name\":\"\\'\"}"),
      "{\"resourceSpans\": [", // truncated
      "{\"resourceSpans\":[]", // truncated
      "{\"resourceSpans\":[]} x", // trailing garbage
      "{} {}",
      "{}}",
      "[]",
      "5",
      "",
      "{\"resourceSpans\": 5}",
      "{\"resourceSpans\":[],}",
      "{'resourceSpans':[]}",
      "{\"resourceSpans\":[/* c */]}",
      "\uFEFF{\"resourceSpans\":[]}", // byte order mark
      "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"x\"}]}]}]".repeat(2),
    };
    for (String json : inputs) {
      assertThatThrownBy(() -> OtlpJsonTranscoder.transcodeTraces(utf8(json)))
          .as(json)
          .isInstanceOf(Exception.class);
      assertSameOutcome(json);
    }
  }

  @Test
  void bytesThatAreNotPlainUtf8AreLeftToTheSlowPath() throws Exception {
    byte[] prefix = utf8(traces("{\"name\":\"#\"}"));
    int at = new String(prefix, StandardCharsets.UTF_8).indexOf('#');
    byte[][] inserts = {
      {(byte) 0xC3, (byte) 0xA9}, // é: fine
      {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80}, // U+1F600: fine
      {(byte) 0xC3}, // truncated
      {(byte) 0xC0, (byte) 0x80}, // overlong NUL
      {(byte) 0xC1, (byte) 0x81}, // overlong 'A'
      {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, // overlong
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // encoded surrogate
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
      {(byte) 0xFF},
      {(byte) 0x80},
    };
    for (int i = 0; i < inserts.length; i++) {
      byte[] json = new byte[prefix.length - 1 + inserts[i].length];
      System.arraycopy(prefix, 0, json, 0, at);
      System.arraycopy(inserts[i], 0, json, at, inserts[i].length);
      System.arraycopy(prefix, at + 1, json, at + inserts[i].length, prefix.length - at - 1);
      if (i < 2) {
        assertThat(OtlpJsonTranscoder.transcodeTraces(json)).isEqualTo(OtlpJson.tracesSlow(json));
      } else {
        assertThatThrownBy(() -> OtlpJsonTranscoder.transcodeTraces(json)).isInstanceOf(Exception.class);
        assertSameOutcome(json);
      }
    }
    // UTF-16 (Jackson would guess it from the zero bytes; the slow path reads UTF-8 and refuses)
    byte[] utf16 = "{\"resourceSpans\":[]}".getBytes(StandardCharsets.UTF_16LE);
    assertThatThrownBy(() -> OtlpJsonTranscoder.transcodeTraces(utf16)).isInstanceOf(Exception.class);
    assertSameOutcome(utf16);
  }

  @Test
  void theExistingMessagesAreUnchanged() throws Exception {
    assertThatThrownBy(() -> OtlpJson.traces(utf8(traces("{\"spanId\":\"AQIDBAUGBwg=\"}"))))
        .hasMessageContaining("span_id \"AQIDBAUGBwg=\" is not a hex string");
    assertThatThrownBy(() -> OtlpJson.traces(utf8("{\"resourceSpans\": 5}")))
        .hasMessageStartingWith("not a valid OTLP/JSON ExportTraceServiceRequest");
    // Taken by the slow path alone: the tree keeps the last of a repeated key, JsonFormat's rules drop unknown enum names.
    String lenient = traces("{\"name\":\"a\",\"name\":\"b\",\"name\":\"c\",\"kind\":\"x\"}");
    assertThatThrownBy(() -> OtlpJsonTranscoder.transcodeTraces(utf8(lenient))).isInstanceOf(Exception.class);
    Span span = catchThrowable(() -> OtlpJson.traces(utf8(lenient))) == null ? parse(lenient) : null;
    assertThat(span).isNotNull();
    assertThat(span.getName()).isEqualTo("c");
    assertThat(span.getKindValue()).isZero();
    assertThatThrownBy(() -> OtlpJson.traces(utf8(traces("{\"attributes\":[{\"key\":\"k\",\"value\":{\"stringValue\":\"a\",\"intValue\":1}}]}"))))
        .hasMessageContaining("belonging to the same oneof has already been set");
    assertThatThrownBy(() -> OtlpJson.metrics(utf8("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"gauge\":{},\"sum\":{}}]}]}]}")))
        .hasMessageContaining("belonging to the same oneof has already been set");
  }

  // ---------------------------------------------------------------- helpers: comparing

  private static Span parse(String json) throws Exception {
    return ExportTraceServiceRequest.parseFrom(OtlpJson.traces(utf8(json))).getResourceSpans(0).getScopeSpans(0).getSpans(0);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A logs request around one log record, given as JSON. */
  private static String logs(String record) {
    return "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[" + record + "]}]}]}";
  }

  /** A trace request around one span, given as JSON. */
  private static String traces(String span) {
    return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + span + "]}]}]}";
  }

  private static void assertFastEqualsSlow(String json) throws Exception {
    byte[] bytes = utf8(json);
    byte[] fast = OtlpJsonTranscoder.transcodeTraces(bytes);
    assertThat(fast).as(json).isEqualTo(OtlpJson.tracesSlow(bytes));
    assertThat(OtlpJson.traces(bytes)).isEqualTo(fast);
  }

  private static void assertSameOutcome(String json) {
    assertSameOutcome(utf8(json));
  }

  /** OtlpJson.traces (fast path, then the slow one) answers exactly as the slow path alone. */
  private static void assertSameOutcome(byte[] json) {
    byte[][] results = new byte[2][];
    Throwable viaBoth = catchThrowable(() -> results[0] = OtlpJson.traces(json));
    Throwable slowOnly = catchThrowable(() -> results[1] = OtlpJson.tracesSlow(json));
    String what = new String(json, StandardCharsets.UTF_8);
    if (slowOnly == null) {
      assertThat(viaBoth).as(what).isNull();
      assertThat(results[0]).as(what).isEqualTo(results[1]);
    } else {
      assertThat(viaBoth).as(what).isInstanceOf(InvalidRequestException.class).hasMessage(slowOnly.getMessage());
    }
  }

  /**
   * The request printed as OTLP/JSON and in the other spellings JsonFormat printed (camelCase and
   * proto names, enums as names and numbers, defaults included, pretty and compact, keys shuffled,
   * numbers and strings swapped, nulls and unknown fields added) with hex ids: the fast path takes
   * each, and gives the slow path's bytes, which are the request's.
   */
  private static void assertAllPrintingsAgree(Message request, Random random) throws Exception {
    Descriptor type = request.getDescriptorForType();
    byte[] expected = request.toByteArray();
    ObjectNode tree = tree(request);
    List<String> printings = new ArrayList<>();
    printings.add(OtlpJson.print(request));
    printings.add(pretty(enumNames(tree, type)));
    printings.add(compact(protoNames(enumNames(tree, type), type)));
    printings.add(compact(withDefaults(tree, type)));
    printings.add(pretty(protoNames(enumNames(withDefaults(tree, type), type), type)));
    for (int i = 0; i < 3; i++) {
      JsonNode scrambled = scramble(enumNames(tree, type), type, random);
      printings.add(i == 0 ? pretty(scrambled) : compact(scrambled));
    }
    for (String json : printings) {
      byte[] bytes = utf8(json);
      byte[] fast;
      byte[] slow;
      byte[] viaBoth;
      if (type.equals(ExportTraceServiceRequest.getDescriptor())) {
        fast = OtlpJsonTranscoder.transcodeTraces(bytes);
        slow = OtlpJson.tracesSlow(bytes);
        viaBoth = OtlpJson.traces(bytes);
      } else if (type.equals(ExportMetricsServiceRequest.getDescriptor())) {
        fast = OtlpJsonTranscoder.transcodeMetrics(bytes);
        slow = OtlpJson.metricsSlow(bytes);
        viaBoth = OtlpJson.metrics(bytes);
      } else if (type.equals(ExportLogsServiceRequest.getDescriptor())) {
        fast = OtlpJsonTranscoder.transcodeLogs(bytes);
        slow = OtlpJson.logsSlow(bytes);
        viaBoth = OtlpJson.logs(bytes);
      } else {
        throw new IllegalArgumentException(type.getFullName());
      }
      assertThat(fast).as(json).isEqualTo(slow).isEqualTo(expected);
      assertThat(viaBoth).isEqualTo(expected);
    }
  }

  /**
   * The same request in other words JsonFormat reads alike: keys shuffled and under either name,
   * integers as numbers or strings, enums as names or numbers, nulls for absent fields, unknown
   * fields of any shape.
   */
  private static ObjectNode scramble(ObjectNode object, Descriptor type, Random random) {
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    List<FieldDescriptor> present = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      FieldDescriptor f = field(type, e.getKey());
      present.add(f);
      String name = random.nextBoolean() ? f.getName() : f.getJsonName();
      entries.add(Map.entry(name, scrambleValue(f, e.getValue(), random)));
    }
    for (FieldDescriptor f : type.getFields()) {
      if (!present.contains(f) && random.nextInt(4) == 0) {
        entries.add(Map.entry(random.nextBoolean() ? f.getName() : f.getJsonName(), NODES.nullNode()));
      }
    }
    if (random.nextInt(3) == 0) {
      entries.add(Map.entry("unknown" + random.nextInt(1000), randomJson(random, 0)));
    }
    java.util.Collections.shuffle(entries, random);
    ObjectNode out = NODES.objectNode();
    for (Map.Entry<String, JsonNode> e : entries) {
      out.set(e.getKey(), e.getValue());
    }
    return out;
  }

  private static JsonNode scrambleValue(FieldDescriptor f, JsonNode value, Random random) {
    if (value.isArray()) {
      ArrayNode out = NODES.arrayNode();
      for (JsonNode item : value) {
        out.add(scrambleOne(f, item, random));
      }
      return out;
    }
    return scrambleOne(f, value, random);
  }

  private static JsonNode scrambleOne(FieldDescriptor f, JsonNode value, Random random) {
    switch (f.getType()) {
      case MESSAGE:
        return scramble((ObjectNode) value, f.getMessageType(), random);
      case INT32: case SINT32: case SFIXED32: case UINT32: case FIXED32:
      case INT64: case SINT64: case SFIXED64: case UINT64: case FIXED64:
        return random.nextBoolean()
            ? NODES.textNode(text(value))
            : NODES.numberNode(new BigDecimal(text(value)));
      case DOUBLE:
        String d = text(value);
        return d.equals("NaN") || d.contains("Infinity") || random.nextBoolean()
            ? NODES.textNode(d)
            : NODES.numberNode(new BigDecimal(d));
      case ENUM:
        if (random.nextBoolean()) {
          return value;
        }
        EnumValueDescriptor v = f.getEnumType().findValueByName(text(value));
        return v == null ? value : NODES.numberNode(v.getNumber());
      case BOOL:
        return random.nextInt(4) == 0 ? NODES.textNode(text(value)) : value;
      default:
        return value;
    }
  }

  private static JsonNode randomJson(Random random, int depth) {
    switch (depth > 3 ? random.nextInt(4) : random.nextInt(6)) {
      case 0:
        return NODES.numberNode(random.nextLong());
      case 1:
        return NODES.textNode("s" + random.nextInt());
      case 2:
        return random.nextBoolean() ? NODES.nullNode() : NODES.booleanNode(random.nextBoolean());
      case 3:
        return NODES.numberNode(random.nextDouble());
      case 4: {
        ArrayNode a = NODES.arrayNode();
        for (int i = random.nextInt(3); i > 0; i--) {
          a.add(randomJson(random, depth + 1));
        }
        return a;
      }
      default: {
        ObjectNode o = NODES.objectNode();
        for (int i = random.nextInt(3); i > 0; i--) {
          o.set("k" + i, randomJson(random, depth + 1));
        }
        return o;
      }
    }
  }

  // ---------------------------------------------------------------- helpers: requests

  private static final String[] STRINGS = {
    "", "a", "service.name", "quote \" backslash \\ slash /", "new\nline\ttab\u0001\u001f\u007f", "é中文",
    "emoji \uD83D\uDE00 and \uD83C\uDF89", "\u2028\u2029", "x".repeat(200), "ünïcødé ".repeat(30),
  };

  private static String randomString(Random random) {
    return STRINGS[random.nextInt(STRINGS.length)];
  }

  private static final double[] DOUBLES = {
    0.0, 1.5, -2.25, 0.1, 1e-300, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.NaN,
    Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 123456789.125, 1e21, 1e22, 1e23, 9007199254740993.0,
  };

  /** No -0.0 (JsonFormat reads it back as 0.0) and no NaN payloads (it reads back the canonical NaN). */
  private static double randomDouble(Random random) {
    if (random.nextBoolean()) {
      return DOUBLES[random.nextInt(DOUBLES.length)];
    }
    double d;
    do {
      d = Double.longBitsToDouble(random.nextLong());
    } while (Double.isNaN(d) || Double.doubleToRawLongBits(d) == Long.MIN_VALUE);
    return random.nextBoolean() ? d : random.nextGaussian() * 1000;
  }

  private static final long[] LONGS = {
    0, 1, -1, 127, 128, 300, Integer.MAX_VALUE, Integer.MIN_VALUE, 0xFFFFFFFFL, Long.MAX_VALUE, Long.MIN_VALUE,
    1_700_000_000_000_000_001L,
  };

  private static long randomLong(Random random) {
    return random.nextBoolean() ? LONGS[random.nextInt(LONGS.length)] : random.nextLong() >> random.nextInt(64);
  }

  private static ByteString randomBytes(Random random, int length) {
    byte[] b = new byte[length];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  private static AnyValue randomValue(Random random, int depth) {
    AnyValue.Builder v = AnyValue.newBuilder();
    switch (random.nextInt(depth < 3 ? 9 : 7)) {
      case 0:
        return v.setStringValue(randomString(random)).build();
      case 1:
        return v.setBoolValue(random.nextBoolean()).build();
      case 2:
        return v.setIntValue(randomLong(random)).build();
      case 3:
        return v.setDoubleValue(randomDouble(random)).build();
      case 4:
        return v.setBytesValue(randomBytes(random, random.nextInt(20))).build();
      case 5:
        return v.build(); // no value at all
      case 6:
        return v.setStringValue("").build();
      case 7: {
        ArrayValue.Builder a = ArrayValue.newBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
          a.addValues(randomValue(random, depth + 1));
        }
        return v.setArrayValue(a).build();
      }
      default: {
        KeyValueList.Builder l = KeyValueList.newBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
          l.addValues(randomAttribute(random, depth + 1));
        }
        return v.setKvlistValue(l).build();
      }
    }
  }

  private static KeyValue randomAttribute(Random random, int depth) {
    KeyValue.Builder kv = KeyValue.newBuilder().setKey(random.nextInt(5) == 0 ? randomString(random) : "attr." + random.nextInt(50));
    if (random.nextInt(10) != 0) {
      kv.setValue(randomValue(random, depth));
    }
    return kv.build();
  }

  private static List<KeyValue> randomAttributes(Random random, int max) {
    List<KeyValue> out = new ArrayList<>();
    for (int i = random.nextInt(max + 1); i > 0; i--) {
      out.add(randomAttribute(random, 0));
    }
    return out;
  }

  private static ExportTraceServiceRequest randomTraces(Random random) {
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    for (int r = random.nextInt(3); r >= 0; r--) {
      ResourceSpans.Builder rs = ResourceSpans.newBuilder().setSchemaUrl(random.nextBoolean() ? "" : "https://x/1.21.0");
      if (random.nextBoolean()) {
        rs.setResource(Resource.newBuilder().addAllAttributes(randomAttributes(random, 5)).setDroppedAttributesCount(random.nextInt(3)));
      }
      for (int s = random.nextInt(3); s >= 0; s--) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder();
        if (random.nextBoolean()) {
          ss.setScope(io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
              .setName(randomString(random)).setVersion("1.0").addAllAttributes(randomAttributes(random, 2)));
        }
        for (int n = random.nextInt(6); n > 0; n--) {
          ss.addSpans(randomSpan(random));
        }
        rs.addScopeSpans(ss);
      }
      req.addResourceSpans(rs);
    }
    return req.build();
  }

  private static Span randomSpan(Random random) {
    Span.Builder span = Span.newBuilder()
        .setTraceId(randomBytes(random, random.nextInt(8) == 0 ? 0 : 16))
        .setSpanId(randomBytes(random, 8))
        .setParentSpanId(randomBytes(random, random.nextBoolean() ? 0 : 8))
        .setTraceState(random.nextBoolean() ? "" : "vendor=x")
        .setFlags(random.nextBoolean() ? 0 : random.nextInt())
        .setName(randomString(random))
        .setKindValue(random.nextInt(10) == 0 ? 17 : random.nextInt(6))
        .setStartTimeUnixNano(randomLong(random))
        .setEndTimeUnixNano(randomLong(random))
        .addAllAttributes(randomAttributes(random, 20))
        .setDroppedAttributesCount(random.nextInt(3) == 0 ? random.nextInt() : 0)
        .setDroppedEventsCount(random.nextInt(2))
        .setDroppedLinksCount(random.nextInt(2));
    for (int i = random.nextInt(3); i > 0; i--) {
      span.addEvents(Span.Event.newBuilder().setName(randomString(random)).setTimeUnixNano(randomLong(random))
          .addAllAttributes(randomAttributes(random, 3)).setDroppedAttributesCount(random.nextInt(2)));
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      span.addLinks(Span.Link.newBuilder().setTraceId(randomBytes(random, 16)).setSpanId(randomBytes(random, 8))
          .setTraceState(random.nextBoolean() ? "" : "a=b").addAllAttributes(randomAttributes(random, 3))
          .setFlags(random.nextInt(3) * 256));
    }
    if (random.nextBoolean()) {
      span.setStatus(Status.newBuilder().setCodeValue(random.nextInt(4)).setMessage(random.nextBoolean() ? "" : "boom"));
    }
    return span.build();
  }

  /** One metric of every type, exemplars on each that has them. Shared with OtlpJsonPrinterTest. */
  static ExportMetricsServiceRequest allMetricTypes() {
    long t = 1_700_000_000_000_000_000L;
    Exemplar exemplar = Exemplar.newBuilder().setTimeUnixNano(t).setAsDouble(0.0).setSpanId(Requests.id(8, 1))
        .setTraceId(Requests.id(16, 2)).addFilteredAttributes(Requests.attr("f", "v")).build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(Requests.attr("service.name", "svc")))
            .addScopeMetrics(ScopeMetrics.newBuilder()
                .addMetrics(Metric.newBuilder().setName("gauge").setGauge(Gauge.newBuilder()
                    .addDataPoints(NumberDataPoint.newBuilder().setAsInt(0).setTimeUnixNano(t).addExemplars(exemplar))
                    .addDataPoints(NumberDataPoint.newBuilder().setAsDouble(0.0).setFlags(1))))
                .addMetrics(Metric.newBuilder().setName("sum").setUnit("By").setSum(Sum.newBuilder().setIsMonotonic(true)
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                    .addDataPoints(NumberDataPoint.newBuilder().setAsInt(-5).setStartTimeUnixNano(t))))
                .addMetrics(Metric.newBuilder().setName("histogram").setHistogram(Histogram.newBuilder()
                    .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
                    .addDataPoints(HistogramDataPoint.newBuilder().setCount(3).setSum(0.0).setMin(0.0).setMax(2.5)
                        .addBucketCounts(0).addBucketCounts(3).addExplicitBounds(0.0).addExemplars(exemplar))
                    .addDataPoints(HistogramDataPoint.newBuilder().setCount(0))))
                .addMetrics(Metric.newBuilder().setName("exponential").setExponentialHistogram(ExponentialHistogram.newBuilder()
                    .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setScale(-4).setZeroCount(2).setCount(9)
                        .setSum(12.5).setMin(-1).setMax(0).setZeroThreshold(1e-9)
                        .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-3).addBucketCounts(1).addBucketCounts(0))
                        .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder())
                        .addExemplars(exemplar))))
                .addMetrics(Metric.newBuilder().setName("summary").setSummary(Summary.newBuilder()
                    .addDataPoints(SummaryDataPoint.newBuilder().setCount(4).setSum(10)
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.5).setValue(2))
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder()))))
                .addMetrics(Metric.newBuilder().setName("metadata").addMetadata(Requests.attr("m", "v")))))
        .build();
  }

  private static ExportMetricsServiceRequest randomMetrics(Random random) {
    ScopeMetrics.Builder sm = ScopeMetrics.newBuilder();
    for (int i = random.nextInt(8); i >= 0; i--) {
      Metric.Builder m = Metric.newBuilder().setName(randomString(random)).setDescription(random.nextBoolean() ? "" : "d");
      switch (random.nextInt(6)) {
        case 0 -> m.setGauge(Gauge.newBuilder().addDataPoints(randomNumberPoint(random)));
        case 1 -> m.setSum(Sum.newBuilder().setIsMonotonic(random.nextBoolean()).setAggregationTemporalityValue(random.nextInt(3))
            .addDataPoints(randomNumberPoint(random)).addDataPoints(randomNumberPoint(random)));
        case 2 -> {
          HistogramDataPoint.Builder h = HistogramDataPoint.newBuilder().setCount(random.nextInt(100))
              .addAllAttributes(randomAttributes(random, 3)).setTimeUnixNano(randomLong(random));
          if (random.nextBoolean()) {
            h.setSum(random.nextBoolean() ? 0.0 : randomDouble(random));
          }
          if (random.nextBoolean()) {
            h.setMin(randomDouble(random)).setMax(randomDouble(random));
          }
          for (int b = random.nextInt(5); b > 0; b--) {
            h.addBucketCounts(randomLong(random)).addExplicitBounds(randomDouble(random));
          }
          m.setHistogram(Histogram.newBuilder().setAggregationTemporalityValue(random.nextInt(3)).addDataPoints(h));
        }
        case 3 -> m.setExponentialHistogram(ExponentialHistogram.newBuilder().addDataPoints(
            ExponentialHistogramDataPoint.newBuilder().setScale(random.nextInt(41) - 20).setZeroCount(randomLong(random))
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(random.nextInt() >> 8)
                    .addBucketCounts(random.nextInt(9)).addBucketCounts(randomLong(random)))
                .setFlags(random.nextInt(2))));
        case 4 -> m.setSummary(Summary.newBuilder().addDataPoints(SummaryDataPoint.newBuilder().setCount(randomLong(random))
            .setSum(randomDouble(random)).addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder()
                .setQuantile(random.nextDouble()).setValue(randomDouble(random)))));
        default -> { } // no data at all
      }
      sm.addMetrics(m);
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().setResource(Resource.newBuilder().addAllAttributes(randomAttributes(random, 4)))
            .addScopeMetrics(sm))
        .build();
  }

  private static NumberDataPoint randomNumberPoint(Random random) {
    NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setTimeUnixNano(randomLong(random)).addAllAttributes(randomAttributes(random, 3));
    if (random.nextBoolean()) {
      p.setAsInt(randomLong(random));
    } else if (random.nextBoolean()) {
      p.setAsDouble(randomDouble(random));
    }
    if (random.nextBoolean()) {
      p.addExemplars(Exemplar.newBuilder().setAsInt(randomLong(random)).setSpanId(randomBytes(random, 8))
          .setTraceId(randomBytes(random, 16)).setTimeUnixNano(randomLong(random)));
    }
    return p.build();
  }

  /** Sets a random selection of a message's fields, of every type, through the descriptors. */
  private static void fill(Message.Builder builder, Random random, int depth) {
    Descriptor type = builder.getDescriptorForType();
    for (OneofDescriptor oneof : type.getRealOneofs()) {
      if (random.nextInt(4) != 0) {
        FieldDescriptor f = oneof.getField(random.nextInt(oneof.getFieldCount()));
        if (f.getType() != FieldDescriptor.Type.MESSAGE || depth < 6) {
          builder.setField(f, randomFieldValue(builder, f, random, depth));
        }
      }
    }
    for (FieldDescriptor f : type.getFields()) {
      if (f.getRealContainingOneof() != null || random.nextInt(3) == 0) {
        continue;
      }
      if (f.getType() == FieldDescriptor.Type.MESSAGE && depth >= 6) {
        continue;
      }
      if (f.isRepeated()) {
        for (int i = random.nextInt(depth < 3 ? 4 : 2); i > 0; i--) {
          builder.addRepeatedField(f, randomFieldValue(builder, f, random, depth));
        }
      } else {
        builder.setField(f, randomFieldValue(builder, f, random, depth));
      }
    }
  }

  private static Object randomFieldValue(Message.Builder builder, FieldDescriptor f, Random random, int depth) {
    switch (f.getType()) {
      case MESSAGE: {
        Message.Builder sub = builder.newBuilderForField(f);
        fill(sub, random, depth + 1);
        return sub.build();
      }
      case STRING:
        return randomString(random);
      case BYTES:
        if (isId(f)) {
          return randomBytes(random, random.nextInt(5) == 0 ? 0 : f.getName().equals("trace_id") ? 16 : 8);
        }
        return randomBytes(random, random.nextInt(12));
      case BOOL:
        return random.nextBoolean();
      case DOUBLE:
        return randomDouble(random);
      case FLOAT:
        return (float) random.nextGaussian();
      case ENUM:
        int n = random.nextInt(8) == 0 ? random.nextInt(100) - 50 : random.nextInt(f.getEnumType().getValues().size());
        return random.nextInt(8) == 0
            ? f.getEnumType().findValueByNumberCreatingIfUnknown(n)
            : f.getEnumType().getValues().get(Math.floorMod(n, f.getEnumType().getValues().size()));
      case INT32: case SINT32: case SFIXED32: case UINT32: case FIXED32:
        return random.nextBoolean() ? (int) randomLong(random) : random.nextInt(300);
      default:
        return randomLong(random);
    }
  }
}
