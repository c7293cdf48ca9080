package dev.inflight.otlp.json;

import dev.inflight.otlp.wire.InvalidRequestException;
import dev.inflight.receiver.otlp.Requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
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
