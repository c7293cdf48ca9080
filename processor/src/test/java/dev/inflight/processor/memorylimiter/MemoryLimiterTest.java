package dev.inflight.processor.memorylimiter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.processor.memorylimiter.MemoryLimiter.Limits;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The limiter's decisions with a heap whose usage the test sets. */
class MemoryLimiterTest {
  private static final long MIB = 1L << 20;
  private static final ComponentId ID = ComponentId.of("memory_limiter");

  /** Heap in use, in bytes: what the MemoryMXBean would say. */
  private final AtomicLong used = new AtomicLong();
  /** Forced GCs so far. */
  private final AtomicInteger gcs = new AtomicInteger();
  /** What a forced GC brings usage down to; negative: GC frees nothing. */
  private final AtomicLong afterGc = new AtomicLong(-1);
  /** Fake monotonic clock, nanoseconds. */
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private MemoryLimiter limiter;

  private MemoryLimiter limiter(MemoryLimiterProcessorConfig config) {
    limiter =
        new MemoryLimiter(
            "memory_limiter",
            config,
            Limits.of(config, 1024 * MIB),
            used::get,
            () -> {
              gcs.incrementAndGet();
              if (afterGc.get() >= 0) {
                used.set(afterGc.get());
              }
            },
            now::get,
            LoggerFactory.getLogger("processor.memory_limiter"),
            ComponentTelemetry.noop(ComponentKind.PROCESSOR, ID));
    return limiter;
  }

