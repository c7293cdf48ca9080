package dev.inflight.processor.batch;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import java.util.Map;
import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.MetricsProcessor;
import dev.inflight.component.Signal;
import dev.inflight.component.LogsProcessor;
import dev.inflight.component.TracesProcessor;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Traces;
import dev.inflight.pdata.testing.TestData;
import dev.inflight.component.telemetry.ComponentTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batch processor's config as a user writes it, through the real loader. */
class BatchProcessorConfigTest {
  private static String yaml(String processorsYaml) {
    return "receivers:\n  nop:\nexporters:\n  nop:\nprocessors:\n" + processorsYaml
        + "service:\n  pipelines:\n    traces:\n      receivers: [nop]\n      processors: [batch]\n"
        + "      exporters: [nop]\n";
  }

  private static BatchProcessorConfig load(String processorsYaml) throws InvalidConfigException {
    return (BatchProcessorConfig)
        ConfigFixture.load(yaml(processorsYaml), nopReceiver(), nopExporter(), new BatchProcessorFactory())
            .config()
            .of(ComponentKind.PROCESSOR)
            .get(ComponentId.of("batch"));
  }

  private static List<String> problems(String processorsYaml) {
    return ConfigFixture.problems(yaml(processorsYaml), nopReceiver(), nopExporter(), new BatchProcessorFactory());
  }

  @Test
  void emptySectionGetsTheCollectorDefaults() throws Exception {
    BatchProcessorConfig config = load("  batch:\n");

    assertThat(config).isEqualTo(new BatchProcessorConfig(Duration.ofMillis(200), 8192, 0));
    assertThat(config).isEqualTo(new BatchProcessorFactory().createDefaultConfig());
  }

