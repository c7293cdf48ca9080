package dev.inflight.processor.memorylimiter;

import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import java.time.Duration;

/**
 * {@code processors.memory_limiter}: the Collector's memory limiter settings, measured against the
 * JVM heap. The limit is given either in MiB or as a percentage of the JVM's maximum heap ({@code
 * -Xmx}, {@link Runtime#maxMemory()}); {@code limit_mib} wins when both are set. The soft limit is
 * the limit minus the spike limit: above it data is refused (retryable), above the limit itself a
 * GC is forced as well.
 *
 * @param checkInterval how often heap usage is measured; default {@code 1s}
 * @param limitMib the hard limit in MiB; 0 (the default) to use {@code limit_percentage}
 * @param spikeLimitMib the largest growth expected between two checks, in MiB; 0 (the default)
 *     means 20% of the limit
 * @param limitPercentage the hard limit as a percentage of the max heap; 0 (the default) when
 *     {@code limit_mib} is used
 * @param spikeLimitPercentage the spike limit as a percentage of the max heap; 0 (the default)
 *     means 20% of the limit
 * @param minGcIntervalWhenSoftLimited the least time between two forced GCs while above the soft
 *     limit; default {@code 10s}
 * @param minGcIntervalWhenHardLimited the least time between two forced GCs while above the hard
 *     limit; default {@code 0s} (a GC at every check)
 */
