package dev.inflight.extension.query;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.config.ByteSize;
import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.FactoryRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The query extension's config as a user writes it, through the real loader. */
class QueryExtensionConfigTest {
  private static String yaml(String extensionYaml) {
    return "receivers:\n  nop:\nexporters:\n  nop:\nextensions:\n" + extensionYaml
        + "service:\n  extensions: [query]\n"
        + "  pipelines:\n    traces:\n      receivers: [nop]\n      exporters: [nop]\n";
  }

  private static QueryExtensionConfig load(String extensionYaml) throws InvalidConfigException {
    return (QueryExtensionConfig)
        ConfigFixture.load(yaml(extensionYaml), nopReceiver(), nopExporter(), new QueryExtensionFactory())
            .config().of(ComponentKind.EXTENSION).get(ComponentId.of("query"));
  }

  private static List<String> problems(String extensionYaml) {
    return ConfigFixture.problems(yaml(extensionYaml), nopReceiver(), nopExporter(), new QueryExtensionFactory());
  }

  @Test
  void emptySectionGetsTheDefaults() throws Exception {
    QueryExtensionConfig c = load("  query:\n    tempo_url: \"\"\n");
    assertThat(c.endpoint()).isEqualTo("0.0.0.0:5050");
    assertThat(c.store().maxBytes().bytes()).isEqualTo(64L << 20);
    assertThat(c.store().maxAge()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.store().enabled()).isTrue();
    assertThat(c.tempoUrl()).isEmpty();
    assertThat(c.tempoTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.history()).isEqualTo(Duration.ofMinutes(15));
  }

  @Test
  void bindsEveryKey() throws Exception {
    QueryExtensionConfig c = load("""
          query:
            endpoint: localhost:6060
            store:
              max_bytes: 1MiB
              max_age: 5m
            tempo_url: http://tempo:3200/prefix
            tempo_headers:
              X-Scope-OrgID: team-a
            tempo_timeout: 3s
            history: 30m
        """);
    assertThat(c.endpoint()).isEqualTo("localhost:6060");
    assertThat(c.store().maxBytes().bytes()).isEqualTo(1L << 20);
    assertThat(c.store().maxAge()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.tempoUrl()).isEqualTo("http://tempo:3200/prefix");
    assertThat(c.tempoHeaders()).isEqualTo(Map.of("X-Scope-OrgID", "team-a"));
    assertThat(c.tempoTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.history()).isEqualTo(Duration.ofMinutes(30));
    assertThat(load("  query:\n    store:\n      max_bytes: 0\n").store().enabled()).isFalse();
  }

  @Test
  void refusesWhatCannotWork() {
    assertThat(problems("""
          query:
            endpoint: "5050"
            store:
              max_bytes: 1KiB
              max_age: 0s
            tempo_url: tempo:3200
            tempo_timeout: 0s
            history: 2h
        """))
        .anySatisfy(p -> assertThat(p).contains("extensions.query.endpoint: endpoint \"5050\" must be host:port"))
        .anySatisfy(p -> assertThat(p).contains("extensions.query.store.max_bytes: max_bytes must be 0 (no store) or at least 64KiB"))
        .anySatisfy(p -> assertThat(p).contains("extensions.query.store.max_age: max_age must be positive"))
        .anySatisfy(p -> assertThat(p).contains("extensions.query.tempo_url: tempo_url \"tempo:3200\" must start with http:// or https://"))
        .anySatisfy(p -> assertThat(p).contains("extensions.query.tempo_timeout: tempo_timeout must be positive"))
        .anySatisfy(p -> assertThat(p).contains("extensions.query.history: history must be between 1m and 1h"))
        .hasSize(6);
    // What the Tempo client cannot send is refused at load time, not at the first query.
    assertThat(problems("  query:\n    tempo_url: http://user:secret@tempo:3200\n"))
        .singleElement().satisfies(p -> assertThat(p).contains("extensions.query.tempo_url"));
    assertThat(problems("  query:\n    tempo_url: http://tempo:3200\n    tempo_headers:\n      Host: other\n"))
        .singleElement().satisfies(p -> assertThat(p).contains("Host"));
  }

  @Test
  void registeredForServiceLoader() {
    assertThat(FactoryRegistry.load().find(ComponentKind.EXTENSION, "query")).get().isInstanceOf(QueryExtensionFactory.class);
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    QueryExtensionConfig config = ConfigFixture.documentedExample(
        "query/config.yaml", "query.md", ComponentKind.EXTENSION, "query",
        Map.of("TEMPO_TENANT", "acme"), nopReceiver(), nopExporter(), new QueryExtensionFactory());

    assertThat(config.endpoint()).isEqualTo("0.0.0.0:5050");
    assertThat(config.store()).isEqualTo(new QueryExtensionConfig.Store(ByteSize.ofMebibytes(128), Duration.ofHours(1)));
    assertThat(config.tempoUrl()).isEmpty();
    assertThat(config.tempoHeaders()).containsExactly(Map.entry("X-Scope-OrgID", "acme"));
  }
}
