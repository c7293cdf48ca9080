package dev.inflight.tools.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.inflight.otlp.json.OtlpJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@link RequestTemplate}: requests encoded once (protobuf or OTLP/JSON) and restamped per send. The
 * stamped bytes are decoded as a receiver would (protobuf's parser, the receiver's OTLP/JSON reader)
 * and compared with the template as generated.
 */
class RequestTemplateTest {
  /** A time as a send stamps it: now-ish, in ns since 1970. */
  private static final long END = 1_763_900_016_123_456_789L;
  private static final long SEED = 42;

  private static List<RequestTemplate> templates(TraceShape shape, int count, boolean json) {
    return new TraceGenerator(shape).templates(count, json, SEED);
  }

  private static TraceShape shape(int spansPerRequest, int attributes) {
    return new TraceShape(spansPerRequest, attributes, TraceShape.DEFAULT_WORKER_NAMES, 3);
  }

  static ExportTraceServiceRequest decode(byte[] bytes, boolean json) throws Exception {
    return json
        ? OtlpJson.tracesHexOrBase64(OtlpJson.parseObject(bytes))
        : ExportTraceServiceRequest.parseFrom(bytes);
  }

  static List<Span> spans(ExportTraceServiceRequest request) {
    List<Span> out = new ArrayList<>();
    request.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> out.addAll(ss.getSpansList())));
    return out;
  }

  private static byte[] stamped(RequestTemplate template, long end, long sequence) {
    byte[] buffer = template.newBuffer();
    template.stamp(buffer, end, sequence);
    return buffer;
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {false, true})
  void stampMovesEveryTimeByOneDeltaSoTheLastSpanEndsAtTheStamp(boolean json) throws Exception {
    for (RequestTemplate template : templates(TraceShape.defaults(), 3, json)) {
      List<Span> before = spans(decode(template.encoded(), json));
      List<Span> after = spans(decode(stamped(template, END, 7), json));

      assertThat(after).hasSameSizeAs(before).hasSize(512);
      long lastBefore = before.stream().mapToLong(Span::getEndTimeUnixNano).max().orElseThrow();
      assertThat(after.stream().mapToLong(Span::getEndTimeUnixNano).max().orElseThrow()).isEqualTo(END);
      long delta = END - lastBefore;
      assertThat(delta).as("the template is written in 2023, the stamp is later").isPositive();
      for (int i = 0; i < before.size(); i++) {
        Span b = before.get(i);
        Span a = after.get(i);
        assertThat(a.getStartTimeUnixNano()).as("start of span %d", i).isEqualTo(b.getStartTimeUnixNano() + delta);
        assertThat(a.getEndTimeUnixNano()).as("end of span %d", i).isEqualTo(b.getEndTimeUnixNano() + delta);
        // Nothing but times and trace ids changed.
        assertThat(a.toBuilder().clearStartTimeUnixNano().clearEndTimeUnixNano().clearTraceId().build())
            .as("span %d apart from times and trace id", i)
            .isEqualTo(b.toBuilder().clearStartTimeUnixNano().clearEndTimeUnixNano().clearTraceId().build());
      }
    }
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {false, true})
  void restampingTheSameBufferIsTheSameAsStampingAFreshCopy(boolean json) throws Exception {
    RequestTemplate template = templates(TraceShape.defaults(), 1, json).get(0);
    byte[] buffer = template.newBuffer();
    template.stamp(buffer, END - 5_000_000_000L, 1);
    template.stamp(buffer, END, 2);
    assertThat(buffer).isEqualTo(stamped(template, END, 2));
    // The template itself is not touched by stamping copies.
    assertThat(template.encoded()).isEqualTo(template.newBuffer());
    assertThat(decode(template.encoded(), json)).isNotEqualTo(decode(buffer, json));
  }

  @ParameterizedTest(name = "json={0}")
  @ValueSource(booleans = {false, true})
  void traceIdsAreNewPerSequenceAndOnePerTrace(boolean json) throws Exception {
    RequestTemplate template = templates(TraceShape.defaults(), 1, json).get(0);
    List<Span> template0 = spans(decode(template.encoded(), json));
    List<Span> first = spans(decode(stamped(template, END, 1), json));
    List<Span> second = spans(decode(stamped(template, END, 2), json));

    // The template's traces, by their (random) ids: which span belongs to which trace.
    Map<ByteString, Set<Integer>> traces = new HashMap<>();
    for (int i = 0; i < template0.size(); i++) {
      traces.computeIfAbsent(template0.get(i).getTraceId(), k -> new HashSet<>()).add(i);
    }
    assertThat(traces.size()).as("traces in a request of 512 spans").isBetween(512 / 9, 512 / 3 + 1);

    for (List<Span> stampedSpans : List.of(first, second)) {
      Set<ByteString> ids = new HashSet<>();
      for (Set<Integer> trace : traces.values()) {
        Set<ByteString> idsOfTrace = new HashSet<>();
        trace.forEach(i -> idsOfTrace.add(stampedSpans.get(i).getTraceId()));
        assertThat(idsOfTrace).as("one id for the spans of one trace").hasSize(1);
        ByteString id = idsOfTrace.iterator().next();
        assertThat(id.size()).isEqualTo(16);
        assertThat(ids.add(id)).as("trace id %s used by two traces", id).isTrue();
      }
      // Parent ids point into the same trace as before (span ids are not rewritten).
      Map<ByteString, ByteString> traceOfSpanId = new HashMap<>();
      stampedSpans.forEach(s -> traceOfSpanId.put(s.getSpanId(), s.getTraceId()));
      for (Span s : stampedSpans) {
        if (!s.getParentSpanId().isEmpty()) {
          assertThat(traceOfSpanId.get(s.getParentSpanId())).isEqualTo(s.getTraceId());
        }
      }
    }
    Set<ByteString> firstIds = new HashSet<>();
    first.forEach(s -> firstIds.add(s.getTraceId()));
    Set<ByteString> secondIds = new HashSet<>();
    second.forEach(s -> secondIds.add(s.getTraceId()));
    assertThat(firstIds).hasSameSizeAs(traces.keySet()).doesNotContainAnyElementsOf(secondIds);
    assertThat(secondIds).hasSameSizeAs(traces.keySet());
  }

  @Test
  void traceIdsOfDifferentTemplatesAtDifferentSequencesDoNotCollide() throws Exception {
    // A generator stamps template (i % 8) with sequence i: over 32 sends no trace id repeats.
    List<RequestTemplate> templates = templates(TraceShape.defaults(), 8, false);
    Set<ByteString> ids = new HashSet<>();
    int traces = 0;
    for (int i = 0; i < 32; i++) {
      Set<ByteString> ofSend = new HashSet<>();
      spans(decode(stamped(templates.get(i % 8), END + i, 1000 + i), false)).forEach(s -> ofSend.add(s.getTraceId()));
      traces += ofSend.size();
      ids.addAll(ofSend);
    }
    assertThat(ids).hasSize(traces);
  }

  @Test
  void protobufAndJsonTemplatesOfOneSeedDecodeToTheSameRequest() throws Exception {
    List<RequestTemplate> protobuf = templates(TraceShape.defaults(), 4, false);
    List<RequestTemplate> json = templates(TraceShape.defaults(), 4, true);
    for (int t = 0; t < 4; t++) {
      assertThat(protobuf.get(t).json()).isFalse();
      assertThat(json.get(t).json()).isTrue();
      assertThat(decode(json.get(t).encoded(), true)).as("template %d unstamped", t)
          .isEqualTo(decode(protobuf.get(t).encoded(), false));
      for (long sequence : new long[] {0, 1, 123_456_789L, (0xffffL << 40) + 17}) {
        ExportTraceServiceRequest fromProtobuf = decode(stamped(protobuf.get(t), END + t, sequence), false);
        ExportTraceServiceRequest fromJson = decode(stamped(json.get(t), END + t, sequence), true);
        assertThat(fromJson).as("template %d, sequence %d", t, sequence).isEqualTo(fromProtobuf);
      }
    }
  }

  @Test
  void sameSeedSameTemplates() {
    List<RequestTemplate> a = templates(TraceShape.defaults(), 2, false);
    List<RequestTemplate> b = templates(TraceShape.defaults(), 2, false);
    assertThat(a.get(0).encoded()).isEqualTo(b.get(0).encoded());
    assertThat(a.get(1).encoded()).isEqualTo(b.get(1).encoded()).isNotEqualTo(a.get(0).encoded());
    assertThat(new TraceGenerator(TraceShape.defaults()).templates(1, false, SEED + 1).get(0).encoded())
        .isNotEqualTo(a.get(0).encoded());
  }

  @ParameterizedTest(name = "{0} spans per request")
  @ValueSource(ints = {1, 2, 3, 7, 512})
  void spanCountIsSpansPerRequestAndEverySpanHasTheAttributes(int spansPerRequest) throws Exception {
    for (int attributes : new int[] {0, 5, 20, 23}) {
      TraceShape shape = shape(spansPerRequest, attributes);
      for (boolean json : new boolean[] {false, true}) {
        for (RequestTemplate template : templates(shape, 3, json)) {
          assertThat(template.spans()).isEqualTo(spansPerRequest);
          ExportTraceServiceRequest request = decode(stamped(template, END, 5), json);
          List<Span> spans = spans(request);
          assertThat(spans).as("%d attributes, json=%s", attributes, json).hasSize(spansPerRequest);
          assertThat(spans).allSatisfy(s -> assertThat(s.getAttributesCount()).isEqualTo(attributes));
          assertThat(spans.stream().mapToLong(Span::getEndTimeUnixNano).max().orElseThrow()).isEqualTo(END);
          assertThat(spans).allSatisfy(s -> assertThat(s.getStartTimeUnixNano()).isLessThan(s.getEndTimeUnixNano()));
        }
      }
    }
  }

  @Test
  void attributesHaveTheirSemanticConventionNamesAndDistinctKeys() throws Exception {
    RequestTemplate template = templates(shape(7, 23), 1, false).get(0);
    for (Span s : spans(decode(template.encoded(), false))) {
      List<String> keys = s.getAttributesList().stream().map(kv -> kv.getKey()).toList();
      assertThat(keys).doesNotHaveDuplicates().hasSize(23)
          .startsWith("http.request.method", "url.path", "http.response.status_code")
          .endsWith("app.region", "app.attribute.20", "app.attribute.21", "app.attribute.22");
    }
  }
}
