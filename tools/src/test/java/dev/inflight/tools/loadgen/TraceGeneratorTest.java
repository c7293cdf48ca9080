package dev.inflight.tools.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link TraceGenerator}: the shape of the generated traces, read back from the encoded templates. */
class TraceGeneratorTest {
  private static List<ExportTraceServiceRequest> requests(TraceShape shape, int count) throws Exception {
    List<ExportTraceServiceRequest> out = new ArrayList<>();
    for (RequestTemplate t : new TraceGenerator(shape).templates(count, false, 7)) {
      out.add(ExportTraceServiceRequest.parseFrom(t.encoded()));
    }
    return out;
  }

  private static String resourceAttribute(ResourceSpans rs, String key) {
    return rs.getResource().getAttributesList().stream().filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue()).findFirst().orElse(null);
  }

  @Test
  void childrenAreInsideTheirParentAndInTheSameTrace() throws Exception {
    int roots = 0;
    int children = 0;
    for (ExportTraceServiceRequest request : requests(TraceShape.defaults(), 8)) {
      List<Span> spans = RequestTemplateTest.spans(request);
      Map<ByteString, Span> byId = new HashMap<>();
      for (Span s : spans) {
        assertThat(byId.put(s.getSpanId(), s)).as("span id %s twice", s.getSpanId()).isNull();
        assertThat(s.getSpanId().size()).isEqualTo(8);
        assertThat(s.getTraceId().size()).isEqualTo(16);
        assertThat(s.getStartTimeUnixNano()).isLessThan(s.getEndTimeUnixNano());
      }
      for (Span s : spans) {
        if (s.getParentSpanId().isEmpty()) {
          roots++;
          assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
          assertThat(s.getName()).startsWith("POST /api/");
          continue;
        }
        children++;
        Span parent = byId.get(s.getParentSpanId());
        assertThat(parent).as("parent of %s is in the request", s.getName()).isNotNull();
        assertThat(s.getTraceId()).isEqualTo(parent.getTraceId());
        assertThat(s.getStartTimeUnixNano()).as("%s starts inside %s", s.getName(), parent.getName())
            .isGreaterThanOrEqualTo(parent.getStartTimeUnixNano());
        assertThat(s.getEndTimeUnixNano()).as("%s ends inside %s", s.getName(), parent.getName())
            .isLessThanOrEqualTo(parent.getEndTimeUnixNano());
      }
      // One root per trace id.
      long traces = spans.stream().map(Span::getTraceId).distinct().count();
      assertThat(spans.stream().filter(s -> s.getParentSpanId().isEmpty()).count()).isEqualTo(traces);
    }
    assertThat(roots).isPositive();
    assertThat(children).isGreaterThan(roots);
  }

  @Test
  void childrenEndBeforeTheirParentInTheRequestAsAnSdkExportsThem() throws Exception {
    for (ExportTraceServiceRequest request : requests(TraceShape.defaults(), 2)) {
      List<Span> spans = RequestTemplateTest.spans(request);
      Map<ByteString, Integer> position = new HashMap<>();
      for (int i = 0; i < spans.size(); i++) {
        position.put(spans.get(i).getSpanId(), i);
      }
      for (int i = 0; i < spans.size(); i++) {
        Span s = spans.get(i);
        if (!s.getParentSpanId().isEmpty()) {
          assertThat(position.get(s.getParentSpanId())).isGreaterThan(i);
        }
      }
    }
  }

  @Test
  void workerSpansAreNamedFromWorkerNamesAndAreAboutFortyPercent() throws Exception {
    List<String> names = List.of("pool alpha", "pool beta");
    TraceShape shape = new TraceShape(512, 3, names, 2);
    long total = 0;
    long workers = 0;
    Map<String, Integer> perName = new HashMap<>();
    for (ExportTraceServiceRequest request : requests(shape, 8)) {
      List<Span> spans = RequestTemplateTest.spans(request);
      Map<ByteString, Span> byId = new HashMap<>();
      spans.forEach(s -> byId.put(s.getSpanId(), s));
      for (Span s : spans) {
        total++;
        Span parent = s.getParentSpanId().isEmpty() ? null : byId.get(s.getParentSpanId());
        boolean isWorker = parent != null && parent.getParentSpanId().isEmpty(); // a child of the root
        if (isWorker) {
          workers++;
          assertThat(s.getName()).isIn(names);
          assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_INTERNAL);
          perName.merge(s.getName(), 1, Integer::sum);
        } else {
          assertThat(s.getName()).isNotIn(names);
          if (parent != null) {
            // The database call inside a worker span.
            assertThat(s.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
            assertThat(parent.getName()).isIn(names);
          }
        }
      }
    }
    assertThat(total).isEqualTo(8 * 512);
    assertThat((double) workers / total).as("share of worker spans").isBetween(0.30, 0.50);
    // Cycled through: both names, about equally often.
    assertThat(perName).containsOnlyKeys(names);
    assertThat(Math.abs(perName.get("pool alpha") - perName.get("pool beta"))).isLessThanOrEqualTo(8);
  }

  @Test
  void defaultShapeHasThirtyToFiftyPercentWorkerSpansOfTheDefaultWorkerTypes() throws Exception {
    long total = 0;
    long workers = 0;
    for (ExportTraceServiceRequest request : requests(TraceShape.defaults(), 8)) {
      for (Span s : RequestTemplateTest.spans(request)) {
        total++;
        if (TraceShape.DEFAULT_WORKER_NAMES.contains(s.getName())) {
          workers++;
        }
      }
    }
    assertThat((double) workers / total).isBetween(0.30, 0.50);
  }

  @Test
  void oneResourcePerRequestWithServiceNameCyclingOverServices() throws Exception {
    List<ExportTraceServiceRequest> three = requests(TraceShape.defaults(), 8);
    List<String> names = new ArrayList<>();
    for (ExportTraceServiceRequest r : three) {
      assertThat(r.getResourceSpansCount()).isEqualTo(1);
      assertThat(r.getResourceSpans(0).getScopeSpansCount()).isEqualTo(1);
      names.add(resourceAttribute(r.getResourceSpans(0), "service.name"));
    }
    assertThat(names).containsExactly(
        "checkout", "accounts", "payments", "checkout", "accounts", "payments", "checkout", "accounts");

    TraceShape seven = new TraceShape(5, 0, TraceShape.DEFAULT_WORKER_NAMES, 7);
    List<String> sevenNames = new ArrayList<>();
    for (ExportTraceServiceRequest r : requests(seven, 8)) {
      sevenNames.add(resourceAttribute(r.getResourceSpans(0), "service.name"));
    }
    assertThat(sevenNames).containsExactly(
        "checkout", "accounts", "payments", "inventory", "shipping", "service-5", "service-6", "checkout");

    TraceShape one = new TraceShape(5, 0, TraceShape.DEFAULT_WORKER_NAMES, 1);
    assertThat(requests(one, 4)).allSatisfy(r ->
        assertThat(resourceAttribute(r.getResourceSpans(0), "service.name")).isEqualTo("checkout"));
  }

  @Test
  void requestIsRepeatableFromItsRandom() {
    TraceGenerator generator = new TraceGenerator(TraceShape.defaults());
    List<Integer> a = new ArrayList<>();
    List<Integer> b = new ArrayList<>();
    ExportTraceServiceRequest first = generator.request(0, new Random(1), a);
    ExportTraceServiceRequest second = generator.request(0, new Random(1), b);
    assertThat(first).isEqualTo(second);
    assertThat(a).isEqualTo(b).hasSize(512);
    // The trace index of each span: non-decreasing from 0, and the spans of one index share a trace id.
    List<Span> spans = RequestTemplateTest.spans(first);
    assertThat(a.get(0)).isZero();
    for (int i = 1; i < a.size(); i++) {
      assertThat(a.get(i) - a.get(i - 1)).isBetween(0, 1);
      assertThat(spans.get(i).getTraceId().equals(spans.get(i - 1).getTraceId())).isEqualTo(a.get(i).equals(a.get(i - 1)));
    }
  }

  @Test
  void attributesAreOfMixedTypes() throws Exception {
    List<KeyValue> attributes = RequestTemplateTest.spans(requests(TraceShape.defaults(), 1).get(0)).get(0).getAttributesList();
    assertThat(attributes).hasSize(20);
    assertThat(attributes.stream().map(kv -> kv.getValue().getValueCase()).distinct())
        .containsExactlyInAnyOrder(
            io.opentelemetry.proto.common.v1.AnyValue.ValueCase.STRING_VALUE,
            io.opentelemetry.proto.common.v1.AnyValue.ValueCase.INT_VALUE,
            io.opentelemetry.proto.common.v1.AnyValue.ValueCase.BOOL_VALUE,
            io.opentelemetry.proto.common.v1.AnyValue.ValueCase.DOUBLE_VALUE);
  }

  @Test
  void shapeRejectsWhatItCannotGenerate() {
    assertThatThrownBy(() -> new TraceShape(0, 20, TraceShape.DEFAULT_WORKER_NAMES, 3))
        .hasMessageContaining("spans per request must be 1 to 100000, got 0");
    assertThatThrownBy(() -> new TraceShape(512, -1, TraceShape.DEFAULT_WORKER_NAMES, 3))
        .hasMessageContaining("attributes");
    assertThatThrownBy(() -> new TraceShape(512, 20, List.of(), 3)).hasMessageContaining("worker span names");
    assertThatThrownBy(() -> new TraceShape(512, 20, List.of(" "), 3)).hasMessageContaining("worker span names");
    assertThatThrownBy(() -> new TraceShape(512, 20, TraceShape.DEFAULT_WORKER_NAMES, 0))
        .hasMessageContaining("services must be 1 to 10000, got 0");
  }
}
