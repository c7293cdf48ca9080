package dev.inflight.processor.batch;

import dev.inflight.component.Refusal;
import dev.inflight.processor.batch.BatchProcessorTelemetry.Trigger;
import dev.inflight.processor.batch.HeldBatch.Cut;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;

/**
 * The batching logic shared by every signal: when to send, on which thread, and what happens
 * when the next consumer refuses.
 *
 * <p>{@link #consume} is called from many receiver threads. The lock guards only the held data and
 * the timer, is taken once per incoming batch (never per item), and is released before anything is
 * copied or sent. A size-triggered send runs on the thread of the caller whose batch crossed {@code
 * send_batch_size}; a timeout send on the processor's one timer thread.
 *
 * <p>Refusals. A request sent from the timer thread, or at shutdown, has no caller to hand a
 * refusal back to: its items are dropped, counted in {@code inflight_processor_batch_dropped_items}
 * and logged, as the Collector does. On a caller's thread the refusal goes back to that caller when
 * doing so is exact: when every item of its own batch was in requests that were refused (none
 * delivered, none still held), so sending the batch again duplicates nothing. The other callers'
 * items in those requests had already been accepted and are dropped and counted. When the caller's
 * batch was only partly refused, the refused part is dropped and counted too and the caller returns
 * normally.
 */
final class Batcher<D> {
  /** The next consumer. */
  @FunctionalInterface
  interface Sender<D> {
    void send(D data) throws Refusal;
  }

  private final HeldBatch<D> batch;
  private final Sender<D> next;
  private final int sendBatchSize;
  private final int sendBatchMaxSize;
  private final long timeoutNanos;
  private final boolean immediate;
  private final FlushScheduler scheduler;
  private final BatchProcessorTelemetry telemetry;
  private final Logger log;
  private final String unit;

  private final ReentrantLock lock = new ReentrantLock();
  // Guarded by lock.
  private FlushScheduler.Cancellable timer;
  private long timerGeneration;
  private boolean closed;

  /**
   * @param unit what an item is, for log messages ({@code spans}, {@code data points}, {@code log
   *     records})
   */
  Batcher(
      BatchProcessorConfig config,
      HeldBatch<D> batch,
      Sender<D> next,
      FlushScheduler scheduler,
      BatchProcessorTelemetry telemetry,
      Logger log,
      String unit) {
    this.batch = Objects.requireNonNull(batch, "batch");
    this.next = Objects.requireNonNull(next, "next");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
    this.log = Objects.requireNonNull(log, "log");
    this.unit = Objects.requireNonNull(unit, "unit");
    this.sendBatchSize = config.sendBatchSize();
    this.sendBatchMaxSize = config.sendBatchMaxSize();
    this.timeoutNanos = config.timeout().toNanos();
    this.immediate = config.sendsImmediately();
  }

  /**
   * Holds {@code data}, or sends what is held if it now reaches {@code send_batch_size}.
   *
   * @param items the items in {@code data}; a batch of none is accepted and forgotten, as the
   *     Collector does
   * @throws Refusal the next consumer's refusal, when every item of {@code data} was refused
   */
  void consume(D data, int items) throws Refusal {
    if (items <= 0) {
      return;
    }
    List<Cut<D>> cuts;
    int before;
    lock.lock();
    try {
      before = batch.items();
      batch.add(data, items);
      if (closed || immediate) {
        cuts = takeWhile(1);
      } else if (batch.items() >= sendBatchSize) {
        cuts = takeWhile(sendBatchSize);
        // The timeout counts from the first item held after a send.
        cancelTimer();
        if (batch.items() > 0) {
          scheduleTimer();
        }
      } else {
        if (before == 0) {
          scheduleTimer();
        }
        return;
      }
    } finally {
      lock.unlock();
    }
    sendForCaller(cuts, before, items);
  }

