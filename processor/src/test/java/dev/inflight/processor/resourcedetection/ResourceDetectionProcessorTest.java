package dev.inflight.processor.resourcedetection;

import dev.inflight.processor.testing.CapturingLogger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.TracesProcessor;
import dev.inflight.pdata.Traces;
import dev.inflight.processor.resourcedetection.ResourceDetectionProcessorConfig.SystemConfig;
import dev.inflight.processor.resourcedetection.ResourceDetectionProcessorConfig.Toggle;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** Detection with a made-up environment and host, and what the processor does with it. */
class ResourceDetectionProcessorTest {
  private final CapturingLogger logger = new CapturingLogger("processor.resource_detection");
  private final List<Traces> got = new ArrayList<>();

  private static final Map<Path, String> FILES = Map.of(Path.of("/etc/machine-id"), "0123abcd\n");

  private static SystemDetector.Host host(@Nullable String dns, @Nullable String os) {
    Map<String, String> props = Map.of("os.name", "Linux", "os.arch", "aarch64", "os.version", "6.8.0");
    return new SystemDetector.Host(
        source -> switch (source) {
          case "dns" -> dns;
          case "os" -> os;
          default -> null;
        },
        props::get,
        FILES::get);
  }

  private static ResourceDetectionProcessorConfig config(
      List<String> detectors, @Nullable Boolean override, @Nullable SystemConfig system) {
    return new ResourceDetectionProcessorConfig(
        detectors, override, null, system, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null);
  }

  private Map<String, String> detect(ResourceDetectionProcessorConfig config, Map<String, String> env, SystemDetector.Host host)
      throws Exception {
    return new Detection(config, env::get, host, logger).detect();
  }

  @Test
  void envThenSystemWithTheirDefaults() throws Exception {
    Map<String, String> detected =
        detect(
            config(List.of("env", "system"), null, null),
            Map.of("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod, team = checkout%20squad,host.name=from-env"),
            host("web-1.example.com", "web-1"));

    // The first detector of a key wins: env's host.name, not system's.
    assertThat(detected)
        .containsExactly(
            Map.entry("deployment.environment", "prod"),
            Map.entry("team", "checkout squad"),
            Map.entry("host.name", "from-env"),
            Map.entry("os.type", "linux"));
    assertThat(logger.events()).isEmpty();
  }

  @Test
  void systemTriesHostnameSourcesInOrderAndDetectsWhatIsEnabled() throws Exception {
    SystemConfig system =
        new SystemConfig(
            List.of("dns", "os"),
            Map.of(
                "host.id", new Toggle(true), "host.arch", new Toggle(true), "os.description", new Toggle(true),
                "os.type", new Toggle(false)));

    Map<String, String> detected = detect(config(List.of("system"), null, system), Map.of(), host(null, "web-1"));

    assertThat(detected)
        .containsExactly(
            Map.entry("host.name", "web-1"),
            Map.entry("host.id", "0123abcd"),
            Map.entry("host.arch", "arm64"),
            Map.entry("os.description", "Linux 6.8.0"));
  }

  @Test
  void withNoHostNameFromAnySourceSystemAddsNothingAndSaysWhy() throws Exception {
    Map<String, String> detected =
        detect(config(List.of("system", "env"), null, null), Map.of("OTEL_RESOURCE", "old=name"), host(null, null));

    // env still adds, from the spec's old variable name as the Collector reads it.
    assertThat(detected).containsExactly(Map.entry("old", "name"));
    assertThat(logger.events())
        .containsExactly(
            new CapturingLogger.Event(
                Level.WARN, "system: failed to detect resource: no host name from hostname_sources [dns, os]; it adds nothing"));
  }

  @Test
  void aMalformedEnvironmentIsIgnoredWithAWarning() throws Exception {
    Map<String, String> detected =
        detect(config(List.of("env"), null, null), Map.of("OTEL_RESOURCE_ATTRIBUTES", "a=1,oops"), host("h", "h"));

    assertThat(detected).isEmpty();
    assertThat(logger.events())
        .containsExactly(
            new CapturingLogger.Event(Level.WARN, "env: OTEL_RESOURCE_ATTRIBUTES is ignored: \"oops\" is not key=value"));
  }

  @Test
  void platformDetectorsAddNothingAndAreNamedInOneWarning() throws Exception {
    Map<String, String> detected =
        detect(config(List.of("ec2", "env", "gcp"), null, null), Map.of("OTEL_RESOURCE_ATTRIBUTES", "k=v"), host("h", "h"));

    assertThat(detected).containsExactly(Map.entry("k", "v"));
    assertThat(logger.events())
        .containsExactly(
            new CapturingLogger.Event(
                Level.WARN,
                "detectors ec2, gcp are not implemented by inflight and add nothing (as the Collector's do"
                    + " when not on that platform)"));
  }

  @Test
  void detectionLongerThanTheTimeoutFailsTheStart() {
    ResourceDetectionProcessorConfig config =
        new ResourceDetectionProcessorConfig(
            List.of("system"), null, Duration.ofMillis(50), null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null);
    SystemDetector.Host hanging =
        new SystemDetector.Host(
            source -> {
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return null;
            },
            p -> "Linux",
            f -> null);

    assertThatThrownBy(() -> detect(config, Map.of(), hanging))
        .hasMessage("resource detection did not finish within timeout 50 ms");
  }

  // --- the processor

  private static KeyValue str(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static Traces traces(KeyValue... resource) {
    return Traces.of(
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAllAttributes(List.of(resource)))
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder().setName("s"))))
            .build());
  }

  private static Map<String, String> resource(Traces t) {
    Map<String, String> out = new LinkedHashMap<>();
    t.request().getResourceSpans(0).getResource().getAttributesList()
        .forEach(kv -> out.put(kv.getKey(), kv.getValue().getStringValue()));
    return out;
  }

  private TracesProcessor started(@Nullable Boolean override) throws Exception {
    ResourceDetectionProcessorConfig config = config(List.of("env", "system"), override, null);
    Detection detection =
        new Detection(config, Map.of("OTEL_RESOURCE_ATTRIBUTES", "service.name=detected")::get, host("web-1", "web-1"), logger);
    TracesProcessor p = ResourceDetectionProcessor.traces(config, detection, got::add);
    p.start(null);
    return p;
  }

  @Test
  void overrideReplacesWhatTheResourceHas() throws Exception {
    started(null).consumeTraces(traces(str("service.name", "checkout"), str("k", "v")));

    assertThat(resource(got.get(0)))
        .containsExactly(
            Map.entry("service.name", "detected"), Map.entry("k", "v"), Map.entry("host.name", "web-1"),
            Map.entry("os.type", "linux"));
    assertThat(got.get(0).request().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName()).isEqualTo("s");
  }

  @Test
  void withoutOverrideOnlyAbsentKeysAreAdded() throws Exception {
    started(false).consumeTraces(traces(str("service.name", "checkout")));

    assertThat(resource(got.get(0)))
        .containsExactly(
            Map.entry("service.name", "checkout"), Map.entry("host.name", "web-1"), Map.entry("os.type", "linux"));
  }

  @Test
  void aBatchThatAlreadyHasTheDetectedValuesIsHandedOnAsTheSameObject() throws Exception {
    Traces in = traces(str("service.name", "detected"), str("host.name", "web-1"), str("os.type", "linux"));

    started(null).consumeTraces(in);

    assertThat(got.get(0)).isSameAs(in);
  }
}
