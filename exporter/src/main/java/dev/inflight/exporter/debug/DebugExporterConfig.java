package dev.inflight.exporter.debug;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;

/**
 * {@code exporters.debug}: how much to log and how often.
 *
 * @param verbosity {@code basic} (a summary line per batch), {@code normal} (plus a line per span,
 *     data point or log record) or {@code detailed} (plus every field); default {@code basic}
 * @param samplingInitial batches logged in full each second before sampling starts; default
 *     {@value #DEFAULT_SAMPLING_INITIAL}
 * @param samplingThereafter after the initial ones, every this-many-th batch in the same second is
 *     logged; 0 logs none; default {@value #DEFAULT_SAMPLING_THEREAFTER} (log every batch)
 */
public record DebugExporterConfig(
    Verbosity verbosity, Integer samplingInitial, Integer samplingThereafter)
    implements ComponentConfig {
  /** The Collector's default. */
  public static final int DEFAULT_SAMPLING_INITIAL = 2;

  /** The Collector's default: sampling is off unless asked for. */
  public static final int DEFAULT_SAMPLING_THEREAFTER = 1;

  public DebugExporterConfig {
    verbosity = verbosity == null ? Verbosity.BASIC : verbosity;
    samplingInitial = samplingInitial == null ? DEFAULT_SAMPLING_INITIAL : samplingInitial;
    samplingThereafter =
        samplingThereafter == null ? DEFAULT_SAMPLING_THEREAFTER : samplingThereafter;
  }

  /** Every setting at its default: what {@code createDefaultConfig()} returns. */
  public static final DebugExporterConfig DEFAULT = new DebugExporterConfig(null, null, null);

  /** The Collector's verbosity levels, minus {@code none} (an exporter that logs nothing is no use). */
  public enum Verbosity {
    @JsonProperty("basic") BASIC,
    @JsonProperty("normal") NORMAL,
    @JsonProperty("detailed") DETAILED
  }

  @Override
  public void validate(ConfigProblems problems) {
    if (samplingInitial < 0) {
      problems.add("sampling_initial", "sampling_initial must not be negative");
    }
    if (samplingThereafter < 0) {
      problems.add("sampling_thereafter", "sampling_thereafter must not be negative");
    }
  }
}
