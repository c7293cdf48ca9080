package dev.inflight.connector.spanmetrics;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code connectors.spanmetrics}: the contrib spanmetricsconnector's keys, with its defaults.
 *
 * @param dimensions span (then resource) attributes added to the default dimensions service.name,
 *     span.name, span.kind and status.code; a dimension with a {@code default} is always present
 * @param callsDimensions dimensions of the {@code calls} metric only, after {@code dimensions}
 * @param excludeDimensions default dimensions left off every point (other names do nothing, as in contrib)
 * @param dimensionsCacheSize accepted for compatibility; contrib deprecated it (it bounds a cache of
 *     attribute maps, not the output); default {@value #DEFAULT_CACHE_SIZE}
 * @param resourceMetricsCacheSize at most this many resources keep series; the least recently seen
 *     is forgotten beyond it; default {@value #DEFAULT_CACHE_SIZE}
 * @param resourceMetricsKeyAttributes resource attributes that identify a resource (all, when empty)
 * @param aggregationTemporality {@code AGGREGATION_TEMPORALITY_CUMULATIVE} (default) or {@code
 *     AGGREGATION_TEMPORALITY_DELTA}
 * @param histogram the duration histogram
 * @param metricsFlushInterval how often points are emitted; default 60s
 * @param metricsExpiration a resource without spans for this long is forgotten; 0 (default) never
 * @param metricTimestampCacheSize delta only: how many series remember their last point's time
 *     (the next point's start); default {@value #DEFAULT_CACHE_SIZE}
 * @param namespace prefix of the metric names; default {@value #DEFAULT_NAMESPACE}; empty for none
 * @param exemplars trace and span ids on the points
 * @param events the {@code events} metric: one call per span event
 * @param aggregationCardinalityLimit per resource, at most this many series; spans of new ones count
 *     in one series with only {@code otel.metric.overflow: true}; 0 (default) no limit
 * @param includeInstrumentationScope spans of these instrumentation scopes (by name) get {@code
 *     span.instrumentation.scope.name} and {@code .version} attributes, and series of their own
 * @param timestamp inflight's addition: {@code flush} (default, contrib's behaviour: points are
 *     stamped when they are emitted) or {@code event_time} (stamped with the latest span end)
 */
public record SpanMetricsConnectorConfig(
    List<Dimension> dimensions,
    List<Dimension> callsDimensions,
    List<String> excludeDimensions,
    Integer dimensionsCacheSize,
    Integer resourceMetricsCacheSize,
    List<String> resourceMetricsKeyAttributes,
    Temporality aggregationTemporality,
    HistogramConfig histogram,
    Duration metricsFlushInterval,
    Duration metricsExpiration,
    Integer metricTimestampCacheSize,
    String namespace,
    ExemplarsConfig exemplars,
    EventsConfig events,
    Integer aggregationCardinalityLimit,
    List<String> includeInstrumentationScope,
    Timestamp timestamp)
    implements ComponentConfig {

  public static final String DEFAULT_NAMESPACE = "traces.span.metrics";
  public static final int DEFAULT_CACHE_SIZE = 1000;
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(60);

  /** contrib's defaultHistogramBucketsMs. */
  public static final List<Duration> DEFAULT_BUCKETS =
      List.of(2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10_000, 15_000).stream()
          .map(Duration::ofMillis).toList();

  /** The dimensions every point has unless excluded, in contrib's order. */
  public static final List<String> DEFAULT_DIMENSIONS =
      List.of("service.name", "span.name", "span.kind", "status.code");

  public SpanMetricsConnectorConfig {
    dimensions = dimensions == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(dimensions));
    callsDimensions =
        callsDimensions == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(callsDimensions));
    excludeDimensions =
        excludeDimensions == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(excludeDimensions));
    dimensionsCacheSize = dimensionsCacheSize == null ? DEFAULT_CACHE_SIZE : dimensionsCacheSize;
    resourceMetricsCacheSize = resourceMetricsCacheSize == null ? DEFAULT_CACHE_SIZE : resourceMetricsCacheSize;
    resourceMetricsKeyAttributes =
        resourceMetricsKeyAttributes == null
            ? List.of()
            : Collections.unmodifiableList(new ArrayList<>(resourceMetricsKeyAttributes));
    aggregationTemporality = aggregationTemporality == null ? Temporality.CUMULATIVE : aggregationTemporality;
    histogram = histogram == null ? HistogramConfig.DEFAULT : histogram;
    metricsFlushInterval = metricsFlushInterval == null ? DEFAULT_FLUSH_INTERVAL : metricsFlushInterval;
    metricsExpiration = metricsExpiration == null ? Duration.ZERO : metricsExpiration;
    metricTimestampCacheSize = metricTimestampCacheSize == null ? DEFAULT_CACHE_SIZE : metricTimestampCacheSize;
    namespace = namespace == null ? DEFAULT_NAMESPACE : namespace;
    exemplars = exemplars == null ? ExemplarsConfig.DEFAULT : exemplars;
    events = events == null ? EventsConfig.DEFAULT : events;
    aggregationCardinalityLimit = aggregationCardinalityLimit == null ? 0 : aggregationCardinalityLimit;
    includeInstrumentationScope =
        includeInstrumentationScope == null
            ? List.of()
            : Collections.unmodifiableList(new ArrayList<>(includeInstrumentationScope));
    timestamp = timestamp == null ? Timestamp.FLUSH : timestamp;
  }

  public static final SpanMetricsConnectorConfig DEFAULT =
      new SpanMetricsConnectorConfig(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

  /** A dimension: {@code {name: http.method, default: GET}}, or just the attribute name. */
  public record Dimension(String name, @JsonProperty("default") @Nullable String defaultValue) {
    public Dimension {
      name = name == null ? "" : name;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Dimension ofName(String name) {
      return new Dimension(name, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    static Dimension of(@JsonProperty("name") String name, @JsonProperty("default") @Nullable String defaultValue) {
      return new Dimension(name, defaultValue);
    }
  }

  /**
   * {@code histogram}: {@code explicit} (the default, with contrib's buckets) or {@code exponential}.
   *
   * @param disable no duration metric at all
   * @param unit {@code ms} (default) or {@code s}: the unit of the recorded durations and bounds
   * @param dimensions dimensions of the {@code duration} metric only, after the connector's
   */
  public record HistogramConfig(
      Boolean disable, Unit unit, @Nullable ExplicitConfig explicit, @Nullable ExponentialConfig exponential,
      List<Dimension> dimensions) {
    public static final HistogramConfig DEFAULT = new HistogramConfig(null, null, null, null, null);

    public HistogramConfig {
      disable = disable == null ? Boolean.FALSE : disable;
      unit = unit == null ? Unit.MILLISECONDS : unit;
      dimensions = dimensions == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(dimensions));
    }

    /** The explicit bucket bounds in use (contrib's defaults without {@code explicit.buckets}). */
    public List<Duration> buckets() {
      return explicit != null && explicit.buckets() != null ? explicit.buckets() : DEFAULT_BUCKETS;
    }
  }

  /** {@code histogram.explicit}. */
  public record ExplicitConfig(@Nullable List<Duration> buckets) {}

  /** {@code histogram.exponential}; {@code max_size} default {@value #DEFAULT_MAX_SIZE} buckets. */
  public record ExponentialConfig(Integer maxSize) {
    public static final int DEFAULT_MAX_SIZE = 160;

    public ExponentialConfig {
      maxSize = maxSize == null || maxSize == 0 ? DEFAULT_MAX_SIZE : maxSize;
    }
  }

  /** {@code exemplars}: {@code max_per_data_point} absent means no limit, as in contrib. */
  public record ExemplarsConfig(Boolean enabled, @Nullable Integer maxPerDataPoint) {
    public static final ExemplarsConfig DEFAULT = new ExemplarsConfig(null, null);

    public ExemplarsConfig {
      enabled = enabled == null ? Boolean.FALSE : enabled;
    }
  }

  /** {@code events}: dimensions looked up on the span, then the event, then the resource. */
  public record EventsConfig(Boolean enabled, List<Dimension> dimensions) {
    public static final EventsConfig DEFAULT = new EventsConfig(null, null);

    public EventsConfig {
      enabled = enabled == null ? Boolean.FALSE : enabled;
      dimensions = dimensions == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(dimensions));
    }
  }

  /** {@code histogram.unit}. */
  public enum Unit {
    @JsonProperty("ms") MILLISECONDS("ms", 1_000_000L),
    @JsonProperty("s") SECONDS("s", 1_000_000_000L);

    final String symbol;
    final long nanos;

    Unit(String symbol, long nanos) {
      this.symbol = symbol;
      this.nanos = nanos;
    }
  }

  /** {@code aggregation_temporality}. */
  public enum Temporality {
    @JsonProperty("AGGREGATION_TEMPORALITY_CUMULATIVE") CUMULATIVE,
    @JsonProperty("AGGREGATION_TEMPORALITY_DELTA") DELTA
  }

  /** {@code timestamp}: what a point's time is. */
  public enum Timestamp {
    /** When the point is emitted, as contrib does (contrib#36613, #40127). */
    @JsonProperty("flush") @JsonAlias("arrival") FLUSH,
    /** The latest end time of the series' spans: replays and late data land at their own time. */
    @JsonProperty("event_time") EVENT_TIME
  }

  @Override
  public void validate(ConfigProblems problems) {
    validateDimensions(problems.at("dimensions"), dimensions, new HashSet<>(DEFAULT_DIMENSIONS));
    Set<String> base = new HashSet<>(DEFAULT_DIMENSIONS);
    dimensions.forEach(d -> { if (d != null) base.add(d.name()); });
    validateDimensions(problems.at("calls_dimensions"), callsDimensions, new HashSet<>(base));
    validateDimensions(problems.at("histogram").at("dimensions"), histogram.dimensions(), new HashSet<>(base));
    ConfigProblems excluded = problems.at("exclude_dimensions");
    for (int i = 0; i < excludeDimensions.size(); i++) {
      // Other names are accepted and do nothing, as in contrib: only the defaults can be excluded.
      if (excludeDimensions.get(i) == null || excludeDimensions.get(i).isBlank()) {
        excluded.at(i).add("exclude_dimensions lists default dimensions to leave off ("
            + String.join(", ", DEFAULT_DIMENSIONS) + "), not an empty name");
      }
    }
    if (histogram.explicit() != null && histogram.exponential() != null) {
      problems.at("histogram").add("use either `explicit` or `exponential` buckets histogram, not both");
    }
    if (histogram.explicit() != null && histogram.explicit().buckets() != null) {
      List<Duration> b = histogram.explicit().buckets();
      ConfigProblems bp = problems.at("histogram").at("explicit").at("buckets");
      for (int i = 0; i < b.size(); i++) {
        if (b.get(i) == null || b.get(i).isNegative()) {
          bp.at(i).add("buckets must be durations of 0 or more");
        } else if (i > 0 && b.get(i - 1) != null && b.get(i).compareTo(b.get(i - 1)) <= 0) {
          bp.at(i).add("buckets must increase");
        }
      }
    }
    if (histogram.exponential() != null && histogram.exponential().maxSize() < 2) {
      problems.at("histogram").at("exponential").add("max_size", "max_size must be at least 2");
    }
    if (dimensionsCacheSize <= 0) {
      problems.add("dimensions_cache_size", "dimensions_cache_size must be positive, got " + dimensionsCacheSize);
    }
    if (resourceMetricsCacheSize <= 0) {
      problems.add("resource_metrics_cache_size",
          "resource_metrics_cache_size must be positive, got " + resourceMetricsCacheSize);
    }
    if (metricTimestampCacheSize <= 0 && aggregationTemporality == Temporality.DELTA) {
      problems.add("metric_timestamp_cache_size",
          "metric_timestamp_cache_size must be positive with delta temporality, got " + metricTimestampCacheSize);
    }
    if (metricsFlushInterval.isNegative() || metricsFlushInterval.isZero()) {
      problems.add("metrics_flush_interval", "metrics_flush_interval must be greater than 0");
    }
    if (metricsExpiration.isNegative()) {
      problems.add("metrics_expiration", "metrics_expiration must be 0 (never) or more");
    }
    if (aggregationCardinalityLimit < 0) {
      problems.add("aggregation_cardinality_limit",
          "aggregation_cardinality_limit must be 0 (no limit) or more, got " + aggregationCardinalityLimit);
    }
    if (exemplars.maxPerDataPoint() != null && exemplars.maxPerDataPoint() < 0) {
      problems.at("exemplars").add("max_per_data_point", "max_per_data_point must be 0 or more");
    }
    ConfigProblems scopes = problems.at("include_instrumentation_scope");
    for (int i = 0; i < includeInstrumentationScope.size(); i++) {
      if (includeInstrumentationScope.get(i) == null || includeInstrumentationScope.get(i).isEmpty()) {
        scopes.at(i).add("include_instrumentation_scope lists scope names; an empty one matches no span");
      }
    }
    if (events.enabled()) {
      if (events.dimensions().isEmpty()) {
        problems.at("events").add("dimensions", "events.dimensions must list at least one dimension when events are enabled");
      }
      Set<String> taken = new HashSet<>(DEFAULT_DIMENSIONS);
      dimensions.forEach(d -> { if (d != null) taken.add(d.name()); });
      validateDimensions(problems.at("events").at("dimensions"), events.dimensions(), taken);
    }
  }

  private static void validateDimensions(ConfigProblems problems, List<Dimension> dims, Set<String> taken) {
    for (int i = 0; i < dims.size(); i++) {
      Dimension d = dims.get(i);
      if (d == null || d.name().isBlank()) {
        problems.at(i).add("a dimension must name an attribute, e.g. {name: http.method}");
      } else if (!taken.add(d.name())) {
        problems.at(i).add("duplicate dimension name " + d.name()
            + (DEFAULT_DIMENSIONS.contains(d.name()) ? " (it is a default dimension)" : ""));
      }
    }
  }
}