  /** Sends everything held and stops the timer; later batches are sent as they arrive. Idempotent. */
  void shutdown() throws InterruptedException {
    List<Cut<D>> cuts;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      cancelTimer();
      cuts = takeWhile(1);
    } finally {
      lock.unlock();
    }
    try {
      scheduler.close(); // lets a timeout flush that is running finish
    } finally {
      sendDetached(cuts, Trigger.TIMEOUT);
    }
  }

  /** Items held now; for tests. */
  int heldItems() {
    lock.lock();
    try {
      return batch.items();
    } finally {
      lock.unlock();
    }
  }

  // Under lock: requests of at most send_batch_max_size, while at least `threshold` items are held.
  private List<Cut<D>> takeWhile(int threshold) {
    List<Cut<D>> cuts = new ArrayList<>(2);
    while (batch.items() > 0 && batch.items() >= threshold) {
      cuts.add(batch.take(sendBatchMaxSize));
    }
    return cuts;
  }

  // Under lock.
  private void scheduleTimer() {
    long generation = ++timerGeneration;
    timer = scheduler.schedule(() -> onTimeout(generation), timeoutNanos);
  }

  // Under lock.
  private void cancelTimer() {
    timerGeneration++; // a flush already running for the old timer finds it stale
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  private void onTimeout(long generation) {
    List<Cut<D>> cuts;
    lock.lock();
    try {
      if (generation != timerGeneration || closed) {
        return;
      }
      timer = null;
      cuts = takeWhile(1);
    } finally {
      lock.unlock();
    }
    sendDetached(cuts, Trigger.TIMEOUT);
  }

  /** Sends where no caller can take a refusal back: refused items are dropped and counted. */
  private void sendDetached(List<Cut<D>> cuts, Trigger trigger) {
    for (Cut<D> cut : cuts) {
      Refusal refusal = send(cut, trigger);
      if (refusal != null) {
        telemetry.dropped(cut.items(), refusal.isRetryable());
        log.warn(
            "Sender failed: dropped {} {}: {}", cut.items(), unit, refusal.getMessage());
      }
    }
  }

  /**
   * Sends on the thread of the caller whose batch triggered the send. The cuts cover, in order, the
   * items held before it ({@code before} of them) followed by its own ({@code own} of them), or a
   * prefix of that sequence when some stay held.
   */
  private void sendForCaller(List<Cut<D>> cuts, int before, int own) throws Refusal {
    int at = 0;
    int ownEnd = before + own;
    int ownRefused = 0;
    int ownRefusedRetryable = 0;
    int othersDropped = 0;
    Refusal refusal = null;
    for (Cut<D> cut : cuts) {
      int from = at;
      int to = at + cut.items();
      at = to;
      Refusal r = send(cut, Trigger.SIZE);
      if (r == null) {
        continue;
      }
      if (refusal == null || (refusal.isRetryable() && !r.isRetryable())) {
        refusal = r; // a permanent refusal wins: sending again would not help
      }
      int mine = Math.max(0, Math.min(to, ownEnd) - Math.max(from, before));
      ownRefused += mine;
      if (r.isRetryable()) {
        ownRefusedRetryable += mine;
      }
      int others = cut.items() - mine;
      telemetry.dropped(others, r.isRetryable());
      othersDropped += others;
    }
    if (refusal == null) {
      return;
    }
    if (ownRefused == own) {
      if (othersDropped > 0) {
        log.warn(
            "Sender failed: dropped {} {} of earlier batches, refused the caller's {}: {}",
            othersDropped, unit, own, refusal.getMessage());
      }
      throw refusal;
    }
    telemetry.dropped(ownRefusedRetryable, true);
    telemetry.dropped(ownRefused - ownRefusedRetryable, false);
    log.warn(
        "Sender failed: dropped {} {} ({} of the caller's {} had been sent or are held): {}",
        othersDropped + ownRefused, unit, own - ownRefused, own, refusal.getMessage());
  }

  /** Sends one request; returns the refusal, or null when it was accepted. */
  private Refusal send(Cut<D> cut, Trigger trigger) {
    try {
      next.send(cut.data());
    } catch (Refusal r) {
      return r;
    } catch (RuntimeException e) {
      log.error("Next consumer failed on a batch of {} {}", cut.items(), unit, e);
      return Refusal.permanent("next consumer failed: " + e, e);
    }
    telemetry.sent(trigger, cut.items());
    return null;
  }
}
