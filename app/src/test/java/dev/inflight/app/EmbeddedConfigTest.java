package dev.inflight.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.service.config.ConfigLoader;
import dev.inflight.service.config.ConfigSource;
import dev.inflight.service.config.LoadedConfig;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.service.Service;
import dev.inflight.service.telemetry.SelfTelemetry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The default config that ships in the jar loads against the factories this build registers. */
class EmbeddedConfigTest {
  @Test
  void embeddedConfigLoadsAndBuildsWithoutWarnings() throws Exception {
    FactoryRegistry registry = FactoryRegistry.load();
    LoadedConfig loaded = new ConfigLoader(registry, Map.<String, String>of()::get)
        .load(List.of(ConfigOptions.embedded()), List.of());
    assertThat(loaded.warnings()).isEmpty();
    assertThat(loaded.config().of(ComponentKind.RECEIVER)).containsKey(ComponentId.of("otlp"));
    assertThat(loaded.config().of(ComponentKind.EXTENSION)).containsKey(ComponentId.of("health_check"));
    assertThat(loaded.config().service().pipelines()).containsOnlyKeys("traces", "metrics", "logs");

    // Every component can be made (nothing started, no port bound).
    Service service = Service.build(loaded.config(), registry, SelfTelemetry.noop());
    assertThat(service.instances()).extracting(i -> i.kind() + " " + i.id())
        // Exporters are made per (id, signal): debug once for metrics, once for logs; the receiver
        // serves every signal as one instance.
        .containsExactly(
            "extension health_check", "extension query", "exporter prometheus", "exporter debug", "exporter debug",
            "connector concurrency", "processor batch", "receiver otlp");
  }

  @Test
  void everyModuleRegistersItsFactories() {
    FactoryRegistry registry = FactoryRegistry.load();
    assertThat(registry.types(ComponentKind.RECEIVER)).contains("otlp");
    assertThat(registry.types(ComponentKind.EXPORTER)).contains("debug", "prometheus", "prometheusremotewrite");
    assertThat(registry.types(ComponentKind.CONNECTOR)).contains("forward", "concurrency");
    assertThat(registry.types(ComponentKind.EXTENSION)).contains("health_check", "query");
  }

  /**
   * The exporters' current Collector names and their older ones load the same component; a
   * misspelt type is pointed at the current name.
   */
  @Test
  void exportersLoadUnderTheirCurrentAndOlderNames() throws Exception {
    FactoryRegistry registry = FactoryRegistry.load();
    String yaml = """
        receivers:
          otlp:
            protocols:
              http:
        exporters:
          otlp_grpc/a:
            endpoint: localhost:14317
          otlp/b:
            endpoint: localhost:14317
          otlp_http/c:
            endpoint: http://localhost:14318
          otlphttp/d:
            endpoint: http://localhost:14318
        service:
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [otlp_grpc/a, otlp/b, otlp_http/c, otlphttp/d]
        """;
    LoadedConfig loaded = new ConfigLoader(registry, Map.<String, String>of()::get)
        .load(List.of(new ConfigSource("names.yaml", yaml)), List.of());
    assertThat(loaded.warnings()).isEmpty();
    Map<ComponentId, ?> exporters = loaded.config().of(ComponentKind.EXPORTER);
    assertThat(exporters.get(ComponentId.parse("otlp/b"))).hasSameClassAs(exporters.get(ComponentId.parse("otlp_grpc/a")));
    assertThat(exporters.get(ComponentId.parse("otlphttp/d"))).hasSameClassAs(exporters.get(ComponentId.parse("otlp_http/c")));
    assertThat(exporters.get(ComponentId.parse("otlp/b"))).doesNotHaveSameClassAs(exporters.get(ComponentId.parse("otlphttp/d")));
    Service.build(loaded.config(), registry, SelfTelemetry.noop()); // and every one can be made

    String misspelt = yaml.replace("otlp_http/c:", "otlp_htp/c:").replace("otlp_http/c,", "otlp_htp/c,");
    assertThatThrownBy(() -> new ConfigLoader(registry, Map.<String, String>of()::get)
            .load(List.of(new ConfigSource("names.yaml", misspelt)), List.of()))
        .hasMessageContaining("names.yaml:10: exporters.otlp_htp/c: unknown exporter type \"otlp_htp\"; did you mean `otlp_http`?");
  }

  /** The Collector's placeholder pipeline ends: a connector-fed pipeline with a nop receiver, and a nop exporter. */
  @Test
  void nopReceiverAndExporterLoadAndBuild() throws Exception {
    FactoryRegistry registry = FactoryRegistry.load();
    String yaml = """
        receivers:
          nop:
        exporters:
          nop:
        service:
          pipelines:
            traces:
              receivers: [nop]
              exporters: [nop]
            metrics:
              receivers: [nop]
              exporters: [nop]
            logs:
              receivers: [nop]
              exporters: [nop]
        """;
    LoadedConfig loaded = new ConfigLoader(registry, Map.<String, String>of()::get)
        .load(List.of(new ConfigSource("nop.yaml", yaml)), List.of());
    assertThat(loaded.warnings()).isEmpty();
    Service service = Service.build(loaded.config(), registry, SelfTelemetry.noop());
    service.start();
    service.shutdown();
  }

  @Test
  void componentsListingIsYamlWithDefaults() throws Exception {
    String yaml = ComponentsCommand.render(FactoryRegistry.load());
    assertThat(yaml).contains("  otlp_http:\n    description:").containsPattern("also_known_as:\n\\s*- \"?otlphttp");
    assertThat(yaml).contains("receivers:\n  file:\n").contains("\n  otlp:\n    description:").contains("default_config:").contains("health_check:");
  }
}
