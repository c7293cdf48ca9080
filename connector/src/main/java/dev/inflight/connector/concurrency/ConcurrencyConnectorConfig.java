package dev.inflight.connector.concurrency;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.component.config.DurationFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code connectors.concurrency}: which spans are workers of which type, how wide a window is, how
 * long a window waits for late spans, and what the points are keyed by.
 *
 * @param workerTypes the worker types; a span belongs to the first whose {@code match} accepts its
 *     name (and whose {@code services}, if set, accept its {@code service.name}); required
 * @param resolution width of one window in span time; windows are aligned to multiples of it since
 *     the Unix epoch; default 1s
 * @param allowedLateness how long after its end a window waits for spans that end inside it before
 *     its gauges are emitted; default 15s
 * @param watermark what closes windows: {@code wall_clock} (live traffic) or {@code event_time}
 *     (the latest span end seen: replaying recorded spans); default wall_clock
 * @param dimensions attributes copied from the resource (or, when the resource lacks them, the span)
 *     onto every point; a group is a worker type plus these values; default [service.name]
 * @param maxGroups beyond this many groups, spans of new groups count in one overflow group per
 *     worker type with {@code otel.metric.overflow=true}; default {@value #DEFAULT_MAX_GROUPS}
 * @param idleExpiration a group that has been idle this long stops emitting points and is
 *     forgotten; default 5m
 * @param adjustForSampling count each span as 1/p, p read from the {@code th} sub-key of the {@code
 *     ot} entry in its {@code tracestate}; default true
 * @param samplingRatio the sampling probability of spans without a usable {@code th}; each counts as
 *     1/sampling_ratio; default 1.0
 * @param durationBuckets upper bounds of the {@code workers.duration} histogram buckets; default the
 *     Prometheus client's (5ms … 10s)
 * @param instanceAttribute optional attribute naming the worker instance (e.g. {@code
 *     thread.name}); enables {@code workers.instances}
 */
public record ConcurrencyConnectorConfig(
    List<WorkerType> workerTypes,
    Duration resolution,
    Duration allowedLateness,
    Watermark watermark,
    List<Dimension> dimensions,
    Integer maxGroups,
    Duration idleExpiration,
    Boolean adjustForSampling,
    Double samplingRatio,
    List<Duration> durationBuckets,
    String instanceAttribute)
    implements ComponentConfig {

  public static final Duration DEFAULT_RESOLUTION = Duration.ofSeconds(1);
  public static final Duration DEFAULT_ALLOWED_LATENESS = Duration.ofSeconds(15);
  public static final Duration DEFAULT_IDLE_EXPIRATION = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_GROUPS = 1000;

  /** The Prometheus client libraries' default buckets (seed 001's Go workers use them). */
  public static final List<Duration> DEFAULT_DURATION_BUCKETS =
      List.of(
          Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
          Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
          Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10));

  /** Windows narrower than this would emit more points than any backend wants. */
  static final Duration MIN_RESOLUTION = Duration.ofMillis(1);

  public ConcurrencyConnectorConfig {
    // Not List.copyOf: an empty YAML list item binds to null and validate() reports it by index.
    workerTypes = workerTypes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(workerTypes));
    resolution = resolution == null ? DEFAULT_RESOLUTION : resolution;
    allowedLateness = allowedLateness == null ? DEFAULT_ALLOWED_LATENESS : allowedLateness;
    watermark = watermark == null ? Watermark.WALL_CLOCK : watermark;
    dimensions =
        dimensions == null
            ? List.of(new Dimension("service.name", null))
            : Collections.unmodifiableList(new ArrayList<>(dimensions));
    maxGroups = maxGroups == null ? DEFAULT_MAX_GROUPS : maxGroups;
    idleExpiration = idleExpiration == null ? DEFAULT_IDLE_EXPIRATION : idleExpiration;
    adjustForSampling = adjustForSampling == null ? Boolean.TRUE : adjustForSampling;
    samplingRatio = samplingRatio == null ? 1.0 : samplingRatio;
    durationBuckets =
        durationBuckets == null
            ? DEFAULT_DURATION_BUCKETS
            : Collections.unmodifiableList(new ArrayList<>(durationBuckets));
    instanceAttribute = instanceAttribute == null ? "" : instanceAttribute;
  }

  /**
   * {@code concurrency: {}}: one worker type, {@code spans}, that every span belongs to, so the
   * connector runs out of the box and says how many spans are in flight at once; a config names its
   * own worker types to replace it (lists replace, as in the Collector).
   */
  public static final ConcurrencyConnectorConfig DEFAULT = new ConcurrencyConnectorConfig(
      List.of(WorkerType.of("spans", "*")), null, null, null, null, null, null, null, null, null, null);

  /** This config with {@code worker_types} set; null means its default. */
  public ConcurrencyConnectorConfig withWorkerTypes(List<WorkerType> workerTypes) {
    return new ConcurrencyConnectorConfig(
        workerTypes, resolution, allowedLateness, watermark, dimensions, maxGroups, idleExpiration,
        adjustForSampling, samplingRatio, durationBuckets, instanceAttribute);
  }

  /** This config with {@code resolution} set; null means its default. */
  public ConcurrencyConnectorConfig withResolution(Duration resolution) {
    return new ConcurrencyConnectorConfig(
        workerTypes, resolution, allowedLateness, watermark, dimensions, maxGroups, idleExpiration,
        adjustForSampling, samplingRatio, durationBuckets, instanceAttribute);
  }

  /** This config with {@code allowed_lateness} set; null means its default. */
  public ConcurrencyConnectorConfig withAllowedLateness(Duration allowedLateness) {
    return new ConcurrencyConnectorConfig(
        workerTypes, resolution, allowedLateness, watermark, dimensions, maxGroups, idleExpiration,
        adjustForSampling, samplingRatio, durationBuckets, instanceAttribute);
  }

  /** This config with {@code watermark} set; null means its default. */
  public ConcurrencyConnectorConfig withWatermark(Watermark watermark) {
    return new ConcurrencyConnectorConfig(
        workerTypes, resolution, allowedLateness, watermark, dimensions, maxGroups, idleExpiration,
        adjustForSampling, samplingRatio, durationBuckets, instanceAttribute);
  }

  /** This config with {@code dimensions} set; null means its default. */
  public ConcurrencyConnectorConfig withDimensions(List<Dimension> dimensions) {
    return new ConcurrencyConnectorConfig(
        workerTypes, resolution, allowedLateness, watermark, dimensions, maxGroups, idleExpiration,
        adjustForSampling, samplingRatio, durationBuckets, instanceAttribute);
  }

  /** This config with {@code max_groups} set; null means its default. */
  public ConcurrencyConnectorConfig withMaxGroups(Integer maxGroups) {
    return new ConcurrencyConnectorConfig(
        workerTypes, resolution, allowedLateness, watermark, dimensions, maxGroups, idleExpiration,
        adjustForSampling, samplingRatio, durationBuckets, instanceAttribute);
  }

  /** This config with {@code idle_expiration} set; null means its default. */
  public ConcurrencyConnectorConfig withIdleExpiration(Duration idleExpiration) {
    return new ConcurrencyConnectorConfig(
        workerTypes, resolution, allowedLateness, watermark, dimensions, maxGroups, idleExpiration,
        adjustForSampling, samplingRatio, durationBuckets, instanceAttribute);
  }

  /** This config with {@code adjust_for_sampling} set; null means its default. */
  public ConcurrencyConnectorConfig withAdjustForSampling(Boolean adjustForSampling) {
    return new ConcurrencyConnectorConfig(
        workerTypes, resolution, allowedLateness, watermark, dimensions, maxGroups, idleExpiration,
        adjustForSampling, samplingRatio, durationBuckets, instanceAttribute);
  }

  /** This config with {@code sampling_ratio} set; null means its default. */
  public ConcurrencyConnectorConfig withSamplingRatio(Double samplingRatio) {
    return new ConcurrencyConnectorConfig(
        workerTypes, resolution, allowedLateness, watermark, dimensions, maxGroups, idleExpiration,
        adjustForSampling, samplingRatio, durationBuckets, instanceAttribute);
  }

  /** This config with {@code duration_buckets} set; null means its default. */
  public ConcurrencyConnectorConfig withDurationBuckets(List<Duration> durationBuckets) {
    return new ConcurrencyConnectorConfig(
        workerTypes, resolution, allowedLateness, watermark, dimensions, maxGroups, idleExpiration,
        adjustForSampling, samplingRatio, durationBuckets, instanceAttribute);
  }

  /** This config with {@code instance_attribute} set; null means its default. */
  public ConcurrencyConnectorConfig withInstanceAttribute(String instanceAttribute) {
    return new ConcurrencyConnectorConfig(
        workerTypes, resolution, allowedLateness, watermark, dimensions, maxGroups, idleExpiration,
        adjustForSampling, samplingRatio, durationBuckets, instanceAttribute);
  }

  /** The defaults with these worker types. */
  public static ConcurrencyConnectorConfig of(List<WorkerType> workerTypes) {
    return DEFAULT.withWorkerTypes(Objects.requireNonNull(workerTypes, "workerTypes"));
  }

  /**
   * One kind of worker.
   *
   * @param name the value of the {@code worker.type} attribute (Prometheus label {@code
   *     worker_type}); required, unique
   * @param match glob(s) on the span name ({@code *} any run of characters, {@code ?} one, {@code
   *     \} escapes), or {@code regex:} followed by an RE2 pattern that must match the whole name;
   *     one pattern or a list; required
   * @param capacity the pool size: enables {@code workers.utilization}; optional
   * @param services only spans whose resource {@code service.name} matches one of these globs;
   *     optional (all services)
   */
  public record WorkerType(
      String name,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> match,
      Double capacity,
      @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> services) {
    public WorkerType {
      name = name == null ? "" : name;
      match = match == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(match));
      services = services == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(services));
    }

    public static WorkerType of(String name, String... match) {
      return new WorkerType(name, List.of(match), null, null);
    }

    void validate(ConfigProblems problems) {
      if (name.isBlank()) {
        problems.add("name", "name is required: it becomes the worker.type attribute");
      }
      if (match.isEmpty()) {
        problems.add("match", "match is required: a glob on the span name (e.g. \"account worker*\"),"
            + " a list of globs, or \"regex:<RE2 pattern>\"");
      }
      ConfigProblems m = problems.at("match");
      for (int i = 0; i < match.size(); i++) {
        String pattern = match.get(i);
        try {
          NamePattern.compile(pattern);
        } catch (IllegalArgumentException e) {
          (match.size() == 1 ? problems.at("match") : m.at(i)).add(e.getMessage());
        }
      }
      if (capacity != null && !(capacity > 0 && Double.isFinite(capacity))) {
        problems.add("capacity", "capacity must be greater than 0 (the pool size), or left out");
      }
      ConfigProblems s = problems.at("services");
      for (int i = 0; i < services.size(); i++) {
        try {
          NamePattern.compile(services.get(i));
        } catch (IllegalArgumentException e) {
          s.at(i).add(e.getMessage());
        }
      }
    }
  }

  /**
   * A dimension: written as the attribute name ({@code service.name}), or as {@code {name:
   * http.route, default: unknown}} to give spans without it a value (without one, the point simply
   * lacks the attribute).
   */
  public record Dimension(String name, @JsonProperty("default") String defaultValue) {
    public Dimension {
      name = name == null ? "" : name;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Dimension ofName(String name) {
      return new Dimension(name, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static Dimension of(@JsonProperty("name") String name, @JsonProperty("default") String defaultValue) {
      return new Dimension(name, defaultValue);
    }
  }

  /** What says a window may close. */
  public enum Watermark {
    /** This machine's clock: live traffic. */
    @JsonProperty("wall_clock") @JsonAlias("WALL_CLOCK") WALL_CLOCK,
    /** The latest span end seen: replaying recorded spans, whose times are in the past. */
    @JsonProperty("event_time") @JsonAlias("EVENT_TIME") EVENT_TIME
  }

  @Override
  public void validate(ConfigProblems problems) {
    if (workerTypes.isEmpty()) {
      problems.add(
          "worker_types",
          "worker_types must list at least one worker type, e.g. {name: account_workers, match:"
              + " \"account worker*\"}");
    }
    ConfigProblems types = problems.at("worker_types");
    Set<String> names = new HashSet<>();
    for (int i = 0; i < workerTypes.size(); i++) {
      WorkerType t = workerTypes.get(i);
      if (t == null) {
        types.at(i).add("worker_types[" + i + "] must be a map with name and match");
        continue;
      }
      t.validate(types.at(i));
      if (!t.name().isBlank() && !names.add(t.name())) {
        types.at(i).add("name", "name \"" + t.name() + "\" is used by an earlier worker type; names must be unique");
      }
    }
    if (resolution.compareTo(MIN_RESOLUTION) < 0) {
      problems.add("resolution", "resolution must be at least " + DurationFormat.format(MIN_RESOLUTION)
          + ", got " + DurationFormat.format(resolution));
    }
    if (allowedLateness.isNegative()) {
      problems.add("allowed_lateness", "allowed_lateness must be greater or equal to 0");
    }
    if (idleExpiration.compareTo(resolution) < 0 || idleExpiration.isNegative()) {
      problems.add("idle_expiration", "idle_expiration must be at least resolution ("
          + DurationFormat.format(resolution) + ")");
    }
    if (maxGroups < 1) {
      problems.add("max_groups", "max_groups must be at least 1");
    }
    if (!(samplingRatio > 0 && samplingRatio <= 1)) {
      problems.add("sampling_ratio", "sampling_ratio must be greater than 0 and at most 1 (the"
          + " probability a span was kept), got " + samplingRatio);
    }
    ConfigProblems dims = problems.at("dimensions");
    Set<String> dimNames = new HashSet<>();
    for (int i = 0; i < dimensions.size(); i++) {
      Dimension d = dimensions.get(i);
      if (d == null || d.name().isBlank()) {
        dims.at(i).add("dimensions[" + i + "] must name an attribute, e.g. service.name");
        continue;
      }
      if (d.name().equals(ConcurrencyMetrics.WORKER_TYPE)) {
        dims.at(i).add("worker.type is on every point already; remove it from dimensions");
      } else if (!dimNames.add(d.name())) {
        dims.at(i).add("dimension \"" + d.name() + "\" is listed twice");
      }
    }
    if (durationBuckets.isEmpty()) {
      problems.add("duration_buckets", "duration_buckets must list at least one bucket bound");
    }
    ConfigProblems buckets = problems.at("duration_buckets");
    for (int i = 0; i < durationBuckets.size(); i++) {
      Duration b = durationBuckets.get(i);
      if (b == null || b.isNegative() || b.isZero()) {
        buckets.at(i).add("bucket bounds must be greater than 0");
      } else if (i > 0 && durationBuckets.get(i - 1) != null && b.compareTo(durationBuckets.get(i - 1)) <= 0) {
        buckets.at(i).add("bucket bounds must increase: " + DurationFormat.format(b)
            + " follows " + DurationFormat.format(durationBuckets.get(i - 1)));
      }
    }
  }
}
