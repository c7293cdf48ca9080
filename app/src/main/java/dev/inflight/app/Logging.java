package dev.inflight.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import dev.inflight.service.config.TelemetryConfig;
import io.opentelemetry.api.logs.LoggerProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code service.telemetry.logs} to the logging backend (logback; logback.xml is what runs
 * until the config is loaded, and keeps its per-logger levels after).
 */
final class Logging {
  private Logging() {}

  /**
   * Sends java.util.logging (grpc-java logs through it) to SLF4J, so every event comes out in
   * logback's one-line format instead of JUL's two-line console format with a stack trace.
   */
  static void bridgeJavaUtilLogging() {
    if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
      org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
      org.slf4j.bridge.SLF4JBridgeHandler.install();
    }
  }

  /** The whole of {@code logs} on the process's logger context, OTLP export through {@code otlp} if given. */
  static void configure(TelemetryConfig.Logs logs, @Nullable LoggerProvider otlp) {
    configure((LoggerContext) LoggerFactory.getILoggerFactory(), logs, otlp);
  }

  /**
   * Replaces the root logger's appenders with one per {@code output_paths} entry (and one for OTLP),
   * each with the encoding asked for, and the sampler of {@code sampling}.
   *
   * @throws IllegalArgumentException naming an output path that cannot be opened
   */
  static void configure(LoggerContext context, TelemetryConfig.Logs logs, @Nullable LoggerProvider otlp) {
    Logger root = root(context);
    root.setLevel(level(logs.level()));
    context.getTurboFilterList().removeIf(f -> f instanceof LogSampler);
    TelemetryConfig.Sampling s = logs.sampling();
    if (s.enabled()) {
      LogSampler sampler = new LogSampler(s.tick().toNanos(), s.initial(), s.thereafter(), System::nanoTime);
      sampler.setContext(context);
      sampler.start();
      context.addTurboFilter(sampler);
    }
    root.detachAndStopAllAppenders();
    for (String path : logs.outputPaths()) {
      root.addAppender(output(context, path, logs));
    }
    if (otlp != null) {
      OtlpLogAppender appender = new OtlpLogAppender(otlp, !logs.disableStacktrace(), logs.initialFields());
      appender.setContext(context);
      appender.setName("otlp");
      appender.start();
      root.addAppender(appender);
    }
  }

  private static Appender<ILoggingEvent> output(LoggerContext context, String path, TelemetryConfig.Logs logs) {
    OutputStreamAppender<ILoggingEvent> appender;
    switch (path) {
      case "stderr", "stdout" -> {
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setTarget(path.equals("stdout") ? "System.out" : "System.err");
        appender = console;
      }
      default -> {
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        // zap takes file:// URLs as well as paths
        file.setFile(path.startsWith("file://") ? path.substring("file://".length()) : path);
        file.setAppend(true);
        appender = file;
      }
    }
    LogLineEncoder encoder = new LogLineEncoder(
        logs.encoding().equals("json"), !logs.disableCaller(), !logs.disableStacktrace(), logs.initialFields());
    encoder.setContext(context);
    encoder.start();
    appender.setContext(context);
    appender.setName(path);
    appender.setEncoder(encoder);
    appender.start();
    if (!appender.isStarted()) {
      throw new IllegalArgumentException("service.telemetry.logs.output_paths: cannot write to " + path);
    }
    return appender;
  }

  private static Logger root(LoggerContext context) {
    return context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private static Level level(TelemetryConfig.LogLevel level) {
    return switch (level) {
      case DEBUG -> Level.DEBUG;
      case INFO -> Level.INFO;
      case WARN -> Level.WARN;
      case ERROR -> Level.ERROR;
    };
  }
}
