package dev.inflight.processor.batch;

import dev.inflight.processor.testing.CapturingLogger;
import static dev.inflight.processor.batch.BatchTestData.flatten;
import static dev.inflight.processor.batch.BatchTestData.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.processor.batch.BatchProcessor.LogsBatchProcessor;
import dev.inflight.processor.batch.BatchProcessor.MetricsBatchProcessor;
import dev.inflight.processor.batch.BatchProcessor.TracesBatchProcessor;
import dev.inflight.processor.batch.BatchTestData.Located;
import dev.inflight.processor.batch.BatchTestData.TestMeter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** When the batch processor sends, what it sends, and what happens when the next consumer refuses. */
class BatchProcessorTest {
  private static final String SEND_SIZE = "otelcol_processor_batch_batch_send_size";
  private static final String SIZE_TRIGGER = "otelcol_processor_batch_batch_size_trigger_send";
  private static final String TIMEOUT_TRIGGER = "otelcol_processor_batch_timeout_trigger_send";
  private static final String DROPPED = "inflight_processor_batch_dropped_items";

  private final TestMeter meter = new TestMeter();
  private final ManualScheduler scheduler = new ManualScheduler();
  private final CapturingLogger logger = new CapturingLogger("processor.batch");
  private final List<Traces> sent = Collections.synchronizedList(new ArrayList<>());
  /** What the next consumer does with a request: null accepts it. */
  private volatile Function<Traces, Refusal> downstream = t -> null;

  /** Runs scheduled tasks when the test says so. */
  static final class ManualScheduler implements FlushScheduler {
    final List<Task> tasks = new ArrayList<>();
    boolean closed;

    static final class Task {
      final Runnable run;
      final long delayNanos;
      boolean cancelled;
      boolean done;

      Task(Runnable run, long delayNanos) {
        this.run = run;
        this.delayNanos = delayNanos;
      }
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delayNanos) {
      Task t = new Task(task, delayNanos);
      tasks.add(t);
      return () -> {
        synchronized (this) {
          t.cancelled = true;
        }
      };
    }

    synchronized List<Task> pending() {
      return tasks.stream().filter(t -> !t.cancelled && !t.done).toList();
    }

    /** Runs every task pending now, as if its delay had passed. */
    void fire() {
      for (Task t : pending()) {
        synchronized (this) {
          t.done = true;
        }
        t.run.run();
      }
    }

    @Override
    public synchronized void close() {
      closed = true;
    }
  }

  private TracesBatchProcessor traces(Duration timeout, int size, int max) {
    return traces(timeout, size, max, scheduler);
  }

  private TracesBatchProcessor traces(Duration timeout, int size, int max, FlushScheduler flush) {
    return new TracesBatchProcessor(
        new Batcher<>(
            new BatchProcessorConfig(timeout, size, max),
            HeldEncoded.traces(),
            t -> {
              Refusal r = downstream.apply(t);
              if (r != null) {
                throw r;
              }
              sent.add(t);
            },
            flush,
            meter.telemetry(Signal.TRACES),
            logger,
            "spans"));
  }

