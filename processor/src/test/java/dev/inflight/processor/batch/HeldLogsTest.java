package dev.inflight.processor.batch;

import static dev.inflight.processor.batch.BatchTestData.logsRequest;
import static dev.inflight.processor.batch.BatchTestData.parse;
import static dev.inflight.processor.batch.BatchTestData.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.pdata.Logs;
import dev.inflight.processor.batch.BatchTestData.LocatedRecord;
import dev.inflight.processor.batch.HeldBatch.Cut;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Merging and splitting encoded logs requests, checked against the parsed input: every record
 * comes out once, in order, with its own resource and scope (compared field by field as messages).
 */
class HeldLogsTest {
  private final HeldEncoded<Logs> held = HeldEncoded.logs();

  private Logs add(ExportLogsServiceRequest request) {
    Logs l = Logs.ofEncoded(request.toByteArray());
    held.add(l, l.logRecordCount());
    return l;
  }

  /** Takes requests of at most {@code cap} until nothing is held; checks each one's count. */
  private List<Logs> drain(int cap) {
    List<Logs> out = new ArrayList<>();
    while (held.items() > 0) {
      int before = held.items();
      Cut<Logs> cut = held.take(cap);
      Logs l = cut.data();
      int parsed = records(parse(l)).size();
      assertThat(parsed).as("declared count").isEqualTo(cut.items()).isEqualTo(l.logRecordCount());
      assertThat(cut.items()).isPositive();
      if (cap > 0) {
        assertThat(cut.items()).isLessThanOrEqualTo(cap);
      }
      assertThat(held.items()).isEqualTo(before - cut.items());
      out.add(l);
    }
    return out;
  }

  private static List<Integer> counts(List<Logs> out) {
    return out.stream().map(Logs::logRecordCount).toList();
  }

  /** Record counts per scope of each resource of a request. */
  private static List<List<Integer>> shape(Logs l) {
    List<List<Integer>> shape = new ArrayList<>();
    for (ResourceLogs rl : parse(l).getResourceLogsList()) {
      shape.add(rl.getScopeLogsList().stream().map(ScopeLogs::getLogRecordsCount).toList());
    }
    return shape;
  }

  private static List<LocatedRecord> recordsOf(List<ExportLogsServiceRequest> inputs) {
    List<LocatedRecord> out = new ArrayList<>();
    inputs.forEach(in -> out.addAll(records(in)));
    return out;
  }

  @Test
  void mergesRequestsByConcatenatingTheirBytes() throws Exception {
    ExportLogsServiceRequest a = logsRequest("a", new int[][] {{2, 1}});
    ExportLogsServiceRequest b = logsRequest("b", new int[][] {{1}, {3}});
    ExportLogsServiceRequest c = logsRequest("c", new int[][] {{4}});
    add(a);
    add(b);
    add(c);

    List<Logs> out = drain(0);

    assertThat(out).hasSize(1);
    assertThat(parse(out.get(0)))
        .isEqualTo(
            ExportLogsServiceRequest.newBuilder()
                .addAllResourceLogs(a.getResourceLogsList())
                .addAllResourceLogs(b.getResourceLogsList())
                .addAllResourceLogs(c.getResourceLogsList())
                .build());
    ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
    a.writeTo(concatenated);
    b.writeTo(concatenated);
    c.writeTo(concatenated);
    assertThat(out.get(0).encoded()).isEqualTo(concatenated.toByteArray());
    assertThat(out.get(0).logRecordCount()).isEqualTo(11);
  }

  @Test
  void aRequestTakenWholeIsHandedOnAsItIs() {
    Logs l = add(logsRequest("a", new int[][] {{5}}));

    assertThat(held.take(5).data()).isSameAs(l);
    assertThat(held.items()).isZero();
  }

  @Test
  void splitsBetweenResourcesAndNeverCutsOneThatFitsARequest() {
    ExportLogsServiceRequest in = logsRequest("r", new int[][] {{30}, {30}, {30}, {30}, {30}});
    add(in);

    List<Logs> out = drain(100);

    assertThat(counts(out)).containsExactly(90, 60);
    assertThat(shape(out.get(0))).containsExactly(List.of(30), List.of(30), List.of(30));
    assertThat(shape(out.get(1))).containsExactly(List.of(30), List.of(30));
    assertThat(records(out)).isEqualTo(records(in));
  }

  @Test
  void cutsAResourceLargerThanTheCapBetweenScopesAndInsideTheScopeAtTheEdge() {
    ExportLogsServiceRequest in = logsRequest("r", new int[][] {{40, 40, 40, 40}});
    add(in);

    List<Logs> out = drain(100);

    assertThat(counts(out)).containsExactly(100, 60);
    assertThat(shape(out.get(0))).containsExactly(List.of(40, 40, 20));
    assertThat(shape(out.get(1))).containsExactly(List.of(20, 40));
    // Every piece carries the resource (attributes, schema URL) and its scopes' descriptions.
    ResourceLogs original = in.getResourceLogs(0);
    for (Logs l : out) {
      ResourceLogs rl = parse(l).getResourceLogs(0);
      assertThat(rl.getResource()).isEqualTo(original.getResource());
      assertThat(rl.getSchemaUrl()).isEqualTo(original.getSchemaUrl()).isNotEmpty();
    }
    ScopeLogs cutScope = parse(out.get(1)).getResourceLogs(0).getScopeLogs(0);
    assertThat(cutScope.getScope()).isEqualTo(original.getScopeLogs(2).getScope());
    assertThat(cutScope.getSchemaUrl()).isEqualTo(original.getScopeLogs(2).getSchemaUrl());
    assertThat(records(out)).isEqualTo(records(in));
  }

