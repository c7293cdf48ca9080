package dev.inflight.processor.resource;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.inflight.service.config.ConfigFixture;
import dev.inflight.service.config.InvalidConfigException;
import dev.inflight.service.config.LoadedConfig;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.processor.resource.ResourceProcessorConfig.Action;
import dev.inflight.processor.resource.ResourceProcessorConfig.AttributeAction;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resource processor's config as a user writes it, through the real loader. */
class ResourceProcessorConfigTest {
  private static final Map<String, String> ENV =
      Map.of("MACHINE_ID", "machine-prod-01", "RAILWAY_ENVIRONMENT", "production", "RAILWAY_REGION", "us-west1");

  private static String yaml(String processorsYaml) {
    return "receivers:\n  nop:\nprocessors:\n" + processorsYaml
        + "exporters:\n  nop:\n"
        + "service:\n  pipelines:\n    traces:\n      receivers: [nop]\n      processors: [resource]\n"
        + "      exporters: [nop]\n";
  }

  private static LoadedConfig loadConfig(String processorsYaml, Map<String, String> env)
      throws InvalidConfigException {
    return ConfigFixture.load(yaml(processorsYaml), env, nopReceiver(), nopExporter(), new ResourceProcessorFactory());
  }

  private static ResourceProcessorConfig load(String processorsYaml) throws InvalidConfigException {
    return (ResourceProcessorConfig)
        loadConfig(processorsYaml, ENV).config().of(ComponentKind.PROCESSOR).get(ComponentId.of("resource"));
  }

  private static List<String> problems(String processorsYaml) {
    return ConfigFixture.problems(
        yaml(processorsYaml), ENV, nopReceiver(), nopExporter(), new ResourceProcessorFactory());
  }

  /** Seed 004's block, exactly as written there. */
  private static final String SEED_004 =
      """
        resource:
          attributes:
            - key: machine.id
              value: ${MACHINE_ID}
              action: upsert
            - key: deployment.environment \s
              value: ${RAILWAY_ENVIRONMENT}
              action: upsert
            - key: service.region
              value: ${RAILWAY_REGION}
              action: upsert
      """;

  @Test
  void seed004LoadsWithItsEnvironment() throws Exception {
    ResourceProcessorConfig config = load(SEED_004);

    assertThat(config.attributes())
        .containsExactly(
            AttributeAction.upsert("machine.id", "machine-prod-01"),
            AttributeAction.upsert("deployment.environment", "production"),
            AttributeAction.upsert("service.region", "us-west1"));
  }

  @Test
  void seed004LoadsWithAVariableUnsetAsAnEmptyStringAndAWarning() throws Exception {
    LoadedConfig loaded = loadConfig(SEED_004, Map.of("MACHINE_ID", "m1", "RAILWAY_ENVIRONMENT", "prod"));

    ResourceProcessorConfig config =
        (ResourceProcessorConfig) loaded.config().of(ComponentKind.PROCESSOR).get(ComponentId.of("resource"));
    assertThat(config.attributes().get(2)).isEqualTo(AttributeAction.upsert("service.region", ""));
    assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w).contains("${RAILWAY_REGION} is not set"));
  }

  @Test
  void valuesKeepTheirYamlType() throws Exception {
    ResourceProcessorConfig config =
        load(
            """
              resource:
                attributes:
                  - {key: s, value: text, action: insert}
                  - {key: quoted, value: "42", action: insert}
                  - {key: i, value: 42, action: update}
                  - {key: d, value: 0.5, action: upsert}
                  - {key: b, value: true, action: upsert}
                  - {key: list, value: [a, 1], action: upsert}
                  - {key: copy, from_attribute: host.name, action: insert}
                  - {key: secret, action: delete}
                  - {key: shout, value: x, action: UPSERT}
            """);

    assertThat(config.attributes())
        .extracting(AttributeAction::value)
        .containsExactly("text", "42", 42L, 0.5, true, List.of("a", 1L), null, null, "x");
    assertThat(config.attributes().get(6)).isEqualTo(new AttributeAction("copy", null, Action.INSERT, "host.name"));
    assertThat(config.attributes())
        .extracting(AttributeAction::action)
        .containsExactly(
            Action.INSERT, Action.INSERT, Action.UPDATE, Action.UPSERT, Action.UPSERT, Action.UPSERT,
            Action.INSERT, Action.DELETE, Action.UPSERT);
  }

  @Test
  void withoutAttributesTheProcessorIsRefusedAsInTheCollector() {
    assertThat(problems("  resource:\n"))
        .singleElement(STRING)
        .startsWith("config.yaml:4: processors.resource.attributes: attributes must list at least one action");
  }

  @Test
  void refusesAnUnknownAction() {
    assertThat(problems("  resource:\n    attributes:\n      - {key: k, value: v, action: hash}\n"))
        .singleElement(STRING)
        .contains("processors.resource.attributes[0].action: action has invalid value \"hash\"")
        .contains("insert, update, upsert, delete");
  }

  @Test
  void reportsEveryBadEntryAtItsLine() {
    assertThat(
            problems(
                """
                  resource:
                    attributes:
                      - key: ""
                        value: v
                        action: upsert
                      - key: a
                        action: insert
                      - key: b
                        value: 1
                        from_attribute: c
                        action: update
                      - key: c
                        value: 1
                        action: delete
                      - key: d
                        value: v
                """))
        .containsExactly(
            "config.yaml:6: processors.resource.attributes[0].key: key must not be empty",
            "config.yaml:9: processors.resource.attributes[1].value: value or from_attribute is required for action insert",
            "config.yaml:12: processors.resource.attributes[2].value: value and from_attribute cannot both be set;"
                + " action update takes its value from one of them",
            "config.yaml:16: processors.resource.attributes[3].value: value is not used by action delete; remove it",
            "config.yaml:18: processors.resource.attributes[4].action: action is required: insert, update, upsert or delete");
  }

  @Test
  void suggestsTheKeyForATypo() {
    assertThat(problems("  resource:\n    attributes:\n      - {key: k, value: v, action: upsert, form_attribute: x}\n"))
        .singleElement(STRING)
        .contains("unknown key `form_attribute`")
        .contains("from_attribute");
  }

  @Test
  void validateNamesTheKey() {
    ConfigProblems problems = ConfigProblems.root();
    new ResourceProcessorConfig(
            List.of(new AttributeAction("k", null, Action.DELETE, "other"), AttributeAction.upsert("n", new Object())))
        .validate(problems);

    assertThat(problems.all())
        .extracting(p -> p.path() + ": " + p.message())
        .containsExactly(
            "attributes[0].from_attribute: from_attribute is not used by action delete; remove it",
            "attributes[1].value: value has an unsupported type Object; use a string, number, boolean, list or map");
  }

  @Test
  void theDefaultIsEmpty() {
    assertThat(new ResourceProcessorFactory().createDefaultConfig().attributes()).isEmpty();
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoads() throws Exception {
    ResourceProcessorConfig config = ConfigFixture.documentedExample(
        "resource/config.yaml", "resource.md", ComponentKind.PROCESSOR, "resource",
        Map.of("MACHINE_ID", "m-1", "RAILWAY_ENVIRONMENT", "production", "RAILWAY_REGION", "us-west1"), nopReceiver(), new ResourceProcessorFactory(), nopExporter());

    assertThat(config.attributes()).extracting(ResourceProcessorConfig.AttributeAction::key)
        .containsExactly("machine.id", "deployment.environment", "service.region");
    assertThat(config.attributes()).extracting(ResourceProcessorConfig.AttributeAction::value)
        .containsExactly("m-1", "production", "us-west1");
  }
}