public record MemoryLimiterProcessorConfig(
    Duration checkInterval,
    Integer limitMib,
    Integer spikeLimitMib,
    Integer limitPercentage,
    Integer spikeLimitPercentage,
    Duration minGcIntervalWhenSoftLimited,
    Duration minGcIntervalWhenHardLimited)
    implements ComponentConfig {
  /** inflight's default; the Collector has none (0 is invalid there), which seed 004 relies on. */
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(1);

  /** The Collector's default. */
  public static final Duration DEFAULT_MIN_GC_INTERVAL_WHEN_SOFT_LIMITED = Duration.ofSeconds(10);

  /** The Collector's default. */
  public static final Duration DEFAULT_MIN_GC_INTERVAL_WHEN_HARD_LIMITED = Duration.ZERO;

  public MemoryLimiterProcessorConfig {
    checkInterval = checkInterval == null ? DEFAULT_CHECK_INTERVAL : checkInterval;
    limitMib = limitMib == null ? 0 : limitMib;
    spikeLimitMib = spikeLimitMib == null ? 0 : spikeLimitMib;
    limitPercentage = limitPercentage == null ? 0 : limitPercentage;
    spikeLimitPercentage = spikeLimitPercentage == null ? 0 : spikeLimitPercentage;
    minGcIntervalWhenSoftLimited =
        minGcIntervalWhenSoftLimited == null
            ? DEFAULT_MIN_GC_INTERVAL_WHEN_SOFT_LIMITED
            : minGcIntervalWhenSoftLimited;
    minGcIntervalWhenHardLimited =
        minGcIntervalWhenHardLimited == null
            ? DEFAULT_MIN_GC_INTERVAL_WHEN_HARD_LIMITED
            : minGcIntervalWhenHardLimited;
  }

  /** Every default; not valid on its own: a limit has to be given, as in the Collector. */
  public static final MemoryLimiterProcessorConfig DEFAULT = new MemoryLimiterProcessorConfig(
      null, null, null, null, null, null, null);

  /** This config with {@code check_interval} set; null means its default. */
  public MemoryLimiterProcessorConfig withCheckInterval(Duration checkInterval) {
    return new MemoryLimiterProcessorConfig(
        checkInterval, limitMib, spikeLimitMib, limitPercentage, spikeLimitPercentage,
        minGcIntervalWhenSoftLimited, minGcIntervalWhenHardLimited);
  }

  /** This config with {@code limit_mib} set; null means its default. */
  public MemoryLimiterProcessorConfig withLimitMib(Integer limitMib) {
    return new MemoryLimiterProcessorConfig(
        checkInterval, limitMib, spikeLimitMib, limitPercentage, spikeLimitPercentage,
        minGcIntervalWhenSoftLimited, minGcIntervalWhenHardLimited);
  }

  /** This config with {@code spike_limit_mib} set; null means its default. */
  public MemoryLimiterProcessorConfig withSpikeLimitMib(Integer spikeLimitMib) {
    return new MemoryLimiterProcessorConfig(
        checkInterval, limitMib, spikeLimitMib, limitPercentage, spikeLimitPercentage,
        minGcIntervalWhenSoftLimited, minGcIntervalWhenHardLimited);
  }

  /** This config with {@code limit_percentage} set; null means its default. */
  public MemoryLimiterProcessorConfig withLimitPercentage(Integer limitPercentage) {
    return new MemoryLimiterProcessorConfig(
        checkInterval, limitMib, spikeLimitMib, limitPercentage, spikeLimitPercentage,
        minGcIntervalWhenSoftLimited, minGcIntervalWhenHardLimited);
  }

  /** This config with {@code spike_limit_percentage} set; null means its default. */
  public MemoryLimiterProcessorConfig withSpikeLimitPercentage(Integer spikeLimitPercentage) {
    return new MemoryLimiterProcessorConfig(
        checkInterval, limitMib, spikeLimitMib, limitPercentage, spikeLimitPercentage,
        minGcIntervalWhenSoftLimited, minGcIntervalWhenHardLimited);
  }

  /** This config with {@code min_gc_interval_when_soft_limited} set; null means its default. */
  public MemoryLimiterProcessorConfig withMinGcIntervalWhenSoftLimited(Duration minGcIntervalWhenSoftLimited) {
    return new MemoryLimiterProcessorConfig(
        checkInterval, limitMib, spikeLimitMib, limitPercentage, spikeLimitPercentage,
        minGcIntervalWhenSoftLimited, minGcIntervalWhenHardLimited);
  }

  /** This config with {@code min_gc_interval_when_hard_limited} set; null means its default. */
  public MemoryLimiterProcessorConfig withMinGcIntervalWhenHardLimited(Duration minGcIntervalWhenHardLimited) {
    return new MemoryLimiterProcessorConfig(
        checkInterval, limitMib, spikeLimitMib, limitPercentage, spikeLimitPercentage,
        minGcIntervalWhenSoftLimited, minGcIntervalWhenHardLimited);
  }

  /** A fixed limit in MiB with every other setting at its default. */
  public static MemoryLimiterProcessorConfig ofLimitMib(int limitMib) {
    return new MemoryLimiterProcessorConfig(null, limitMib, null, null, null, null, null);
  }

  /** The Collector's checks, in its words with the key first; every problem, not just the first. */
  @Override
  public void validate(ConfigProblems problems) {
    if (checkInterval.isNegative() || checkInterval.isZero()) {
      problems.add("check_interval", "check_interval must be greater than zero");
    }
    if (minGcIntervalWhenSoftLimited.isNegative()) {
      problems.add(
          "min_gc_interval_when_soft_limited", "min_gc_interval_when_soft_limited must not be negative");
    }
    if (minGcIntervalWhenHardLimited.isNegative()) {
      problems.add(
          "min_gc_interval_when_hard_limited", "min_gc_interval_when_hard_limited must not be negative");
    } else if (minGcIntervalWhenSoftLimited.compareTo(minGcIntervalWhenHardLimited) < 0) {
      problems.add(
          "min_gc_interval_when_soft_limited",
          "min_gc_interval_when_soft_limited should be larger than min_gc_interval_when_hard_limited");
    }
    boolean negative = false;
    negative |= negative(problems, "limit_mib", limitMib);
    negative |= negative(problems, "spike_limit_mib", spikeLimitMib);
    negative |= negative(problems, "limit_percentage", limitPercentage);
    negative |= negative(problems, "spike_limit_percentage", spikeLimitPercentage);
    if (negative) {
      return;
    }
    if (limitMib == 0 && limitPercentage == 0) {
      problems.add("limit_mib", "limit_mib or limit_percentage must be greater than zero");
    }
    if (limitPercentage > 100) {
      problems.add(
          "limit_percentage", "limit_percentage must be less than or equal to 100 (percent of the max heap)");
    }
    if (spikeLimitPercentage > 100) {
      problems.add(
          "spike_limit_percentage",
          "spike_limit_percentage must be less than or equal to 100 (percent of the max heap)");
    }
    if (limitMib > 0 && limitMib <= spikeLimitMib) {
      problems.add("spike_limit_mib", "spike_limit_mib must be smaller than limit_mib");
    }
    if (limitPercentage > 0 && limitPercentage <= spikeLimitPercentage) {
      problems.add(
          "spike_limit_percentage", "spike_limit_percentage must be smaller than limit_percentage");
    }
  }

  private static boolean negative(ConfigProblems problems, String key, int value) {
    if (value < 0) {
      problems.add(key, key + " must not be negative");
      return true;
    }
    return false;
  }
}
