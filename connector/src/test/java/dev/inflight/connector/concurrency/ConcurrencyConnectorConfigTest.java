package dev.inflight.connector.concurrency;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.Dimension;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.Watermark;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.WorkerType;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The concurrency connector's config as a user writes it, through the real loader. */
class ConcurrencyConnectorConfigTest {
  private static String yaml(String connectorYaml) {
    return "receivers:\n  nop:\nexporters:\n  nop:\nconnectors:\n" + connectorYaml
        + "service:\n  pipelines:\n"
        + "    traces:\n      receivers: [nop]\n      exporters: [concurrency]\n"
        + "    metrics:\n      receivers: [concurrency]\n      exporters: [nop]\n";
  }

  private static ConcurrencyConnectorConfig load(String connectorYaml) throws InvalidConfigException {
    return (ConcurrencyConnectorConfig)
        ConfigFixture.load(yaml(connectorYaml), nopReceiver(), nopExporter(), new ConcurrencyConnectorFactory())
            .config().of(ComponentKind.CONNECTOR).get(ComponentId.of("concurrency"));
  }

  private static List<String> problems(String connectorYaml) {
    return ConfigFixture.problems(yaml(connectorYaml), nopReceiver(), nopExporter(), new ConcurrencyConnectorFactory());
  }

  @Test
  void theDesignExampleLoadsWithEveryKey() throws Exception {
    ConcurrencyConnectorConfig c =
        ConfigFixture.component(
            ConfigFixture.loadTestdata("concurrency/every-key.yaml", Map.of(), nopReceiver(), nopExporter(), new ConcurrencyConnectorFactory()),
            ComponentKind.CONNECTOR, "concurrency");

    assertThat(c.workerTypes())
        .containsExactly(
            new WorkerType("account_workers", List.of("account worker*"), 8.0, List.of()),
            new WorkerType("storage_workers", List.of("storage*", "blob write"), null, List.of("storage-*")),
            new WorkerType("queue", List.of("regex:queue (wait|poll)"), null, List.of()));
    assertThat(c.dimensions())
        .containsExactly(new Dimension("service.name", null), new Dimension("http.route", "unknown"));
    assertThat(c.samplingRatio()).isEqualTo(0.1);
    assertThat(c.durationBuckets())
        .containsExactly(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(1));
    assertThat(c.instanceAttribute()).isEqualTo("thread.name");
    assertThat(c.watermark()).isEqualTo(Watermark.WALL_CLOCK);
  }

  @Test
  void defaultsAreTheDocumentedOnes() throws Exception {
    ConcurrencyConnectorConfig c = load("  concurrency:\n    worker_types: [{name: w, match: \"w*\"}]\n");

    assertThat(c.resolution()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.allowedLateness()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.watermark()).isEqualTo(Watermark.WALL_CLOCK);
    assertThat(c.dimensions()).containsExactly(new Dimension("service.name", null));
    assertThat(c.maxGroups()).isEqualTo(1000);
    assertThat(c.idleExpiration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.adjustForSampling()).isTrue();
    assertThat(c.samplingRatio()).isEqualTo(1.0);
    assertThat(c.durationBuckets()).hasSize(11).startsWith(Duration.ofMillis(5)).endsWith(Duration.ofSeconds(10));
    assertThat(c.instanceAttribute()).isEmpty();
  }

  @Test
  void eventTimeWatermarkLoads() throws Exception {
    ConcurrencyConnectorConfig c =
        load("  concurrency:\n    watermark: event_time\n    worker_types: [{name: w, match: w}]\n");

    assertThat(c.watermark()).isEqualTo(Watermark.EVENT_TIME);
  }

  /** The default, as {@code inflight components} lists it, validates: every span is a "spans" worker. */
  @Test
  void anEmptyConnectorCountsEverySpanAsOneWorkerType() throws Exception {
    ConcurrencyConnectorConfig c = load("  concurrency:\n");
    assertThat(c.workerTypes()).singleElement().satisfies(t -> {
      assertThat(t.name()).isEqualTo("spans");
      assertThat(t.match()).containsExactly("*");
    });
    // A config's own list replaces the default one.
    assertThat(load("  concurrency:\n    worker_types: [{name: w, match: w}]\n").workerTypes())
        .extracting(ConcurrencyConnectorConfig.WorkerType::name).containsExactly("w");
  }

