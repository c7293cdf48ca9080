package dev.inflight.processor.resourcedetection;

import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * {@code processors.resource_detection}: which detectors run at start and how what they find is
 * merged into every resource, as the Collector's resourcedetection processor.
 *
 * @param detectors run in order; for a key several detect, the first wins
 * @param override whether detected attributes replace ones the resource already has; default
 *     {@value #DEFAULT_OVERRIDE}
 * @param timeout how long detection may take at start; default 5 s
 * @param system the {@code system} detector's settings
 * @param ec2 settings of a platform detector inflight does not implement: accepted, unused (the
 *     same for the other platform blocks)
 */
public record ResourceDetectionProcessorConfig(
    List<String> detectors,
    Boolean override,
    Duration timeout,
    SystemConfig system,
    @Nullable Map<String, Object> aks,
    @Nullable Map<String, Object> azure,
    @Nullable Map<String, Object> consul,
    @Nullable Map<String, Object> docker,
    @Nullable Map<String, Object> dynatrace,
    @Nullable Map<String, Object> ec2,
    @Nullable Map<String, Object> ecs,
    @Nullable Map<String, Object> eks,
    @Nullable Map<String, Object> elasticbeanstalk,
    @Nullable Map<String, Object> gcp,
    @Nullable Map<String, Object> heroku,
    @Nullable Map<String, Object> k8snode,
    @Nullable Map<String, Object> kubeadm,
    @Nullable Map<String, Object> lambda,
    @Nullable Map<String, Object> openshift)
    implements ComponentConfig {
  public static final boolean DEFAULT_OVERRIDE = true;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /** The detectors inflight runs. */
  public static final List<String> IMPLEMENTED = List.of("env", "system");

  /**
   * Platform detectors of the Collector that inflight accepts but does not implement: they add
   * nothing, as the Collector's do when not on that platform.
   */
  public static final List<String> NOT_IMPLEMENTED =
      List.of(
          "aks", "azure", "consul", "docker", "dynatrace", "ec2", "ecs", "eks", "elasticbeanstalk",
          "gcp", "heroku", "k8snode", "kubeadm", "lambda", "openshift");

  public ResourceDetectionProcessorConfig {
    // Not List.copyOf: an empty YAML list item binds to null and validate() reports it by index.
    detectors =
        detectors == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(detectors));
    override = override == null ? DEFAULT_OVERRIDE : override;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    system = system == null ? SystemConfig.DEFAULT : system;
  }

  public static final ResourceDetectionProcessorConfig DEFAULT = of(List.of());

  /** Only {@code detectors} set; every other key at its default. */
  public static ResourceDetectionProcessorConfig of(List<String> detectors) {
    return new ResourceDetectionProcessorConfig(
        detectors, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null);
  }

  /**
   * {@code system:}.
   *
   * @param hostnameSources where {@code host.name} comes from, tried in order until one gives a
   *     name: {@code dns} (the fully qualified name), {@code os} (the machine's own name), {@code
   *     cname}, {@code lookup}; default {@code [dns, os]}
   * @param resourceAttributes per attribute, whether it is detected; see {@link #enabled}
   */
  public record SystemConfig(List<String> hostnameSources, Map<String, Toggle> resourceAttributes) {
    public static final List<String> DEFAULT_HOSTNAME_SOURCES = List.of("dns", "os");
    public static final List<String> HOSTNAME_SOURCES = List.of("dns", "os", "cname", "lookup");

    /** What inflight detects, with the Collector's default for each. */
    public static final Map<String, Boolean> ATTRIBUTES = attributes();

    /** What the Collector's system detector also has and inflight does not detect. */
    public static final Set<String> NOT_DETECTED =
        Set.of(
            "host.ip", "host.mac", "host.interface", "host.cpu.vendor.id", "host.cpu.family",
            "host.cpu.model.id", "host.cpu.model.name", "host.cpu.stepping",
            "host.cpu.cache.l2.size", "os.version", "os.name", "os.build.id");

    private static Map<String, Boolean> attributes() {
      Map<String, Boolean> m = new LinkedHashMap<>();
      m.put("host.name", true);
      m.put("host.id", false);
      m.put("host.arch", false);
      m.put("os.type", true);
      m.put("os.description", false);
      return Collections.unmodifiableMap(m);
    }

    public static final SystemConfig DEFAULT = new SystemConfig(null, null);

    public SystemConfig {
      hostnameSources =
          hostnameSources == null
              ? DEFAULT_HOSTNAME_SOURCES
              : Collections.unmodifiableList(new ArrayList<>(hostnameSources));
      resourceAttributes =
          resourceAttributes == null
              ? Map.of()
              : Collections.unmodifiableMap(new LinkedHashMap<>(resourceAttributes));
    }

    /** Whether {@code attribute} (one of {@link #ATTRIBUTES}) is detected. */
    public boolean enabled(String attribute) {
      Toggle t = resourceAttributes.get(attribute);
      return t != null && t.enabled() != null ? t.enabled() : ATTRIBUTES.getOrDefault(attribute, false);
    }

    void validate(ConfigProblems problems) {
      ConfigProblems sources = problems.at("hostname_sources");
      for (int i = 0; i < hostnameSources.size(); i++) {
        String s = hostnameSources.get(i);
        if (!HOSTNAME_SOURCES.contains(s)) {
          sources.at(i).add(
              "hostname_sources[" + i + "] has invalid value \"" + s + "\"; valid values: "
                  + String.join(", ", HOSTNAME_SOURCES));
        }
      }
      Set<String> known = new TreeSet<>(ATTRIBUTES.keySet());
      known.addAll(NOT_DETECTED);
      for (String name : resourceAttributes.keySet()) {
        if (!known.contains(name)) {
          problems.at("resource_attributes").add(
              name, "unknown resource attribute \"" + name + "\"; known: " + String.join(", ", known));
        }
      }
    }
  }

  /** {@code {enabled: true}}. */
  public record Toggle(@Nullable Boolean enabled) {}

  @Override
  public void validate(ConfigProblems problems) {
    ConfigProblems list = problems.at("detectors");
    for (int i = 0; i < detectors.size(); i++) {
      String d = detectors.get(i);
      if (d == null || !(IMPLEMENTED.contains(d) || NOT_IMPLEMENTED.contains(d))) {
        List<String> known = new ArrayList<>(IMPLEMENTED);
        known.addAll(NOT_IMPLEMENTED);
        list.at(i).add(
            "detectors[" + i + "] has unknown detector \"" + d + "\"; known detectors: "
                + String.join(", ", known));
      }
    }
    if (timeout.isNegative() || timeout.isZero()) {
      problems.add("timeout", "timeout must be greater than 0");
    }
    system.validate(problems.at("system"));
  }
}
