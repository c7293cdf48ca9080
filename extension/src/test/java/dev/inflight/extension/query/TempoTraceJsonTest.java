package dev.inflight.extension.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JSON shapes Tempo answers {@code /api/traces/{id}} with. Every fixture under
 * {@code tempo/} holds the same trace, {@link #expectedTrace()}, in one shape (see the README
 * there), so each must read as exactly that request.
 */
class TempoTraceJsonTest {
  static final HexFormat HEX = HexFormat.of();
  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final List<String> FIXTURES = List.of(
      "v1-batches-scopespans.json",
      "v1-batches-instrumentationlibraryspans.json",
      "v2-trace.json",
      "otlp-json-hex.json",
      "batches-hex-ids.json");

  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long MS = 1_000_000L;

  static byte[] fixture(String name) {
    try (InputStream in = TempoTraceJsonTest.class.getResourceAsStream("tempo/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The trace every fixture holds, built with the OTLP classes, not read from JSON. */
  static ExportTraceServiceRequest expectedTrace() {
    ResourceSpans executor = ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(str("service.name", "block-executor")).addAttributes(str("host.name", "node-1")))
        .addScopeSpans(ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("inflight.demo.executor").setVersion("1.4.0"))
            .addSpans(span("00f067aa0ba902b7", "", "execute block", Span.SpanKind.SPAN_KIND_SERVER, 0, 156_200_000)
                .addAttributes(num("block.number", 1234567))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK)))
            .addSpans(span("1a2b3c4d5e6f7081", "00f067aa0ba902b7", "account worker", Span.SpanKind.SPAN_KIND_INTERNAL, 5 * MS, 60 * MS)
                .addAttributes(num("worker.id", 0)))
            .addSpans(span("1a2b3c4d5e6f7082", "00f067aa0ba902b7", "account worker", Span.SpanKind.SPAN_KIND_INTERNAL, 6 * MS, 80 * MS)
                .addAttributes(num("worker.id", 1))
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("storage timeout")))
            .addSpans(span("1a2b3c4d5e6f7083", "00f067aa0ba902b7", "account worker", Span.SpanKind.SPAN_KIND_INTERNAL, 61 * MS, 120 * MS)
                .addAttributes(num("worker.id", 0))))
        .build();
    ResourceSpans storage = ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(str("service.name", "storage")))
        .addScopeSpans(ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("inflight.demo.storage"))
            .addSpans(span("fedcba9876543210", "1a2b3c4d5e6f7082", "storage worker", Span.SpanKind.SPAN_KIND_CLIENT, 10 * MS, 79 * MS)
                .addEvents(Span.Event.newBuilder().setTimeUnixNano(T0 + 40 * MS).setName("retry"))
                .addLinks(Span.Link.newBuilder().setTraceId(id("0af7651916cd43dd8448eb211c80319c")).setSpanId(id("b7ad6b7169203331")))))
        .build();
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(executor).addResourceSpans(storage).build();
  }

  private static Span.Builder span(String spanId, String parent, String name, Span.SpanKind kind, long start, long end) {
    return Span.newBuilder().setTraceId(id(TRACE_ID)).setSpanId(id(spanId)).setParentSpanId(id(parent))
        .setName(name).setKind(kind).setStartTimeUnixNano(T0 + start).setEndTimeUnixNano(T0 + end)
        .setStatus(Status.getDefaultInstance()); // Tempo (gogoproto, non-nullable) always writes a status
  }

  private static ByteString id(String hex) {
    return ByteString.copyFrom(HEX.parseHex(hex));
  }

  private static KeyValue str(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static KeyValue num(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  /** The fields the concurrency analysis reads, spelled out, then the whole request. */
  static void assertIsTheExpectedTrace(ExportTraceServiceRequest r) {
    assertThat(r.getResourceSpansCount()).isEqualTo(2);
    ResourceSpans executor = r.getResourceSpans(0);
    assertThat(executor.getResource().getAttributes(0).getKey()).isEqualTo("service.name");
    assertThat(executor.getResource().getAttributes(0).getValue().getStringValue()).isEqualTo("block-executor");
    assertThat(r.getResourceSpans(1).getResource().getAttributes(0).getValue().getStringValue()).isEqualTo("storage");
    List<Span> spans = executor.getScopeSpans(0).getSpansList();
    assertThat(spans).extracting(Span::getName)
        .containsExactly("execute block", "account worker", "account worker", "account worker");
    assertThat(executor.getScopeSpans(0).getScope().getName()).isEqualTo("inflight.demo.executor");
    Span root = spans.get(0);
    assertThat(HEX.formatHex(root.getTraceId().toByteArray())).isEqualTo(TRACE_ID);
    assertThat(HEX.formatHex(root.getSpanId().toByteArray())).isEqualTo("00f067aa0ba902b7");
    assertThat(root.getParentSpanId().isEmpty()).isTrue();
    assertThat(root.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(root.getStartTimeUnixNano()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(root.getEndTimeUnixNano()).isEqualTo(1_700_000_000_156_200_000L);
    Span failed = spans.get(2);
    assertThat(HEX.formatHex(failed.getParentSpanId().toByteArray())).isEqualTo("00f067aa0ba902b7");
    assertThat(failed.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(failed.getStatus().getMessage()).isEqualTo("storage timeout");
    assertThat(failed.getAttributes(0).getValue().getIntValue()).isEqualTo(1);
    Span storage = r.getResourceSpans(1).getScopeSpans(0).getSpans(0);
    assertThat(HEX.formatHex(storage.getParentSpanId().toByteArray())).isEqualTo("1a2b3c4d5e6f7082");
    assertThat(HEX.formatHex(storage.getLinks(0).getTraceId().toByteArray())).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(r).isEqualTo(expectedTrace());
  }

  private static ExportTraceServiceRequest parse(String json) throws InvalidProtocolBufferException {
    return TempoTraceJson.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "v1-batches-scopespans.json",
      "v1-batches-instrumentationlibraryspans.json",
      "v2-trace.json",
      "otlp-json-hex.json",
      "batches-hex-ids.json"})
  void everyFixtureIsTheSameTrace(String name) throws Exception {
    assertIsTheExpectedTrace(TempoTraceJson.parse(fixture(name)));
  }

  @Test
  void theListOfFixturesIsComplete() {
    // everyFixtureIsTheSameTrace's list and the client test's come from the same names.
    assertThat(FIXTURES).hasSize(5).allSatisfy(f -> assertThat(fixture(f)).isNotEmpty());
  }

  @Test
  void fixturesAreInTheShapesTheyClaim() {
    // So that a regenerated fixture cannot silently lose what it is there to test.
    String v1 = new String(fixture("v1-batches-scopespans.json"), StandardCharsets.UTF_8);
    assertThat(v1).startsWith("{\"batches\":[").contains("\"scopeSpans\"").contains("\"traceId\":\"S/kvNXezTaajzpKdDg5HNg==\"")
        .contains("\"kind\":\"SPAN_KIND_SERVER\"").contains("\"startTimeUnixNano\":\"1700000000000000000\"");
    String ils = new String(fixture("v1-batches-instrumentationlibraryspans.json"), StandardCharsets.UTF_8);
    assertThat(ils).contains("\"instrumentationLibrarySpans\"", "\"instrumentationLibrary\"", "\"deprecatedCode\"")
        .doesNotContain("scopeSpans");
    String v2 = new String(fixture("v2-trace.json"), StandardCharsets.UTF_8);
    assertThat(v2).startsWith("{\"trace\":{\"resourceSpans\":[").contains("\"metrics\"");
    String hex = new String(fixture("otlp-json-hex.json"), StandardCharsets.UTF_8);
    assertThat(hex).contains("\"traceId\": \"" + TRACE_ID + "\"");
    String upper = new String(fixture("batches-hex-ids.json"), StandardCharsets.UTF_8);
    assertThat(upper).contains("\"traceId\": \"" + TRACE_ID.toUpperCase() + "\"", "\"spanId\": \"00F067AA0BA902B7\"");
  }

  @Test
  void base64IdsDecodeToTheSameBytesAsTheirHexForm() throws Exception {
    // Tempo's own documentation pushes 5b8efff798038103d269b633813fc700 / eee19b7ec3c1b100 and
    // reads them back as these base64 strings.
    Span span = parse("""
        {"batches":[{"scopeSpans":[{"spans":[{"traceId":"W47/95gDgQPSabYzgT/HAA==","spanId":"7uGbfsPBsQA=","name":"I am a span!"}]}]}]}
        """).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(HEX.formatHex(span.getTraceId().toByteArray())).isEqualTo("5b8efff798038103d269b633813fc700");
    assertThat(HEX.formatHex(span.getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b100");

    String traceB64 = Base64.getEncoder().encodeToString(HEX.parseHex(TRACE_ID));
    assertThat(traceB64).isEqualTo("S/kvNXezTaajzpKdDg5HNg==");
    for (String spelling : List.of(TRACE_ID, TRACE_ID.toUpperCase(), traceB64, "S_kvNXezTaajzpKdDg5HNg==", "S/kvNXezTaajzpKdDg5HNg")) {
      Span s = parse("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"" + spelling + "\"}]}]}]}")
          .getResourceSpans(0).getScopeSpans(0).getSpans(0);
      assertThat(HEX.formatHex(s.getTraceId().toByteArray())).as(spelling).isEqualTo(TRACE_ID);
    }
  }

  @Test
  void anIdThatIsBothHexAndBase64IsReadAsWhicheverHasTheIdsLength() throws Exception {
    // Tempo's pkg/tempopb/trace.json writes OTLP's example ids in hex under "batches"; each is also
    // valid base64, of 24 and 12 bytes, which is how Tempo's own jsonpb reads them.
    Span span = parse("""
        {"batches":[{"scopeSpans":[{"spans":[{"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174",
          "parentSpanId":"EEE19B7EC3C1B173","links":[{"traceId":"5B8EFFF798038103D269B633813FC60D","spanId":"AAAAAAAAAAAAAAAA"}]}]}]}]}
        """).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(HEX.formatHex(span.getTraceId().toByteArray())).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(HEX.formatHex(span.getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b174");
    assertThat(HEX.formatHex(span.getParentSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b173");
    assertThat(HEX.formatHex(span.getLinks(0).getTraceId().toByteArray())).isEqualTo("5b8efff798038103d269b633813fc60d");
    assertThat(HEX.formatHex(span.getLinks(0).getSpanId().toByteArray())).isEqualTo("aaaaaaaaaaaaaaaa");
    // And unpadded base64 of 16 bytes made only of hex digits is base64 (hex would give 11 bytes).
    Span b = parse("{\"batches\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"ABCDEFabcdef0123456789\"}]}]}]}")
        .getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(b.getTraceId().toByteArray()).hasSize(16).isEqualTo(Base64.getDecoder().decode("ABCDEFabcdef0123456789"));
  }

  @Test
  void bothSpellingsOfALevelAreMerged() throws Exception {
    ExportTraceServiceRequest r = parse("""
        {"batches":[{"scopeSpans":[{"spans":[{"name":"a"}]}],
                     "instrumentationLibrarySpans":[{"instrumentationLibrary":{"name":"old"},"spans":[{"name":"b"}]}]}],
         "resourceSpans":[{"instrumentation_library_spans":[{"instrumentation_library":{"name":"older"},"spans":[{"name":"c"}]}]}],
         "resource_spans":[{"scope_spans":[{"scope":{"name":"snake"},"spans":[{"name":"d","start_time_unix_nano":"5"}]}]}]}
        """);
    assertThat(r.getResourceSpansList()).hasSize(3);
    assertThat(r.getResourceSpans(0).getScopeSpansList()).extracting(ss -> ss.getScope().getName() + ":" + ss.getSpans(0).getName())
        .containsExactly(":a", "old:b");
    assertThat(r.getResourceSpans(1).getScopeSpans(0).getScope().getName()).isEqualTo("older");
    assertThat(r.getResourceSpans(2).getScopeSpans(0).getSpans(0).getStartTimeUnixNano()).isEqualTo(5);
  }

  @Test
  void unknownFieldsAreIgnoredAtEveryLevel() throws Exception {
    ExportTraceServiceRequest r = parse("""
        {"trace":{"resourceSpans":[{"schemaUrl":"x","fromTheFuture":1,"scopeSpans":[{"future":[1],"spans":[
          {"traceId":"S/kvNXezTaajzpKdDg5HNg==","name":"n","flags":257,"newField":{"a":"b"}}]}]}]},
         "metrics":{"inspectedBytes":"10","totalBlocks":3},"status":"PARTIAL","message":"trace exceeds max size"}
        """);
    assertThat(r.getResourceSpans(0).getScopeSpans(0).getSpans(0).getName()).isEqualTo("n");
    assertThat(r.getResourceSpans(0).getScopeSpans(0).getSpans(0).getFlags()).isEqualTo(257);
  }

  @Test
  void anEmptyTraceIsEmpty() throws Exception {
    for (String json : List.of("{}", "{\"batches\":[]}", "{\"batches\":null}", "{\"trace\":null}", "{\"trace\":{}}", " {\"resourceSpans\":[]} ")) {
      assertThat(parse(json).getResourceSpansCount()).as(json).isZero();
    }
  }

  @Test
  void whatIsNotATraceIsRefusedWithAReason() {
    assertThatThrownBy(() -> parse("<html>")).isInstanceOf(InvalidProtocolBufferException.class).hasMessageStartingWith("invalid JSON");
    assertThatThrownBy(() -> parse("[]")).hasMessage("invalid JSON: expected JSON object");
    assertThatThrownBy(() -> parse("{} {}")).hasMessageStartingWith("invalid JSON");
    assertThatThrownBy(() -> parse("{\"error\":\"too many requests\",\"code\":429}"))
        .hasMessage("JSON is not a trace: expected \"batches\", \"resourceSpans\" or \"trace\", found error, code");
    assertThatThrownBy(() -> parse("{\"batches\":5}")).hasMessage("JSON \"batches\" is not an array");
    assertThatThrownBy(() -> parse("{\"trace\":[]}")).hasMessage("JSON \"trace\" is not an object");
    assertThatThrownBy(() -> parse("{\"batches\":[{\"instrumentationLibrarySpans\":{}}]}"))
        .hasMessage("JSON \"instrumentationLibrarySpans\" is not an array");
    assertThatThrownBy(() -> parse("{\"batches\":[{\"scopeSpans\":[{\"spans\":[{\"spanId\":\"not an id!\"}]}]}]}"))
        .hasMessageContaining("span_id \"not an id!\" is neither a hex nor a base64 string");
    assertThatThrownBy(() -> parse("{\"batches\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"yesterday\"}]}]}]}"))
        .hasMessageStartingWith("not a valid OTLP/JSON ExportTraceServiceRequest");
  }

  @Test
  void anEnumValueFromTheFutureIsNotAnError() throws Exception {
    Span span = parse("{\"batches\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"n\",\"kind\":\"SPAN_KIND_SIDEWAYS\"}]}]}]}")
        .getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(span.getName()).isEqualTo("n");
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_UNSPECIFIED);
  }

  @Test
  void deepNestingIsRefusedNotAStackOverflow() {
    String deep = "{\"batches\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThatThrownBy(() -> parse(deep)).isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("nested deeper than");
  }
}