  @Test
  void anEmptyWorkerTypeListIsRefused() {
    assertThat(problems("  concurrency:\n    worker_types: []\n"))
        .singleElement()
        .asString()
        .contains("connectors.concurrency.worker_types")
        .contains("at least one worker type");
  }

  @Test
  void aBadRegexIsRefusedWithItsPathAndLine() {
    assertThat(
            problems(
                """
                  concurrency:
                    worker_types:
                      - name: ok
                        match: "ok*"
                      - name: broken
                        match: "regex:account (worker"
                """))
        .singleElement()
        .asString()
        .startsWith("config.yaml:11: connectors.concurrency.worker_types[1].match:")
        .contains("invalid RE2 pattern \"account (worker\"")
        .contains("missing closing )");
  }

  @Test
  void aBadPatternInAListIsRefusedAtItsIndex() {
    assertThat(
            problems(
                "  concurrency:\n    worker_types:\n      - {name: a, match: [\"a*\", \"regex:[\", \"\"]}\n"))
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("worker_types[0].match[1]").contains("invalid RE2 pattern"))
        .anySatisfy(p -> assertThat(p).contains("worker_types[0].match[2]").contains("must not be empty"));
  }

  @Test
  void everyInvalidValueIsReportedAtOnce() {
    List<String> problems =
        problems(
            """
              concurrency:
                resolution: 0s
                allowed_lateness: -1s
                max_groups: 0
                sampling_ratio: 1.5
                duration_buckets: [100ms, 10ms]
                dimensions: [service.name, service.name, worker.type]
                worker_types:
                  - {name: dup, match: "a*", capacity: 0}
                  - {name: dup, match: []}
                  - {match: "c*"}
            """);

    assertThat(problems)
        .anySatisfy(p -> assertThat(p).contains("concurrency.resolution").contains("at least 1ms"))
        .anySatisfy(p -> assertThat(p).contains("concurrency.allowed_lateness").contains("greater or equal to 0"))
        .anySatisfy(p -> assertThat(p).contains("concurrency.max_groups").contains("at least 1"))
        .anySatisfy(p -> assertThat(p).contains("concurrency.sampling_ratio").contains("at most 1"))
        .anySatisfy(p -> assertThat(p).contains("duration_buckets[1]").contains("must increase"))
        .anySatisfy(p -> assertThat(p).contains("dimensions[1]").contains("listed twice"))
        .anySatisfy(p -> assertThat(p).contains("dimensions[2]").contains("worker.type is on every point"))
        .anySatisfy(p -> assertThat(p).contains("worker_types[0].capacity").contains("greater than 0"))
        .anySatisfy(p -> assertThat(p).contains("worker_types[1].name").contains("must be unique"))
        .anySatisfy(p -> assertThat(p).contains("worker_types[1].match").contains("match is required"))
        .anySatisfy(p -> assertThat(p).contains("worker_types[2].name").contains("name is required"));
  }

  @Test
  void aMisspeltKeyGetsASuggestion() {
    assertThat(problems("  concurrency:\n    worker_types: [{name: a, match: a}]\n    allowed_latness: 5s\n"))
        .singleElement()
        .asString()
        .contains("allowed_latness")
        .contains("allowed_lateness");
  }

  @Test
  void aDurationBucketWithoutAUnitIsRefusedWithAHint() {
    assertThat(problems("  concurrency:\n    worker_types: [{name: a, match: a}]\n    duration_buckets: [0.005]\n"))
        .singleElement()
        .asString()
        .contains("duration_buckets")
        .contains("0.005s");
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    ConcurrencyConnectorConfig config = ConfigFixture.documentedExample(
        "concurrency/config.yaml", "concurrency.md", ComponentKind.CONNECTOR, "concurrency",
        Map.of(), nopReceiver(), nopExporter(), new ConcurrencyConnectorFactory());

    assertThat(config.workerTypes()).extracting(ConcurrencyConnectorConfig.WorkerType::name)
        .containsExactly("account_workers", "storage_workers", "task_queue");
    assertThat(config.workerTypes().get(0).capacity()).isEqualTo(8.0);
    assertThat(config.workerTypes().get(1).match()).containsExactly("storage*", "blob write");
  }
}
