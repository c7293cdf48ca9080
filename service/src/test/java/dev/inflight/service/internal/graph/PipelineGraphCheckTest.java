package dev.inflight.service.internal.graph;


import static dev.inflight.service.testing.TestComponents.config;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.config.ConfigProblem;
import dev.inflight.service.internal.graph.PipelineGraph.Check;
import dev.inflight.service.testing.TestComponents;
import dev.inflight.service.testing.TestComponents.ConfigBuilder;
import dev.inflight.service.testing.TestComponents.Recorder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineGraphCheckTest {
  private final FactoryRegistry registry = TestComponents.registry(new Recorder());

  private Check check(ConfigBuilder c) {
    return PipelineGraph.check(c.build(), registry);
  }

  private static ConfigProblem problem(String path, String message) {
    return new ConfigProblem(path, message);
  }

  @Test
  void aCorrectConfigHasNoProblemsAndNoWarnings() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .processor("trail")
                .exporter("testexp", "testexp/b")
                .connector("count")
                .extension("testext")
                .pipeline("traces", List.of("otlp"), List.of("trail"), List.of("testexp", "count"))
                .pipeline("metrics", List.of("otlp", "count"), List.of(), List.of("testexp/b")));

    assertThat(check.problems()).isEmpty();
    assertThat(check.warnings()).isEmpty();
    assertThat(check.ok()).isTrue();
  }

  @Test
  void aComponentUsedButNotDefinedSuggestsTheClosestDefinedOne() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .exporter("testexp")
                .pipeline("traces", List.of("otlpp"), List.of(), List.of("testexp")));

    assertThat(check.problems())
        .containsExactly(
            problem(
                "service.pipelines.traces.receivers[0]",
                "receiver \"otlpp\" is used but not defined under receivers or connectors (defined: otlp);"
                    + " did you mean `otlp`?"));
    assertThat(check.ok()).isFalse();
  }

  @Test
  void aComponentUsedButNotDefinedWithNothingCloseGetsNoSuggestion() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .exporter("testexp")
                .connector("count")
                .pipeline("traces", List.of("otlp"), List.of("batch"), List.of("zipkin", "count"))
                .pipeline("metrics", List.of("count"), List.of(), List.of("testexp")));

    assertThat(check.problems())
        .containsExactly(
            problem(
                "service.pipelines.traces.processors[0]",
                "processor \"batch\" is used but not defined under processors (none are defined)"),
            problem(
                "service.pipelines.traces.exporters[0]",
                "exporter \"zipkin\" is used but not defined under exporters or connectors"
                    + " (defined: count, testexp)"));
  }

  @Test
  void aConnectorCannotBeUsedAsAProcessor() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .exporter("testexp")
                .connector("count")
                .pipeline("traces", List.of("otlp"), List.of("count"), List.of("testexp")));

    assertThat(check.problems())
        .containsExactly(
            problem(
                "service.pipelines.traces.processors[0]",
                "processor \"count\" is used but not defined under processors (none are defined)"));
    assertThat(check.warnings()).extracting(ConfigProblem::message)
        .containsExactly(
            "connector \"count\" is defined under connectors but not used in any pipeline; it will not run");
  }

  @Test
  void aDefinedButUnusedComponentIsAWarningNotAnError() {
    Check check =
        check(
            config()
                .receiver("otlp", "otlp/unused")
                .processor("trail")
                .exporter("testexp", "testexp/debug")
                .define(ComponentKind.EXTENSION, "testext", TestComponents.TestConfig.DEFAULT)
                .pipeline("traces", List.of("otlp"), List.of(), List.of("testexp")));

    assertThat(check.problems()).isEmpty();
    assertThat(check.ok()).isTrue();
    assertThat(check.warnings()).extracting(ConfigProblem::message)
        .containsExactly(
            "receiver \"otlp/unused\" is defined under receivers but not used in any pipeline; it will not run",
            "processor \"trail\" is defined under processors but not used in any pipeline; it will not run",
            "exporter \"testexp/debug\" is defined under exporters but not used in any pipeline; it will not run",
            "extension \"testext\" is defined under extensions but not used in service.extensions; it will not run");
  }

  @Test
  void aComponentListedTwiceInOneListIsAnError() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .processor("trail")
                .exporter("testexp")
                .pipeline("traces", List.of("otlp", "otlp"), List.of("trail", "trail"), List.of("testexp")));

    assertThat(check.problems())
        .containsExactly(
            problem(
                "service.pipelines.traces.receivers[1]",
                "pipeline \"traces\" references receiver \"otlp\" more than once"),
            problem(
                "service.pipelines.traces.processors[1]",
                "pipeline \"traces\" references processor \"trail\" more than once"));
  }

  @Test
  void theSameComponentInTwoPipelinesIsFine() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .exporter("testexp")
                .pipeline("traces", List.of("otlp"), List.of(), List.of("testexp"))
                .pipeline("traces/2", List.of("otlp"), List.of(), List.of("testexp")));

    assertThat(check.problems()).isEmpty();
  }

  @Test
  void aPipelineNeedsReceiversAndExporters() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .exporter("testexp")
                .pipeline("traces", List.of(), List.of(), List.of("testexp"))
                .pipeline("metrics", List.of("otlp"), List.of(), List.of())
                .emptyPipeline("traces/empty"));

    assertThat(check.problems())
        .containsExactly(
            problem("service.pipelines.traces.receivers", "pipeline \"traces\" must have at least one receiver"),
            problem("service.pipelines.metrics.exporters", "pipeline \"metrics\" must have at least one exporter"),
            problem(
                "service.pipelines.traces/empty",
                "pipeline \"traces/empty\" is empty: it needs receivers and exporters"));
  }

  @Test
  void aPipelineIdMustStartWithAKnownSignal() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .exporter("testexp")
                .pipeline("spans/x", List.of("otlp"), List.of(), List.of("testexp"))
                .pipeline("traces/", List.of("otlp"), List.of(), List.of("testexp"))
                .pipeline("traces", List.of("otlp"), List.of(), List.of("testexp")));

    assertThat(check.problems())
        .containsExactly(
            problem(
                "service.pipelines.spans/x",
                "pipeline \"spans/x\" has unknown signal \"spans\"; a pipeline id is traces, metrics or logs,"
                    + " optionally /name"),
            problem("service.pipelines.traces/", "pipeline id \"traces/\" has an empty name after /"));
  }

  @Test
  void anInvalidComponentIdIsReportedWhereItIsUsed() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .exporter("testexp")
                .pipeline("traces", List.of("otlp", "1otlp", "otlp/", ""), List.of("my batch"), List.of("testexp")));

    assertThat(check.problems())
        .containsExactly(
            problem(
                "service.pipelines.traces.receivers[1]",
                "invalid type \"1otlp\" in id \"1otlp\": a type starts with a letter and holds only letters,"
                    + " digits and _"),
            problem("service.pipelines.traces.receivers[2]", "id \"otlp/\" has an empty name after /"),
            problem("service.pipelines.traces.receivers[3]", "empty component id"),
            problem(
                "service.pipelines.traces.processors[0]",
                "invalid type \"my batch\" in id \"my batch\": a type starts with a letter and holds only"
                    + " letters, digits and _"));
  }

  @Test
  void aComponentMustSupportThePipelinesSignal() {
    Check check =
        check(
            config()
                .receiver("metricsonly", "otlp")
                .processor("tracesonlyproc")
                .exporter("tracesonly", "testexp")
                .pipeline("traces", List.of("metricsonly"), List.of(), List.of("testexp"))
                .pipeline("metrics", List.of("otlp"), List.of("tracesonlyproc"), List.of("tracesonly")));

    assertThat(check.problems())
        .containsExactly(
            problem(
                "service.pipelines.traces.receivers[0]",
                "receiver \"metricsonly\" does not support traces (pipeline \"traces\"); it supports metrics"),
            problem(
                "service.pipelines.metrics.processors[0]",
                "processor \"tracesonlyproc\" does not support metrics (pipeline \"metrics\"); it supports traces"),
            problem(
                "service.pipelines.metrics.exporters[0]",
                "exporter \"tracesonly\" does not support metrics (pipeline \"metrics\"); it supports traces"));
  }

  @Test
  void aLogsPipelineIsRefusedWhenNothingSupportsLogs() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .exporter("testexp")
                .pipeline("logs", List.of("otlp"), List.of(), List.of("testexp")));

    assertThat(check.problems())
        .containsExactly(
            problem(
                "service.pipelines.logs.receivers[0]",
                "receiver \"otlp\" does not support logs (pipeline \"logs\"); it supports metrics, traces"),
            problem(
                "service.pipelines.logs.exporters[0]",
                "exporter \"testexp\" does not support logs (pipeline \"logs\"); it supports metrics, traces"));
  }

  @Test
  void aComponentWhoseConfigFailedToBindCountsAsDefinedWithoutSignalChecks() {
    Check check =
        check(
            config()
                .define(ComponentKind.RECEIVER, "metricsonly", null)
                .exporter("testexp")
                .pipeline("traces", List.of("metricsonly"), List.of(), List.of("testexp")));

    assertThat(check.problems()).isEmpty();
  }

  @Test
  void aConnectorUsedOnlyAsExporterIsAnError() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .exporter("testexp")
                .connector("count")
                .pipeline("traces", List.of("otlp"), List.of(), List.of("testexp", "count")));

    assertThat(check.problems())
        .containsExactly(
            problem(
                "connectors.count",
                "connector \"count\" is used as exporter (in \"traces\") but not as receiver in any pipeline;"
                    + " a connector links the end of one pipeline to the start of another"));
  }

  @Test
  void aConnectorUsedOnlyAsReceiverIsAnError() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .exporter("testexp")
                .connector("count")
                .pipeline("metrics", List.of("otlp", "count"), List.of(), List.of("testexp"))
                .pipeline("metrics/2", List.of("count"), List.of(), List.of("testexp")));

    assertThat(check.problems())
        .containsExactly(
            problem(
                "connectors.count",
                "connector \"count\" is used as receiver (in \"metrics\", \"metrics/2\") but not as exporter in"
                    + " any pipeline; a connector links the end of one pipeline to the start of another"));
  }

  @Test
  void aConnectorWhoseSidesDoNotMatchItsRoutesIsAnErrorOnBothSides() {
    // count is traces → metrics, but it is a receiver of a traces pipeline only.
    Check check =
        check(
            config()
                .receiver("otlp")
                .exporter("testexp")
                .connector("count")
                .pipeline("traces/in", List.of("otlp"), List.of(), List.of("count"))
                .pipeline("traces/out", List.of("count"), List.of(), List.of("testexp")));

    assertThat(check.problems())
        .containsExactly(
            problem(
                "service.pipelines.traces/in.exporters[0]",
                "connector \"count\" is an exporter of traces pipeline \"traces/in\" but no pipeline it feeds can"
                    + " take its output: it supports traces → metrics and is a receiver only in \"traces/out\""),
            problem(
                "service.pipelines.traces/out.receivers[0]",
                "connector \"count\" is a receiver of traces pipeline \"traces/out\" but none of the pipelines"
                    + " feeding it gives what it needs: it supports traces → metrics and is an exporter only in"
                    + " \"traces/in\""));
  }

  @Test
  void aConnectorIsFineWhenAtLeastOneRouteIsUsedOnEachSide() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .exporter("testexp")
                .connector("count")
                .pipeline("traces", List.of("otlp"), List.of(), List.of("count"))
                .pipeline("metrics", List.of("count"), List.of(), List.of("testexp")));

    assertThat(check.problems()).isEmpty();
  }

  @Test
  void aCycleThroughATracesToTracesConnectorIsNamed() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .processor("trail")
                .connector("forward")
                .pipeline("traces", List.of("otlp", "forward"), List.of("trail"), List.of("forward")));

    assertThat(check.problems()).hasSize(1);
    ConfigProblem p = check.problems().get(0);
    assertThat(p.path()).isEqualTo("service.pipelines");
    assertThat(p.message())
        .isEqualTo(
            "cycle detected: processor \"trail\" in pipeline \"traces\" → connector \"forward\" (traces → traces)"
                + " → processor \"trail\" in pipeline \"traces\"");
  }

  @Test
  void aCycleAcrossTwoPipelinesNamesBothConnectors() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .exporter("testexp")
                .connector("forward/1", "forward/2")
                .pipeline("traces/a", List.of("otlp", "forward/1"), List.of(), List.of("forward/2", "testexp"))
                .pipeline("traces/b", List.of("forward/2"), List.of(), List.of("forward/1")));

    assertThat(check.problems()).hasSize(1);
    ConfigProblem p = check.problems().get(0);
    assertThat(p.path()).isEqualTo("service.pipelines");
    assertThat(p.message())
        .startsWith("cycle detected: ")
        .contains("connector \"forward/1\" (traces → traces)")
        .contains("connector \"forward/2\" (traces → traces)")
        .doesNotContain("receiver \"otlp\"")
        .doesNotContain("exporter \"testexp\"");
  }

  @Test
  void serviceExtensionsMustBeDefined() {
    Check check =
        check(
            config()
                .define(ComponentKind.EXTENSION, "testext", TestComponents.TestConfig.DEFAULT)
                .serviceExtension("testext")
                .serviceExtension("testextt")
                .serviceExtension("testext")
                .serviceExtension("health_check")
                .receiver("otlp")
                .exporter("testexp")
                .pipeline("traces", List.of("otlp"), List.of(), List.of("testexp")));

    assertThat(check.problems())
        .containsExactly(
            problem(
                "service.extensions[1]",
                "extension \"testextt\" is used but not defined under extensions (defined: testext);"
                    + " did you mean `testext`?"),
            problem("service.extensions[2]", "extension \"testext\" is listed more than once"),
            problem(
                "service.extensions[3]",
                "extension \"health_check\" is used but not defined under extensions (defined: testext)"));
  }

  @Test
  void aServiceWithoutPipelinesIsAnError() {
    Check check = check(config().receiver("otlp"));

    assertThat(check.problems())
        .containsExactly(problem("service.pipelines", "service must have at least one pipeline"));
    assertThat(check.warnings()).extracting(ConfigProblem::message)
        .containsExactly(
            "receiver \"otlp\" is defined under receivers but not used in any pipeline; it will not run");
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() {
    Check check =
        check(
            config()
                .receiver("otlp")
                .serviceExtension("nope")
                .pipeline("traces", List.of("otlpp"), List.of(), List.of())
                .pipeline("bogus", List.of("otlp"), List.of(), List.of("x")));

    assertThat(check.problems())
        .extracting(ConfigProblem::path)
        .containsExactly(
            "service.extensions[0]",
            "service.pipelines.bogus",
            "service.pipelines.traces.exporters",
            "service.pipelines.traces.receivers[0]");
  }
}