  /** Seed 004: limit 256 MiB, so spike 51.2 MiB and soft limit 204.8 MiB. */
  private MemoryLimiter seed004() {
    return limiter(MemoryLimiterProcessorConfig.ofLimitMib(256));
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @AfterEach
  void stop() {
    if (limiter != null) {
      while (limiter.running()) {
        limiter.stop();
      }
    }
  }

  // --- limits, the Collector's arithmetic

  @Test
  void spikeLimitDefaultsToAFifthOfTheLimit() {
    Limits limits = Limits.of(MemoryLimiterProcessorConfig.ofLimitMib(256), 1024 * MIB);

    assertThat(limits.hardBytes()).isEqualTo(256 * MIB);
    assertThat(limits.spikeBytes()).isEqualTo(256 * MIB / 5);
    assertThat(limits.softBytes()).isEqualTo(256 * MIB - 256 * MIB / 5);
  }

  @Test
  void anExplicitSpikeLimitIsUsed() {
    Limits limits =
        Limits.of(MemoryLimiterProcessorConfig.DEFAULT.withLimitMib(400).withSpikeLimitMib(100), 1024 * MIB);

    assertThat(limits.softBytes()).isEqualTo(300 * MIB);
  }

  @Test
  void percentagesAreOfTheMaxHeap() {
    Limits limits =
        Limits.of(MemoryLimiterProcessorConfig.DEFAULT.withLimitPercentage(80).withSpikeLimitPercentage(25), 1000 * MIB);

    assertThat(limits.hardBytes()).isEqualTo(800 * MIB);
    assertThat(limits.spikeBytes()).isEqualTo(250 * MIB);
    assertThat(Limits.of(MemoryLimiterProcessorConfig.DEFAULT.withLimitPercentage(50), 1000 * MIB)
            .spikeBytes())
        .isEqualTo(100 * MIB);
  }

  @Test
  void limitMibWinsOverPercentages() {
    Limits limits =
        Limits.of(MemoryLimiterProcessorConfig.DEFAULT.withLimitMib(100).withLimitPercentage(80).withSpikeLimitPercentage(10), 1000 * MIB);

    assertThat(limits.hardBytes()).isEqualTo(100 * MIB);
    assertThat(limits.spikeBytes()).isEqualTo(20 * MIB);
  }

  @Test
  void percentagesNeedAMaxHeap() {
    assertThatThrownBy(
            () ->
                Limits.of(
                    MemoryLimiterProcessorConfig.DEFAULT.withLimitPercentage(80), Long.MAX_VALUE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("-Xmx")
        .hasMessageContaining("limit_mib");
  }

  // --- decisions

  @Test
  void underTheSoftLimitDataPassesAndNoGcIsForced() {
    MemoryLimiter l = seed004();
    used.set(200 * MIB);

    l.checkMemLimits();

    assertThat(l.mustRefuse()).isFalse();
    assertThat(gcs).hasValue(0);
  }

  @Test
  void aboveTheSoftLimitDataIsRefused() {
    MemoryLimiter l = seed004();
    used.set(210 * MIB); // soft limit 204.8 MiB, hard 256 MiB

    l.checkMemLimits();

    assertThat(l.mustRefuse()).isTrue();
    assertThat(gcs).as("within min_gc_interval_when_soft_limited of the start").hasValue(0);
  }

  @Test
  void theSoftLimitItselfRefusesAsInTheCollector() {
    MemoryLimiter l = seed004();
    used.set(l.limits().softBytes());

    l.checkMemLimits();

    assertThat(l.mustRefuse()).isTrue();
  }

  @Test
  void aboveTheSoftLimitAGcIsForcedAtMostEveryMinGcIntervalWhenSoftLimited() {
    MemoryLimiter l = seed004();
    used.set(210 * MIB);

    advance(Duration.ofSeconds(11));
    l.checkMemLimits();
    assertThat(gcs).hasValue(1);
    assertThat(l.mustRefuse()).as("the GC freed nothing").isTrue();

    advance(Duration.ofSeconds(5));
    l.checkMemLimits();
    assertThat(gcs).as("5s after the last GC").hasValue(1);

    advance(Duration.ofSeconds(6));
    afterGc.set(100 * MIB);
    l.checkMemLimits();
    assertThat(gcs).hasValue(2);
    assertThat(l.mustRefuse()).as("decided on the usage after the GC").isFalse();
  }

  @Test
  void aboveTheHardLimitAGcIsForcedAtEveryCheck() {
    MemoryLimiter l = seed004();
    used.set(300 * MIB);

    advance(Duration.ofMillis(1));
    l.checkMemLimits();
    advance(Duration.ofSeconds(1));
    l.checkMemLimits();

    assertThat(gcs).hasValue(2);
    assertThat(l.mustRefuse()).isTrue();
  }

  @Test
  void aGcThatBringsUsageUnderTheSoftLimitLetsDataPass() {
    MemoryLimiter l = seed004();
    used.set(300 * MIB);
    afterGc.set(120 * MIB);

    advance(Duration.ofMillis(1));
    l.checkMemLimits();

    assertThat(gcs).hasValue(1);
    assertThat(l.mustRefuse()).isFalse();
  }

  @Test
  void minGcIntervalWhenHardLimitedRateLimitsForcedGcs() {
    MemoryLimiter l =
        limiter(
            MemoryLimiterProcessorConfig.DEFAULT
                .withLimitMib(256)
                .withMinGcIntervalWhenSoftLimited(Duration.ofSeconds(30))
                .withMinGcIntervalWhenHardLimited(Duration.ofSeconds(5)));
    used.set(300 * MIB);

    for (int i = 0; i < 10; i++) { // 10 checks, one a second
      advance(Duration.ofSeconds(1));
      l.checkMemLimits();
    }

    assertThat(gcs).as("once, 6s in: more than 5s after the start; 11s is only 5s after that GC").hasValue(1);
    assertThat(l.mustRefuse()).isTrue();
  }

  @Test
  void recoversWhenUsageDrops() {
    MemoryLimiter l = seed004();
    used.set(230 * MIB);
    l.checkMemLimits();
    assertThat(l.mustRefuse()).isTrue();

    used.set(150 * MIB);
    l.checkMemLimits();

    assertThat(l.mustRefuse()).isFalse();
  }

  // --- the checker thread

  @Test
  void theCheckerThreadMeasuresEveryCheckInterval() throws Exception {
    MemoryLimiter l =
        limiter(MemoryLimiterProcessorConfig.DEFAULT.withCheckInterval(Duration.ofMillis(10)).withLimitMib(256));
    used.set(100 * MIB);

    l.start();
    assertThat(l.mustRefuse()).isFalse();
    used.set(230 * MIB);
    awaitRefusing(l, true);
    used.set(100 * MIB);
    awaitRefusing(l, false);
  }

  @Test
  void startMeasuresAtOnce() {
    MemoryLimiter l = seed004(); // check_interval 1s: the thread will not have run yet
    used.set(230 * MIB);

    l.start();

    assertThat(l.mustRefuse()).isTrue();
  }

  @Test
  void theLastUserStopsTheCheckerAndDataIsAcceptedAgain() {
    MemoryLimiter l = seed004();
    used.set(230 * MIB);

    l.start();
    l.start();
    l.stop();
    assertThat(l.running()).isTrue();
    assertThat(l.mustRefuse()).isTrue();

    l.stop();
    assertThat(l.running()).isFalse();
    assertThat(l.mustRefuse()).isFalse();
    l.stop(); // one stop too many is harmless
    assertThat(l.running()).isFalse();
  }

  @Test
  void aFailingMeasurementDoesNotStopTheChecks() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    MemoryLimiterProcessorConfig config =
        MemoryLimiterProcessorConfig.DEFAULT.withCheckInterval(Duration.ofMillis(10)).withLimitMib(256);
    limiter =
        new MemoryLimiter(
            "memory_limiter",
            config,
            Limits.of(config, 1024 * MIB),
            () -> {
              int n = calls.incrementAndGet();
              if (n == 2) {
                throw new IllegalStateException("no reading this time");
              }
              return n > 3 ? 250 * MIB : 0;
            },
            gcs::incrementAndGet,
            now::get,
            LoggerFactory.getLogger("processor.memory_limiter"),
            ComponentTelemetry.noop(ComponentKind.PROCESSOR, ID));

    limiter.start();

    awaitRefusing(limiter, true);
  }

  private static void awaitRefusing(MemoryLimiter l, boolean expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (l.mustRefuse() != expected && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(l.mustRefuse()).isEqualTo(expected);
  }
}
