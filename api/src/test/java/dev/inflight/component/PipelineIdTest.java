package dev.inflight.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PipelineIdTest {
  @Test
  void parsesSignalAndName() {
    assertThat(PipelineId.parse("traces")).isEqualTo(new PipelineId(Signal.TRACES, ""));
    assertThat(PipelineId.parse("metrics/concurrency")).isEqualTo(new PipelineId(Signal.METRICS, "concurrency"));
    assertThat(PipelineId.parse("logs/a")).hasToString("logs/a");
    assertThat(PipelineId.parse("traces")).hasToString("traces");
  }

  @Test
  void refusesAnUnknownSignalOrAnEmptyName() {
    assertThatThrownBy(() -> PipelineId.parse("spans/x"))
        .hasMessage("pipeline \"spans/x\" has unknown signal \"spans\"; a pipeline id is traces, metrics or logs,"
            + " optionally /name");
    assertThatThrownBy(() -> PipelineId.parse("Traces"))
        .hasMessageStartingWith("pipeline \"Traces\" has unknown signal \"Traces\"");
    assertThatThrownBy(() -> PipelineId.parse("metrics/")).hasMessage("pipeline id \"metrics/\" has an empty name after /");
  }

  @Test
  void signalKeys() {
    assertThat(Signal.fromKey("metrics")).contains(Signal.METRICS);
    assertThat(Signal.fromKey("METRICS")).isEmpty();
    assertThat(Signal.LOGS).hasToString("logs");
    assertThat(ComponentKind.EXPORTER.section()).isEqualTo("exporters");
    assertThat(ComponentKind.EXPORTER).hasToString("exporter");
  }
}
