package dev.inflight.service.config;

import dev.inflight.component.config.ConfigProblem;
import dev.inflight.component.config.ConfigProblems;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {
  @Test
  void defaults() {
    ServiceConfig s = ServiceConfig.defaults();
    assertThat(s.extensions()).isEmpty();
    assertThat(s.pipelines()).isEmpty();
    assertThat(s.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.telemetry().metrics().address()).isNull();
    assertThat(s.telemetry().metrics().effectiveReaders()).singleElement()
        .satisfies(r -> assertThat(r.pull().exporter().prometheus().address()).isEqualTo("0.0.0.0:8888"));
    assertThat(s.telemetry().metrics().level()).isEqualTo(TelemetryConfig.Level.NORMAL);
    assertThat(s.telemetry().logs().level()).isEqualTo(TelemetryConfig.LogLevel.INFO);
    assertThat(s.telemetry().resource()).isEmpty();
  }

  @Test
  void validateNamesTheKeys() {
    ConfigProblems problems = ConfigProblems.root();
    new ServiceConfig(
            null,
            null,
            new TelemetryConfig(new TelemetryConfig.Metrics(null, "localhost"), null, null),
            Duration.ZERO)
        .validate(problems.at("service"));

    assertThat(problems.all())
        .containsExactly(
            new ConfigProblem("service.shutdown_timeout", "shutdown_timeout must be greater than 0"),
            new ConfigProblem(
                "service.telemetry.metrics.address",
                "address \"localhost\" must be host:port (e.g. 0.0.0.0:4317)"));
  }

  @Test
  void anAddressIsNotCheckedWhenMetricsAreOff() {
    ConfigProblems problems = ConfigProblems.root();
    new TelemetryConfig(new TelemetryConfig.Metrics(TelemetryConfig.Level.NONE, "nonsense"), null, null)
        .validate(problems);
    assertThat(problems.all()).isEmpty();
  }

  @Test
  void problemsAreCollectedUnderTheirPaths() {
    ConfigProblems root = ConfigProblems.root();
    ConfigProblems batch = root.at("processors").at("batch");
    batch.add("timeout", "timeout must be greater than 0");
    root.at("service").at("pipelines").at("traces").at("receivers").at(2).add("receiver \"x\" is used but not defined");
    batch.add(new ConfigProblem("somewhere.else", "moved"));
    root.add("the config is empty");

    assertThat(batch.path()).isEqualTo("processors.batch");
    assertThat(root.isEmpty()).isFalse();
    assertThat(batch.all()).isEqualTo(root.all());
    assertThat(root.all())
        .containsExactly(
            new ConfigProblem("processors.batch.timeout", "timeout must be greater than 0"),
            new ConfigProblem("service.pipelines.traces.receivers[2]", "receiver \"x\" is used but not defined"),
            new ConfigProblem("somewhere.else", "moved"),
            new ConfigProblem("", "the config is empty"));
    assertThat(ConfigProblems.root().isEmpty()).isTrue();
  }

  @Test
  void listsAreCopied() {
    List<String> ext = new java.util.ArrayList<>(List.of("health_check"));
    ServiceConfig s = new ServiceConfig(ext, null, null, null);
    ext.add("other");
    assertThat(s.extensions()).containsExactly("health_check");
  }
}
