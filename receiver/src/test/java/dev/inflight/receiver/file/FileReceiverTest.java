package dev.inflight.receiver.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.testing.TestData;
import dev.inflight.pdata.Traces;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.service.telemetry.ScrapedTelemetry;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file receiver over recordings written here, with consumers that record, refuse or block. */
class FileReceiverTest {
  private static final long S = 1_000_000_000L;
  private static final long T0 = 1_790_000_000L * S;

  @TempDir Path dir;

  private final ComponentTelemetry telemetry = ComponentTelemetry.noop(ComponentKind.RECEIVER, ComponentId.of("file"));
  private final List<Traces> traces = new CopyOnWriteArrayList<>();
  private final List<Metrics> metrics = new CopyOnWriteArrayList<>();
  private final ReplayPacerTest.FakeClock clock = new ReplayPacerTest.FakeClock();

  private FileReceiver receiver(FileReceiverConfig config, dev.inflight.component.TracesConsumer t,
      dev.inflight.component.MetricsConsumer m) {
    CreateSettings settings = new CreateSettings(ComponentId.of("file"), ComponentKind.RECEIVER, telemetry, new HashMap<>());
    FileReceiver r = new FileReceiver(settings, config, clock);
    if (t != null) {
      r.tracesConsumer(t);
    }
    if (m != null) {
      r.metricsConsumer(m);
    }
    return r;
  }

  private FileReceiver run(FileReceiverConfig config, dev.inflight.component.TracesConsumer t,
      dev.inflight.component.MetricsConsumer m) throws Exception {
    FileReceiver r = receiver(config, t, m);
    r.start(java.util.Map::of);
    assertThat(r.awaitFinished(Duration.ofSeconds(20))).as("the replay ended").isTrue();
    r.shutdown();
    return r;
  }

