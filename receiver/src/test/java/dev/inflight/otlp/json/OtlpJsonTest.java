package dev.inflight.otlp.json;

import dev.inflight.otlp.wire.InvalidRequestException;
import dev.inflight.receiver.otlp.Requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import dev.inflight.pdata.testing.TestData;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {
  private static final HexFormat HEX = HexFormat.of();

  private static ExportTraceServiceRequest traces(String json) throws Exception {
    return ExportTraceServiceRequest.parseFrom(OtlpJson.traces(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void idsAreHexAndEverythingElseIsProtobufJson() throws Exception {
    Span span = traces("""
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
          "scopeSpans":[{"scope":{"name":"t"},"spans":[
            {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174","parentSpanId":"eee19b7ec3c1b173",
             "name":"account worker","kind":2,"startTimeUnixNano":"1700000000000000001","endTimeUnixNano":1700000001000000000,
             "attributes":[{"key":"n","value":{"intValue":"7"}},{"key":"b","value":{"bytesValue":"AQI="}}],
             "links":[{"traceId":"00000000000000000000000000000001","spanId":"0000000000000002"}],
             "status":{"code":"STATUS_CODE_ERROR","message":"boom"},
             "someFieldFromTheFuture":{"x":1}}]}]}]}
        """).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(HEX.formatHex(span.getTraceId().toByteArray())).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(HEX.formatHex(span.getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b174");
    assertThat(HEX.formatHex(span.getParentSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b173");
    assertThat(HEX.formatHex(span.getLinks(0).getTraceId().toByteArray())).isEqualTo("00000000000000000000000000000001");
    assertThat(HEX.formatHex(span.getLinks(0).getSpanId().toByteArray())).isEqualTo("0000000000000002");
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1_700_000_000_000_000_001L);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(1_700_000_001_000_000_000L);
    assertThat(span.getAttributes(0).getValue().getIntValue()).isEqualTo(7);
    assertThat(span.getAttributes(1).getValue().getBytesValue().toByteArray()).containsExactly(1, 2); // base64 stays base64
    assertThat(span.getStatus().getCode().getNumber()).isEqualTo(2);
  }

  private static ExportLogsServiceRequest logs(String json) throws Exception {
    return ExportLogsServiceRequest.parseFrom(OtlpJson.logs(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void logRecordIdsAreHexAndEveryBodyKindReads() throws Exception {
    var records = logs("""
        {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
          "scopeLogs":[{"scope":{"name":"app"},"logRecords":[
            {"timeUnixNano":"1700000000000000001","severityNumber":"SEVERITY_NUMBER_ERROR","severityText":"ERROR",
             "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174","flags":1,
             "body":{"stringValue":"payment failed"}},
            {"body":{"boolValue":true}},
            {"body":{"intValue":"-7"}},
            {"body":{"doubleValue":2.5}},
            {"body":{"bytesValue":"AAH+"}},
            {"body":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":1}]}}},
            {"body":{"kvlistValue":{"values":[{"key":"event","value":{"stringValue":"checkout"}}]}}},
            {"severity_number":9,"observed_time_unix_nano":5,"trace_id":"","span_id":""}]}]}]}
        """).getResourceLogs(0).getScopeLogs(0).getLogRecordsList();
    LogRecord first = records.get(0);
    assertThat(HEX.formatHex(first.getTraceId().toByteArray())).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(HEX.formatHex(first.getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b174");
    assertThat(first.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_ERROR);
    assertThat(first.getTimeUnixNano()).isEqualTo(1_700_000_000_000_000_001L);
    assertThat(first.getFlags()).isEqualTo(1);
    assertThat(records).extracting(r -> r.getBody().getValueCase().name()).containsExactly(
        "STRING_VALUE", "BOOL_VALUE", "INT_VALUE", "DOUBLE_VALUE", "BYTES_VALUE", "ARRAY_VALUE", "KVLIST_VALUE",
        "VALUE_NOT_SET");
    assertThat(first.getBody().getStringValue()).isEqualTo("payment failed");
    assertThat(records.get(2).getBody().getIntValue()).isEqualTo(-7);
    assertThat(records.get(3).getBody().getDoubleValue()).isEqualTo(2.5);
    assertThat(records.get(4).getBody().getBytesValue()).isEqualTo(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xFE}));
    assertThat(records.get(5).getBody().getArrayValue().getValues(1).getIntValue()).isEqualTo(1);
    assertThat(records.get(6).getBody().getKvlistValue().getValues(0).getValue().getStringValue()).isEqualTo("checkout");
    LogRecord last = records.get(7);
    assertThat(last.getSeverityNumber()).isEqualTo(SeverityNumber.SEVERITY_NUMBER_INFO);
    assertThat(last.getObservedTimeUnixNano()).isEqualTo(5);
    assertThat(last.getTraceId().isEmpty()).isTrue();
    assertThat(last.hasBody()).isFalse();
  }

  @Test
  void printedLogsReadBackToTheSameRequestWithHexIds() throws Exception {
    ExportLogsServiceRequest original = TestData.logsRequest(new int[][] {{8}, {2, 1}});
    String json = OtlpJson.print(original);
    LogRecord first = original.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    assertThat(json)
        .doesNotContain("\n")
        .contains("\"traceId\":\"" + HEX.formatHex(first.getTraceId().toByteArray()) + "\"")
        .contains("\"spanId\":\"" + HEX.formatHex(first.getSpanId().toByteArray()) + "\"")
        .contains("\"timeUnixNano\":\"" + first.getTimeUnixNano() + "\"");
    assertThat(logs(json)).isEqualTo(original);
    assertThatThrownBy(() -> logs("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"spanId\":\"AQIDBAUGBwg=\"}]}]}]}"))
        .hasMessageContaining("span_id \"AQIDBAUGBwg=\" is not a hex string");
    assertThatThrownBy(() -> logs("[]")).hasMessageStartingWith("invalid JSON: expected an ExportLogsServiceRequest object");
  }

  @Test
  void snakeCaseNamesAndEnumNamesWork() throws Exception {
    Span span = traces("""
        {"resource_spans":[{"scope_spans":[{"spans":[
          {"trace_id":"5b8efff798038103d269b633813fc60c","span_id":"eee19b7ec3c1b174","parent_span_id":"",
           "name":"x","kind":"SPAN_KIND_CLIENT","start_time_unix_nano":5}]}]}]}
        """).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(HEX.formatHex(span.getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b174");
    assertThat(span.getParentSpanId().isEmpty()).isTrue();
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(5);
  }

  @Test
  void exemplarIdsInMetricsAreHexToo() throws Exception {
    String json = """
        {"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m","gauge":{"dataPoints":[
          {"asDouble":1.5,"timeUnixNano":"1","exemplars":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","asInt":"3"}]}]}}]}]}]}
        """;
    ExportMetricsServiceRequest r = ExportMetricsServiceRequest.parseFrom(OtlpJson.metrics(json.getBytes(StandardCharsets.UTF_8)));
    var exemplar = r.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getGauge().getDataPoints(0).getExemplars(0);
    assertThat(HEX.formatHex(exemplar.getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b174");
    assertThat(exemplar.getAsInt()).isEqualTo(3);
  }

  @Test
  void roundTripsWhatJsonFormatPrintsOnceIdsAreHex() throws Exception {
    ExportTraceServiceRequest original = Requests.traces(new int[][] {{2}, {1}});
    String json = ProtobufJsonPrintings.protobufJsonBase64Ids(original); // as JsonFormat.printer() printed it
    // Protobuf's JSON mapping has ids in base64; OTLP/JSON has them in hex, as a real client sends them.
    for (var rs : original.getResourceSpansList()) {
      for (Span s : rs.getScopeSpans(0).getSpansList()) {
        json = hex(json, s.getTraceId().toByteArray());
        json = hex(json, s.getSpanId().toByteArray());
        json = hex(json, s.getParentSpanId().toByteArray());
        json = hex(json, s.getLinks(0).getTraceId().toByteArray());
        json = hex(json, s.getLinks(0).getSpanId().toByteArray());
      }
    }
    assertThat(json).doesNotContain("=\"");
    assertThat(traces(json)).isEqualTo(original);
  }

  @Test
  void printWritesOtlpJsonThatReadsBackToTheSameRequest() throws Exception {
    ExportTraceServiceRequest original = Requests.traces(new int[][] {{2}, {1}});
    String json = OtlpJson.print(original);
    Span first = original.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(json)
        .doesNotContain("\n", " \"")
        .contains("\"traceId\":\"" + HEX.formatHex(first.getTraceId().toByteArray()) + "\"")
        .contains("\"parentSpanId\":\"" + HEX.formatHex(first.getParentSpanId().toByteArray()) + "\"")
        .contains("\"startTimeUnixNano\":\"" + first.getStartTimeUnixNano() + "\"");
    assertThat(traces(json)).isEqualTo(original);
  }

  @Test
  void base64IdsAreNotOtlpJson() {
    assertThatThrownBy(() -> traces("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"AQIDBAUGBwg=\"}]}]}]}"))
        .hasMessageContaining("span_id \"AQIDBAUGBwg=\" is not a hex string");
  }

  private static String hex(String json, byte[] id) {
    return json.replace("\"" + java.util.Base64.getEncoder().encodeToString(id) + "\"", "\"" + HEX.formatHex(id) + "\"");
  }

  @Test
  void badJsonIsRefusedWithAReason() {
    assertThatThrownBy(() -> traces("{\"resourceSpans\": [")).isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("invalid JSON");
    assertThatThrownBy(() -> traces("[]")).hasMessageStartingWith("invalid JSON: expected an ExportTraceServiceRequest object");
    assertThatThrownBy(() -> traces("{} {}")).hasMessageStartingWith("invalid JSON");
    assertThatThrownBy(() -> traces("{\"resourceSpans\": 5}")).hasMessageStartingWith("not a valid OTLP/JSON ExportTraceServiceRequest");
    assertThatThrownBy(() -> traces("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\"}]}]}]}"))
        .hasMessageContaining("trace_id \"xyz\" is not a hex string");
  }

  @Test
  void deepNestingIsRefusedBeforeParsing() {
    String deep = "{\"x\":" + "[".repeat(200_000) + "]".repeat(200_000) + "}";
    assertThatThrownBy(() -> traces(deep)).hasMessage("invalid JSON: nested deeper than 200 levels");
    // Brackets inside strings do not count.
    String quoted = "{\"resourceSpans\":[],\"junk\":\"" + "[\\\"".repeat(1000) + "\"}";
    assertThat(catchThrowable(() -> traces(quoted))).isNull();
  }
}
