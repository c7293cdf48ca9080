package dev.inflight.exporter.file;

import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.exporter.file.FileExporterConfig.Compression;
import dev.inflight.exporter.file.FileExporterConfig.Format;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The file exporter's config as a user writes it, through the real loader. */
class FileExporterConfigTest {
  private static String yaml(String exporterYaml) {
    return "receivers:\n  nop:\nexporters:\n" + exporterYaml
        + "service:\n  pipelines:\n    traces:\n      receivers: [nop]\n      exporters: [file]\n";
  }

  private static FileExporterConfig load(String exporterYaml) throws InvalidConfigException {
    return (FileExporterConfig) ConfigFixture.load(yaml(exporterYaml), nopReceiver(), new FileExporterFactory())
        .config().of(ComponentKind.EXPORTER).get(ComponentId.of("file"));
  }

  private static List<String> problems(String exporterYaml) {
    return ConfigFixture.problems(yaml(exporterYaml), nopReceiver(), new FileExporterFactory());
  }

  @Test
  void onlyThePathIsNeeded() throws Exception {
    FileExporterConfig c = load("  file:\n    path: /var/lib/inflight/spans.binpb\n");
    assertThat(c.format()).isEqualTo(Format.PROTO);
    assertThat(c.compression()).isEqualTo(Compression.NONE);
    assertThat(c.rotation().maxMegabytes()).isEqualTo(64);
    assertThat(c.rotation().maxTotalMegabytes()).isEqualTo(1024);
    assertThat(c.flushInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aCollectorFileExporterConfigLoads() throws Exception {
    FileExporterConfig c = ConfigFixture.component(
            ConfigFixture.loadTestdata("file/collector.yaml", Map.of(), nopReceiver(), new FileExporterFactory()),
            ComponentKind.EXPORTER, "file");
    assertThat(c.format()).isEqualTo(Format.JSON);
    assertThat(c.compression()).isEqualTo(Compression.ZSTD);
    assertThat(c.flushInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.rotation()).isEqualTo(new FileExporterConfig.Rotation(10, 1024, 3, 3, true));
  }

  @Test
  void problemsNameTheKey() {
    assertThat(problems("  file:\n    rotation:\n      max_megabytes: 100\n      max_total_megabytes: 50\n"))
        .anySatisfy(p -> assertThat(p).contains("path is required"))
        .anySatisfy(p -> assertThat(p).contains("rotation.max_total_megabytes").contains("at least max_megabytes"));
    assertThat(problems("  file:\n    path: x\n    format: parquet\n")).singleElement().asString().contains("format");
    assertThat(problems("  file:\n    path: x\n    flush_interval: 0s\n")).singleElement().asString()
        .contains("flush_interval must be positive");
  }

  @Test
  void registeredForServiceLoader() {
    assertThat(FactoryRegistry.load().find(ComponentKind.EXPORTER, "file")).get()
        .isInstanceOf(FileExporterFactory.class);
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    FileExporterConfig config = ConfigFixture.documentedExample(
        "file/config.yaml", "file-exporter.md", ComponentKind.EXPORTER, "file",
        Map.of(), nopReceiver(), new FileExporterFactory());

    assertThat(config.path()).isEqualTo("/var/lib/inflight/spans.binpb");
    assertThat(config.compression()).isEqualTo(FileExporterConfig.Compression.ZSTD);
    assertThat(config.rotation().maxMegabytes()).isEqualTo(64);
    assertThat(config.rotation().maxTotalMegabytes()).isEqualTo(5120);
  }
}