  @Test
  void cutsOneHugeScopeBetweenRecords() {
    ExportLogsServiceRequest in = logsRequest("r", new int[][] {{250}});
    add(in);

    List<Logs> out = drain(100);

    assertThat(counts(out)).containsExactly(100, 100, 50);
    assertThat(records(out)).isEqualTo(records(in));
  }

  @Test
  void aResourceLargerThanTheCapFillsWhatIsLeftOfTheRequest() {
    ExportLogsServiceRequest small = logsRequest("s", new int[][] {{10}});
    ExportLogsServiceRequest big = logsRequest("b", new int[][] {{250}});
    add(small);
    add(big);

    List<Logs> out = drain(100);

    assertThat(counts(out)).containsExactly(100, 100, 60);
    assertThat(shape(out.get(0))).containsExactly(List.of(10), List.of(90));
    assertThat(records(out)).isEqualTo(recordsOf(List.of(small, big)));
  }

  @Test
  void resourcesAndScopesWithoutRecordsAreKept() {
    ExportLogsServiceRequest in = logsRequest("e", new int[][] {{0, 3, 0, 2, 0}, {}, {0}, {4}});
    add(in);

    List<Logs> out = drain(2);

    assertThat(records(out)).isEqualTo(records(in));
    Set<String> scopes = new HashSet<>();
    Set<String> resources = new HashSet<>();
    for (Logs l : out) {
      for (ResourceLogs rl : parse(l).getResourceLogsList()) {
        resources.add(rl.getResource().toString());
        rl.getScopeLogsList().forEach(sl -> scopes.add(sl.getScope().getName()));
      }
    }
    Set<String> scopesIn = new HashSet<>();
    Set<String> resourcesIn = new HashSet<>();
    for (ResourceLogs rl : in.getResourceLogsList()) {
      resourcesIn.add(rl.getResource().toString());
      rl.getScopeLogsList().forEach(sl -> scopesIn.add(sl.getScope().getName()));
    }
    assertThat(scopes).isEqualTo(scopesIn);
    assertThat(resources).isEqualTo(resourcesIn);
  }

  @Test
  void aRequestThatDoesNotWalkGoesOnItsOwnUncut() {
    Logs bad = Logs.ofEncoded(new byte[] {0x0a, 0x7f, 0x01}, 5); // a count a receiver vouched for
    add(logsRequest("a", new int[][] {{1}}));
    held.add(bad, 5);

    Cut<Logs> first = held.take(3);
    Cut<Logs> second = held.take(3);

    assertThat(first.items()).isEqualTo(1);
    assertThat(second.items()).isEqualTo(5);
    assertThat(second.data()).isSameAs(bad);
    assertThat(held.items()).isZero();
  }

  /**
   * Random shapes and caps: every record comes out exactly once, in order, with its resource and
   * scope; no request is over the cap; a resource that fits the cap is never cut.
   */
  @Test
  void randomShapesLoseNothingAndRespectTheCap() {
    for (int seed = 0; seed < 200; seed++) {
      Random random = new Random(seed);
      HeldEncoded<Logs> batch = HeldEncoded.logs();
      int cap = 1 + random.nextInt(40);
      List<ExportLogsServiceRequest> inputs = new ArrayList<>();
      List<Logs> out = new ArrayList<>();
      int rounds = 1 + random.nextInt(6);
      for (int round = 0; round < rounds; round++) {
        int requests = 1 + random.nextInt(3);
        for (int q = 0; q < requests; q++) {
          int[][] shape = new int[random.nextInt(4)][];
          for (int r = 0; r < shape.length; r++) {
            shape[r] = new int[random.nextInt(4)];
            for (int s = 0; s < shape[r].length; s++) {
              shape[r][s] = random.nextInt(random.nextBoolean() ? 5 : 50);
            }
          }
          ExportLogsServiceRequest in = logsRequest("s" + seed + "q" + round + "." + q, shape);
          Logs l = Logs.ofEncoded(in.toByteArray());
          if (l.logRecordCount() == 0) {
            continue; // the processor forgets empty batches before holding them
          }
          inputs.add(in);
          batch.add(l, l.logRecordCount());
        }
        int takes = random.nextBoolean() ? 1 : Integer.MAX_VALUE;
        for (int i = 0; i < takes && batch.items() > 0; i++) {
          Cut<Logs> cut = batch.take(cap);
          Logs l = cut.data();
          assertThat(cut.items()).as("seed %d", seed).isBetween(1, cap);
          assertThat(records(parse(l))).as("seed %d", seed).hasSize(cut.items());
          out.add(l);
        }
      }
      while (batch.items() > 0) {
        out.add(batch.take(cap).data());
      }

      assertThat(records(out)).as("seed %d", seed).isEqualTo(recordsOf(inputs));

      Map<LocatedRecord, Integer> requestOf = new HashMap<>();
      for (int i = 0; i < out.size(); i++) {
        for (LocatedRecord r : records(parse(out.get(i)))) {
          requestOf.put(r, i);
        }
      }
      for (ExportLogsServiceRequest in : inputs) {
        for (ResourceLogs rl : in.getResourceLogsList()) {
          List<LocatedRecord> mine =
              records(ExportLogsServiceRequest.newBuilder().addResourceLogs(rl).build());
          if (mine.size() <= cap) {
            assertThat(mine.stream().map(requestOf::get).distinct().count())
                .as("seed %d: a resource of %d records, cap %d, was cut", seed, mine.size(), cap)
                .isLessThanOrEqualTo(1);
          }
        }
      }
    }
  }
}