  private static Traces batch(String tag, int... spansPerResource) {
    int[][] shape = new int[spansPerResource.length][];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = new int[] {spansPerResource[i]};
    }
    return Traces.ofEncoded(request(tag, shape).toByteArray());
  }

  private List<Integer> sentCounts() {
    synchronized (sent) {
      return sent.stream().map(Traces::spanCount).toList();
    }
  }

  @Test
  void sendsWhenSendBatchSizeIsReached() throws Exception {
    TracesBatchProcessor p = traces(Duration.ofSeconds(5), 10, 0);
    Traces a = batch("a", 4);
    Traces b = batch("b", 4);
    Traces c = batch("c", 4);

    p.consumeTraces(a);
    p.consumeTraces(b);
    assertThat(sent).isEmpty();
    p.consumeTraces(c);

    assertThat(sentCounts()).containsExactly(12);
    assertThat(flatten(sent)).isEqualTo(flatten(List.of(a, b, c)));
    assertThat(p.batcher().heldItems()).isZero();
    assertThat(scheduler.pending()).as("timer cancelled: nothing held").isEmpty();
    assertThat(meter.counter(SIZE_TRIGGER)).isEqualTo(1);
    assertThat(meter.counter(TIMEOUT_TRIGGER)).isZero();
    assertThat(meter.histogram(SEND_SIZE)).containsExactly(1, 12);
  }

  @Test
  void aSizeTriggeredSendNeverExceedsTheMaxAndTheRestWaitsForTheTimeout() throws Exception {
    TracesBatchProcessor p = traces(Duration.ofSeconds(5), 10, 15);

    p.consumeTraces(batch("a", 6, 6, 6));

    assertThat(sentCounts()).containsExactly(12);
    assertThat(p.batcher().heldItems()).isEqualTo(6);
    assertThat(scheduler.pending()).hasSize(1);
    scheduler.fire();
    assertThat(sentCounts()).containsExactly(12, 6);
    assertThat(meter.counter(SIZE_TRIGGER)).isEqualTo(1);
    assertThat(meter.counter(TIMEOUT_TRIGGER)).isEqualTo(1);
  }

  @Test
  void oneLargeBatchIsSentInRequestsOfAtMostTheMax() throws Exception {
    TracesBatchProcessor p = traces(Duration.ofSeconds(5), 100, 100);
    Traces big = Traces.ofEncoded(request("big", new int[][] {{150, 150}, {60}}).toByteArray());

    p.consumeTraces(big);
    p.shutdown();

    assertThat(sentCounts()).containsExactly(100, 100, 100, 60);
    assertThat(flatten(sent)).isEqualTo(flatten(List.of(big)));
  }

  @Test
  void sendsWhatIsHeldWhenTheTimeoutPasses() throws Exception {
    TracesBatchProcessor p = traces(Duration.ofMillis(200), 100, 0);

    p.consumeTraces(batch("a", 3));
    p.consumeTraces(batch("b", 2));

    assertThat(sent).isEmpty();
    assertThat(scheduler.pending())
        .as("one timer, from the first item held")
        .singleElement()
        .satisfies(t -> assertThat(t.delayNanos).isEqualTo(Duration.ofMillis(200).toNanos()));
    scheduler.fire();
    assertThat(sentCounts()).containsExactly(5);
    assertThat(meter.counter(TIMEOUT_TRIGGER)).isEqualTo(1);
    assertThat(meter.histogram(SEND_SIZE)).containsExactly(1, 5);

    p.consumeTraces(batch("c", 1));
    assertThat(scheduler.pending()).as("a new timer for the next first item").hasSize(1);
  }

  @Test
  void aRealTimerSendsOnItsOwn() throws Exception {
    TracesBatchProcessor p =
        traces(Duration.ofMillis(20), 1000, 0, FlushScheduler.daemonThread("batch-test-timeout"));
    try {
      p.consumeTraces(batch("a", 3));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (sent.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(sentCounts()).containsExactly(3);
    } finally {
      p.shutdown();
    }
  }

  @Test
  void shutdownSendsEverythingHeldAndStopsTheTimer() throws Exception {
    TracesBatchProcessor p = traces(Duration.ofSeconds(5), 100, 4);
    p.consumeTraces(batch("a", 3));
    p.consumeTraces(batch("b", 3));

    p.shutdown();

    assertThat(sentCounts()).containsExactly(3, 3);
    assertThat(scheduler.closed).isTrue();
    assertThat(scheduler.pending()).isEmpty();
    p.shutdown(); // idempotent
    assertThat(sent).hasSize(2);

    // Late arrivals are not held by a processor that will never send again.
    p.consumeTraces(batch("late", 2));
    assertThat(sentCounts()).containsExactly(3, 3, 2);
  }

  @Test
  void timeoutZeroSendsEveryBatchAsItArrivesSplitByTheMax() throws Exception {
    TracesBatchProcessor p = traces(Duration.ZERO, 8192, 5);

    p.consumeTraces(batch("a", 3));
    p.consumeTraces(batch("b", 4, 4));

    assertThat(sentCounts()).containsExactly(3, 4, 4);
    assertThat(scheduler.tasks).isEmpty();
  }

  @Test
  void sendBatchSizeZeroAlsoSendsImmediately() throws Exception {
    TracesBatchProcessor p = traces(Duration.ofSeconds(1), 0, 0);
    Traces a = batch("a", 3);

    p.consumeTraces(a);

    assertThat(sent).singleElement().isSameAs(a);
    assertThat(scheduler.tasks).isEmpty();
  }

  @Test
  void emptyBatchesAreForgotten() throws Exception {
    TracesBatchProcessor p = traces(Duration.ofSeconds(1), 10, 0);
    p.consumeTraces(Traces.of(ExportTraceServiceRequest.getDefaultInstance()));
    p.shutdown();
    assertThat(sent).isEmpty();
  }

  @Test
  void malformedTracesAreRefusedForGood() {
    TracesBatchProcessor p = traces(Duration.ofSeconds(1), 10, 0);
    assertThatThrownBy(() -> p.consumeTraces(Traces.ofEncoded(new byte[] {0x0a, 0x05, 0x01})))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.isRetryable()).isFalse());
  }

  @Test
  void theCallerWhoseWholeBatchWasRefusedGetsTheRefusalAndEarlierBatchesAreCountedDropped()
      throws Exception {
    TracesBatchProcessor p = traces(Duration.ofSeconds(5), 10, 0);
    Refusal full = Refusal.retryable("queue is full", Duration.ofSeconds(3));
    downstream = t -> full;

    p.consumeTraces(batch("earlier", 5)); // held, accepted
    assertThatThrownBy(() -> p.consumeTraces(batch("mine", 6))).isSameAs(full);

    assertThat(p.batcher().heldItems()).isZero();
    assertThat(meter.counter(DROPPED, "reason", "refused_retryable")).isEqualTo(5);
    assertThat(meter.counter(DROPPED, "otel_signal", "traces")).isEqualTo(5);
    assertThat(meter.counter(SIZE_TRIGGER)).as("counted when accepted, as the Collector does").isZero();
    assertThat(logger.events()).anySatisfy(e -> {
      assertThat(e.level()).isEqualTo(Level.WARN);
      assertThat(e.message()).contains("dropped 5 spans").contains("queue is full");
    });
  }

  @Test
  void aCallerWhoseBatchWasOnlyPartlyRefusedIsNotToldToSendItAgain() throws Exception {
    TracesBatchProcessor p = traces(Duration.ofSeconds(5), 10, 10);
    Refusal bad = Refusal.permanent("bad data");
    downstream = t -> sent.isEmpty() ? null : bad; // the first request goes, the rest are refused

    p.consumeTraces(batch("mine", 10, 10));

    assertThat(sentCounts()).containsExactly(10);
    assertThat(meter.counter(DROPPED, "reason", "refused_permanent")).isEqualTo(10);
    assertThat(logger.events()).anySatisfy(e -> assertThat(e.message()).contains("dropped 10 spans"));
  }

  @Test
  void aRefusalOnTheTimerThreadIsCountedAndLogged() throws Exception {
    TracesBatchProcessor p = traces(Duration.ofMillis(200), 100, 0);
    downstream = t -> Refusal.retryable("memory limit");

    p.consumeTraces(batch("a", 7)); // accepted: the caller is gone by the time it is sent
    scheduler.fire();

    assertThat(p.batcher().heldItems()).isZero();
    assertThat(meter.counter(DROPPED, "reason", "refused_retryable")).isEqualTo(7);
    assertThat(meter.counter(TIMEOUT_TRIGGER)).isZero();
    assertThat(logger.events()).anySatisfy(e -> {
      assertThat(e.level()).isEqualTo(Level.WARN);
      assertThat(e.message()).contains("dropped 7 spans").contains("memory limit");
    });
  }

  @Test
  void aFailingConsumerIsAPermanentRefusalNotACrash() throws Exception {
    TracesBatchProcessor p = traces(Duration.ZERO, 1, 0);
    downstream = t -> {
      throw new IllegalStateException("bug downstream");
    };

    assertThatThrownBy(() -> p.consumeTraces(batch("a", 2)))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.isRetryable()).isFalse())
        .hasMessageContaining("bug downstream");
  }

  @Test
  void refusedShutdownFlushIsDroppedAndCounted() throws Exception {
    TracesBatchProcessor p = traces(Duration.ofSeconds(5), 100, 0);
    p.consumeTraces(batch("a", 4));
    downstream = t -> Refusal.permanent("no");

    p.shutdown();

    assertThat(meter.counter(DROPPED, "reason", "refused_permanent")).isEqualTo(4);
  }

  @Test
  void concurrentProducersLoseNothing() throws Exception {
    FlushScheduler timer = FlushScheduler.daemonThread("batch-test-concurrent");
    TracesBatchProcessor p = traces(Duration.ofMillis(2), 200, 300, timer);
    int threads = 8;
    int batchesPerThread = 150;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<List<Traces>>> produced = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      produced.add(pool.submit(() -> {
        Random random = new Random(thread);
        List<Traces> mine = new ArrayList<>();
        go.await();
        for (int i = 0; i < batchesPerThread; i++) {
          int[] resources = new int[1 + random.nextInt(3)];
          for (int r = 0; r < resources.length; r++) {
            resources[r] = 1 + random.nextInt(random.nextInt(10) == 0 ? 400 : 40);
          }
          Traces b = batch("t" + thread + "." + i, resources);
          p.consumeTraces(b);
          mine.add(b);
        }
        return mine;
      }));
    }
    go.countDown();
    List<Traces> in = new ArrayList<>();
    for (Future<List<Traces>> f : produced) {
      in.addAll(f.get(60, TimeUnit.SECONDS));
    }
    pool.shutdown();
    p.shutdown();

    Map<Object, Located> expected = new HashMap<>();
    for (Located l : flatten(in)) {
      expected.put(l.span().getSpanId(), l);
    }
    List<Located> got = flatten(new ArrayList<>(sent));
    Map<Object, Located> delivered = new HashMap<>();
    for (Located l : got) {
      assertThat(delivered.put(l.span().getSpanId(), l)).as("delivered twice").isNull();
    }
    assertThat(got).hasSize(expected.size());
    assertThat(delivered).isEqualTo(expected);
    assertThat(sentCounts()).allSatisfy(n -> assertThat(n).isBetween(1, 300));
    long[] histogram = meter.histogram(SEND_SIZE);
    assertThat(histogram[0]).isEqualTo(sent.size());
    assertThat(histogram[1]).isEqualTo(expected.size());
    assertThat(meter.counter(SIZE_TRIGGER) + meter.counter(TIMEOUT_TRIGGER)).isEqualTo(sent.size());
    assertThat(meter.counter(DROPPED)).isZero();
  }

  @Test
  void metricsAreBatchedByDataPoints() throws Exception {
    List<Metrics> out = new ArrayList<>();
    MetricsBatchProcessor p =
        new MetricsBatchProcessor(
            new Batcher<>(
                new BatchProcessorConfig(Duration.ofSeconds(5), 10, 10),
                new HeldMetrics(),
                out::add,
                scheduler,
                meter.telemetry(Signal.METRICS),
                logger,
                "data points"));
    Metrics a = Metrics.of(BatchTestData.metrics("a", 2, 2, 2));
    Metrics b = Metrics.of(BatchTestData.metrics("b", 3, 3, 3));

    p.consumeMetrics(a);
    assertThat(out).isEmpty();
    p.consumeMetrics(b);
    assertThat(out).extracting(Metrics::dataPointCount).containsExactly(6);
    p.shutdown();

    assertThat(out).extracting(Metrics::dataPointCount).containsExactly(6, 9);
    assertThat(BatchTestData.points(out)).isEqualTo(BatchTestData.points(List.of(a, b)));
    assertThat(meter.histogram(SEND_SIZE)).containsExactly(2, 15);
  }

  // ---------------------------------------------------------------- logs

  private final List<Logs> sentLogs = Collections.synchronizedList(new ArrayList<>());

  private LogsBatchProcessor logs(Duration timeout, int size, int max) {
    return new LogsBatchProcessor(
        new Batcher<>(
            new BatchProcessorConfig(timeout, size, max),
            HeldEncoded.logs(),
            l -> {
              Refusal r = downstreamLogs.apply(l);
              if (r != null) {
                throw r;
              }
              sentLogs.add(l);
            },
            scheduler,
            meter.telemetry(Signal.LOGS),
            logger,
            "log records"));
  }

  private volatile Function<Logs, Refusal> downstreamLogs = l -> null;

  private static Logs logBatch(String tag, int[][] recordsPerScope) {
    return Logs.ofEncoded(BatchTestData.logsRequest(tag, recordsPerScope).toByteArray());
  }

  private List<Integer> sentRecordCounts() {
    synchronized (sentLogs) {
      return sentLogs.stream().map(Logs::logRecordCount).toList();
    }
  }

  @Test
  void logsAreBatchedByLogRecordCountAndSplitAtRecords() throws Exception {
    LogsBatchProcessor p = logs(Duration.ofSeconds(5), 10, 12);
    Logs a = logBatch("a", new int[][] {{3, 2}}); // 5 records: held
    Logs b = logBatch("b", new int[][] {{4}, {6, 5}, {3}}); // 18 more: 23 held, crosses 10

    p.consumeLogs(a);
    assertThat(sentLogs).isEmpty();
    assertThat(p.batcher().heldItems()).isEqualTo(5);
    p.consumeLogs(b);

    // a (5) and b's first resource (4); b's second resource (11) would not fit what is left of
    // that request but fits one of its own, so it starts the next; the last 3 are fewer than
    // send_batch_size and wait for the timeout.
    assertThat(sentRecordCounts()).containsExactly(9, 11);
    assertThat(p.batcher().heldItems()).isEqualTo(3);
    scheduler.fire();
    assertThat(sentRecordCounts()).containsExactly(9, 11, 3);
    assertThat(BatchTestData.records(sentLogs)).isEqualTo(BatchTestData.records(List.of(a, b)));
    assertThat(meter.counter(SIZE_TRIGGER)).isEqualTo(2);
    assertThat(meter.counter(TIMEOUT_TRIGGER)).isEqualTo(1);
    assertThat(meter.histogram(SEND_SIZE)).containsExactly(3, 23);
  }

  @Test
  void oneLargeLogsBatchIsCutBetweenRecordsKeepingResourceAndScope() throws Exception {
    LogsBatchProcessor p = logs(Duration.ofSeconds(5), 100, 100);
    Logs big = logBatch("big", new int[][] {{150, 150}, {60}});

    p.consumeLogs(big);
    p.shutdown();

    assertThat(sentRecordCounts()).containsExactly(100, 100, 100, 60);
    assertThat(BatchTestData.records(sentLogs)).isEqualTo(BatchTestData.records(List.of(big)));
  }

  @Test
  void heldLogsAreSentWhenTheTimeoutPassesAsOneMergedRequest() throws Exception {
    LogsBatchProcessor p = logs(Duration.ofMillis(200), 100, 0);
    Logs a = logBatch("a", new int[][] {{3}});
    Logs b = logBatch("b", new int[][] {{1, 1}});

    p.consumeLogs(a);
    p.consumeLogs(b);

    assertThat(sentLogs).isEmpty();
    assertThat(scheduler.pending()).hasSize(1);
    scheduler.fire();
    assertThat(sentRecordCounts()).containsExactly(5);
    assertThat(BatchTestData.records(sentLogs)).isEqualTo(BatchTestData.records(List.of(a, b)));
    assertThat(meter.counter(TIMEOUT_TRIGGER)).isEqualTo(1);
  }

  @Test
  void aLogsBatchSentOnItsOwnIsTheSameObject() throws Exception {
    LogsBatchProcessor p = logs(Duration.ZERO, 8192, 0);
    Logs a = logBatch("a", new int[][] {{3}});

    p.consumeLogs(a);

    assertThat(sentLogs).singleElement().isSameAs(a);
  }

  @Test
  void emptyAndMalformedLogs() throws Exception {
    LogsBatchProcessor p = logs(Duration.ofSeconds(1), 10, 0);
    p.consumeLogs(Logs.of(ExportLogsServiceRequest.getDefaultInstance()));
    assertThat(scheduler.tasks).as("nothing held, no timer").isEmpty();
    assertThatThrownBy(() -> p.consumeLogs(Logs.ofEncoded(new byte[] {0x0a, 0x05, 0x01})))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.isRetryable()).isFalse())
        .hasMessageContaining("ExportLogsServiceRequest");
    p.shutdown();
    assertThat(sentLogs).isEmpty();
  }

  @Test
  void refusedLogsAreHandedBackOrCountedAsLogs() throws Exception {
    LogsBatchProcessor p = logs(Duration.ofSeconds(5), 10, 0);
    Refusal full = Refusal.retryable("queue is full");
    downstreamLogs = l -> full;

    p.consumeLogs(logBatch("earlier", new int[][] {{4}}));
    assertThatThrownBy(() -> p.consumeLogs(logBatch("mine", new int[][] {{7}}))).isSameAs(full);

    assertThat(meter.counter(DROPPED, "otel_signal", "logs")).isEqualTo(4);
    assertThat(meter.counter(DROPPED, "otel_signal", "traces")).isZero();
    assertThat(logger.events())
        .anySatisfy(e -> assertThat(e.message()).contains("dropped 4 log records"));
  }
}
