package dev.inflight.processor.batch;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Runs the timeout flushes: one daemon thread per processor, replaceable in tests. */
interface FlushScheduler {
  /** Runs {@code task} once after {@code delayNanos}; the returned handle cancels it. */
  Cancellable schedule(Runnable task, long delayNanos);

  /** Cancels what is pending and waits (a bounded time) for a task that is running. */
  void close() throws InterruptedException;

  interface Cancellable {
    void cancel();
  }

  /** A scheduler on one daemon thread called {@code threadName}, started on first use. */
  static FlushScheduler daemonThread(String threadName) {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return new FlushScheduler() {
      @Override
      public Cancellable schedule(Runnable task, long delayNanos) {
        ScheduledFuture<?> f = executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      }

      @Override
      public void close() throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(30, TimeUnit.SECONDS);
      }
    };
  }
}
