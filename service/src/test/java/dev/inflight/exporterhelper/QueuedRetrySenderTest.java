package dev.inflight.exporterhelper;

import dev.inflight.service.telemetry.ScrapedTelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.Host;
import dev.inflight.component.MetricsExporter;
import dev.inflight.component.Refusal;
import dev.inflight.component.TracesExporter;
import dev.inflight.pdata.Traces;
import dev.inflight.exporterhelper.ExporterHelper.Push;
import dev.inflight.pdata.testing.TestData;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The queue, retries, timeout and counts, with real threads and real self-metrics. */
class QueuedRetrySenderTest {
  private static final Host HOST = Map::of;
  private static final Map<String, String> EXPORTER = Map.of("exporter", "otlp/test");

  private ScrapedTelemetry telemetry;
  private CreateSettings settings;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final LifecycleLog component = new LifecycleLog();

  @BeforeEach
  void startTelemetry() throws Exception {
    telemetry = new ScrapedTelemetry();
    settings = telemetry.settings("otlp/test");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    telemetry.close();
  }

  /** Retries after 10-20ms, up to 2s in all. */
  private static RetryConfig fastRetry() {
    return new RetryConfig(true, Duration.ofMillis(10), 0.5, 1.5, Duration.ofMillis(20), Duration.ofSeconds(2));
  }

  private TracesExporter traces(SendingOptions options, Push<Traces> push) throws Exception {
    TracesExporter e = ExporterHelper.traces(settings, options, push, component, () -> 0.5);
    toClose.add(e::shutdown);
    e.start(HOST);
    return e;
  }

  private double sent() throws Exception {
    return telemetry.value("otelcol_exporter_sent_spans_total", EXPORTER);
  }

  private double failed() throws Exception {
    return telemetry.value("otelcol_exporter_send_failed_spans_total", EXPORTER);
  }

  @Test
  void consumeEnqueuesAndAConsumerSends() throws Exception {
    List<String> threads = new CopyOnWriteArrayList<>();
    List<Duration> timeouts = new CopyOnWriteArrayList<>();
    TracesExporter e =
        traces(
            SendingOptions.defaults().withTimeout(Duration.ofMillis(1234)).withQueue(new QueueConfig(true, 2, 10)),
            (t, timeout) -> {
              threads.add(Thread.currentThread().getName());
              timeouts.add(timeout);
              return 0;
            });

    e.consumeTraces(TestData.traces(3));
    e.consumeTraces(TestData.traces(4));

    assertThat(telemetry.await("otelcol_exporter_sent_spans_total", EXPORTER, 7)).isEqualTo(7);
    assertThat(threads).hasSize(2).allSatisfy(n -> assertThat(n).startsWith("exporter-otlp/test-traces-"));
    assertThat(timeouts).containsOnly(Duration.ofMillis(1234));
    assertThat(telemetry.value("otelcol_exporter_queue_capacity", Map.of("exporter", "otlp/test", "data_type", "traces")))
        .isEqualTo(10);
    assertThat(telemetry.value("otelcol_exporter_queue_size", Map.of("exporter", "otlp/test", "data_type", "traces")))
        .isEqualTo(0);
    assertThat(component.calls).containsExactly("start");
  }

  @Test
  void retryableFailuresAreRetriedUntilSent() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    TracesExporter e =
        traces(
            SendingOptions.defaults().withRetry(fastRetry()),
            (t, timeout) -> {
              if (attempts.incrementAndGet() < 3) {
                throw new IOException("connection refused");
              }
              return 0;
            });

    e.consumeTraces(TestData.traces(5));

