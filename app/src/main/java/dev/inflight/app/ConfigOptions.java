package dev.inflight.app;

import dev.inflight.service.config.ConfigSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --config} and {@code --set}, shared by the commands that load a config. */
final class ConfigOptions {
  static final String EMBEDDED_NAME = "embedded otel-collector.yaml";

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = {
        "Collector YAML config; may be given more than once: later files override earlier ones,"
            + " maps merge. A file: prefix is accepted. Default: the embedded otel-collector.yaml."
      })
  List<String> configs = new ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "PATH=VALUE",
      description = {
        "Override one key, after all files, e.g. --set processors::batch::timeout=2s"
            + " (path separated by :: or by . ; the value is read as YAML)."
      })
  List<String> sets = new ArrayList<>();

  /** The sources to load, in order. */
  List<ConfigSource> sources() throws IOException {
    if (configs.isEmpty()) {
      return List.of(embedded());
    }
    List<ConfigSource> out = new ArrayList<>();
    for (String c : configs) {
      String path = c.startsWith("file:") ? c.substring(5) : c;
      try {
        out.add(ConfigSource.file(Path.of(path)));
      } catch (NoSuchFileException e) {
        throw new IOException("cannot read config " + path + ": no such file", e);
      } catch (IOException e) {
        throw new IOException("cannot read config " + path + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  static ConfigSource embedded() {
    try (InputStream in = ConfigOptions.class.getResourceAsStream("otel-collector.yaml")) {
      if (in == null) {
        throw new IllegalStateException("the jar has no embedded otel-collector.yaml");
      }
      return new ConfigSource(EMBEDDED_NAME, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
