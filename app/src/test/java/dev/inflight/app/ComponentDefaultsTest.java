package dev.inflight.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentKind;
import dev.inflight.component.Factory;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.config.ConfigProblem;
import dev.inflight.component.config.ConfigProblems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code inflight components} lists as a component's default config is a config that
 * validates, so {@code type: {}} runs; only a component that cannot guess where its data goes or
 * comes from requires that one key, and says so.
 */
class ComponentDefaultsTest {
  /** kind/type → the one key its default leaves for the user (as the Collector's own components do). */
  private static final Map<String, String> NEEDS = Map.ofEntries(
      Map.entry("exporter/otlp_grpc", "endpoint"),
      Map.entry("exporter/otlp_http", "endpoint"),
      Map.entry("exporter/prometheusremotewrite", "endpoint"),
      Map.entry("exporter/file", "path"),
      Map.entry("receiver/file", "include"),
      // The scrape jobs: the contrib receiver's default has none either.
      Map.entry("receiver/prometheus", "config"),
      // As in the Collector: a protocol is on when its key is present, and one must be.
      Map.entry("receiver/otlp", "protocols"),
      Map.entry("processor/memory_limiter", "limit_mib"),
      Map.entry("processor/resource", "attributes"),
      Map.entry("processor/attributes", "actions"),
      // Credentials are the whole point of an auth extension; the Collector's refuse none too.
      Map.entry("extension/basicauth", "htpasswd"),
      Map.entry("extension/bearertokenauth", "token"));

  @Test
  void everyDefaultConfigValidatesUnlessItNeedsADestination() {
    FactoryRegistry registry = FactoryRegistry.load();
    List<String> checked = new ArrayList<>();
    for (ComponentKind kind : ComponentKind.values()) {
      for (Factory<?> factory : registry.factories(kind)) {
        String id = kind + "/" + factory.type();
        ConfigProblems problems = ConfigProblems.root();
        factory.createDefaultConfig().validate(problems);
        List<String> paths = problems.all().stream().map(ConfigProblem::path).toList();
        if (NEEDS.containsKey(id)) {
          assertThat(paths).as(id + ": " + problems.all()).containsExactly(NEEDS.get(id));
        } else {
          assertThat(problems.all()).as(id + "'s default config").isEmpty();
        }
        checked.add(id);
      }
    }
    assertThat(checked).contains("connector/concurrency", "exporter/prometheus", "receiver/otlp").containsAll(NEEDS.keySet());
  }
}