    assertThat(telemetry.await("otelcol_exporter_sent_spans_total", EXPORTER, 5)).isEqualTo(5);
    assertThat(attempts).hasValue(3);
    assertThat(failed()).isZero();
  }

  @Test
  void theServersRetryAfterHintLengthensTheWait() throws Exception {
    List<Long> at = new CopyOnWriteArrayList<>();
    TracesExporter e =
        traces(
            SendingOptions.defaults().withRetry(fastRetry()),
            (t, timeout) -> {
              at.add(System.nanoTime());
              if (at.size() == 1) {
                throw Refusal.retryable("503 Service Unavailable", Duration.ofMillis(400));
              }
              return 0;
            });

    e.consumeTraces(TestData.traces(1));

    assertThat(telemetry.await("otelcol_exporter_sent_spans_total", EXPORTER, 1)).isEqualTo(1);
    assertThat(Duration.ofNanos(at.get(1) - at.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(400));
  }

  @Test
  void permanentErrorsAreNeverRetried() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    TracesExporter e =
        traces(
            SendingOptions.defaults().withRetry(fastRetry()),
            (t, timeout) -> {
              attempts.incrementAndGet();
              throw Refusal.permanent("400 Bad Request");
            });

    e.consumeTraces(TestData.traces(2));

    assertThat(telemetry.await("otelcol_exporter_send_failed_spans_total", EXPORTER, 2)).isEqualTo(2);
    Thread.sleep(100);
    assertThat(attempts).hasValue(1);
    assertThat(sent()).isZero();
  }

  @Test
  void givesUpAfterMaxElapsedTime() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    RetryConfig retry = new RetryConfig(true, Duration.ofMillis(20), 0.0, 1.0, Duration.ofMillis(20), Duration.ofMillis(150));
    TracesExporter e =
        traces(
            SendingOptions.defaults().withRetry(retry),
            (t, timeout) -> {
              attempts.incrementAndGet();
              throw new IOException("connection refused");
            });

    long start = System.nanoTime();
    e.consumeTraces(TestData.traces(3));

    assertThat(telemetry.await("otelcol_exporter_send_failed_spans_total", EXPORTER, 3)).isEqualTo(3);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    // Attempts at 0, 20, ..., 140ms: the next wait would end after 150ms.
    assertThat(attempts.get()).isBetween(2, 8);
  }

  @Test
  void aFullQueueRefusesRetryableAndCountsEnqueueFailed() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch busy = new CountDownLatch(1);
    TracesExporter e =
        traces(
            SendingOptions.defaults().withQueue(new QueueConfig(true, 1, 2)),
            (t, timeout) -> {
              busy.countDown();
              release.await();
              return 0;
            });

    e.consumeTraces(TestData.traces(1)); // taken by the one consumer, which blocks
    assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
    e.consumeTraces(TestData.traces(1));
    e.consumeTraces(TestData.traces(1)); // the queue holds 2

    assertThatThrownBy(() -> e.consumeTraces(TestData.traces(6)))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isTrue();
          assertThat(r.getMessage()).isEqualTo("sending queue is full");
        });
    assertThat(telemetry.value("otelcol_exporter_enqueue_failed_spans_total", EXPORTER)).isEqualTo(6);
    assertThat(telemetry.value("otelcol_exporter_queue_size", Map.of("exporter", "otlp/test", "data_type", "traces")))
        .isEqualTo(2);

    release.countDown();
    assertThat(telemetry.await("otelcol_exporter_sent_spans_total", EXPORTER, 3)).isEqualTo(3);
  }

  @Test
  void shutdownRefusesNewBatchesAndDrainsTheQueue() throws Exception {
    List<Integer> pushed = new CopyOnWriteArrayList<>();
    AtomicBoolean fail = new AtomicBoolean(true);
    TracesExporter e =
        traces(
            SendingOptions.defaults().withRetry(fastRetry()).withQueue(new QueueConfig(true, 1, 100)),
            (t, timeout) -> {
              Thread.sleep(20);
              if (fail.getAndSet(false)) {
                throw new IOException("one hiccup");
              }
              pushed.add(t.spanCount());
              return 0;
            });
    for (int i = 1; i <= 5; i++) {
      e.consumeTraces(TestData.traces(i));
    }

    e.shutdown();

    assertThat(pushed).containsExactly(1, 2, 3, 4, 5);
    assertThat(sent()).isEqualTo(15);
    assertThat(failed()).isZero();
    assertThat(component.calls).containsExactly("start", "shutdown");
    assertThatThrownBy(() -> e.consumeTraces(TestData.traces(7)))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.isRetryable()).isTrue());
    assertThat(telemetry.value("otelcol_exporter_enqueue_failed_spans_total", EXPORTER)).isEqualTo(7);

    e.shutdown(); // once only
    assertThat(component.calls).containsExactly("start", "shutdown");
  }

  @Test
  void whenShutdownTimeRunsOutWhatIsLeftIsAbandonedAndCounted() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    RetryConfig slow = new RetryConfig(true, Duration.ofSeconds(30), 0.0, 1.0, Duration.ofSeconds(30), Duration.ZERO);
    TracesExporter e =
        traces(
            SendingOptions.defaults().withRetry(slow).withQueue(new QueueConfig(true, 1, 100)),
            (t, timeout) -> {
              attempts.incrementAndGet();
              throw new IOException("backend is down");
            });
    e.consumeTraces(TestData.traces(2)); // in retry, waiting 30s
    e.consumeTraces(TestData.traces(3)); // queued behind it
    while (attempts.get() == 0) {
      Thread.sleep(5);
    }

    // The service interrupts a shutdown that outlives service.shutdown_timeout.
    Thread stopper = new Thread(() -> {
      try {
        e.shutdown();
      } catch (Exception ex) {
        throw new AssertionError(ex);
      }
    });
    stopper.start();
    Thread.sleep(100);
    assertThat(stopper.isAlive()).isTrue();
    stopper.interrupt();
    stopper.join(5000);

    assertThat(stopper.isAlive()).isFalse();
    assertThat(telemetry.await("otelcol_exporter_send_failed_spans_total", EXPORTER, 5)).isEqualTo(5);
    assertThat(sent()).isZero();
    assertThat(attempts).hasValue(1);
    assertThat(component.calls).containsExactly("start", "shutdown");
  }

  @Test
  void withoutAQueueTheCallerWaitsForTheRetries() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    TracesExporter e =
        traces(
            SendingOptions.defaults().withRetry(fastRetry()).withQueue(QueueConfig.disabled()),
            (t, timeout) -> {
              if (attempts.incrementAndGet() == 1) {
                throw new IOException("connection reset");
              }
              return 0;
            });

    e.consumeTraces(TestData.traces(4));

    assertThat(attempts).hasValue(2);
    assertThat(sent()).isEqualTo(4);
    assertThat(telemetry.value("otelcol_exporter_queue_capacity", Map.of())).isZero();
  }

  @Test
  void withoutAQueueTheLastFailureIsTheCallersRefusal() throws Exception {
    RetryConfig retry = new RetryConfig(true, Duration.ofMillis(10), 0.0, 1.0, Duration.ofMillis(10), Duration.ofMillis(50));
    Refusal down = Refusal.retryable("UNAVAILABLE: backend is down", Duration.ofMillis(1));
    TracesExporter e =
        traces(
            SendingOptions.defaults().withRetry(retry).withQueue(QueueConfig.disabled()),
            (t, timeout) -> {
              throw down;
            });

    assertThatThrownBy(() -> e.consumeTraces(TestData.traces(2))).isSameAs(down);
    assertThat(failed()).isEqualTo(2);
  }

  @Test
  void partialSuccessCountsTheRejectedItemsAsFailed() throws Exception {
    TracesExporter e = traces(SendingOptions.defaults(), (t, timeout) -> 2);

    e.consumeTraces(TestData.traces(5));

    assertThat(telemetry.await("otelcol_exporter_sent_spans_total", EXPORTER, 3)).isEqualTo(3);
    assertThat(failed()).isEqualTo(2);
  }

  @Test
  void metricsAreCountedInDataPoints() throws Exception {
    MetricsExporter e = ExporterHelper.metrics(settings, SendingOptions.defaults(), (m, timeout) -> 0, component);
    toClose.add(e::shutdown);
    e.start(HOST);

    e.consumeMetrics(TestData.metrics(2, 3));
    e.shutdown();

    assertThat(telemetry.value("otelcol_exporter_sent_metric_points_total", EXPORTER)).isEqualTo(5);
  }

  @Test
  void batchesQueuedBeforeStartAreCountedAsFailedWhenItNeverStarts() throws Exception {
    TracesExporter e = ExporterHelper.traces(settings, SendingOptions.defaults(), (t, timeout) -> 0, component);

    e.consumeTraces(TestData.traces(4));
    e.shutdown();

    assertThat(failed()).isEqualTo(4);
    assertThat(component.calls).containsExactly("shutdown");
  }
}
