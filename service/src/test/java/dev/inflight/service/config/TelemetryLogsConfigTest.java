package dev.inflight.service.config;

import static dev.inflight.service.config.ConfigFixture.nopExporter;
import static dev.inflight.service.config.ConfigFixture.nopReceiver;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code service.telemetry.logs} as the Collector's configs write it, through the real loader. */
class TelemetryLogsConfigTest {
  private static String yaml(String logs) {
    return "receivers:\n  nop:\nexporters:\n  nop:\nservice:\n  telemetry:\n    logs:\n" + logs
        + "  pipelines:\n    traces:\n      receivers: [nop]\n      exporters: [nop]\n";
  }

  private static LoadedConfig load(String logs) throws InvalidConfigException {
    return ConfigFixture.load(yaml(logs), nopReceiver(), nopExporter());
  }

  private static List<String> problems(String logs) {
    return ConfigFixture.problems(yaml(logs), nopReceiver(), nopExporter());
  }

  @Test
  void defaultsAreTheCollectors() {
    TelemetryConfig.Logs logs = TelemetryConfig.defaults().logs();
    assertThat(logs.level()).isEqualTo(TelemetryConfig.LogLevel.INFO);
    assertThat(logs.encoding()).isEqualTo("console");
    assertThat(logs.disableCaller()).isFalse();
    assertThat(logs.disableStacktrace()).isFalse();
    assertThat(logs.sampling()).isEqualTo(new TelemetryConfig.Sampling(true, Duration.ofSeconds(10), 10, 100));
    assertThat(logs.outputPaths()).containsExactly("stderr");
    assertThat(logs.errorOutputPaths()).containsExactly("stderr");
    assertThat(logs.initialFields()).isEmpty();
    assertThat(logs.processors()).isEmpty();
    assertThat(logs.unimplemented()).isEmpty();
  }

  @Test
  void bindsEveryKeyOfAHelmRenderedConfig() throws Exception {
    LoadedConfig loaded = load("""
              level: debug
              encoding: json
              disable_caller: true
              disable_stacktrace: true
              sampling:
                enabled: true
                tick: 5s
                initial: 3
                thereafter: 7
              output_paths: [stdout, /var/log/inflight.log]
              initial_fields:
                service: inflight
                replica: 2
              processors:
                - batch:
                    schedule_delay: 500
                    exporter:
                      otlp:
                        protocol: http/protobuf
                        endpoint: http://collector:4318/v1/logs
                        headers:
                          - name: X-Team
                            value: core
                        compression: gzip
        """);
    TelemetryConfig.Logs logs = loaded.config().service().telemetry().logs();
    assertThat(logs.level()).isEqualTo(TelemetryConfig.LogLevel.DEBUG);
    assertThat(logs.encoding()).isEqualTo("json");
    assertThat(logs.disableCaller()).isTrue();
    assertThat(logs.disableStacktrace()).isTrue();
    assertThat(logs.sampling()).isEqualTo(new TelemetryConfig.Sampling(true, Duration.ofSeconds(5), 3, 7));
    assertThat(logs.outputPaths()).containsExactly("stdout", "/var/log/inflight.log");
    assertThat(logs.initialFields()).containsOnly(Map.entry("service", "inflight"), Map.entry("replica", 2L));
    TelemetryConfig.LogProcessor p = logs.processors().get(0);
    assertThat(p.batch().scheduleDelay()).isEqualTo(500);
    assertThat(p.batch().maxQueueSize()).isEqualTo(2048);
    assertThat(p.exporter().otlp()).isEqualTo(new TelemetryConfig.OtlpLogPush("http/protobuf",
        "http://collector:4318/v1/logs", List.of(new TelemetryConfig.Header("X-Team", "core")), "gzip", 10_000));
    assertThat(loaded.warnings()).isEmpty();
  }

  @Test
  void refusesUnknownKeysAndBadValuesNamingTheKey() {
    assertThat(problems("""
              encodng: json
        """)).singleElement().asString()
        .isEqualTo("config.yaml:8: service.telemetry.logs.encodng: unknown key `encodng`; did you mean `encoding`?");
    assertThat(problems("""
              encoding: logfmt
              sampling:
                tick: 0s
              processors:
                - batch:
                    exporter:
                      otlp:
                        protocol: http/json
                        endpoint: collector:4318
                - periodic:
                    exporter: {}
        """)).containsExactly(
            "config.yaml:8: service.telemetry.logs.encoding: encoding must be console or json, got logfmt",
            "config.yaml:10: service.telemetry.logs.sampling.tick: tick must be greater than 0",
            "config.yaml:15: service.telemetry.logs.processors[0].batch.exporter.otlp.protocol: protocol must be"
                + " http/protobuf or grpc, got http/json (OTLP/JSON is not supported for inflight's own logs)",
            "config.yaml:16: service.telemetry.logs.processors[0].batch.exporter.otlp.endpoint: endpoint must be an"
                + " http:// or https:// URL, got collector:4318",
            "config.yaml:17: service.telemetry.logs.processors[1].periodic: unknown key `periodic`; valid keys: batch, simple");
  }

  @Test
  void acceptedButUnimplementedKeysWarn() throws Exception {
    LoadedConfig loaded = load("""
              development: true
              error_output_paths: [/tmp/errors.log]
              processors:
                - simple:
                    exporter:
                      console: {}
        """);
    assertThat(loaded.warnings()).containsExactly(
        "config.yaml:8: service.telemetry.logs.development: development is accepted but not implemented:"
            + " inflight logs as in production mode",
        "config.yaml:9: service.telemetry.logs.error_output_paths: error_output_paths is accepted but not"
            + " implemented: inflight's logger has no error channel of its own; its failures go to stderr",
        "config.yaml:13: service.telemetry.logs.processors[0].simple.exporter.console: the console log exporter is"
            + " accepted but not implemented: use output_paths: [stdout] for logs on the console");
  }
}
