package dev.inflight.processor.resourcedetection;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentKind;
import dev.inflight.service.config.ConfigFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resource_detection processor's config as a user writes it, through the real loader. */
class ResourceDetectionProcessorConfigTest {
  private static String yaml(String type, String body) {
    return "receivers:\n  nop:\nprocessors:\n  " + type + ":\n" + body.indent(4)
        + "exporters:\n  nop:\nservice:\n  pipelines:\n    traces:\n      receivers: [nop]\n"
        + "      processors: [" + type + "]\n      exporters: [nop]\n";
  }

  private static ResourceDetectionProcessorConfig load(String type, String body) throws Exception {
    return ConfigFixture.component(
        ConfigFixture.load(yaml(type, body), nopReceiver(), nopExporter(), new ResourceDetectionProcessorFactory()),
        ComponentKind.PROCESSOR, type);
  }

  private static List<String> problems(String body) {
    return ConfigFixture.problems(
        yaml("resourcedetection", body), Map.of(), nopReceiver(), nopExporter(), new ResourceDetectionProcessorFactory());
  }

  @Test
  void testdataConfigIsTheDocumentedExampleAndLoadsUnderTheContribName() throws Exception {
    ResourceDetectionProcessorConfig config =
        ConfigFixture.documentedExample(
            "resource_detection/config.yaml", "resource_detection.md", ComponentKind.PROCESSOR,
            "resourcedetection", Map.of(), nopReceiver(), new ResourceDetectionProcessorFactory(), nopExporter());

    assertThat(config.detectors()).containsExactly("env", "system", "ec2");
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.override()).isFalse();
    assertThat(config.system().hostnameSources()).containsExactly("os");
    assertThat(config.system().enabled("host.id")).isTrue();
    assertThat(config.system().enabled("host.arch")).isTrue();
    assertThat(config.system().enabled("host.name")).isTrue();
    assertThat(config.system().enabled("os.description")).isFalse();
  }

  @Test
  void bothTypeNamesLoadWithTheDefaults() throws Exception {
    for (String type : List.of("resource_detection", "resourcedetection/system")) {
      ResourceDetectionProcessorConfig config = load(type, "detectors: [system]\n");
      assertThat(config.detectors()).containsExactly("system");
      assertThat(config.override()).isTrue();
      assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(config.system().hostnameSources()).containsExactly("dns", "os");
    }
  }

  @Test
  void platformBlocksAreAccepted() throws Exception {
    ResourceDetectionProcessorConfig config =
        load("resourcedetection", "detectors: [env, ec2, eks]\nec2:\n  tags: ['^tag1$']\neks:\n  node_from_env_var: K8S_NODE\n");

    assertThat(config.ec2()).containsKey("tags");
  }

  @Test
  void unknownNamesAreRefusedListingTheKnownOnes() {
    assertThat(
            problems(
                """
                detectors: [env, sytem]
                timeout: 0s
                system:
                  hostname_sources: [hostname]
                  resource_attributes:
                    host.nmae:
                      enabled: true
                """))
        .containsExactly(
            "config.yaml:5: processors.resourcedetection.detectors[1]: detectors[1] has unknown detector \"sytem\";"
                + " known detectors: env, system, aks, azure, consul, docker, dynatrace, ec2, ecs, eks,"
                + " elasticbeanstalk, gcp, heroku, k8snode, kubeadm, lambda, openshift",
            "config.yaml:6: processors.resourcedetection.timeout: timeout must be greater than 0",
            "config.yaml:8: processors.resourcedetection.system.hostname_sources[0]: hostname_sources[0] has invalid"
                + " value \"hostname\"; valid values: dns, os, cname, lookup",
            "config.yaml:10: processors.resourcedetection.system.resource_attributes.host.nmae: unknown resource"
                + " attribute \"host.nmae\"; known: host.arch, host.cpu.cache.l2.size, host.cpu.family,"
                + " host.cpu.model.id, host.cpu.model.name, host.cpu.stepping, host.cpu.vendor.id, host.id,"
                + " host.interface, host.ip, host.mac, host.name, os.build.id, os.description, os.name,"
                + " os.type, os.version");
  }
}
