package dev.inflight.receiver.file;

import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.component.config.DurationFormat;
import java.time.Duration;
import java.util.List;

/**
 * {@code receivers.file}: which recordings to read (written by the {@code file} exporter, inflight's
 * or the Collector's) and how fast to replay them.
 *
 * @param include files, directories or globs ({@code /var/lib/inflight/spans*.binpb}); required, at
 *     least one. A glob that matches nothing when the receiver starts is a warning, not an error.
 * @param exclude files or globs to leave out of what {@code include} matched; default none
 * @param replay pacing
 */
public record FileReceiverConfig(List<String> include, List<String> exclude, Replay replay)
    implements ComponentConfig {
  public FileReceiverConfig {
    include = include == null ? List.of() : List.copyOf(include);
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
    replay = replay == null ? Replay.defaults() : replay;
  }

  /** Every setting at its default: what {@code createDefaultConfig()} returns. */
  public static final FileReceiverConfig DEFAULT = new FileReceiverConfig(null, null, null);

  public static FileReceiverConfig of(List<String> include, String speed) {
    return new FileReceiverConfig(include, null, new Replay(speed, null));
  }

  /**
   * {@code replay}: how fast records are pushed into the pipeline ({@link ReplayPacer}).
   *
   * @param speed {@code max} (default: as fast as the pipeline takes them), or a number above 0: 1
   *     replays the gaps between records as they were recorded, 2 twice as fast, 0.5 at half speed
   * @param maxGap a gap between two records longer than this (event time) is shortened to it, with a
   *     log line; default {@value #DEFAULT_MAX_GAP_TEXT}
   */
  public record Replay(String speed, Duration maxGap) {
    public static final String DEFAULT_SPEED = "max";
    static final String DEFAULT_MAX_GAP_TEXT = "1m";
    public static final Duration DEFAULT_MAX_GAP = ReplayPacer.DEFAULT_MAX_GAP;

    public Replay {
      speed = speed == null ? DEFAULT_SPEED : speed;
      maxGap = maxGap == null ? DEFAULT_MAX_GAP : maxGap;
    }

    public static Replay defaults() {
      return new Replay(null, null);
    }

    /** The speed as a number, {@link ReplayPacer#MAX} (0) for {@code max}. */
    public double speedFactor() {
      return ReplayPacer.parseSpeed(speed);
    }

    void validate(ConfigProblems problems) {
      try {
        ReplayPacer.parseSpeed(speed);
      } catch (IllegalArgumentException e) {
        problems.add("speed", e.getMessage());
      }
      if (maxGap.isNegative() || maxGap.isZero()) {
        problems.add("max_gap", "max_gap must be positive, e.g. 1m, got " + DurationFormat.format(maxGap));
      }
    }
  }

  @Override
  public void validate(ConfigProblems problems) {
    if (include.isEmpty()) {
      problems.add("include", "include is required: list the recording files, directories or globs to read,"
          + " e.g. [/var/lib/inflight/spans*.binpb]");
    }
    for (int i = 0; i < include.size(); i++) {
      if (include.get(i) == null || include.get(i).isBlank()) {
        problems.at("include").at(i).add("include entries must not be empty");
      }
    }
    for (int i = 0; i < exclude.size(); i++) {
      if (exclude.get(i) == null || exclude.get(i).isBlank()) {
        problems.at("exclude").at(i).add("exclude entries must not be empty");
      }
    }
    replay.validate(problems.at("replay"));
  }
}
