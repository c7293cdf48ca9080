package dev.inflight.processor.memorylimiter;

import dev.inflight.component.Signal;
import dev.inflight.component.config.DurationFormat;
import dev.inflight.component.telemetry.ComponentTelemetry;
import io.opentelemetry.api.metrics.ObservableLongGauge;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Measures heap usage every {@code check_interval} on a daemon thread and decides whether data must
 * be refused, as the Collector's {@code memorylimiter} does: at or above the soft limit (limit −
 * spike) refuse; at or above the hard limit force a GC first (at most every {@code
 * min_gc_interval_when_hard_limited}), between the two force one at most every {@code
 * min_gc_interval_when_soft_limited}, and decide on the usage measured after it. The hot path only
 * reads {@link #mustRefuse()}, a volatile boolean.
 *
 * <p>One limiter per component id, shared by every pipeline and signal that lists it, started with
 * the first of them and stopped with the last (the Collector's reference count).
 */
final class MemoryLimiter {
  /** The Collector's error text: receivers pass it on to senders told to retry. */
  static final String REFUSED_MESSAGE = "data refused due to high memory usage";

  private static final long MIB = 1L << 20;

  private final String name;
  private final Limits limits;
  private final Duration checkInterval;
  private final long minGcNanosWhenSoftLimited;
  private final long minGcNanosWhenHardLimited;
  private final LongSupplier heapUsed;
  private final Runnable gc;
  private final LongSupplier nanoClock;
  private final Logger log;
  private final MemoryLimiterTelemetry telemetry;

  private volatile boolean refusing;

  private final Object checkLock = new Object();
  private long lastGcNanos; // guarded by checkLock

  private int references; // guarded by this
  private ScheduledExecutorService checker; // guarded by this
  private ObservableLongGauge stateGauge; // guarded by this

  /** The hard limit and the spike allowance, in bytes; the soft limit is their difference. */
  record Limits(long hardBytes, long spikeBytes) {
    long softBytes() {
      return hardBytes - spikeBytes;
    }

    /**
     * The Collector's arithmetic: {@code limit_mib} wins over {@code limit_percentage}; a spike limit
     * of 0 is 20% of the limit.
     *
     * @param maxHeap {@link Runtime#maxMemory()}, the base of the percentages
     * @throws IllegalStateException when percentages are used and the JVM's heap has no maximum
     */
    static Limits of(MemoryLimiterProcessorConfig config, long maxHeap) {
      long hard;
      long spike;
      if (config.limitMib() > 0) {
        hard = config.limitMib() * MIB;
        spike = config.spikeLimitMib() * MIB;
      } else {
        if (maxHeap <= 0 || maxHeap == Long.MAX_VALUE) {
          throw new IllegalStateException(
              "limit_percentage needs a maximum heap size and the JVM has none; start it with -Xmx"
                  + " or use limit_mib");
        }
        hard = config.limitPercentage() * maxHeap / 100;
        spike = config.spikeLimitPercentage() * maxHeap / 100;
      }
      if (spike == 0) {
        spike = hard / 5;
      }
      return new Limits(hard, spike);
    }
  }

  MemoryLimiter(
      String name,
      MemoryLimiterProcessorConfig config,
      Limits limits,
      LongSupplier heapUsed,
      Runnable gc,
      LongSupplier nanoClock,
      Logger log,
      ComponentTelemetry telemetry) {
    this.name = Objects.requireNonNull(name, "name");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.checkInterval = config.checkInterval();
    this.minGcNanosWhenSoftLimited = config.minGcIntervalWhenSoftLimited().toNanos();
    this.minGcNanosWhenHardLimited = config.minGcIntervalWhenHardLimited().toNanos();
    this.heapUsed = Objects.requireNonNull(heapUsed, "heapUsed");
    this.gc = Objects.requireNonNull(gc, "gc");
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.log = Objects.requireNonNull(log, "log");
    this.telemetry = new MemoryLimiterTelemetry(Objects.requireNonNull(telemetry, "telemetry"));
    this.lastGcNanos = nanoClock.getAsLong(); // as the Collector: no soft-limit GC right after start
  }

  /** A limiter on this JVM's heap: {@link MemoryMXBean} heap used, {@link System#gc()}. */
  static MemoryLimiter forThisJvm(
      String name, MemoryLimiterProcessorConfig config, Logger log, ComponentTelemetry telemetry) {
    long maxHeap = Runtime.getRuntime().maxMemory();
    Limits limits = Limits.of(config, maxHeap);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    log.info(
        "memory limiter configured: limit {} MiB, spike limit {} MiB (refusing from {} MiB), check_interval {}",
        limits.hardBytes() / MIB,
        limits.spikeBytes() / MIB,
        limits.softBytes() / MIB,
        DurationFormat.format(config.checkInterval()));
    if (maxHeap != Long.MAX_VALUE && limits.hardBytes() > maxHeap) {
      log.warn(
          "the memory limit ({} MiB) is above the JVM's maximum heap ({} MiB): the heap runs out"
              + " before the limiter acts; raise -Xmx or lower limit_mib",
          limits.hardBytes() / MIB,
          maxHeap / MIB);
    }
    return new MemoryLimiter(
        name,
        config,
        limits,
        () -> memory.getHeapMemoryUsage().getUsed(),
        System::gc,
        System::nanoTime,
        log,
        telemetry);
  }

  Limits limits() {
    return limits;
  }

  /** Whether incoming data must be refused now: one volatile read. */
  boolean mustRefuse() {
    return refusing;
  }

  /** Counts a refused batch in {@code otelcol_processor_refused_*}. */
  void countRefused(Signal signal, long items) {
    telemetry.refused(signal, items);
  }

  /** One measurement and decision; the checker thread runs it every {@code check_interval}. */
  void checkMemLimits() {
    synchronized (checkLock) {
      long used = heapUsed.getAsLong();
      log.debug("heap in use: {} MiB", used / MIB);
      boolean aboveSoft = used >= limits.softBytes();
      if (!aboveSoft) {
        if (refusing) {
          log.info("memory usage back within limits ({} MiB); accepting data again", used / MIB);
        }
        refusing = false;
        return;
      }
      long sinceGc = nanoClock.getAsLong() - lastGcNanos;
      if (used >= limits.hardBytes()) {
        if (sinceGc > minGcNanosWhenHardLimited) {
          log.warn("memory usage ({} MiB) is above the hard limit; forcing a GC", used / MIB);
          used = gcAndMeasure();
          aboveSoft = used >= limits.softBytes();
        }
      } else if (sinceGc > minGcNanosWhenSoftLimited) {
        log.info("memory usage ({} MiB) is above the soft limit; forcing a GC", used / MIB);
        used = gcAndMeasure();
        aboveSoft = used >= limits.softBytes();
      }
      if (aboveSoft && !refusing) {
        log.warn(
            "memory usage ({} MiB) is above the soft limit ({} MiB); refusing data",
            used / MIB,
            limits.softBytes() / MIB);
      } else if (!aboveSoft && refusing) {
        log.info("memory usage back within limits ({} MiB); accepting data again", used / MIB);
      }
      refusing = aboveSoft;
    }
  }

  private long gcAndMeasure() {
    gc.run();
    lastGcNanos = nanoClock.getAsLong();
    long used = heapUsed.getAsLong();
    log.info("memory usage after GC: {} MiB", used / MIB);
    return used;
  }

  /** Starts checking with the first user; later users share the running checker. */
  synchronized void start() {
    if (references++ > 0) {
      return;
    }
    checkMemLimits(); // know the state before the first batch rather than a check_interval later
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "memory-limiter " + name);
              t.setDaemon(true);
              return t;
            });
    long interval = checkInterval.toNanos();
    s.scheduleWithFixedDelay(this::checkSafely, interval, interval, TimeUnit.NANOSECONDS);
    checker = s;
    stateGauge = telemetry.refusing(() -> refusing);
  }

  /** Stops checking with the last user; data is accepted again once stopped. */
  synchronized void stop() {
    if (references == 0 || --references > 0) {
      return;
    }
    ScheduledExecutorService s = checker;
    checker = null;
    if (stateGauge != null) {
      stateGauge.close();
      stateGauge = null;
    }
    if (s != null) {
      s.shutdownNow();
      try {
        if (!s.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("memory limiter check still running after 5s; leaving it");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    refusing = false;
  }

  /** Whether the checker thread runs: for tests. */
  synchronized boolean running() {
    return checker != null;
  }

  private void checkSafely() {
    try {
      checkMemLimits();
    } catch (RuntimeException e) {
      // A failed check must not cancel the schedule: the next one may work.
      log.warn("memory limiter check failed: {}", e.toString());
    }
  }

  @Override
  public String toString() {
    return "memory limiter " + name + " (limit " + limits.hardBytes() / MIB + " MiB, spike "
        + limits.spikeBytes() / MIB + " MiB)";
  }
}
