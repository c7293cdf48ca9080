package dev.inflight.processor.batch;

import static dev.inflight.processor.batch.BatchTestData.flatten;
import static dev.inflight.processor.batch.BatchTestData.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.pdata.Traces;
import dev.inflight.processor.batch.HeldBatch.Cut;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Merging and splitting encoded requests, checked by parsing what comes out. */
class HeldTracesTest {
  private final HeldEncoded<Traces> held = HeldEncoded.traces();

  private Traces add(ExportTraceServiceRequest request) {
    Traces t = Traces.ofEncoded(request.toByteArray());
    held.add(t, t.spanCount());
    return t;
  }

  /** Takes requests of at most {@code cap} until nothing is held; checks each one's count. */
  private List<Traces> drain(int cap) {
    List<Traces> out = new ArrayList<>();
    while (held.items() > 0) {
      int before = held.items();
      Cut<Traces> cut = held.take(cap);
      Traces t = cut.data();
      int parsed = BatchTestData.spans(t.request());
      assertThat(parsed).as("declared count").isEqualTo(cut.items()).isEqualTo(t.spanCount());
      assertThat(cut.items()).isPositive();
      if (cap > 0) {
        assertThat(cut.items()).isLessThanOrEqualTo(cap);
      }
      assertThat(held.items()).isEqualTo(before - cut.items());
      out.add(t);
    }
    return out;
  }

  private static List<Integer> counts(List<Traces> out) {
    return out.stream().map(Traces::spanCount).toList();
  }

  /** Span counts per scope of each resource of a request. */
  private static List<List<Integer>> shape(Traces t) {
    List<List<Integer>> shape = new ArrayList<>();
    for (ResourceSpans rs : t.request().getResourceSpansList()) {
      shape.add(rs.getScopeSpansList().stream().map(ScopeSpans::getSpansCount).toList());
    }
    return shape;
  }

  @Test
  void mergesThreeSmallRequestsIntoOneWithEveryResourceInOrder() throws Exception {
    ExportTraceServiceRequest a = request("a", new int[][] {{2, 1}});
    ExportTraceServiceRequest b = request("b", new int[][] {{1}, {3}});
    ExportTraceServiceRequest c = request("c", new int[][] {{4}});
    add(a);
    add(b);
    add(c);

    List<Traces> out = drain(0);

    assertThat(out).hasSize(1);
    ExportTraceServiceRequest merged = out.get(0).request();
    assertThat(merged)
        .isEqualTo(
            ExportTraceServiceRequest.newBuilder()
                .addAllResourceSpans(a.getResourceSpansList())
                .addAllResourceSpans(b.getResourceSpansList())
                .addAllResourceSpans(c.getResourceSpansList())
                .build());
    // No parse on the way: the bytes are the three requests' bytes, one after the other.
    ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
    a.writeTo(concatenated);
    b.writeTo(concatenated);
    c.writeTo(concatenated);
    assertThat(out.get(0).encoded()).isEqualTo(concatenated.toByteArray());
    assertThat(out.get(0).spanCount()).isEqualTo(11);
  }

  @Test
  void aRequestTakenWholeIsHandedOnAsItIs() {
    Traces t = add(request("a", new int[][] {{5}}));

    assertThat(held.take(5).data()).isSameAs(t);
    assertThat(held.items()).isZero();
  }

  @Test
  void splitsBetweenResourcesAndNeverCutsOneThatFitsARequest() {
    ExportTraceServiceRequest in = request("r", new int[][] {{300}, {300}, {300}, {300}, {300}});
    add(in);

    List<Traces> out = drain(1000);

    assertThat(counts(out)).containsExactly(900, 600);
    assertThat(shape(out.get(0))).containsExactly(List.of(300), List.of(300), List.of(300));
    assertThat(shape(out.get(1))).containsExactly(List.of(300), List.of(300));
    assertThat(flatten(out)).isEqualTo(flatten(in));
  }

  @Test
  void cutsAResourceLargerThanTheCapBetweenScopesAndInsideTheScopeAtTheEdge() {
    ExportTraceServiceRequest in = request("r", new int[][] {{400, 400, 400, 400}});
    add(in);

    List<Traces> out = drain(1000);

    assertThat(counts(out)).containsExactly(1000, 600);
    assertThat(shape(out.get(0))).containsExactly(List.of(400, 400, 200));
    assertThat(shape(out.get(1))).containsExactly(List.of(200, 400));
    // Every piece carries the resource and the scopes, so each span keeps where it came from.
    ResourceSpans original = in.getResourceSpans(0);
    for (Traces t : out) {
      ResourceSpans rs = t.request().getResourceSpans(0);
      assertThat(rs.getResource()).isEqualTo(original.getResource());
      assertThat(rs.getSchemaUrl()).isEqualTo(original.getSchemaUrl());
    }
    assertThat(out.get(1).request().getResourceSpans(0).getScopeSpans(0).getScope())
        .isEqualTo(original.getScopeSpans(2).getScope());
    assertThat(flatten(out)).isEqualTo(flatten(in));
  }

  @Test
  void cutsOneHugeScopeBetweenSpans() {
    ExportTraceServiceRequest in = request("r", new int[][] {{2500}});
    add(in);

    List<Traces> out = drain(1000);

    assertThat(counts(out)).containsExactly(1000, 1000, 500);
    assertThat(flatten(out)).isEqualTo(flatten(in));
  }

