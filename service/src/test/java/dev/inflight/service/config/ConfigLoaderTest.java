package dev.inflight.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.inflight.service.config.TestComponents.BatchConfig;
import dev.inflight.service.config.TestComponents.Compression;
import dev.inflight.service.config.TestComponents.ExporterConfig;
import dev.inflight.service.config.TestComponents.ReceiverConfig;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.config.ByteSize;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  private final Map<String, String> env = new HashMap<>();
  private final ConfigLoader loader = new ConfigLoader(TestComponents.registry(), env::get);

  private static final String VALID = """
      receivers:
        otlp:
          protocols:
            grpc:
              endpoint: 0.0.0.0:4317
      processors:
        batch:
          timeout: 5s
          send_batch_size: 1024
          send_batch_max_size: 2048
      exporters:
        otlp:
          endpoint: ${DASH0_OTLP_ENDPOINT}
          headers:
            Authorization: "Bearer ${env:DASH0_API_TOKEN}"
          compression: gzip
      extensions:
        health_check:
          endpoint: 0.0.0.0:13133
      service:
        extensions: [health_check]
        pipelines:
          traces:
            receivers: [otlp]
            processors: [batch]
            exporters: [otlp]
      """;

  private LoadedConfig load(String... yamls) throws InvalidConfigException {
    List<ConfigSource> sources = new java.util.ArrayList<>();
    for (int i = 0; i < yamls.length; i++) {
      sources.add(new ConfigSource("c" + (i + 1) + ".yaml", yamls[i]));
    }
    return loader.load(sources, List.of());
  }

  private List<String> problems(List<String> sets, String... yamls) {
    List<ConfigSource> sources = new java.util.ArrayList<>();
    for (int i = 0; i < yamls.length; i++) {
      sources.add(new ConfigSource("c" + (i + 1) + ".yaml", yamls[i]));
    }
    InvalidConfigException e =
        catchThrowableOfType(InvalidConfigException.class, () -> loader.load(sources, sets));
    assertThat(e).as("expected the config to be refused").isNotNull();
    return e.problems().stream().map(LocatedProblem::toString).toList();
  }

  private List<String> problems(String... yamls) {
    return problems(List.of(), yamls);
  }

  @Test
  void bindsRecordsWithDefaultsEnvAndDurations() throws Exception {
    env.put("DASH0_OTLP_ENDPOINT", "ingress.eu.dash0.com:4317");
    env.put("DASH0_API_TOKEN", "secret");
    LoadedConfig loaded = load(VALID);

    ExporterConfig exporter =
        (ExporterConfig) loaded.config().of(ComponentKind.EXPORTER).get(ComponentId.of("otlp"));
    assertThat(exporter.endpoint()).isEqualTo("ingress.eu.dash0.com:4317");
    assertThat(exporter.headers()).containsEntry("Authorization", "Bearer secret");
    assertThat(exporter.compression()).isEqualTo(Compression.GZIP);
    // Not in the YAML: from the factory's defaults.
    assertThat(exporter.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(exporter.maxSize()).isEqualTo(ByteSize.ofMebibytes(4));

    BatchConfig batch = (BatchConfig) loaded.config().of(ComponentKind.PROCESSOR).get(ComponentId.of("batch"));
    assertThat(batch).isEqualTo(new BatchConfig(Duration.ofSeconds(5), 1024, 2048));

    ReceiverConfig receiver = (ReceiverConfig) loaded.config().of(ComponentKind.RECEIVER).get(ComponentId.of("otlp"));
    assertThat(receiver.protocols().grpc().endpoint()).isEqualTo("0.0.0.0:4317");
    assertThat(receiver.protocols().grpc().maxRecvMsgSizeMib()).isEqualTo(4); // default kept beside the override
    assertThat(receiver.protocols().http().endpoint()).isEqualTo("localhost:4318");
    assertThat(loaded.warnings()).isEmpty();
  }

  @Test
  void unsetVariableThatEmptiesARequiredFieldSaysSo() {
    assertThat(problems(VALID)).containsExactly(
        "c1.yaml:13: exporters.otlp.endpoint: endpoint must not be empty: ${DASH0_OTLP_ENDPOINT} is not set");
  }

  @Test
  void unsetVariableInAnOptionalFieldIsAWarning() throws Exception {
    env.put("DASH0_OTLP_ENDPOINT", "localhost:4317");
    LoadedConfig loaded = load(VALID);
    assertThat(loaded.warnings()).containsExactly(
        "c1.yaml:15: exporters.otlp.headers.Authorization: ${DASH0_API_TOKEN} is not set; using an empty value");
  }

  @Test
  void envExpansionForms() throws Exception {
    env.put("HOST", "collector");
    String yaml = VALID.replace("${DASH0_OTLP_ENDPOINT}", "${env:HOST}:${PORT:-4317}")
        .replace("Bearer ${env:DASH0_API_TOKEN}", "$${env:NOT_EXPANDED} costs $$5 and $HOME stays");
    ExporterConfig exporter =
        (ExporterConfig) load(yaml).config().of(ComponentKind.EXPORTER).get(ComponentId.of("otlp"));
    assertThat(exporter.endpoint()).isEqualTo("collector:4317");
    assertThat(exporter.headers().get("Authorization")).isEqualTo("${env:NOT_EXPANDED} costs $5 and $HOME stays");
  }

  @Test
  void setVariableWinsOverDefault() throws Exception {
    env.put("PORT", "14317");
    env.put("HOST", "h");
    String yaml = VALID.replace("${DASH0_OTLP_ENDPOINT}", "${env:HOST}:${env:PORT:-4317}");
    ExporterConfig exporter =
        (ExporterConfig) load(yaml).config().of(ComponentKind.EXPORTER).get(ComponentId.of("otlp"));
    assertThat(exporter.endpoint()).isEqualTo("h:14317");
  }

  @Test
  void unsupportedSchemeIsAnError() {
    env.put("DASH0_API_TOKEN", "t");
    String yaml = VALID.replace("${DASH0_OTLP_ENDPOINT}", "${file:/etc/endpoint}");
    assertThat(problems(yaml)).contains(
        "c1.yaml:13: exporters.otlp.endpoint: unsupported scheme \"file\" in \"${file:/etc/endpoint}\";"
            + " inflight expands ${env:VAR}, ${VAR} and ${env:VAR:-default}");
  }

  @Test
  void everyProblemIsReportedWithPathLineAndSuggestion() {
    env.put("DASH0_OTLP_ENDPOINT", "x:1");
    String yaml = """
        receivers:
          otlp:
            protocols:
              grpc:
                endpiont: 0.0.0.0:4317
                max_recv_msg_size_mib: lots
        processors:
          batch:
            timeout: 5x
            send_batch_size: 1024
            send_batch_max_size: 10
        exporters:
          otlp:
            endpoint: ""
            compression: brotli
            tls: {insecure: maybe}
        extensions:
          health_check:
        servce:
          pipelines: {}
        service:
          extensions: [health_check]
          pipelines:
            traces:
              receivers: [otlp]
              processors: [batch]
              exporters: [otlp, debug]
              exporter: []
        """;
    assertThat(problems(yaml)).containsExactly(
        "c1.yaml:5: receivers.otlp.protocols.grpc.endpiont: unknown key `endpiont`; did you mean `endpoint`?",
        "c1.yaml:6: receivers.otlp.protocols.grpc.max_recv_msg_size_mib: max_recv_msg_size_mib must be a number, not \"lots\"",
        "c1.yaml:9: processors.batch.timeout: invalid duration \"5x\": cannot read \"5x\""
            + " (use a number with a unit: 200ms, 5s, 1m, 1h30m; units ns, us, ms, s, m, h)",
        "c1.yaml:11: processors.batch.send_batch_max_size: send_batch_max_size must be greater or equal to send_batch_size",
        "c1.yaml:14: exporters.otlp.endpoint: endpoint must not be empty",
        "c1.yaml:15: exporters.otlp.compression: compression has invalid value \"brotli\"; valid values: gzip, none, zstd",
        "c1.yaml:16: exporters.otlp.tls.insecure: insecure must be true or false, not \"maybe\"",
        "c1.yaml:19: servce: unknown top-level key `servce`; did you mean `service`?",
        "c1.yaml:27: service.pipelines.traces.exporters[1]: exporter \"debug\" is used but not defined under"
            + " exporters or connectors (defined: otlp)",
        "c1.yaml:28: service.pipelines.traces.exporter: unknown key `exporter`; did you mean `exporters`?");
  }

  @Test
  void unknownTypeListsKnownTypes() {
    String yaml = """
        receivers:
          otlpp:
        exporters:
          kafkaa/out:
        service:
          pipelines:
            traces:
              receivers: [otlpp]
              exporters: [kafkaa/out]
        """;
    assertThat(problems(yaml)).containsExactly(
        "c1.yaml:2: receivers.otlpp: unknown receiver type \"otlpp\"; did you mean `otlp`?; known receiver types: otlp",
        "c1.yaml:4: exporters.kafkaa/out: unknown exporter type \"kafkaa\"; known exporter types: otlp");
  }

  /** A config copied from a Collector: its components inflight lacks say so, and what to do. */
  @Test
  void collectorComponentsInflightLacksSaySoAndWhatToDo() {
    String yaml = """
        receivers:
          otlp:
        processors:
          tail_sampling:
            policies: []
        exporters:
          logging:
          otlp:
            endpoint: x:1
        service:
          pipelines:
            traces:
              receivers: [otlp]
              processors: [tail_sampling]
              exporters: [logging, otlp]
        """;
    assertThat(problems(yaml)).containsExactly(
        "c1.yaml:4: processors.tail_sampling: processor \"tail_sampling\" is a Collector component inflight does"
            + " not have: remove it from processors and from the pipelines that use it, or run it in a Collector in"
            + " front of inflight (docs/configuration.md, \"From a Collector config\"); inflight's processor types: batch",
        "c1.yaml:7: exporters.logging: exporter \"logging\" was removed upstream: use debug (the logging exporter"
            + " was removed from the Collector in v0.111.0; debug takes verbosity: basic, normal or detailed)");
  }

  /**
   * A profiles pipeline is one warning: the pipeline and what only it uses are skipped, nothing of it
   * is an unknown type or unused; what it shares with other pipelines still runs there.
   */
  @Test
  void aProfilesPipelineIsOneWarningAndIsSkipped() throws Exception {
    String yaml = """
        receivers:
          otlp:
          pyroscope:
        exporters:
          otlp:
            endpoint: x:1
          otlp/profiles:
            endpoint: y:1
        service:
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [otlp]
            profiles:
              receivers: [otlp, pyroscope]
              exporters: [otlp/profiles]
        """;
    LoadedConfig loaded = load(yaml);
    assertThat(loaded.warnings()).containsExactly(
        "c1.yaml:14: service.pipelines.profiles: inflight has no profiles signal (in the Collector it is"
            + " experimental, behind the service.profilesSupport feature gate): this pipeline is skipped, and so are"
            + " the components only it uses: pyroscope, otlp/profiles");
    assertThat(loaded.config().service().pipelines()).containsOnlyKeys("traces");
    assertThat(loaded.config().of(ComponentKind.EXPORTER).keySet().stream().map(Object::toString)).containsExactly("otlp");
    assertThat(loaded.config().of(ComponentKind.RECEIVER).keySet().stream().map(Object::toString)).containsExactly("otlp");
  }

  @Test
  void graphErrorsAreLocated() {
    env.put("DASH0_OTLP_ENDPOINT", "x:1");
    String yaml = VALID.replace("processors: [batch]", "processors: [batch, batch/2]")
        .replace("extensions: [health_check]", "extensions: [health_chek]");
    assertThat(problems(yaml)).containsExactly(
        "c1.yaml:21: service.extensions[0]: extension \"health_chek\" is used but not defined under extensions"
            + " (defined: health_check); did you mean `health_check`?",
        "c1.yaml:25: service.pipelines.traces.processors[1]: processor \"batch/2\" is used but not defined under"
            + " processors (defined: batch); did you mean `batch`?");
  }

  @Test
  void laterFilesOverrideEarlierOnesAndMapsMerge() throws Exception {
    env.put("DASH0_OTLP_ENDPOINT", "first:4317");
    String override = """
        exporters:
          otlp:
            endpoint: second:4317
            timeout: 30s
        processors:
          batch:
            send_batch_max_size: 4096
        """;
    LoadedConfig loaded = load(VALID, override);
    ExporterConfig exporter =
        (ExporterConfig) loaded.config().of(ComponentKind.EXPORTER).get(ComponentId.of("otlp"));
    assertThat(exporter.endpoint()).isEqualTo("second:4317");
    assertThat(exporter.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(exporter.headers()).containsKey("Authorization"); // kept from the first file
    BatchConfig batch = (BatchConfig) loaded.config().of(ComponentKind.PROCESSOR).get(ComponentId.of("batch"));
    assertThat(batch).isEqualTo(new BatchConfig(Duration.ofSeconds(5), 1024, 4096));
  }

  @Test
  void problemsPointAtTheFileThatWroteTheValue() {
    env.put("DASH0_OTLP_ENDPOINT", "x:1");
    String override = """

        exporters:
          otlp:
            timeout: forever
        """;
    assertThat(problems(VALID, override)).containsExactly(
        "c2.yaml:4: exporters.otlp.timeout: invalid duration \"forever\": cannot read \"forever\""
            + " (use a number with a unit: 200ms, 5s, 1m, 1h30m; units ns, us, ms, s, m, h)");
  }

  @Test
  void setOverridesOneKeyWithEitherSeparator() throws Exception {
    env.put("DASH0_OTLP_ENDPOINT", "x:1");
    LoadedConfig loaded = loader.load(
        List.of(new ConfigSource("c.yaml", VALID)),
        List.of("processors::batch::timeout=2s", "exporters.otlp.compression=zstd",
            "service::telemetry::logs::level=debug", "exporters::otlp::headers={X-Team: core}"));
    BatchConfig batch = (BatchConfig) loaded.config().of(ComponentKind.PROCESSOR).get(ComponentId.of("batch"));
    assertThat(batch.timeout()).isEqualTo(Duration.ofSeconds(2));
    ExporterConfig exporter =
        (ExporterConfig) loaded.config().of(ComponentKind.EXPORTER).get(ComponentId.of("otlp"));
    assertThat(exporter.compression()).isEqualTo(Compression.ZSTD);
    assertThat(exporter.headers()).containsEntry("X-Team", "core").containsKey("Authorization");
    assertThat(loaded.config().service().telemetry().logs().level()).isEqualTo(TelemetryConfig.LogLevel.DEBUG);
  }

  /** An unset ${env:X} in an enum key says which values it takes, not Jackson's coercion advice. */
  @Test
  void anEmptyEnumValueListsTheValidOnes() {
    env.put("DASH0_OTLP_ENDPOINT", "x:1");
    assertThat(problems(VALID + "  telemetry:\n    logs:\n      level: ${env:UNSET_LEVEL}\n")).containsExactly(
        "c1.yaml:29: service.telemetry.logs.level: level has invalid value \"\"; valid values: debug, info, warn, error"
            + ": ${UNSET_LEVEL} is not set");
  }

  @Test
  void badSetIsReportedAgainstTheFlag() {
    env.put("DASH0_OTLP_ENDPOINT", "x:1");
    assertThat(problems(List.of("service::telemetry::logs::level=verbose"), VALID)).containsExactly(
        "--set service::telemetry::logs::level=verbose: service.telemetry.logs.level: level has invalid value"
            + " \"verbose\"; valid values: debug, info, warn, error");
    assertThat(problems(List.of("nonsense"), VALID)).containsExactly(
        "--set nonsense: --set takes path=value, e.g. --set processors::batch::timeout=2s");
  }

  @Test
  void yamlSyntaxErrorHasItsLineAndColumn() {
    assertThat(problems("receivers:\n  otlp:\n    protocols: [grpc\n  exporters: {}\n"))
        .singleElement().asString().startsWith("c1.yaml:4:12: invalid YAML: while parsing a flow sequence");
    // The column is where the scanner gave up: here, the tab YAML does not allow for indentation.
    assertThat(problems("receivers:\n  otlp:\n\tprotocols: {}\n"))
        .singleElement().asString().startsWith("c1.yaml:3:1: invalid YAML: ");
  }

  @Test
  void duplicateKeysAreRefused() {
    assertThat(problems("receivers:\n  otlp:\n  otlp:\n")).containsExactly(
        "c1.yaml:3: receivers.otlp: duplicate key `otlp` (first written at line 2)");
  }

  @Test
  void emptyConfigNeedsAPipeline() {
    assertThat(problems("")).containsExactly("service.pipelines: service must have at least one pipeline");
  }

  @Test
  void componentSettingsMustBeAMap() {
    env.put("DASH0_OTLP_ENDPOINT", "x:1");
    String yaml = VALID.replace("  batch:\n    timeout: 5s\n    send_batch_size: 1024\n    send_batch_max_size: 2048", "  batch: fast");
    assertThat(problems(yaml)).containsExactly(
        "c1.yaml:7: processors.batch: the settings of \"batch\" must be a map (or empty for the defaults)");
  }

  @Test
  void typeMismatchesNameTheExpectedShape() {
    env.put("DASH0_OTLP_ENDPOINT", "x:1");
    String yaml = VALID.replace("compression: gzip", "compression: gzip\n    headers: [a, b]")
        .replace("    headers:\n      Authorization: \"Bearer ${env:DASH0_API_TOKEN}\"\n", "");
    assertThat(problems(yaml)).containsExactly("c1.yaml:15: exporters.otlp.headers: headers must be a map, not a list");
  }

  @Test
  void unusedComponentsAreWarnings() throws Exception {
    env.put("DASH0_OTLP_ENDPOINT", "x:1");
    env.put("DASH0_API_TOKEN", "t");
    LoadedConfig loaded = load(VALID.replace("extensions: [health_check]", "extensions: []"));
    assertThat(loaded.warnings()).containsExactly(
        "c1.yaml:18: extensions.health_check: extension \"health_check\" is defined under extensions but not used in service.extensions; it will not run");
  }

  @Test
  void serviceDefaults() throws Exception {
    env.put("DASH0_OTLP_ENDPOINT", "x:1");
    env.put("DASH0_API_TOKEN", "t");
    var service = load(VALID).config().service();
    assertThat(service.shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(service.telemetry().metrics().effectiveReaders()).singleElement()
        .satisfies(r -> assertThat(r.pull().exporter().prometheus().address()).isEqualTo("0.0.0.0:8888"));
    assertThat(service.telemetry().metrics().level()).isEqualTo(TelemetryConfig.Level.NORMAL);
  }

  /** The Collector's current schema, as Helm renders it: readers, pull and periodic. */
  @Test
  void telemetryReadersAsTheCollectorWritesThem() throws Exception {
    env.put("DASH0_OTLP_ENDPOINT", "x:1");
    env.put("DASH0_API_TOKEN", "t");
    String yaml = VALID + """
          telemetry:
            metrics:
              level: detailed
              readers:
                - pull:
                    exporter:
                      prometheus:
                        host: 127.0.0.1
                        port: 8888
                - periodic:
                    interval: 10000
                    exporter:
                      otlp:
                        protocol: grpc
                        endpoint: http://localhost:4317
                        headers:
                          - name: x-team
                            value: core
        """;
    LoadedConfig loaded = load(yaml);
    assertThat(loaded.warnings()).isEmpty();
    TelemetryConfig.Metrics m = loaded.config().service().telemetry().metrics();
    assertThat(m.level()).isEqualTo(TelemetryConfig.Level.DETAILED);
    assertThat(m.effectiveReaders()).hasSize(2);
    assertThat(m.effectiveReaders().get(0).pull().exporter().prometheus().address()).isEqualTo("127.0.0.1:8888");
    TelemetryConfig.Periodic periodic = m.effectiveReaders().get(1).periodic();
    assertThat(periodic.interval()).isEqualTo(10000);
    assertThat(periodic.timeout()).isEqualTo(30000);
    assertThat(periodic.exporter().otlp().protocol()).isEqualTo("grpc");
    assertThat(periodic.exporter().otlp().headers()).containsExactly(new TelemetryConfig.Header("x-team", "core"));
    // --set replaces the list, as the Collector's --set does: how a test or a user moves the port.
    List<TelemetryConfig.Reader> replaced = loader.load(List.of(new ConfigSource("c1.yaml", yaml)),
            List.of("service.telemetry.metrics.readers=[{pull: {exporter: {prometheus: {host: 127.0.0.1, port: 12345}}}}]"))
        .config().service().telemetry().metrics().effectiveReaders();
    assertThat(replaced).singleElement()
        .satisfies(r -> assertThat(r.pull().exporter().prometheus().address()).isEqualTo("127.0.0.1:12345"));

    assertThat(problems(yaml.replace("port: 8888", "port: 65536").replace("protocol: grpc", "protocol: http/json")
        .replace("interval: 10000", "interval: -5")))
        .containsExactly(
            "c1.yaml:35: service.telemetry.metrics.readers[0].pull.exporter.prometheus.port: port must be from 0 to 65535, got 65536",
            "c1.yaml:37: service.telemetry.metrics.readers[1].periodic.interval: interval must be a positive number of milliseconds, got -5",
            "c1.yaml:40: service.telemetry.metrics.readers[1].periodic.exporter.otlp.protocol: protocol must be http/protobuf or grpc,"
                + " got http/json (OTLP/JSON is not supported for inflight's own metrics)");
  }

  /** {@code metrics.address} still works, with the Collector's deprecation; not together with readers. */
  @Test
  void telemetryAddressIsDeprecated() throws Exception {
    env.put("DASH0_OTLP_ENDPOINT", "x:1");
    env.put("DASH0_API_TOKEN", "t");
    String yaml = VALID + """
          telemetry:
            metrics:
              address: 127.0.0.1:9999
        """;
    LoadedConfig loaded = load(yaml);
    assertThat(loaded.warnings()).containsExactly("c1.yaml:29: service.telemetry.metrics.address is deprecated, as in the"
        + " Collector: use readers: [{pull: {exporter: {prometheus: {host: 127.0.0.1, port: 9999}}}}]");
    assertThat(loaded.config().service().telemetry().metrics().effectiveReaders()).singleElement()
        .satisfies(r -> assertThat(r.pull().exporter().prometheus().address()).isEqualTo("127.0.0.1:9999"));
    assertThat(problems(yaml + """
              readers:
                - pull:
                    exporter:
                      prometheus:
                        port: 8888
        """)).containsExactly("c1.yaml:29: service.telemetry.metrics.address: set readers or address, not both: address is"
            + " the older way to give a pull reader; give it as readers: [{pull: {exporter: {prometheus: {host: ...,"
            + " port: ...}}}}] instead");
  }

  @Test
  void yamlAnchorsAndMergeKeys() throws Exception {
    env.put("DASH0_API_TOKEN", "t");
    String yaml = """
        x-defaults: &defaults
          endpoint: shared:4317
          compression: none
        receivers:
          otlp:
        exporters:
          otlp:
            <<: *defaults
            compression: zstd
        service:
          pipelines:
            traces: {receivers: [otlp], exporters: [otlp]}
        """;
    // The anchor's host key is unknown at top level; everything else binds through the merge.
    assertThat(problems(yaml)).containsExactly(
        "c1.yaml:1: x-defaults: unknown top-level key `x-defaults`; valid keys: receivers, processors, exporters,"
            + " connectors, extensions, service");
  }
}
