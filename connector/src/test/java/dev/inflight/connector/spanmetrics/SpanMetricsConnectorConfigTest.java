package dev.inflight.connector.spanmetrics;

import static dev.inflight.connector.spanmetrics.SpanMetricsFixture.config;
import static dev.inflight.connector.spanmetrics.SpanMetricsFixture.problems;
import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.connector.spanmetrics.SpanMetricsConnectorConfig.Dimension;
import dev.inflight.connector.spanmetrics.SpanMetricsConnectorConfig.Temporality;
import dev.inflight.connector.spanmetrics.SpanMetricsConnectorConfig.Timestamp;
import dev.inflight.connector.spanmetrics.SpanMetricsConnectorConfig.Unit;
import dev.inflight.service.config.ConfigFixture;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spanmetrics connector's config as a user writes it, through the real loader. */
class SpanMetricsConnectorConfigTest {
  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    SpanMetricsConnectorConfig c = ConfigFixture.documentedExample(
        "spanmetrics/config.yaml", "spanmetrics.md", ComponentKind.CONNECTOR, "spanmetrics",
        Map.of(), nopReceiver(), nopExporter(), new SpanMetricsConnectorFactory());

    assertThat(c.histogram().buckets()).containsExactly(
        Duration.ofNanos(100_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(6),
        Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(250));
    assertThat(c.dimensions()).containsExactly(new Dimension("http.method", "GET"), new Dimension("http.status_code", null));
    assertThat(c.exemplars().enabled()).isTrue();
    assertThat(c.excludeDimensions()).containsExactly("status.code");
    assertThat(c.metricsFlushInterval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.metricsExpiration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.aggregationCardinalityLimit()).isEqualTo(2000);
    assertThat(c.timestamp()).isEqualTo(Timestamp.EVENT_TIME);
  }

  @Test
  void defaultsAreContribs() {
    SpanMetricsConnectorConfig c = config("");

    assertThat(c.namespace()).isEqualTo("traces.span.metrics");
    assertThat(c.metricsFlushInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.metricsExpiration()).isZero();
    assertThat(c.aggregationTemporality()).isEqualTo(Temporality.CUMULATIVE);
    assertThat(c.histogram().unit()).isEqualTo(Unit.MILLISECONDS);
    assertThat(c.histogram().disable()).isFalse();
    assertThat(c.histogram().buckets()).hasSize(16).startsWith(Duration.ofMillis(2)).endsWith(Duration.ofSeconds(15));
    assertThat(c.dimensionsCacheSize()).isEqualTo(1000);
    assertThat(c.resourceMetricsCacheSize()).isEqualTo(1000);
    assertThat(c.aggregationCardinalityLimit()).isZero();
    assertThat(c.exemplars().enabled()).isFalse();
    assertThat(c.exemplars().maxPerDataPoint()).isNull();
    assertThat(c.events().enabled()).isFalse();
    assertThat(c.timestamp()).isEqualTo(Timestamp.FLUSH);
    assertThat(c).isEqualTo(SpanMetricsConnectorConfig.DEFAULT);
  }

  @Test
  void theCurrentSpellingSpanMetricsLoadsToo() throws Exception {
    String yaml = SpanMetricsFixture.yaml("    namespace: span.metrics\n").replace("spanmetrics", "span_metrics");
    SpanMetricsConnectorConfig c = (SpanMetricsConnectorConfig)
        ConfigFixture.load(yaml, nopReceiver(), nopExporter(), new SpanMetricsConnectorFactory())
            .config().of(ComponentKind.CONNECTOR).get(ComponentId.of("span_metrics"));
    assertThat(c.namespace()).isEqualTo("span.metrics");
  }

  @Test
  void otherKeysBind() {
    SpanMetricsConnectorConfig c = config(
        "    aggregation_temporality: AGGREGATION_TEMPORALITY_DELTA\n"
            + "    namespace: \"\"\n"
            + "    histogram:\n      unit: s\n      exponential:\n        max_size: 80\n"
            + "    resource_metrics_key_attributes: [service.name, telemetry.sdk.language]\n"
            + "    resource_metrics_cache_size: 10\n"
            + "    dimensions_cache_size: 50\n"
            + "    exemplars: {enabled: true, max_per_data_point: 5}\n"
            + "    events: {enabled: true, dimensions: [{name: exception.type}]}\n"
            + "    exclude_dimensions: [span.kind, http.route]\n"
            + "    timestamp: arrival\n");
    assertThat(c.aggregationTemporality()).isEqualTo(Temporality.DELTA);
    assertThat(c.namespace()).isEmpty();
    assertThat(c.histogram().unit()).isEqualTo(Unit.SECONDS);
    assertThat(c.histogram().exponential().maxSize()).isEqualTo(80);
    assertThat(c.resourceMetricsKeyAttributes()).containsExactly("service.name", "telemetry.sdk.language");
    assertThat(c.resourceMetricsCacheSize()).isEqualTo(10);
    assertThat(c.exemplars().maxPerDataPoint()).isEqualTo(5);
    assertThat(c.events().dimensions()).containsExactly(new Dimension("exception.type", null));
    assertThat(c.timestamp()).isEqualTo(Timestamp.FLUSH);
    assertThat(c.excludeDimensions()).containsExactly("span.kind", "http.route");
  }