  @Test
  void aResourceLargerThanTheCapFillsWhatIsLeftOfTheRequest() {
    ExportTraceServiceRequest small = request("s", new int[][] {{100}});
    ExportTraceServiceRequest big = request("b", new int[][] {{2500}});
    add(small);
    add(big);

    List<Traces> out = drain(1000);

    assertThat(counts(out)).containsExactly(1000, 1000, 600);
    assertThat(shape(out.get(0))).containsExactly(List.of(100), List.of(900));
    assertThat(flatten(out)).isEqualTo(flatten(List.of(Traces.of(small), Traces.of(big))));
  }

  @Test
  void resourcesAndScopesWithoutSpansAreKept() {
    ExportTraceServiceRequest in = request("e", new int[][] {{0, 3, 0, 2, 0}, {}, {0}, {4}});
    add(in);

    List<Traces> out = drain(2);

    assertThat(flatten(out)).isEqualTo(flatten(in));
    Set<String> scopesIn = scopeNames(List.of(Traces.of(in)));
    assertThat(scopeNames(out)).isEqualTo(scopesIn);
    Set<String> resourcesIn = resourceNames(List.of(Traces.of(in)));
    assertThat(resourceNames(out)).isEqualTo(resourcesIn);
  }

  private static Set<String> scopeNames(List<Traces> batches) {
    Set<String> names = new HashSet<>();
    for (Traces t : batches) {
      for (ResourceSpans rs : t.request().getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          names.add(ss.getScope().getName());
        }
      }
    }
    return names;
  }

  private static Set<String> resourceNames(List<Traces> batches) {
    return batches.stream()
        .flatMap(t -> t.request().getResourceSpansList().stream())
        .map(rs -> rs.getResource().getAttributes(0).getValue().getStringValue())
        .collect(Collectors.toSet());
  }

  @Test
  void aRequestThatDoesNotWalkGoesOnItsOwnUncut() {
    byte[] garbage = {0x0a, 0x7f, 0x01};
    Traces bad = Traces.ofEncoded(garbage, 5); // a count a receiver vouched for
    add(request("a", new int[][] {{1}}));
    held.add(bad, 5);

    Cut<Traces> first = held.take(3);
    Cut<Traces> second = held.take(3);

    assertThat(first.items()).isEqualTo(1);
    assertThat(second.items()).isEqualTo(5);
    assertThat(second.data()).isSameAs(bad);
    assertThat(held.items()).isZero();
  }

  /**
   * Random shapes and caps: every span comes out exactly once, in order, with its resource and
   * scope; no request is over the cap; a resource that fits the cap is never cut.
   */
  @Test
  void randomShapesLoseNothingAndRespectTheCap() {
    for (int seed = 0; seed < 300; seed++) {
      Random random = new Random(seed);
      HeldEncoded<Traces> batch = HeldEncoded.traces();
      int cap = 1 + random.nextInt(60);
      List<ExportTraceServiceRequest> inputs = new ArrayList<>();
      List<Traces> out = new ArrayList<>();
      int rounds = 1 + random.nextInt(6);
      for (int round = 0; round < rounds; round++) {
        int requests = 1 + random.nextInt(3);
        for (int q = 0; q < requests; q++) {
          int[][] shape = new int[random.nextInt(4)][];
          for (int r = 0; r < shape.length; r++) {
            shape[r] = new int[random.nextInt(4)];
            for (int s = 0; s < shape[r].length; s++) {
              shape[r][s] = random.nextInt(random.nextBoolean() ? 5 : 80);
            }
          }
          ExportTraceServiceRequest in = request("s" + seed + "q" + round + "." + q, shape);
          Traces t = Traces.ofEncoded(in.toByteArray());
          if (t.spanCount() == 0) {
            continue; // the processor forgets empty batches before holding them
          }
          inputs.add(in);
          batch.add(t, t.spanCount());
        }
        // Sometimes take one request, sometimes everything: remainders must carry on correctly.
        int takes = random.nextBoolean() ? 1 : Integer.MAX_VALUE;
        for (int i = 0; i < takes && batch.items() > 0; i++) {
          Cut<Traces> cut = batch.take(cap);
          Traces t = cut.data();
          assertThat(cut.items()).as("seed %d", seed).isBetween(1, cap);
          assertThat(BatchTestData.spans(t.request())).as("seed %d", seed).isEqualTo(cut.items());
          out.add(t);
        }
      }
      while (batch.items() > 0) {
        out.add(batch.take(cap).data());
      }

      List<BatchTestData.Located> expected = new ArrayList<>();
      inputs.forEach(in -> expected.addAll(flatten(in)));
      assertThat(flatten(out)).as("seed %d", seed).isEqualTo(expected);

      Map<Object, Integer> requestOfSpan = new HashMap<>();
      for (int i = 0; i < out.size(); i++) {
        for (BatchTestData.Located l : flatten(out.get(i).request())) {
          requestOfSpan.put(l.span().getSpanId(), i);
        }
      }
      for (ExportTraceServiceRequest in : inputs) {
        for (ResourceSpans rs : in.getResourceSpansList()) {
          List<Object> ids =
              rs.getScopeSpansList().stream()
                  .flatMap(ss -> ss.getSpansList().stream())
                  .map(s -> (Object) s.getSpanId())
                  .toList();
          if (ids.size() <= cap) {
            assertThat(ids.stream().map(requestOfSpan::get).distinct().count())
                .as("seed %d: a resource of %d spans, cap %d, was cut", seed, ids.size(), cap)
                .isLessThanOrEqualTo(1);
          }
        }
      }
    }
  }
}
