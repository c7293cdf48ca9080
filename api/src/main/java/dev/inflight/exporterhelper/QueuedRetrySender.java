package dev.inflight.exporterhelper;

import dev.inflight.component.CreateSettings;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.SignalType;
import dev.inflight.component.config.DurationFormat;
import dev.inflight.component.telemetry.ExporterMetrics;
import dev.inflight.component.telemetry.ObservedInstruments;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;

/**
 * The sending half of an exporter, for one signal: the queue, its consumers, the retry loop, the
 * per-attempt timeout and the counts. Without a queue, {@link #send} runs the retry loop in the
 * caller's thread and reports the outcome; with one, {@link #send} only enqueues and consumer
 * threads send. Every batch ends counted exactly once: sent, failed, or refused at the queue.
 */
final class QueuedRetrySender<T> {
  private static final long FULL_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** A queued batch with its item count, counted once at the door. */
  private record Batch<T>(T data, int items) {}

  /** Why a batch was given up: the last error and the reason no further attempt was made. */
  private record Failure(Exception error, String why) {}

  private final Signal signal;
  private final String what;
  private final SendingOptions options;
  private final ExporterHelper.Push<T> push;
  private final ToIntFunction<T> itemCount;
  private final ExporterMetrics metrics;
  private final Logger log;
  /** Whether the last attempt failed: the first failure after a success is a WARN, the rest INFO. */
  private final java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
  private final String threadPrefix;
  private final DoubleSupplier random;
  private final BoundedQueue<Batch<T>> queue; // null without a queue
  private final List<Thread> consumers = new ArrayList<>();
  private final ObservedInstruments gauges = new ObservedInstruments();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final CountDownLatch abandon = new CountDownLatch(1);
  private final AtomicLong lastFullLog = new AtomicLong(System.nanoTime() - FULL_LOG_INTERVAL_NANOS);

  QueuedRetrySender(
      CreateSettings settings,
      Signal signal,
      SendingOptions options,
      ExporterHelper.Push<T> push,
      ToIntFunction<T> itemCount,
      DoubleSupplier random) {
    this.signal = Objects.requireNonNull(signal, "signal");
    this.what = SignalType.of(signal).items();
    this.options = Objects.requireNonNull(options, "options");
    this.push = Objects.requireNonNull(push, "push");
    this.itemCount = Objects.requireNonNull(itemCount, "itemCount");
    this.metrics = settings.telemetry().exporterMetrics();
    this.log = settings.logger();
    this.threadPrefix = "exporter-" + settings.id() + "-" + signal.key();
    this.random = random;
    QueueConfig q = options.sendingQueue();
    this.queue = q.enabled() ? new BoundedQueue<>(q.queueSize()) : null;
  }

  /** Starts the consumers and the queue gauges. Without a queue there is nothing to start. */
  void start() {
    if (queue == null || stopped.get() || !started.compareAndSet(false, true)) {
      return;
    }
    metrics.observeQueue(signal, queue::size, queue::capacity, gauges);
    int n = Math.max(1, options.sendingQueue().numConsumers());
    for (int i = 0; i < n; i++) {
      Thread t = new Thread(this::consume, threadPrefix + "-" + i);
      t.setDaemon(true);
      consumers.add(t);
    }
    consumers.forEach(Thread::start);
  }

  /**
   * Takes a batch: enqueues it, or (without a queue) sends it now.
   *
   * @throws Refusal retryable when the queue is full or closed; without a queue, the failure of
   *     the last attempt
   */
  void send(T data) throws Refusal {
    int items;
    try {
      items = itemCount.applyAsInt(data);
    } catch (RuntimeException e) {
      log.error("cannot export a malformed batch", e);
      throw Refusal.permanent("export failed: " + message(e), e);
    }
    if (queue == null) {
      Failure f = attempts(data, items);
      if (f != null) {
        metrics.sendFailed(signal, items);
        throw ExporterHelper.refusal(log, what, items, f.error());
      }
      return;
    }
    switch (queue.offer(new Batch<>(data, items))) {
      case ACCEPTED -> {}
      case FULL -> {
        metrics.enqueueFailed(signal, items);
        logRefusal(items, "sending queue is full");
        throw Refusal.retryable("sending queue is full");
      }
      case CLOSED -> {
        metrics.enqueueFailed(signal, items);
        logRefusal(items, "exporter is shutting down");
        throw Refusal.retryable("sending queue is closed: the exporter is shutting down");
      }
    }
  }

  /** At most one line per interval: under overload a refusal per batch would flood the log. */
  private void logRefusal(int items, String why) {
    long now = System.nanoTime();
    long last = lastFullLog.get();
    if (now - last >= FULL_LOG_INTERVAL_NANOS && lastFullLog.compareAndSet(last, now)) {
      log.warn("refusing {} {}: {} (queue_size {}); further refusals are counted in otelcol_exporter_enqueue_failed_*",
          items, what, why, queue.capacity());
    }
  }