  @Test
  void invalidSettingsNameTheirKeys() {
    assertThat(problems("    dimensions: [{name: span.kind}, {name: a}, {name: a}]\n"))
        .anySatisfy(p -> assertThat(p).contains("dimensions[0]").contains("duplicate dimension name span.kind"))
        .anySatisfy(p -> assertThat(p).contains("dimensions[2]").contains("duplicate dimension name a"));
    assertThat(problems("    histogram:\n      explicit: {buckets: [1ms]}\n      exponential: {max_size: 10}\n"))
        .anySatisfy(p -> assertThat(p).contains("histogram").contains("use either `explicit` or `exponential`"));
    assertThat(problems("    histogram:\n      explicit: {buckets: [10ms, 5ms]}\n"))
        .anySatisfy(p -> assertThat(p).contains("histogram.explicit.buckets[1]").contains("buckets must increase"));
    assertThat(problems("    metrics_expiration: -1s\n"))
        .anySatisfy(p -> assertThat(p).contains("metrics_expiration").contains("must be 0 (never) or more"));
    assertThat(problems("    aggregation_cardinality_limit: -1\n"))
        .anySatisfy(p -> assertThat(p).contains("aggregation_cardinality_limit must be 0 (no limit) or more"));
    assertThat(problems("    exclude_dimensions: [span.kind, \"\"]\n"))
        .anySatisfy(p -> assertThat(p).contains("exclude_dimensions[1]").contains("not an empty name"));
    assertThat(problems("    events: {enabled: true}\n"))
        .anySatisfy(p -> assertThat(p).contains("events.dimensions must list at least one dimension"));
    assertThat(problems("    aggregation_temporality: DELTA\n"))
        .anySatisfy(p -> assertThat(p).contains("aggregation_temporality"));
    assertThat(problems("    histogram: {unit: us}\n")).anySatisfy(p -> assertThat(p).contains("unit"));
    assertThat(problems("    dimensions: [a]\n    calls_dimensions: [a]\n    histogram: {dimensions: [span.name]}\n"))
        .anySatisfy(p -> assertThat(p).contains("calls_dimensions[0]").contains("duplicate dimension name a"))
        .anySatisfy(p -> assertThat(p).contains("histogram.dimensions[0]").contains("duplicate dimension name span.name"));
  }

  /**
   * The cases of contrib's own connector/spanmetricsconnector/testdata/config.yaml (commit
   * f85f10de), body for body: the valid ones load with the same values, the invalid ones are refused.
   */
  @Test
  void contribsTestdataCasesLoadOrAreRefusedAsThere() {
    assertThat(config("")).isEqualTo(SpanMetricsConnectorConfig.DEFAULT);
    assertThat(config("    histogram:\n      explicit:\n").histogram().buckets())
        .isEqualTo(SpanMetricsConnectorConfig.DEFAULT_BUCKETS);
    SpanMetricsConnectorConfig full = config(
        "    histogram:\n      unit: \"s\"\n      explicit:\n        buckets: [ 10ms, 100ms, 250ms ]\n"
            + "    exemplars:\n      enabled: true\n"
            + "    resource_metrics_cache_size: 1600\n"
            + "    dimensions:\n      - name: http.method\n        default: GET\n      - name: http.status_code\n"
            + "    aggregation_temporality: \"AGGREGATION_TEMPORALITY_DELTA\"\n"
            + "    metrics_flush_interval: 30s\n");
    assertThat(full.histogram().unit()).isEqualTo(Unit.SECONDS);
    assertThat(full.histogram().buckets())
        .containsExactly(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofMillis(250));
    assertThat(full.resourceMetricsCacheSize()).isEqualTo(1600);
    assertThat(full.aggregationTemporality()).isEqualTo(Temporality.DELTA);
    assertThat(full.metricsFlushInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config("    histogram:\n      exponential:\n        max_size: 10\n").histogram().exponential().maxSize())
        .isEqualTo(10);
    assertThat(config("    exemplars:\n      enabled: true\n      max_per_data_point: 5\n").exemplars().maxPerDataPoint())
        .isEqualTo(5);
    assertThat(config("    resource_metrics_key_attributes:\n      - service.name\n      - telemetry.sdk.language\n"
        + "      - telemetry.sdk.name\n").resourceMetricsKeyAttributes()).hasSize(3);
    assertThat(config("    aggregation_temporality: \"AGGREGATION_TEMPORALITY_DELTA\"\n    metric_timestamp_cache_size: 123\n")
        .metricTimestampCacheSize()).isEqualTo(123);

    assertThat(problems("    histogram:\n      exponential:\n        max_size: 10\n      explicit:\n"
        + "        buckets: [ 10ms, 100ms, 250ms ]\n")).anySatisfy(p -> assertThat(p).contains("use either"));
    assertThat(problems("    histogram:\n      unit: \"h\"\n")).anySatisfy(p -> assertThat(p).contains("histogram.unit"));
    assertThat(problems("    metrics_expiration: -20s\n")).anySatisfy(p -> assertThat(p).contains("metrics_expiration"));
    assertThat(problems("    aggregation_temporality: \"AGGREGATION_TEMPORALITY_DELTA\"\n    metric_timestamp_cache_size: 0\n"))
        .anySatisfy(p -> assertThat(p).contains("metric_timestamp_cache_size must be positive"));
  }
}
