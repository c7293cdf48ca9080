package dev.inflight.processor.attributes;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentKind;
import dev.inflight.processor.internal.attraction.ActionConfig;
import dev.inflight.processor.internal.attraction.ActionKind;
import dev.inflight.service.config.ConfigFixture;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The attributes processor's config as a user writes it, through the real loader. */
class AttributesProcessorConfigTest {
  private static List<String> problems(String processorsYaml) {
    String yaml = "receivers:\n  nop:\nprocessors:\n" + processorsYaml
        + "exporters:\n  nop:\n"
        + "service:\n  pipelines:\n    traces:\n      receivers: [nop]\n      processors: [attributes]\n"
        + "      exporters: [nop]\n";
    return ConfigFixture.problems(yaml, Map.of(), nopReceiver(), nopExporter(), new AttributesProcessorFactory());
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    AttributesProcessorConfig config =
        ConfigFixture.documentedExample(
            "attributes/config.yaml", "attributes.md", ComponentKind.PROCESSOR, "attributes/example",
            Map.of(), nopReceiver(), new AttributesProcessorFactory(), nopExporter());

    assertThat(config.actions()).extracting(ActionConfig::action)
        .containsExactly(
            ActionKind.DELETE, ActionKind.UPSERT, ActionKind.UPDATE, ActionKind.INSERT, ActionKind.DELETE,
            ActionKind.HASH, ActionKind.CONVERT, ActionKind.EXTRACT);
    assertThat(config.actions().get(1).value()).isEqualTo(true);
    assertThat(config.actions().get(3).value()).isEqualTo(2245L);
    assertThat(config.actions().get(6).convertedType()).isEqualTo("int");
    assertThat(config.include().matchType()).isEqualTo("regexp");
    assertThat(config.include().services()).containsExactly("auth.*");
    assertThat(config.exclude().attributes()).containsExactly(new MatchProperties.Attribute("redact_trace", false));
  }

  @Test
  void theDefaultHasNoActionsAndIsRefused() {
    assertThat(new AttributesProcessorFactory().createDefaultConfig().actions()).isEmpty();
    assertThat(problems("  attributes:\n"))
        .containsExactly(
            "config.yaml:4: processors.attributes.actions: actions must list at least one action,"
                + " e.g. {key: db.statement, action: delete}");
  }

  @Test
  void reportsEveryBadActionAtItsKey() {
    assertThat(
            problems(
                """
                  attributes:
                    actions:
                      - key: a
                        action: upsert
                      - key: b
                        pattern: no-groups
                        action: extract
                      - key: c
                        action: convert
                        converted_type: float
                      - action: delete
                      - key: d
                        value: 1
                        from_attribute: e
                        action: insert
                      - key: f
                        value: 1
                        action: hash
                      - key: g
                        pattern: "("
                        action: delete
                      - key: h
                        from_context: header.x
                        action: insert
                """))
        .containsExactly(
            "config.yaml:6: processors.attributes.actions[0].value: one of value, from_attribute or from_context is required for action upsert",
            "config.yaml:9: processors.attributes.actions[1].pattern: pattern must have named subexpressions for action extract, e.g. ^/api/(?P<version>v\\d+)/",
            "config.yaml:13: processors.attributes.actions[2].converted_type: converted_type has invalid value \"float\"; valid values: int, double, string",
            "config.yaml:14: processors.attributes.actions[3].key: key or pattern is required for action delete",
            "config.yaml:16: processors.attributes.actions[4].value: only one of value, from_attribute and from_context can be set for action insert",
            "config.yaml:20: processors.attributes.actions[5].value: value is not used by action hash; remove it",
            "config.yaml:23: processors.attributes.actions[6].pattern: pattern is not a valid RE2 regular expression: missing closing )",
            "config.yaml:26: processors.attributes.actions[7].from_context: from_context must be client.address or start with metadata. or auth., e.g. metadata.x-tenant-id");
  }

  @Test
  void reportsBadIncludeAndExclude() {
    assertThat(
            problems(
                """
                  attributes:
                    actions:
                      - {key: a, action: delete}
                    include:
                      services: [a]
                    exclude:
                      match_type: regexp
                      span_names: ["("]
                      attributes:
                        - key: n
                          value: 5
                """))
        .containsExactly(
            "config.yaml:7: processors.attributes.include.match_type: match_type is required; valid values: strict, regexp",
            "config.yaml:11: processors.attributes.exclude.span_names[0]: \"(\" is not a valid RE2 regular expression: missing closing )",
            "config.yaml:14: processors.attributes.exclude.attributes[0].value: n=5 is not a valid string for regexp match; quote it");
  }

  @Test
  void anUnknownActionListsTheValidOnes() {
    assertThat(problems("  attributes:\n    actions:\n      - {key: k, action: rename}\n"))
        .singleElement()
        .asString()
        .contains("processors.attributes.actions[0].action: action has invalid value \"rename\"")
        .contains("insert, update, upsert, delete, hash, extract, convert");
  }
}