  /**
   * Stops taking batches and sends what is queued, with retries, until done or until the calling
   * thread is interrupted (the service's shutdown time ran out); then what is left is abandoned and
   * counted as failed. Runs once.
   */
  void shutdown() {
    if (queue == null || !stopped.compareAndSet(false, true)) {
      return;
    }
    queue.close();
    try {
      if (!started.get()) {
        dropQueued("the exporter was never started");
        return;
      }
      for (Thread t : consumers) {
        t.join();
      }
    } catch (InterruptedException e) {
      abandon.countDown();
      consumers.forEach(Thread::interrupt);
      dropQueued("shutdown time ran out");
      Thread.currentThread().interrupt();
    } finally {
      gauges.closeAll();
    }
  }

  private void dropQueued(String why) {
    List<Batch<T>> left = queue.drain();
    if (left.isEmpty()) {
      return;
    }
    long items = 0;
    for (Batch<T> b : left) {
      items += b.items();
    }
    metrics.sendFailed(signal, items);
    log.error("dropping {} {} in {} queued batches: {}", items, what, left.size(), why);
  }

  private void consume() {
    while (true) {
      Batch<T> b;
      try {
        b = queue.take();
      } catch (InterruptedException e) {
        if (abandon.getCount() == 0) {
          return; // the queue was drained by whoever abandoned it
        }
        continue;
      }
      if (b == null) {
        return; // closed and empty: drained
      }
      Failure f;
      try {
        f = abandon.getCount() == 0
            ? new Failure(new InterruptedException(), "shutdown time ran out")
            : attempts(b.data(), b.items());
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) { // a broken push must not cost the queue one of its senders
        metrics.sendFailed(signal, b.items());
        log.error("exporting failed, dropping {} {}", b.items(), what, e);
        continue;
      }
      if (f != null) {
        metrics.sendFailed(signal, b.items());
        log.error("exporting failed, dropping {} {} ({}): {}", b.items(), what, f.why(), message(f.error()));
      }
    }
  }

  /** Sends with retries. Null when sent (and counted as sent); otherwise why it was given up. */
  private Failure attempts(T data, int items) {
    RetryConfig retry = options.retryOnFailure();
    long first = System.nanoTime();
    Backoff backoff = null;
    while (true) {
      Exception error;
      try {
        long rejected = push.push(data, options.timeout());
        counted(items, rejected);
        if (failing.compareAndSet(true, false)) {
          log.info("exporting {} works again", what);
        }
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Failure(e, "interrupted");
      } catch (Exception e) {
        error = e;
      }
      if (abandon.getCount() == 0) {
        return new Failure(error, "shutdown time ran out");
      }
      if (!retryable(error)) {
        return new Failure(error, "not retryable");
      }
      if (!retry.enabled()) {
        return new Failure(error, "retry_on_failure is disabled");
      }
      if (backoff == null) {
        backoff = new Backoff(retry, random);
      }
      Duration wait = backoff.next();
      if (error instanceof Refusal r && r.retryAfter().isPresent() && r.retryAfter().get().compareTo(wait) > 0) {
        wait = r.retryAfter().get();
      }
      long elapsed = System.nanoTime() - first;
      long max = retry.maxElapsedTime().toNanos();
      if (max > 0 && elapsed + wait.toNanos() > max) {
        return new Failure(error, "no more retries left within max_elapsed_time " + DurationFormat.format(retry.maxElapsedTime()));
      }
      if (failing.compareAndSet(false, true)) {
        // One WARN when the destination goes away (DNS, refused connection, 503...), not one per retry.
        log.warn("cannot export {}: {}; retrying with backoff until it works again (each retry at INFO)", what, message(error));
      }
      log.info("exporting {} {} failed, will retry in {}: {}", items, what, DurationFormat.format(wait), message(error));
      try {
        if (abandon.await(wait.toNanos(), TimeUnit.NANOSECONDS)) {
          return new Failure(error, "shutdown time ran out");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Failure(error, "interrupted");
      }
    }
  }

  /** Sent, less what the destination said it rejected (OTLP partial success). */
  private void counted(int items, long rejected) {
    long bad = Math.max(0, Math.min(items, rejected));
    metrics.sent(signal, items - bad);
    metrics.sendFailed(signal, bad);
  }

  /** Refusals say; other checked exceptions (I/O, timeouts) may pass later; runtime ones are bugs. */
  static boolean retryable(Exception e) {
    if (e instanceof Refusal r) {
      return r.isRetryable();
    }
    return !(e instanceof RuntimeException);
  }

  static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** For tests: batches waiting in the queue. */
  int queued() {
    return queue == null ? 0 : queue.size();
  }

  static DoubleSupplier defaultRandom() {
    return () -> ThreadLocalRandom.current().nextDouble();
  }
}
