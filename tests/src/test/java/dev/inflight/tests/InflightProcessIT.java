package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built jar as a user runs it: start, health, self-metrics, data through, signals, exit codes. */
class InflightProcessIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private Path write(String name, String yaml) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, yaml);
    return p;
  }

  @Test
  void runsHealthyServesSelfMetricsPassesSpansAndExitsZeroOnSigterm() throws Exception {
    Ports ports = Ports.free();
    Path config = write("config.yaml", ports.config());
    try (InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString())) {
      HttpResponse<String> health = p.awaitHttp200(ports.healthUrl(), START);
      JsonNode body = JSON.readTree(health.body());
      assertThat(body.get("status").asText()).isEqualTo("Server available");
      assertThat(body.get("upSince").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
      assertThat(body.has("uptime")).isTrue();

      // An OTLP/JSON request with two spans goes through the pipeline (Ports.config) to the debug exporter.
      String spans = """
          {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"it"}}]},
            "scopeSpans":[{"scope":{"name":"t"},"spans":[
              {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"account worker",
               "kind":1,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000001000000000"},
              {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b175","name":"storage write",
               "kind":1,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000002000000000"}]}]}]}
          """;
      HttpResponse<String> post = ports.postOtlpJson(spans);
      assertThat(post.statusCode()).isEqualTo(200);
      p.awaitStderr(s -> s.contains("Traces: resource spans 1, spans 2"), Duration.ofSeconds(10));

      String metrics = InflightProcess.get(ports.metricsUrl()).body();
      assertThat(metrics)
          .contains("otelcol_process_uptime_seconds_total")
          .contains("otelcol_process_memory_rss_bytes")
          .containsPattern("otelcol_receiver_accepted_spans_total\\{[^}]*receiver=\"otlp\"[^}]*\\} 2(\\.0)?\\b")
          .containsPattern("otelcol_exporter_sent_spans_total\\{[^}]*exporter=\"debug\"[^}]*\\} 2(\\.0)?\\b");

      p.signal("TERM"); // not Process.destroy(): that also closes our end of its stderr
      assertThat(p.waitFor(Duration.ofSeconds(5))).as("exit code after SIGTERM; stderr:\n%s", p.stderr()).isZero();
      assertThat(p.stderr()).contains("received SIGTERM").contains("shutdown complete");
    }
  }

  /**
   * A destination that does not resolve or refuses connections: one WARN line per exporter when it
   * goes away, each retry at INFO, and no stack trace (grpc-java's own warning carries one).
   */
  @Test
  void anUnreachableDestinationIsOneWarnLineNotAStackTrace() throws Exception {
    Ports ports = Ports.free();
    Path config = write("config.yaml", ports.otlpReceivers() + """
        exporters:
          otlp_grpc:
            endpoint: no-such-host.invalid:4317
            tls: {insecure: true}
            retry_on_failure: {initial_interval: 200ms, max_interval: 400ms, max_elapsed_time: 60s}
          otlp_http:
            endpoint: http://127.0.0.1:%d
            retry_on_failure: {initial_interval: 200ms, max_interval: 400ms, max_elapsed_time: 60s}
        service:
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [otlp_grpc, otlp_http]
        """.formatted(InflightProcess.freePort()));
    try (InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString())) {
      p.awaitStderr(s -> s.contains("Everything is ready"), START);
      String span = """
          {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c",
            "spanId":"eee19b7ec3c1b174","name":"w","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}""";
      for (int i = 0; i < 3; i++) {
        assertThat(ports.postOtlpJson(span).statusCode()).isEqualTo(200);
      }
      // Several retries of each exporter have been logged.
      p.awaitStderr(s -> s.lines().filter(l -> l.contains("otlp_grpc") && l.contains("will retry in")).count() >= 6
          && s.lines().filter(l -> l.contains("otlp_http") && l.contains("will retry in")).count() >= 6, Duration.ofSeconds(30));
      java.util.List<String> warnings = p.stderr().lines().filter(l -> l.contains("\tWARN\t")).toList();
      assertThat(warnings).as("stderr:\n%s", p.stderr()).hasSize(2);
      assertThat(warnings).anySatisfy(w -> assertThat(w).contains("exporter.otlp_grpc").contains("cannot export spans")
          .contains("no-such-host.invalid"));
      assertThat(warnings).anySatisfy(w -> assertThat(w).contains("exporter.otlp_http").contains("cannot export spans"));
      assertThat(p.stderr().lines().filter(l -> l.startsWith("\tat ") || l.startsWith("at "))).isEmpty();
      p.signal("TERM");
      p.waitFor(Duration.ofSeconds(15));
    }
  }

  @Test
  void sigintAlsoDrainsAndExitsZero() throws Exception {
    Ports ports = Ports.free();
    Path config = write("config.yaml", ports.config());
    try (InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString())) {
      p.awaitHttp200(ports.healthUrl(), START);
      p.signal("INT");
      assertThat(p.waitFor(Duration.ofSeconds(5))).as("stderr:\n%s", p.stderr()).isZero();
      assertThat(p.stderr()).contains("received SIGINT");
    }
  }

  @Test
  void portInUseIsOneLineNamingComponentAndAddressAndExitOne() throws Exception {
    Ports ports = Ports.free();
    Path config = write("config.yaml", ports.config());
    try (ServerSocket taken = new ServerSocket(ports.health(), 50, InetAddress.getLoopbackAddress());
        InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString())) {
      assertThat(p.waitFor(START)).isEqualTo(1);
      String expected = "error: failed to start \"health_check\" extension: health_check cannot listen on 127.0.0.1:"
          + ports.health() + ": address already in use";
      assertThat(p.stderr().lines().filter(l -> l.startsWith("error:"))).containsExactly(expected);
      assertThat(p.stderr()).doesNotContain("Exception");
    }
  }

  @Test
  void telemetryPortInUseIsOneLineToo() throws Exception {
    Ports ports = Ports.free();
    Path config = write("config.yaml", ports.config());
    try (ServerSocket taken = new ServerSocket(ports.telemetry(), 50, InetAddress.getLoopbackAddress());
        InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString())) {
      assertThat(p.waitFor(START)).isEqualTo(1);
      assertThat(p.stderr().lines().filter(l -> l.startsWith("error:"))).containsExactly(
          "error: failed to start telemetry: telemetry cannot listen on 127.0.0.1:" + ports.telemetry()
              + ": address already in use");
    }
  }

  @Test
  void laterConfigFilesAndSetOverrideEarlierOnes() throws Exception {
    Ports ports = Ports.free();
    Ports other = Ports.free();
    Path base = write("base.yaml", ports.config());
    Path override = write("override.yaml", """
        extensions:
          health_check:
            endpoint: 127.0.0.1:%d
        """.formatted(other.health()));
    try (InflightProcess p = InflightProcess.start(Map.of(), "--config", base.toString(), "--config", "file:" + override,
        "--set", Ports.telemetryReader(other.telemetry()))) {
      p.awaitHttp200(other.healthUrl(), START);
      assertThat(InflightProcess.get(other.metricsUrl()).statusCode()).isEqualTo(200);
      p.signal("TERM");
      assertThat(p.waitFor(Duration.ofSeconds(5))).isZero();
    }
  }

  @Test
  void validateListsEveryProblemWithPathAndLineAndExitsTwo() throws Exception {
    Path config = write("broken.yaml", """
        receivers:
          otlp:
            protocols:
              grpc:
                endpiont: 0.0.0.0:4317
        exporters:
          debug:
            verbosity: loud
        service:
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [debug, otlp]
        """);
    try (InflightProcess p = InflightProcess.start(Map.of(), "validate", "--config", config.toString())) {
      assertThat(p.waitFor(START)).isEqualTo(2);
      assertThat(p.stderr().lines().filter(l -> l.startsWith("error:"))).containsExactly(
          "error: " + config + ":5: receivers.otlp.protocols.grpc.endpiont: unknown key `endpiont`; did you mean `endpoint`?",
          "error: " + config + ":8: exporters.debug.verbosity: verbosity has invalid value \"loud\"; valid values: basic, normal, detailed",
          "error: " + config + ":13: service.pipelines.traces.exporters[1]: exporter \"otlp\" is used but not defined"
              + " under exporters or connectors (defined: debug)");
      assertThat(p.stderr()).contains("config is invalid: 3 problems");
    }
  }

  @Test
  void validateSaysWhichEnvVariableLeftARequiredFieldEmpty() throws Exception {
    Path config = write("env.yaml", """
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: ${env:INFLIGHT_TEST_UNSET_ENDPOINT}
        exporters:
          debug:
        service:
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [debug]
        """);
    try (InflightProcess p = InflightProcess.start(Map.of(), "validate", "--config", config.toString())) {
      assertThat(p.waitFor(START)).isEqualTo(2);
      assertThat(p.stderr()).containsPattern(
          "error: .*env.yaml:5: receivers\\.otlp\\.protocols\\.grpc\\.endpoint: .*: \\$\\{INFLIGHT_TEST_UNSET_ENDPOINT\\} is not set");
    }
  }

  @Test
  void validateAcceptsTheDefaultConfig() throws Exception {
    try (InflightProcess p = InflightProcess.start(Map.of(), "validate")) {
      assertThat(p.waitFor(START)).as("stderr:\n%s", p.stderr()).isZero();
      assertThat(p.stdout()).isEqualTo("config is valid\n");
    }
  }

  /** Seed 004's collector config, unchanged, validates once its env variables are set. */
  @Test
  void seed004ConfigValidatesUnchanged() throws Exception {
    Path config = seed004();
    try (InflightProcess p = InflightProcess.start(seed004Env("ingress.eu-west-1.aws.dash0.com:4317"),
        "validate", "--config", config.toString())) {
      assertThat(p.waitFor(START)).as("stderr:\n%s", p.stderr()).isZero();
      assertThat(p.stdout()).isEqualTo("config is valid\n");
    }
  }

  /** With the seed's own example endpoint (a URL with a path), gRPC says what to use instead. */
  @Test
  void seed004WithAUrlEndpointPointsToOtlphttp() throws Exception {
    Path config = seed004();
    try (InflightProcess p = InflightProcess.start(seed004Env("https://ingress.dash0.com/v1/traces"),
        "validate", "--config", config.toString())) {
      assertThat(p.waitFor(START)).isEqualTo(2);
      assertThat(p.stderr().lines().filter(l -> l.startsWith("error:"))).singleElement().asString()
          .startsWith("error: " + config + ":33: exporters.otlp.endpoint: ")
          .contains("host:port").contains("otlphttp");
    }
  }

  private Path seed004() throws Exception {
    Path config = dir.resolve("seed-004.yaml");
    try (var in = getClass().getResourceAsStream("/seed-004-otel-collector.yaml")) {
      Files.write(config, in.readAllBytes());
    }
    return config;
  }

  private static Map<String, String> seed004Env(String endpoint) {
    return Map.of(
        "MACHINE_ID", "machine-prod-01", "RAILWAY_ENVIRONMENT", "production", "RAILWAY_REGION", "us-west1",
        "DASH0_OTLP_ENDPOINT", endpoint, "DASH0_API_TOKEN", "auth_test");
  }

  @Test
  void componentsListsEveryTypeWithItsDefaults() throws Exception {
    try (InflightProcess p = InflightProcess.start(Map.of(), "components")) {
      assertThat(p.waitFor(START)).isZero();
      JsonNode listing = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).readTree(p.stdout());
      assertThat(listing.at("/receivers/otlp/description").asText()).contains("localhost:4317").contains("localhost:4318");
      assertThat(listing.at("/processors/batch/default_config/timeout").asText()).isEqualTo("200ms");
      assertThat(listing.at("/exporters/otlp_grpc/default_config/compression").asText()).isEqualTo("gzip");
      // Listed under the current name, with the older one configs still use.
      assertThat(listing.at("/exporters/otlp_grpc/also_known_as").toString()).contains("\"otlp\"");
      assertThat(listing.at("/exporters/otlp_http/also_known_as").toString()).contains("\"otlphttp\"");
      assertThat(listing.at("/exporters/debug/default_config/verbosity").asText()).isEqualTo("basic");
      assertThat(listing.at("/extensions/health_check/default_config/endpoint").asText()).isEqualTo("0.0.0.0:13133");
      assertThat(listing.at("/connectors/forward/routes").toString()).contains("traces -> traces");
    }
  }

  @Test
  void versionAndHelp() throws Exception {
    try (InflightProcess p = InflightProcess.start(Map.of(), "--version")) {
      assertThat(p.waitFor(START)).isZero();
      assertThat(p.stdout()).startsWith("inflight 0.1.0");
    }
    for (String command : new String[] {"run", "validate", "components"}) {
      try (InflightProcess p = InflightProcess.start(Map.of(), command, "--help")) {
        assertThat(p.waitFor(START)).isZero();
        assertThat(p.stdout()).contains("Usage: inflight " + command);
      }
    }
    try (InflightProcess p = InflightProcess.start(Map.of(), "--no-such-flag")) {
      assertThat(p.waitFor(START)).isEqualTo(2);
      assertThat(p.stderr()).contains("Unknown option: '--no-such-flag'");
    }
  }

  /** ./inflight execs java: the signal reaches the JVM directly and the exit code is the JVM's. */
  @Test
  void launcherExecsJava() throws Exception {
    Ports ports = Ports.free();
    Path config = write("config.yaml", ports.config());
    try (InflightProcess p = InflightProcess.launcher(Map.of(), "--config", config.toString())) {
      p.awaitHttp200(ports.healthUrl(), Duration.ofMinutes(5));
      // The launcher's own pid now runs java (exec), with the sidecar flags.
      Path exe = Files.readSymbolicLink(Path.of("/proc/" + p.process.pid() + "/exe"));
      assertThat(exe.getFileName().toString()).isEqualTo("java");
      String command = Files.readString(Path.of("/proc/" + p.process.pid() + "/cmdline")).replace('\0', ' ');
      assertThat(command).contains("-XX:+UseSerialGC").contains("-Xmx256m").contains("-jar " + InflightProcess.JAR);
      // The class-data archive the launcher trained for this jar is in use.
      Path archive = InflightProcess.JAR.resolveSibling("inflight.jsa");
      assertThat(archive).exists();
      assertThat(Files.getLastModifiedTime(archive)).isGreaterThanOrEqualTo(Files.getLastModifiedTime(InflightProcess.JAR));
      assertThat(command).contains("-XX:SharedArchiveFile=" + archive);
      String environ = Files.readString(Path.of("/proc/" + p.process.pid() + "/environ"));
      assertThat(environ).contains("MALLOC_ARENA_MAX=2");
      p.signal("TERM");
      assertThat(p.waitFor(Duration.ofSeconds(5))).isZero();
    }
  }
}
