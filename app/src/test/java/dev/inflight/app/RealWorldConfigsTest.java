package dev.inflight.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.service.config.ConfigLoader;
import dev.inflight.service.config.ConfigSource;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.service.config.LoadedConfig;
import dev.inflight.service.config.LocatedProblem;
import dev.inflight.service.config.UpstreamComponents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Collector configs written by others (config/src/test/resources/realworld, each citing its source)
 * load exactly as {@code expected.txt} says: which load, and what every other one is told, line by
 * line. A change to what inflight accepts or says shows up here as a diff to review; run with
 * {@code -Drealworld.update=true} to rewrite expected.txt after reading the diff.
 */
class RealWorldConfigsTest {
  private static final Path DIR = Path.of("../config/src/test/resources/realworld");

  /** Configs the project runs layered on another, as its compose file passes them: --config a --config b. */
  private static final Map<String, List<String>> LAYERED = Map.of(
      "02-otel-demo-otelcol-config-observability.yaml",
      List.of("01-otel-demo-otelcol-config.yaml", "02-otel-demo-otelcol-config-observability.yaml"));

  @Test
  void eachConfigLoadsOrGetsTheExpectedMessages() throws Exception {
    FactoryRegistry registry = FactoryRegistry.load();
    Map<String, String> env = readEnv(DIR.resolve("deployment.env"));
    ConfigLoader loader = new ConfigLoader(registry, env::get);
    List<String> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSize(25);

    StringBuilder actual = new StringBuilder();
    int loading = 0;
    for (String file : files) {
      List<ConfigSource> sources = new ArrayList<>();
      for (String name : LAYERED.getOrDefault(file, List.of(file))) {
        sources.add(new ConfigSource(name, Files.readString(DIR.resolve(name))));
      }
      actual.append("== ").append(String.join(" + ", LAYERED.getOrDefault(file, List.of(file)))).append('\n');
      try {
        LoadedConfig loaded = loader.load(sources, List.of());
        loading++;
        actual.append("loads\n");
        loaded.warnings().forEach(w -> actual.append("warning: ").append(w).append('\n'));
      } catch (InvalidConfigException e) {
        for (LocatedProblem p : e.problems()) {
          actual.append("error: ").append(p).append('\n');
        }
        e.warnings().forEach(w -> actual.append("warning: ").append(w).append('\n'));
      }
    }
    actual.append("== ").append(loading).append(" of ").append(files.size()).append(" load\n");

    Path expectedFile = DIR.resolve("expected.txt");
    if (Boolean.getBoolean("realworld.update")) {
      Files.writeString(expectedFile, actual.toString(), StandardCharsets.UTF_8);
    }
    Files.writeString(Path.of("target/realworld-actual.txt"), actual.toString(), StandardCharsets.UTF_8);
    assertThat(actual.toString())
        .as("what the real-world configs load as (target/realworld-actual.txt); diff it with expected.txt")
        .isEqualTo(Files.readString(expectedFile));
  }

  /** A type this build has must not be listed as one it lacks: its users would be told to remove it. */
  @Test
  void noComponentThisBuildHasIsListedAsMissing() {
    FactoryRegistry registry = FactoryRegistry.load();
    for (ComponentKind kind : ComponentKind.values()) {
      for (String type : UpstreamComponents.types(kind)) {
        assertThat(registry.find(kind, type)).as(kind + " " + type + " is in collector-components.txt").isEmpty();
      }
    }
    assertThat(UpstreamComponents.types(ComponentKind.PROCESSOR)).contains("tail_sampling", "transform");
  }

  private static Map<String, String> readEnv(Path file) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      env.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return env;
  }
}