  @Test
  void loadsSeed004sBatchBlockAsItIs() throws Exception {
    // shared/seeds/004: processors.batch of the collector config that must run unchanged.
    BatchProcessorConfig config =
        load("  batch:\n    timeout: 5s\n    send_batch_size: 1024\n    send_batch_max_size: 2048\n  \n");

    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.sendBatchSize()).isEqualTo(1024);
    assertThat(config.sendBatchMaxSize()).isEqualTo(2048);
  }

  @Test
  void bindsMillisecondsAndZero() throws Exception {
    assertThat(load("  batch:\n    timeout: 200ms\n").timeout()).isEqualTo(Duration.ofMillis(200));
    BatchProcessorConfig immediate = load("  batch:\n    timeout: 0s\n    send_batch_size: 0\n");
    assertThat(immediate.timeout()).isZero();
    assertThat(immediate.sendsImmediately()).isTrue();
  }

  @Test
  void refusesAMaxSizeBelowTheSize() {
    assertThat(problems("  batch:\n    send_batch_size: 1024\n    send_batch_max_size: 512\n"))
        .containsExactly(
            "config.yaml:8: processors.batch.send_batch_max_size: "
                + "send_batch_max_size must be greater or equal to send_batch_size");
  }

  @Test
  void aMaxSizeBelowTheDefaultSizeIsAlsoRefused() {
    assertThat(problems("  batch:\n    send_batch_max_size: 100\n"))
        .singleElement(STRING)
        .endsWith("send_batch_max_size must be greater or equal to send_batch_size");
  }

  @Test
  void refusesNegativeValues() {
    assertThat(
            problems(
                "  batch:\n    timeout: -1s\n    send_batch_size: -1\n    send_batch_max_size: -2\n"))
        .containsExactly(
            "config.yaml:7: processors.batch.timeout: timeout must be greater or equal to 0",
            "config.yaml:8: processors.batch.send_batch_size: send_batch_size must be greater or equal to 0",
            "config.yaml:9: processors.batch.send_batch_max_size: "
                + "send_batch_max_size must be greater or equal to 0");
  }

  @Test
  void refusesADurationWithoutUnit() {
    assertThat(problems("  batch:\n    timeout: 5\n"))
        .singleElement(STRING)
        .contains("processors.batch.timeout")
        .contains("5s");
  }

  @Test
  void suggestsTheKeyForATypo() {
    assertThat(problems("  batch:\n    send_batch_max_sise: 10\n"))
        .singleElement(STRING)
        .contains("unknown key `send_batch_max_sise`")
        .contains("send_batch_max_size");
  }

  @Test
  void validateNamesTheKey() {
    ConfigProblems problems = ConfigProblems.root();
    new BatchProcessorConfig(Duration.ofSeconds(1), 10, 5).validate(problems);

    assertThat(problems.all()).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo("send_batch_max_size");
      assertThat(p.message()).isEqualTo("send_batch_max_size must be greater or equal to send_batch_size");
    });
  }

  @Test
  void noMaxSizeOrNoSizeIsValid() {
    ConfigProblems problems = ConfigProblems.root();
    new BatchProcessorConfig(Duration.ofSeconds(1), 10, 0).validate(problems);
    new BatchProcessorConfig(Duration.ofSeconds(1), 0, 5).validate(problems);
    new BatchProcessorConfig(Duration.ofSeconds(1), 10, 10).validate(problems);
    assertThat(problems.all()).isEmpty();
  }

  @Test
  void nullsBecomeDefaults() {
    assertThat(new BatchProcessorConfig(null, 10, null))
        .isEqualTo(new BatchProcessorConfig(Duration.ofMillis(200), 10, 0));
  }

  @Test
  void registeredForServiceLoader() {
    assertThat(FactoryRegistry.load().find(ComponentKind.PROCESSOR, "batch"))
        .get()
        .isInstanceOf(BatchProcessorFactory.class);
  }

  @Test
  void factoryMakesWorkingProcessorsForEverySignal() throws Exception {
    BatchProcessorFactory factory = new BatchProcessorFactory();
    assertThat(factory.type()).isEqualTo("batch");
    assertThat(factory.kind()).isEqualTo(ComponentKind.PROCESSOR);
    assertThat(factory.signals()).containsExactlyInAnyOrder(Signal.TRACES, Signal.METRICS, Signal.LOGS);

    ComponentId id = ComponentId.of("batch");
    CreateSettings settings =
        new CreateSettings(
            id, ComponentKind.PROCESSOR, ComponentTelemetry.noop(ComponentKind.PROCESSOR, id), new HashMap<>());
    List<Traces> traces = new ArrayList<>();
    List<Metrics> metrics = new ArrayList<>();
    List<Logs> logs = new ArrayList<>();
    TracesProcessor tp = factory.createTraces(settings, factory.createDefaultConfig(), traces::add);
    MetricsProcessor mp = factory.createMetrics(settings, factory.createDefaultConfig(), metrics::add);
    LogsProcessor lp = factory.createLogs(settings, factory.createDefaultConfig(), logs::add);
    tp.start(null);
    mp.start(null);
    lp.start(null);
    tp.consumeTraces(Traces.of(BatchTestData.request("a", new int[][] {{2}})));
    mp.consumeMetrics(Metrics.of(BatchTestData.metrics("a", 1, 1, 1)));
    lp.consumeLogs(TestData.logs(4));
    lp.consumeLogs(TestData.logs(1));
    assertThat(logs).as("held until the timeout or shutdown").isEmpty();
    tp.shutdown();
    mp.shutdown();
    lp.shutdown();

    assertThat(traces).singleElement().extracting(Traces::spanCount).isEqualTo(2);
    assertThat(metrics).singleElement().extracting(Metrics::dataPointCount).isEqualTo(3);
    assertThat(logs).singleElement().extracting(Logs::logRecordCount).isEqualTo(5);
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    BatchProcessorConfig config = ConfigFixture.documentedExample(
        "batch/config.yaml", "batch.md", ComponentKind.PROCESSOR, "batch",
        Map.of(), nopReceiver(), new BatchProcessorFactory(), nopExporter());

    assertThat(config).isEqualTo(new BatchProcessorConfig(Duration.ofSeconds(5), 1024, 2048));
  }
}