  private static List<String> names(List<Traces> got) {
    List<String> out = new ArrayList<>();
    for (Traces t : got) {
      ExportTraceServiceRequest r = t.request();
      r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> ss.getSpansList()
          .forEach(s -> out.add(s.getName()))));
    }
    return out;
  }

  @Test
  void everyRecordOfAZstdRecordingReachesItsPipelineInOrderPacedByEventTime() throws Exception {
    Recordings.write(dir.resolve("spans.binpb"), List.of(
        Recordings.traces("a", T0 - S, T0),
        Recordings.metrics(T0 + S),
        Recordings.traces("b", T0, T0 + 2 * S, T0 + S, T0 + 3 * S)), true);

    FileReceiver r = run(FileReceiverConfig.of(List.of(dir + "/*.binpb"), "1"), traces::add, metrics::add);

    assertThat(names(traces)).containsExactly("a-0", "b-0", "b-1");
    assertThat(metrics).hasSize(1);
    assertThat(clock.sleeps.stream().mapToLong(Long::longValue).sum()).as("waited as recorded: 3s").isEqualTo(3 * S);
    FileReceiver.Summary s = r.summary();
    assertThat(s.completed()).isTrue();
    assertThat(s.files()).isEqualTo(1);
    assertThat(s.records()).isEqualTo(3);
    assertThat(s.spans()).isEqualTo(3);
    assertThat(s.points()).isEqualTo(1);
    assertThat(telemetry.spanTotals().accepted()).isEqualTo(3);
  }

  @Test
  void aRetryableRefusalIsRetriedWithTheSameRecordUntilTakenNothingLost() throws Exception {
    Recordings.write(dir.resolve("spans.binpb"), List.of(
        Recordings.traces("a", T0, T0 + 1), Recordings.traces("b", T0, T0 + 2), Recordings.traces("c", T0, T0 + 3)), false);
    AtomicInteger calls = new AtomicInteger();
    List<byte[]> offered = new CopyOnWriteArrayList<>();

    FileReceiver r = run(FileReceiverConfig.of(List.of(dir.toString()), "max"), t -> {
      offered.add(t.encoded());
      int n = calls.incrementAndGet();
      if (n == 2) {
        throw Refusal.retryable("queue full", Duration.ofMillis(300));
      }
      if (n == 3 || n == 4) {
        throw Refusal.retryable("memory limit");
      }
      traces.add(t);
    }, null);

    assertThat(names(traces)).containsExactly("a-0", "b-0", "c-0");
    assertThat(offered).hasSize(6);
    assertThat(offered.get(1)).isEqualTo(offered.get(2)).isEqualTo(offered.get(3)).isEqualTo(offered.get(4));
    // The hint, then the backoff from 100ms doubling.
    assertThat(clock.sleeps).containsExactly(300_000_000L, 200_000_000L, 400_000_000L);
    assertThat(r.summary().retries()).isEqualTo(3);
    assertThat(telemetry.spanTotals().accepted()).isEqualTo(3);
    assertThat(telemetry.spanTotals().refused()).isZero();
  }

  @Test
  void aPermanentRefusalIsCountedAndReadingGoesOn() throws Exception {
    Recordings.write(dir.resolve("spans.binpb"), List.of(
        Recordings.traces("a", T0, T0 + 1), Recordings.traces("bad", T0, T0 + 2, T0, T0 + 3),
        Recordings.traces("c", T0, T0 + 4)), false);

    FileReceiver r = run(FileReceiverConfig.of(List.of(dir + "/spans.binpb"), "max"), t -> {
      if (names(List.of(t)).get(0).startsWith("bad")) {
        throw Refusal.permanent("bad data");
      }
      traces.add(t);
    }, null);

    assertThat(names(traces)).containsExactly("a-0", "c-0");
    assertThat(r.summary().refusedSpans()).isEqualTo(2);
    assertThat(telemetry.spanTotals().refused()).isEqualTo(2);
    assertThat(telemetry.spanTotals().accepted()).isEqualTo(2);
    assertThat(clock.sleeps).isEmpty();
  }

  @Test
  void metricsRecordsAreSkippedAndCountedWithoutAMetricsPipeline() throws Exception {
    Recordings.write(dir.resolve("mixed.binpb"), List.of(
        Recordings.metrics(T0), Recordings.traces("a", T0, T0 + 1), Recordings.metrics(T0 + 1, T0 + 2)), false);

    FileReceiver r = run(FileReceiverConfig.of(List.of(dir + "/*"), "max"), traces::add, null);

    assertThat(names(traces)).containsExactly("a-0");
    assertThat(r.summary().skippedNoPipeline()).isEqualTo(2);
    assertThat(r.summary().records()).isEqualTo(3);
  }

  @Test
  void aRecordCutOffAtTheEndIsSkippedAndEverythingBeforeItDelivered() throws Exception {
    byte[] whole = Recordings.records(List.of(Recordings.traces("a", T0, T0 + 1), Recordings.traces("b", T0, T0 + 2),
        Recordings.traces("c", T0, T0 + 3)));
    Path file = dir.resolve("spans.binpb");
    Files.write(file, Arrays.copyOf(whole, whole.length - 5)); // killed mid-write

    FileReceiver r = run(FileReceiverConfig.of(List.of(file.toString()), "max"), traces::add, null);

    assertThat(names(traces)).containsExactly("a-0", "b-0");
    assertThat(r.summary().skippedDamaged()).isEqualTo(1);
    assertThat(r.summary().truncatedFiles()).isEqualTo(1);
    assertThat(r.summary().completed()).isTrue();
  }

  @Test
  void rotatedFilesAreReadOldestFirstThenTheActiveOneAndExcludeLeavesFilesOut() throws Exception {
    // Names sort differently from the write order on purpose: the order is by modification time.
    Path newest = Recordings.write(dir.resolve("spans.binpb"), List.of(Recordings.traces("active", T0, T0 + 3)), false);
    Path middle = Recordings.write(dir.resolve("spans-2026-11-23T10-00-00.000.binpb"),
        List.of(Recordings.traces("second", T0, T0 + 2)), true);
    Path oldest = Recordings.write(dir.resolve("spans-2026-11-23T11-00-00.000.binpb"),
        List.of(Recordings.traces("first", T0, T0 + 1)), false);
    Recordings.write(dir.resolve("spans-2026-11-23T09-00-00.000.binpb.tmp"), List.of(Recordings.traces("tmp", T0, T0)), false);
    Files.setLastModifiedTime(oldest, FileTime.fromMillis(1_000_000));
    Files.setLastModifiedTime(middle, FileTime.fromMillis(2_000_000));
    Files.setLastModifiedTime(newest, FileTime.fromMillis(3_000_000));

    FileReceiverConfig config = new FileReceiverConfig(List.of(dir + "/spans*", dir + "/nothing-*.binpb"),
        List.of(dir + "/*.tmp"), FileReceiverConfig.Replay.defaults());
    FileReceiver r = run(config, traces::add, null);

    assertThat(names(traces)).containsExactly("first-0", "second-0", "active-0");
    assertThat(r.summary().files()).isEqualTo(3);
  }

  @Test
  void shutdownStopsAWaitingReplayPromptly() throws Exception {
    Recordings.write(dir.resolve("spans.binpb"), List.of(
        Recordings.traces("a", T0, T0 + 1), Recordings.traces("b", T0, T0 + 50 * S)), false);
    CreateSettings settings = new CreateSettings(ComponentId.of("file"), ComponentKind.RECEIVER, telemetry, new HashMap<>());
    FileReceiver r = new FileReceiver(settings, FileReceiverConfig.of(List.of(dir.toString()), "1"),
        ReplayPacer.Clock.system());
    CountDownLatch first = new CountDownLatch(1);
    r.tracesConsumer(t -> {
      traces.add(t);
      first.countDown();
    });
    r.start(java.util.Map::of);
    assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
    long t0 = System.nanoTime();
    r.shutdown();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    assertThat(r.awaitFinished(Duration.ofSeconds(1))).isTrue();
    assertThat(r.summary().completed()).isFalse();
    assertThat(names(traces)).containsExactly("a-0");
  }

  @Test
  void nothingMatchingIsAWarningAndTheReceiverStaysIdle() throws Exception {
    FileReceiver r = run(FileReceiverConfig.of(List.of(dir + "/none*.binpb"), "max"), traces::add, null);
    assertThat(r.summary().files()).isZero();
    assertThat(r.summary().completed()).isTrue();
    assertThat(traces).isEmpty();
  }

  @Test
  void eventTimeIsTheLatestSpanEndOrPointTime() {
    assertThat(EventTime.latestSpanEnd(Recordings.traces("x", 5, 30, 10, 20))).isEqualTo(30);
    assertThat(EventTime.latestPointTime(Recordings.metrics(7, 90, 8))).isEqualTo(90);
    assertThat(EventTime.latestSpanEnd(new byte[0])).isZero();
    assertThat(EventTime.latestSpanEnd(new byte[] {10, 100})).isZero(); // cut short: what could be read
  }

  // ---- logs ----

  private static List<String> bodies(List<Logs> got) {
    List<String> out = new ArrayList<>();
    for (Logs l : got) {
      l.request().getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl -> sl.getLogRecordsList()
          .forEach(r -> out.add(r.getBody().getStringValue()))));
    }
    return out;
  }

  @Test
  void aRecordingOfTracesMetricsAndLogsFeedsEachIntoItsOwnPipelineEveryLogRecordArriving() throws Exception {
    List<ExportLogsServiceRequest> sentLogs = List.of(
        TestData.logsRequest(new int[][] {{3, 2}, {1}}), TestData.logsRequest(new int[][] {{8}}));
    Recordings.write(dir.resolve("telemetry.binpb"), List.of(
        Recordings.traces("a", T0 - S, T0),
        sentLogs.get(0).toByteArray(),
        Recordings.metrics(T0 + S),
        sentLogs.get(1).toByteArray(),
        Recordings.traces("b", T0, T0 + 2 * S)), true);
    List<Logs> logs = new CopyOnWriteArrayList<>();
    try (ScrapedTelemetry scraped = new ScrapedTelemetry()) {
      FileReceiver r = new FileReceiver(scraped.settings(ComponentKind.RECEIVER, "file"),
          FileReceiverConfig.of(List.of(dir.toString()), "max"), clock);
      r.tracesConsumer(traces::add);
      r.logsConsumer(logs::add);
      r.start(java.util.Map::of);
      assertThat(r.awaitFinished(Duration.ofSeconds(20))).isTrue();
      r.shutdown();

      assertThat(names(traces)).containsExactly("a-0", "b-0");
      assertThat(logs).extracting(Logs::request).containsExactlyElementsOf(sentLogs);
      assertThat(logs.get(0).encoded()).as("the bytes as recorded").isEqualTo(sentLogs.get(0).toByteArray());
      FileReceiver.Summary s = r.summary();
      assertThat(s.records()).isEqualTo(5);
      assertThat(s.spans()).isEqualTo(2);
      assertThat(s.logRecords()).isEqualTo(14);
      assertThat(s.skippedNoPipeline()).as("the metrics record: no metrics pipeline").isEqualTo(1);
      assertThat(scraped.value("otelcol_receiver_accepted_log_records_total", Map.of("receiver", "file")))
          .isEqualTo(14);
    }
  }

  @Test
  void logsArePacedByTheirTimeOrObservedTimeWhenTheyHaveNone() throws Exception {
    Recordings.write(dir.resolve("logs.binpb"), List.of(
        Recordings.logs("a", T0, T0 + 5 * S),           // time: T0
        Recordings.logs("b", 0, T0 + 2 * S),            // no time: observed T0+2s
        Recordings.traces("c", T0, T0 + 3 * S),         // span end T0+3s
        Recordings.logs("d", T0 + S, 0, T0 + 4 * S, 0), // latest time T0+4s
        Recordings.logs("e", 0, 0)), false);            // no time at all: at once
    List<Logs> logs = new CopyOnWriteArrayList<>();
    FileReceiver r = receiver(FileReceiverConfig.of(List.of(dir.toString()), "2"), traces::add, null);
    r.logsConsumer(logs::add);
    r.start(java.util.Map::of);
    assertThat(r.awaitFinished(Duration.ofSeconds(20))).isTrue();
    r.shutdown();

    assertThat(bodies(logs)).containsExactly("a-0", "b-0", "d-0", "d-1", "e-0");
    assertThat(names(traces)).containsExactly("c-0");
    assertThat(clock.sleeps.stream().mapToLong(Long::longValue).sum())
        .as("4s of event time at speed 2").isEqualTo(2 * S);
    assertThat(r.summary().logRecords()).isEqualTo(5);
  }

  @Test
  void logsRecordsAreSkippedAndCountedWithoutALogsPipeline() throws Exception {
    Recordings.write(dir.resolve("mixed.binpb"), List.of(
        Recordings.logs("l", T0, T0), Recordings.traces("a", T0, T0 + 1), Recordings.logs("m", T0, T0)), false);

    FileReceiver r = run(FileReceiverConfig.of(List.of(dir + "/*"), "max"), traces::add, null);

    assertThat(names(traces)).containsExactly("a-0");
    assertThat(r.summary().skippedNoPipeline()).isEqualTo(2);
    assertThat(r.summary().logRecords()).isZero();
  }

  @Test
  void thePipelinesOfEverySignalShareOneReceiver() throws Exception {
    CreateSettings settings = new CreateSettings(ComponentId.of("file"), ComponentKind.RECEIVER, telemetry, new HashMap<>());
    FileReceiverFactory factory = new FileReceiverFactory();
    FileReceiverConfig config = FileReceiverConfig.of(List.of(dir.toString()), "max");
    assertThat(factory.signals()).contains(Signal.LOGS);
    assertThat(factory.createLogs(settings, config, logs -> {}))
        .isSameAs(factory.createTraces(settings, config, t -> {}))
        .isSameAs(factory.createMetrics(settings, config, m -> {}));
  }

  @Test
  void eventTimeOfLogsIsTheLatestRecordTimeOrObservedTime() {
    assertThat(EventTime.latestLogTime(Recordings.logs("x", 50, 60, 0, 70, 40, 90))).isEqualTo(70);
    assertThat(EventTime.latestLogTime(Recordings.logs("x", 0, 0))).isZero();
    assertThat(EventTime.latestLogTime(new byte[] {10, 100})).isZero();
  }
}
