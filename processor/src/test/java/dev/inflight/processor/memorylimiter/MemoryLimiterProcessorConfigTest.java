package dev.inflight.processor.memorylimiter;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.util.Map;
import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.config.ConfigProblems;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory limiter's config as a user writes it, through the real loader. */
class MemoryLimiterProcessorConfigTest {
  private static String yaml(String processorsYaml) {
    return "receivers:\n  nop:\nprocessors:\n" + processorsYaml
        + "exporters:\n  nop:\n"
        + "service:\n  pipelines:\n    traces:\n      receivers: [nop]\n"
        + "      processors: [memory_limiter]\n      exporters: [nop]\n";
  }

  private static MemoryLimiterProcessorConfig load(String processorsYaml) throws InvalidConfigException {
    return (MemoryLimiterProcessorConfig)
        ConfigFixture.load(yaml(processorsYaml), nopReceiver(), nopExporter(), new MemoryLimiterProcessorFactory())
            .config()
            .of(ComponentKind.PROCESSOR)
            .get(ComponentId.of("memory_limiter"));
  }

  private static List<String> problems(String processorsYaml) {
    return ConfigFixture.problems(
        yaml(processorsYaml), nopReceiver(), nopExporter(), new MemoryLimiterProcessorFactory());
  }

  @Test
  void seed004sBlockIsValidWithoutCheckInterval() throws Exception {
    MemoryLimiterProcessorConfig config = load("  memory_limiter:\n    limit_mib: 256\n");

    assertThat(config).isEqualTo(MemoryLimiterProcessorConfig.ofLimitMib(256));
    assertThat(config.checkInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.spikeLimitMib()).as("0: 20% of the limit").isZero();
    assertThat(config.minGcIntervalWhenSoftLimited()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.minGcIntervalWhenHardLimited()).isEqualTo(Duration.ZERO);
  }

  @Test
  void bindsEverySnakeCaseKey() throws Exception {
    MemoryLimiterProcessorConfig config =
        load(
            """
              memory_limiter:
                check_interval: 500ms
                limit_mib: 4000
                spike_limit_mib: 800
                limit_percentage: 75
                spike_limit_percentage: 20
                min_gc_interval_when_soft_limited: 30s
                min_gc_interval_when_hard_limited: 1s
            """);

    assertThat(config)
        .isEqualTo(
            new MemoryLimiterProcessorConfig(
                Duration.ofMillis(500), 4000, 800, 75, 20, Duration.ofSeconds(30), Duration.ofSeconds(1)));
  }

  @Test
  void percentagesAloneAreEnough() throws Exception {
    MemoryLimiterProcessorConfig config =
        load("  memory_limiter:\n    limit_percentage: 80\n    spike_limit_percentage: 25\n");

    assertThat(config.limitPercentage()).isEqualTo(80);
    assertThat(config.spikeLimitPercentage()).isEqualTo(25);
  }

  @Test
  void aLimitIsRequiredAsInTheCollector() {
    assertThat(problems("  memory_limiter:\n"))
        .containsExactly(
            "config.yaml:4: processors.memory_limiter.limit_mib: limit_mib or limit_percentage must be greater than zero");
  }

  @Test
  void checkIntervalMustBePositive() {
    assertThat(problems("  memory_limiter:\n    check_interval: 0s\n    limit_mib: 100\n"))
        .containsExactly(
            "config.yaml:5: processors.memory_limiter.check_interval: check_interval must be greater than zero");
  }

  @Test
  void checkIntervalNeedsAUnit() {
    assertThat(problems("  memory_limiter:\n    check_interval: 5\n    limit_mib: 100\n"))
        .singleElement(STRING)
        .startsWith("config.yaml:5: processors.memory_limiter.check_interval:")
        .contains("5s");
  }

  @Test
  void spikeLimitMustBeSmallerThanTheLimit() {
    assertThat(problems("  memory_limiter:\n    limit_mib: 100\n    spike_limit_mib: 100\n"))
        .containsExactly(
            "config.yaml:6: processors.memory_limiter.spike_limit_mib: spike_limit_mib must be smaller than limit_mib");
  }

  @Test
  void percentagesAreAtMostAHundredAndTheSpikeSmaller() {
    assertThat(problems("  memory_limiter:\n    limit_percentage: 120\n    spike_limit_percentage: 130\n"))
        .containsExactly(
            "config.yaml:5: processors.memory_limiter.limit_percentage: limit_percentage must be less than or equal"
                + " to 100 (percent of the max heap)",
            "config.yaml:6: processors.memory_limiter.spike_limit_percentage: spike_limit_percentage must be less"
                + " than or equal to 100 (percent of the max heap)",
            "config.yaml:6: processors.memory_limiter.spike_limit_percentage: spike_limit_percentage must be"
                + " smaller than limit_percentage");
  }

  @Test
  void negativeNumbersAreRefused() {
    assertThat(problems("  memory_limiter:\n    limit_mib: -256\n    spike_limit_percentage: -1\n"))
        .containsExactly(
            "config.yaml:5: processors.memory_limiter.limit_mib: limit_mib must not be negative",
            "config.yaml:6: processors.memory_limiter.spike_limit_percentage: spike_limit_percentage must not be"
                + " negative");
  }

  @Test
  void theSoftLimitedGcIntervalIsNotShorterThanTheHardLimitedOne() {
    assertThat(
            problems(
                "  memory_limiter:\n    limit_mib: 100\n    min_gc_interval_when_soft_limited: 1s\n"
                    + "    min_gc_interval_when_hard_limited: 5s\n"))
        .containsExactly(
            "config.yaml:6: processors.memory_limiter.min_gc_interval_when_soft_limited:"
                + " min_gc_interval_when_soft_limited should be larger than min_gc_interval_when_hard_limited");
  }

  @Test
  void suggestsTheKeyForATypo() {
    assertThat(problems("  memory_limiter:\n    limit_mb: 100\n"))
        .anySatisfy(p -> assertThat(p).contains("unknown key `limit_mb`").contains("limit_mib"));
  }

  @Test
  void validateReportsEveryProblemWithItsKey() {
    ConfigProblems problems = ConfigProblems.root();
    new MemoryLimiterProcessorConfig(Duration.ZERO, 0, 0, 0, 0, null, null).validate(problems);

    assertThat(problems.all())
        .extracting(p -> p.path() + ": " + p.message())
        .containsExactly(
            "check_interval: check_interval must be greater than zero",
            "limit_mib: limit_mib or limit_percentage must be greater than zero");
  }

  @Test
  void theDefaultHasEveryDefaultButNoLimit() {
    assertThat(new MemoryLimiterProcessorFactory().createDefaultConfig())
        .isEqualTo(
            new MemoryLimiterProcessorConfig(
                Duration.ofSeconds(1), 0, 0, 0, 0, Duration.ofSeconds(10), Duration.ZERO));
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    MemoryLimiterProcessorConfig config = ConfigFixture.documentedExample(
        "memory_limiter/config.yaml", "memory_limiter.md", ComponentKind.PROCESSOR, "memory_limiter",
        Map.of(), nopReceiver(), new MemoryLimiterProcessorFactory(), nopExporter());

    assertThat(config).isEqualTo(MemoryLimiterProcessorConfig.DEFAULT.withLimitMib(256));
  }
}
