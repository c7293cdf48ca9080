package dev.inflight.service.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** One YAML document and the name its problems are reported under (a path, or "embedded ..."). */
public record ConfigSource(String name, String yaml) {
  public ConfigSource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(yaml, "yaml");
  }

  public static ConfigSource file(Path path) throws IOException {
    return new ConfigSource(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
  }
}
