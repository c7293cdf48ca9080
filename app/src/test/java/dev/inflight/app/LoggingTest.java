package dev.inflight.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inflight.service.config.TelemetryConfig;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** service.telemetry.logs applied to a logger context of the test's own, writing to files. */
class LoggingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final LoggerContext context = started(new LoggerContext());

  private static LoggerContext started(LoggerContext c) {
    c.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    c.start();
    return c;
  }

  private static TelemetryConfig.Logs logs(String encoding, boolean disableCaller, boolean disableStacktrace,
      TelemetryConfig.Sampling sampling, List<String> outputs, Map<String, Object> fields) {
    return new TelemetryConfig.Logs(TelemetryConfig.LogLevel.INFO, null, encoding, disableCaller, disableStacktrace,
        sampling, outputs, null, fields, null);
  }

  private List<String> lines(Path file) throws IOException {
    context.stop(); // flushes and closes the file appenders
    return Files.readAllLines(file);
  }

  @Test
  void jsonIsOneObjectPerLineWithLevelTsMsgAndFields() throws Exception {
    Path file = dir.resolve("out.log");
    Logging.configure(context, logs("json", false, false, null, List.of(file.toString()), Map.of("team", "core")), null);
    Logger log = context.getLogger("dev.inflight.receiver.otlp.OtlpReceiver");
    log.info("listening on {}", "127.0.0.1:4317");
    log.debug("not at info");
    log.error("export failed", new IOException("connection refused\nsecond line"));

    List<String> lines = lines(file);
    assertThat(lines).hasSize(2);
    JsonNode first = JSON.readTree(lines.get(0));
    assertThat(first.get("level").asText()).isEqualTo("info");
    assertThat(first.get("ts").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(first.get("caller").asText()).isEqualTo("dev.inflight.receiver.otlp.OtlpReceiver");
    assertThat(first.get("msg").asText()).isEqualTo("listening on 127.0.0.1:4317");
    assertThat(first.get("team").asText()).isEqualTo("core");
    JsonNode second = JSON.readTree(lines.get(1));
    assertThat(second.get("level").asText()).isEqualTo("error");
    assertThat(second.get("error").asText()).isEqualTo("java.io.IOException: connection refused second line");
    assertThat(second.get("stacktrace").asText()).contains("\tat dev.inflight.app.LoggingTest");
  }

  @Test
  void disableCallerAndStacktraceLeaveThemOut() throws Exception {
    Path json = dir.resolve("json.log");
    Path console = dir.resolve("console.log");
    Logging.configure(context, logs("json", true, true, null, List.of(json.toString()), Map.of()), null);
    context.getLogger("a.b.C").warn("boom", new IllegalStateException("bad"));
    List<String> jsonLines = lines(json);
    JsonNode e = JSON.readTree(jsonLines.get(0));
    assertThat(e.has("caller")).isFalse();
    assertThat(e.has("stacktrace")).isFalse();
    assertThat(e.get("error").asText()).isEqualTo("java.lang.IllegalStateException: bad");

    LoggerContext c2 = started(new LoggerContext());
    Logging.configure(c2, logs("console", true, true, null, List.of(console.toString()), Map.of()), null);
    c2.getLogger("a.b.C").warn("boom", new IllegalStateException("bad"));
    c2.stop();
    assertThat(Files.readAllLines(console)).singleElement().asString()
        .matches("\\S+\tWARN\tboom java.lang.IllegalStateException: bad");
  }

  @Test
  void consoleKeepsTheOneLineFormatWithCallerAndFrames() throws Exception {
    Path file = dir.resolve("console.log");
    Logging.configure(context, logs("console", false, false, null, List.of(file.toString()), Map.of("env", "prod")), null);
    context.getLogger("dev.inflight.exporter.otlp.OtlpGrpcExporter").error("failed", new IOException("refused"));

    assertThat(lines(file)).singleElement().asString()
        .matches("\\S+Z\tERROR\td\\.i\\.e\\.o\\.OtlpGrpcExporter\tfailed java.io.IOException: refused at dev.inflight.app.LoggingTest.*\t\\{\"env\":\"prod\"}");
  }

  @Test
  void samplingKeepsInitialThenEveryThereafterOfTheSameMessage() throws Exception {
    Path file = dir.resolve("sampled.log");
    Logging.configure(context, logs("console", true, false, new TelemetryConfig.Sampling(true, Duration.ofHours(1), 2, 3),
        List.of(file.toString()), Map.of()), null);
    Logger log = context.getLogger("x");
    for (int i = 0; i < 9; i++) {
      log.info("same");
      log.info("distinct {}", i);
    }

    List<String> lines = lines(file);
    // "same": 1st, 2nd, then the 5th and 8th (every 3rd past the initial 2); every distinct line
    assertThat(lines.stream().filter(l -> l.endsWith("\tsame"))).hasSize(4);
    assertThat(lines.stream().filter(l -> l.contains("\tdistinct "))).hasSize(9);
  }

  @Test
  void samplingOffKeepsEverything() throws Exception {
    Path file = dir.resolve("all.log");
    Logging.configure(context, logs("console", true, false, new TelemetryConfig.Sampling(false, null, 1, 0),
        List.of(file.toString()), Map.of()), null);
    for (int i = 0; i < 20; i++) {
      context.getLogger("x").info("same");
    }
    assertThat(lines(file)).hasSize(20);
  }

  @Test
  void otlpAppenderWritesRecordsToTheSdk() throws Exception {
    List<LogRecordData> exported = new CopyOnWriteArrayList<>();
    LogRecordExporter exporter = new LogRecordExporter() {
      @Override
      public CompletableResultCode export(Collection<LogRecordData> logs) {
        exported.addAll(logs);
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    try (SdkLoggerProvider provider = SdkLoggerProvider.builder()
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(exporter)).build()) {
      Logging.configure(context, logs("console", false, false, null, List.of(dir.resolve("x.log").toString()),
          Map.of("team", "core")), provider);
      context.getLogger("dev.inflight.Thing").warn("disk {} full", "/data", new IOException("ENOSPC"));
      context.getLogger("io.opentelemetry.exporter.internal.http.HttpExporter").warn("export failed");
    }

    assertThat(exported).singleElement().satisfies(r -> {
      assertThat(r.getInstrumentationScopeInfo().getName()).isEqualTo("dev.inflight.Thing");
      assertThat(r.getBodyValue().asString()).isEqualTo("disk /data full");
      assertThat(r.getSeverity()).isEqualTo(Severity.WARN);
      assertThat(r.getAttributes().get(AttributeKey.stringKey("team"))).isEqualTo("core");
      assertThat(r.getAttributes().get(AttributeKey.stringKey("exception.type"))).isEqualTo("java.io.IOException");
    });
  }

  @Test
  void anOutputPathThatCannotBeOpenedIsAnError() {
    Path blocked = dir.resolve("file");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
      Files.writeString(blocked, "");
      Logging.configure(context, logs("console", false, false, null, List.of(blocked.resolve("x.log").toString()), Map.of()), null);
    }).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("service.telemetry.logs.output_paths: cannot write to " + blocked.resolve("x.log"));
  }
}
