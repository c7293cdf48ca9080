package dev.inflight.service;

import dev.inflight.service.internal.graph.FanOut;
import dev.inflight.service.internal.graph.PipelineGraph;
import dev.inflight.service.internal.graph.ProcessorNode;

import static dev.inflight.service.testing.TestComponents.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.ComponentKind;
import dev.inflight.component.Exporter;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.Receiver;
import dev.inflight.component.Refusal;
import dev.inflight.service.config.CollectorConfig;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.service.telemetry.SelfTelemetry;
import dev.inflight.service.testing.TestComponents;
import dev.inflight.component.ComponentId;
import dev.inflight.component.PipelineId;
import dev.inflight.component.ServiceView;
import java.util.Map;
import dev.inflight.service.testing.TestComponents.ConfigBuilder;
import dev.inflight.service.testing.TestComponents.Recorder;
import dev.inflight.service.testing.TestComponents.Refuse;
import dev.inflight.service.testing.TestComponents.TestConfig;
import dev.inflight.pdata.testing.TestData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceTest {
  private final Recorder recorder = new Recorder();
  private final FactoryRegistry registry = TestComponents.registry(recorder);
  private final List<Service> services = new ArrayList<>();

  @AfterEach
  void stopEverything() {
    services.forEach(Service::shutdown);
  }

  private Service build(ConfigBuilder c) throws BuildException {
    CollectorConfig config = c.build();
    assertThat(PipelineGraph.check(config, registry).problems()).as("config problems").isEmpty();
    Service s = Service.build(config, registry, SelfTelemetry.noop());
    services.add(s);
    return s;
  }

  private Service start(ConfigBuilder c) throws Exception {
    Service s = build(c);
    s.start();
    return s;
  }

  // ------------------------------------------------------------------ data flow

  @Test
  void dataFlowsThroughProcessorsInOrderToEveryExporter() throws Exception {
    start(
        config()
            .receiver("testrcv")
            .processor("trail/a", "trail/b", "trail/c")
            .exporter("testexp/1", "testexp/2")
            .pipeline("traces", List.of("testrcv"), List.of("trail/b", "trail/a", "trail/c"), List.of("testexp/1", "testexp/2")));

    recorder.receiver("testrcv").push(TestData.traces(5));

    for (String exporter : List.of("testexp/1", "testexp/2")) {
      List<Traces> got = recorder.traces(exporter);
      assertThat(got).as(exporter).hasSize(1);
      assertThat(got.get(0).spanCount()).isEqualTo(5);
      assertThat(TestData.resourceAttribute(got.get(0), "trail")).contains("trail/b,trail/a,trail/c");
    }
  }

  @Test
  void aPipelineWithoutProcessorsPassesTheSameBatchOn() throws Exception {
    start(config().receiver("testrcv").exporter("testexp").pipeline("traces", List.of("testrcv"), List.of(), List.of("testexp")));
    Traces sent = TestData.traces(3);

    recorder.receiver("testrcv").push(sent);

    assertThat(recorder.traces("testexp")).singleElement().isSameAs(sent);
  }

  @Test
  void oneReceiverFeedsEveryPipelineThatListsIt() throws Exception {
    start(
        config()
            .receiver("testrcv")
            .processor("trail/a", "trail/b")
            .exporter("testexp/1", "testexp/2")
            .pipeline("traces/one", List.of("testrcv"), List.of("trail/a"), List.of("testexp/1"))
            .pipeline("traces/two", List.of("testrcv"), List.of("trail/b"), List.of("testexp/2")));

    recorder.receiver("testrcv").push(TestData.traces(4));

    assertThat(recorder.traces("testexp/1")).singleElement().satisfies(t -> {
      assertThat(t.spanCount()).isEqualTo(4);
      assertThat(TestData.resourceAttribute(t, "trail")).contains("trail/a");
    });
    assertThat(recorder.traces("testexp/2")).singleElement().satisfies(t -> {
      assertThat(t.spanCount()).isEqualTo(4);
      assertThat(TestData.resourceAttribute(t, "trail")).contains("trail/b");
    });
    assertThat(recorder.events("start receiver")).containsExactly("start receiver testrcv");
  }

  @Test
  void anExporterListedInTwoPipelinesIsOneInstanceAndGetsBoth() throws Exception {
    Service s =
        start(
            config()
                .receiver("testrcv/a", "testrcv/b")
                .exporter("testexp")
                .pipeline("traces/a", List.of("testrcv/a"), List.of(), List.of("testexp"))
                .pipeline("traces/b", List.of("testrcv/b"), List.of(), List.of("testexp")));

    recorder.receiver("testrcv/a").push(TestData.traces(1));
    recorder.receiver("testrcv/b").push(TestData.traces(2));

    assertThat(recorder.traces("testexp")).extracting(Traces::spanCount).containsExactly(1, 2);
    assertThat(s.instances())
        .filteredOn(i -> i.kind() == ComponentKind.EXPORTER)
        .extracting(i -> i.id().toString())
        .containsExactly("testexp");
  }

  @Test
  void aConnectorFeedsASecondPipelineOfAnotherSignal() throws Exception {
    start(
        config()
            .receiver("testrcv")
            .processor("trail")
            .exporter("testexp/traces", "testexp/metrics")
            .connector("count")
            .pipeline("traces", List.of("testrcv"), List.of(), List.of("testexp/traces", "count"))
            .pipeline("metrics", List.of("count"), List.of("trail"), List.of("testexp/metrics")));

    recorder.receiver("testrcv").push(TestData.traces(7));

    assertThat(recorder.traces("testexp/traces")).singleElement().extracting(Traces::spanCount).isEqualTo(7);
    List<Metrics> metrics = recorder.metrics("testexp/metrics");
    assertThat(metrics).hasSize(1);
    assertThat(metrics.get(0).request().getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getGauge().getDataPoints(0).getAsInt())
        .isEqualTo(7);
    assertThat(TestData.resourceAttribute(metrics.get(0), "trail")).contains("trail");
  }

  @Test
  void aTracesToTracesConnectorChainsTwoPipelines() throws Exception {
    start(
        config()
            .receiver("testrcv")
            .processor("trail/in", "trail/out")
            .exporter("testexp")
            .connector("forward")
            .pipeline("traces/in", List.of("testrcv"), List.of("trail/in"), List.of("forward"))
            .pipeline("traces/out", List.of("forward"), List.of("trail/out"), List.of("testexp")));

    recorder.receiver("testrcv").push(TestData.traces(2));

    assertThat(recorder.traces("testexp"))
        .singleElement()
        .satisfies(t -> assertThat(TestData.resourceAttribute(t, "trail")).contains("trail/in,trail/out"));
  }

  @Test
  void metricsFlowThroughAMetricsPipeline() throws Exception {
    start(
        config()
            .receiver("testrcv")
            .processor("trail")
            .exporter("testexp")
            .pipeline("metrics", List.of("testrcv"), List.of("trail"), List.of("testexp")));

    recorder.receiver("testrcv").push(TestData.metrics(2, 3));

    assertThat(recorder.metrics("testexp")).singleElement().satisfies(m -> {
      assertThat(m.dataPointCount()).isEqualTo(5);
      assertThat(TestData.resourceAttribute(m, "trail")).contains("trail");
    });
  }

  @Test
  void aReceiverInATracesAndAMetricsPipelineIsOneInstanceStartedAndStoppedOnce() throws Exception {
    Service s =
        start(
            config()
                .receiver("testrcv")
                .exporter("testexp/t", "testexp/m")
                .pipeline("traces", List.of("testrcv"), List.of(), List.of("testexp/t"))
                .pipeline("metrics", List.of("testrcv"), List.of(), List.of("testexp/m")));

    assertThat(recorder.receiverCount()).isEqualTo(1);
    recorder.receiver("testrcv").push(TestData.traces(2));
    recorder.receiver("testrcv").push(TestData.metrics(3));
    assertThat(recorder.traces("testexp/t")).hasSize(1);
    assertThat(recorder.metrics("testexp/m")).hasSize(1);
    assertThat(recorder.traces("testexp/m")).isEmpty();
    assertThat(recorder.metrics("testexp/t")).isEmpty();

    s.shutdown();

    assertThat(recorder.events("start receiver")).containsExactly("start receiver testrcv");
    assertThat(recorder.events("shutdown receiver")).containsExactly("shutdown receiver testrcv");
    assertThat(s.instances())
        .filteredOn(i -> i.kind() == ComponentKind.RECEIVER)
        .hasSize(1);
  }

  // ------------------------------------------------------------------ refusals

  @Test
  void whenOneExporterRefusesTheOtherStillGetsTheBatchAndTheReceiverSeesTheRefusal() throws Exception {
    start(
        config()
            .receiver("testrcv")
            .define(ComponentKind.EXPORTER, "testexp/full", TestConfig.refusing(Refuse.RETRYABLE))
            .exporter("testexp/ok")
            .pipeline("traces", List.of("testrcv"), List.of(), List.of("testexp/full", "testexp/ok")));

    assertThatThrownBy(() -> recorder.receiver("testrcv").push(TestData.traces(2)))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isTrue();
          assertThat(r.getMessage()).isEqualTo("queue is full");
        });
    assertThat(recorder.traces("testexp/ok")).hasSize(1);
  }

  @Test
  void aRefusalIsRetryableOnlyIfEveryRefusingExporterSaidSo() throws Exception {
    start(
        config()
            .receiver("testrcv")
            .define(ComponentKind.EXPORTER, "testexp/full", TestConfig.refusing(Refuse.RETRYABLE))
            .define(ComponentKind.EXPORTER, "testexp/bad", TestConfig.refusing(Refuse.PERMANENT))
            .exporter("testexp/ok")
            .pipeline("traces", List.of("testrcv"), List.of(), List.of("testexp/full", "testexp/bad", "testexp/ok")));

    assertThatThrownBy(() -> recorder.receiver("testrcv").push(TestData.traces(2)))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.isRetryable()).isFalse());
    assertThat(recorder.traces("testexp/ok")).hasSize(1);
  }

  /** The wiring is named classes, so a failure's stack trace says where it went through. */
  @Test
  void aStackTraceThroughTheGraphNamesItsConsumers() throws Exception {
    start(
        config()
            .receiver("testrcv")
            .processor("trail")
            .define(ComponentKind.EXPORTER, "testexp/broken", TestConfig.refusing(Refuse.RUNTIME))
            .pipeline("traces", List.of("testrcv"), List.of("trail"), List.of("testexp/broken")));

    assertThatThrownBy(() -> recorder.receiver("testrcv").push(TestData.traces(2)))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          List<String> frames = Arrays.stream(r.getCause().getStackTrace())
              .map(f -> f.getClassName() + "." + f.getMethodName()).toList();
          assertThat(frames).contains(
              FanOut.class.getName() + ".consume", ProcessorNode.Counting.class.getName() + ".consume");
          // The graph's own frames (not the test components') are named classes, none the builder's.
          List<String> graph = frames.stream()
              .filter(f -> f.startsWith("dev.inflight.service.") && !f.startsWith("dev.inflight.service.testing.")
                  && !f.startsWith(ServiceTest.class.getName()))
              .toList();
          assertThat(graph).isNotEmpty().noneMatch(f -> f.startsWith(Service.class.getName()) || f.contains("lambda$"));
        });
  }

  @Test
  void componentsAreFoundThroughTheHostByWhatTheyAre() throws Exception {
    Service s = build(
        config()
            .receiver("testrcv")
            .exporter("testexp")
            .pipeline("traces", List.of("testrcv"), List.of(), List.of("testexp")));
    List<Exporter> exporters = s.instances().stream()
        .filter(i -> i.kind() == ComponentKind.EXPORTER).map(i -> (Exporter) i.component()).toList();

    // Before start: every component is built, so a reader starting first finds them all.
    assertThat(s.host().components(Exporter.class)).hasSize(1).containsExactlyElementsOf(exporters);
    assertThat(s.host().components(Receiver.class)).hasSize(1);
    assertThat(s.host().components(String.class)).isEmpty();
  }

  @Test
  void aProcessorRefusalReachesTheReceiverAndNothingIsExported() throws Exception {
    start(
        config()
            .receiver("testrcv")
            .define(ComponentKind.PROCESSOR, "trail", TestConfig.refusing(Refuse.RETRYABLE))
            .exporter("testexp")
            .pipeline("traces", List.of("testrcv"), List.of("trail"), List.of("testexp")));

    assertThatThrownBy(() -> recorder.receiver("testrcv").push(TestData.traces(2)))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.isRetryable()).isTrue());
    assertThat(recorder.traces("testexp")).isEmpty();
  }

  @Test
  void aProcessorThatThrowsABugBecomesAPermanentRefusal() throws Exception {
    start(
        config()
            .receiver("testrcv")
            .define(ComponentKind.PROCESSOR, "trail", TestConfig.refusing(Refuse.RUNTIME))
            .exporter("testexp")
            .pipeline("traces", List.of("testrcv"), List.of("trail"), List.of("testexp")));

    assertThatThrownBy(() -> recorder.receiver("testrcv").push(TestData.traces(2)))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isFalse();
          assertThat(r.getMessage()).isEqualTo("internal error: java.lang.IllegalStateException: boom");
          assertThat(r.getCause()).isInstanceOf(IllegalStateException.class);
        });
  }

  @Test
  void aBatchThatDoesNotDecodeIsRefusedPermanentlyNotThrownAtTheReceiver() throws Exception {
    start(
        config()
            .receiver("testrcv")
            .processor("trail")
            .exporter("testexp")
            .pipeline("traces", List.of("testrcv"), List.of("trail"), List.of("testexp")));

    // resource_spans of 5 bytes, none of which are there
    Traces broken = Traces.ofEncoded(new byte[] {0x0A, 0x05});

    assertThatThrownBy(() -> recorder.receiver("testrcv").push(broken))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isFalse();
          assertThat(r.getMessage())
              .isEqualTo("internal error: dev.inflight.pdata.MalformedDataException:"
                  + " traces are not a valid ExportTraceServiceRequest");
        });
    assertThat(recorder.traces("testexp")).isEmpty();
  }

  // ------------------------------------------------------------------ lifecycle

  private static int indexOf(List<String> events, String e) {
    int i = events.indexOf(e);
    assertThat(i).as("index of \"" + e + "\" in " + events).isNotNegative();
    return i;
  }

  @Test
  void startsExtensionsThenExportersThenProcessorsThenReceiversAndStopsInReverse() throws Exception {
    // Pipeline a is long, pipeline b is short: a plain reverse topological order would start
    // exporter b after some of a's processors.
    Service s =
        start(
            config()
                .extension("testext/1", "testext/2")
                .receiver("testrcv/a", "testrcv/b")
                .processor("trail/1", "trail/2", "trail/3")
                .exporter("testexp/a", "testexp/b")
                .pipeline("traces/a", List.of("testrcv/a"), List.of("trail/1", "trail/2", "trail/3"), List.of("testexp/a"))
                .pipeline("traces/b", List.of("testrcv/b"), List.of(), List.of("testexp/b")));

    List<String> starts = recorder.events("start ");
    assertThat(starts).hasSize(9);
    assertThat(starts.subList(0, 2)).containsExactly("start extension testext/1", "start extension testext/2");
    assertThat(starts.subList(2, 4))
        .containsExactlyInAnyOrder("start exporter testexp/a", "start exporter testexp/b");
    assertThat(starts.subList(4, 7))
        .containsExactly("start processor trail/3", "start processor trail/2", "start processor trail/1");
    assertThat(starts.subList(7, 9))
        .containsExactlyInAnyOrder("start receiver testrcv/a", "start receiver testrcv/b");
    assertThat(s.instances()).extracting(i -> "start " + i.kind() + " " + i.id()).containsExactlyElementsOf(starts);

    // pipelinesReady after everything started.
    List<String> events = recorder.events();
    assertThat(events.subList(9, events.size()))
        .containsExactly("ready extension testext/1", "ready extension testext/2");

    assertThat(s.shutdown()).isEmpty();

    events = recorder.events();
    List<String> afterStart = events.subList(11, events.size());
    assertThat(afterStart.subList(0, 2))
        .containsExactlyInAnyOrder("notready extension testext/1", "notready extension testext/2");
    List<String> expectedShutdowns = new ArrayList<>();
    for (int k = 8; k >= 2; k--) {
      expectedShutdowns.add(starts.get(k).replace("start ", "shutdown "));
    }
    expectedShutdowns.add("shutdown extension testext/2");
    expectedShutdowns.add("shutdown extension testext/1");
    assertThat(afterStart.subList(2, afterStart.size())).containsExactlyElementsOf(expectedShutdowns);
  }

  @Test
  void connectorsStartAfterTheExportersOfThePipelinesTheyFeedAndBeforeReceivers() throws Exception {
    start(
        config()
            .receiver("testrcv")
            .processor("trail/t", "trail/m")
            .exporter("testexp/m")
            .connector("count")
            .pipeline("traces", List.of("testrcv"), List.of("trail/t"), List.of("count"))
            .pipeline("metrics", List.of("count"), List.of("trail/m"), List.of("testexp/m")));

    assertThat(recorder.events("start "))
        .containsExactly(
            "start exporter testexp/m",
            "start processor trail/m",
            "start connector count",
            "start processor trail/t",
            "start receiver testrcv");
  }

  @Test
  void theHostShowsTheServiceToExtensions() throws Exception {
    Service s = build(config().extension("testext/a", "testext/b").receiver("testrcv").processor("trail")
        .exporter("testexp/traces", "testexp/metrics").connector("count")
        .pipeline("traces", List.of("testrcv"), List.of("trail"), List.of("testexp/traces", "count"))
        .pipeline("metrics/counted", List.of("count"), List.of(), List.of("testexp/metrics")));
    ServiceView view = s.host().service().orElseThrow();
    ComponentId a = ComponentId.parse("testext/a");
    ComponentId b = ComponentId.parse("testext/b");

    assertThat(view.startTime()).isNull();
    assertThat(view.extensionStatus()).containsExactly(
        Map.entry(a, ServiceView.Status.STARTING), Map.entry(b, ServiceView.Status.STARTING));
    assertThat(view.build()).isEqualTo(Service.UNNAMED_BUILD);
    assertThat(view.pipelines()).containsExactly(
        new ServiceView.Pipeline(PipelineId.parse("traces"), List.of(ComponentId.parse("testrcv")),
            List.of(ComponentId.parse("trail")), List.of(ComponentId.parse("testexp/traces"), ComponentId.parse("count")),
            List.of(ComponentId.parse("count"))),
        new ServiceView.Pipeline(PipelineId.parse("metrics/counted"), List.of(ComponentId.parse("count")),
            List.of(), List.of(ComponentId.parse("testexp/metrics")), List.of(ComponentId.parse("count"))));

    s.start();
    assertThat(view.startTime()).isNotNull();
    assertThat(view.extensionStatus()).containsExactly(
        Map.entry(a, ServiceView.Status.OK), Map.entry(b, ServiceView.Status.OK));

    s.shutdown();
    assertThat(view.extensionStatus()).containsExactly(
        Map.entry(a, ServiceView.Status.STOPPED), Map.entry(b, ServiceView.Status.STOPPED));
  }

  @Test
  void instancesListTheExtensionsFirstInServiceOrder() throws Exception {
    Service s = start(config().extension("testext/a", "testext/b").receiver("testrcv").exporter("testexp")
        .pipeline("traces", List.of("testrcv"), List.of(), List.of("testexp")));

    assertThat(s.instances())
        .filteredOn(i -> i.kind() == ComponentKind.EXTENSION)
        .extracting(Service.Instance::describe)
        .containsExactly("\"testext/a\" extension", "\"testext/b\" extension");
  }

  @Test
  void aStartFailureNamesTheComponentAndStopsWhatAlreadyStarted() throws Exception {
    Service s =
        build(
            config()
                .extension("testext")
                .receiver("testrcv/ok")
                .define(ComponentKind.RECEIVER, "testrcv/bad", TestConfig.failingStart())
                .processor("trail")
                .exporter("testexp")
                .pipeline("traces", List.of("testrcv/ok", "testrcv/bad"), List.of("trail"), List.of("testexp")));

    assertThatThrownBy(s::start)
        .isInstanceOf(StartException.class)
        .hasMessage("failed to start \"testrcv/bad\" receiver: port 1234 is taken")
        .hasCauseInstanceOf(IllegalStateException.class);

    List<String> events = recorder.events();
    int failed = indexOf(events, "start receiver testrcv/bad");
    List<String> startedBefore = events.subList(0, failed);
    assertThat(startedBefore)
        .startsWith("start extension testext", "start exporter testexp", "start processor trail");
    // The failing component (it may hold what it bound before failing) and everything that
    // started are shut down, upstream first, extensions last; nothing is "ready".
    List<String> expected = new ArrayList<>();
    expected.add("notready extension testext");
    expected.add("shutdown receiver testrcv/bad");
    for (int k = startedBefore.size() - 1; k >= 1; k--) {
      expected.add(startedBefore.get(k).replace("start ", "shutdown "));
    }
    expected.add("shutdown extension testext");
    assertThat(events.subList(failed + 1, events.size())).containsExactlyElementsOf(expected);
    assertThat(events).doesNotContain("ready extension testext");

    // A later shutdown (the app's finally block) does nothing more.
    assertThat(s.shutdown()).isEmpty();
    assertThat(recorder.events()).hasSize(events.size());
  }

  @Test
  void anExtensionStartFailureStopsOnlyItselfBecauseNothingElseStarted() throws Exception {
    Service s =
        build(
            config()
                .define(ComponentKind.EXTENSION, "testext/bad", TestConfig.failingStart())
                .serviceExtension("testext/bad")
                .receiver("testrcv")
                .exporter("testexp")
                .pipeline("traces", List.of("testrcv"), List.of(), List.of("testexp")));

    assertThatThrownBy(s::start).hasMessage("failed to start \"testext/bad\" extension: port 1234 is taken");
    assertThat(recorder.events()).containsExactly(
        "start extension testext/bad", "notready extension testext/bad", "shutdown extension testext/bad");
  }

  @Test
  void shutdownRunsOnce() throws Exception {
    Service s =
        start(
            config()
                .extension("testext")
                .receiver("testrcv")
                .exporter("testexp")
                .pipeline("traces", List.of("testrcv"), List.of(), List.of("testexp")));

    assertThat(s.shutdown()).isEmpty();
    List<String> afterFirst = recorder.events();
    assertThat(s.shutdown()).isEmpty();

    assertThat(recorder.events()).isEqualTo(afterFirst);
    assertThat(afterFirst)
        .containsExactly(
            "start extension testext",
            "start exporter testexp",
            "start receiver testrcv",
            "ready extension testext",
            "notready extension testext",
            "shutdown receiver testrcv",
            "shutdown exporter testexp",
            "shutdown extension testext");
  }

  @Test
  void aShutdownFailureIsReportedAndTheOthersStillStop() throws Exception {
    Service s =
        start(
            config()
                .receiver("testrcv")
                .define(ComponentKind.PROCESSOR, "trail", TestConfig.failingShutdown())
                .exporter("testexp")
                .pipeline("traces", List.of("testrcv"), List.of("trail"), List.of("testexp")));

    assertThat(s.shutdown()).containsExactly("failed to shut down \"trail\" processor: cannot flush file");
    assertThat(recorder.events("shutdown "))
        .containsExactly("shutdown receiver testrcv", "shutdown processor trail", "shutdown exporter testexp");
  }

  @Test
  void aComponentStuckInShutdownIsAbandonedAfterTheTimeout() throws Exception {
    Service s =
        start(
            config()
                .shutdownTimeout(Duration.ofMillis(300))
                .extension("testext")
                .receiver("testrcv")
                .define(ComponentKind.PROCESSOR, "trail", TestConfig.blockingShutdown(Duration.ofSeconds(5)))
                .exporter("testexp")
                .pipeline("traces", List.of("testrcv"), List.of("trail"), List.of("testexp")));

    long t0 = System.nanoTime();
    List<String> errors = s.shutdown();
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(took).isLessThan(Duration.ofSeconds(10));
    assertThat(errors)
        .containsExactly(
            "\"trail\" processor did not stop within shutdown_timeout 300ms",
            "shutdown_timeout of 300ms ran out before \"testexp\" exporter was stopped",
            "shutdown_timeout of 300ms ran out before \"testext\" extension was stopped");
    assertThat(recorder.events("shutdown ")).containsExactly("shutdown receiver testrcv", "shutdown processor trail");
  }

  @Test
  void aFactoryFailureIsABuildExceptionNamingTheComponent() {
    ConfigBuilder c =
        config()
            .receiver("testrcv")
            .define(ComponentKind.EXPORTER, "testexp/broken", TestConfig.failingCreate())
            .pipeline("traces", List.of("testrcv"), List.of(), List.of("testexp/broken"));

    assertThatThrownBy(() -> build(c))
        .isInstanceOf(BuildException.class)
        .hasMessage("failed to create exporter \"testexp/broken\" for traces: endpoint is unreachable");
  }

  @Test
  void anExtensionFactoryFailureIsABuildExceptionNamingTheExtension() {
    ConfigBuilder c =
        config()
            .define(ComponentKind.EXTENSION, "testext", TestConfig.failingCreate())
            .serviceExtension("testext")
            .receiver("testrcv")
            .exporter("testexp")
            .pipeline("traces", List.of("testrcv"), List.of(), List.of("testexp"));

    assertThatThrownBy(() -> build(c))
        .isInstanceOf(BuildException.class)
        .hasMessage("failed to create \"testext\" extension: endpoint is unreachable");
  }
}
