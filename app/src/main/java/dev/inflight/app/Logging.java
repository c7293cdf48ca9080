package dev.inflight.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.inflight.pipeline.config.TelemetryConfig;
import org.slf4j.LoggerFactory;

/** Applies {@code service.telemetry.logs.level} to the logging backend (logback, see logback.xml). */
final class Logging {
  private Logging() {}

  static void configure(TelemetryConfig.LogLevel level) {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(switch (level) {
      case DEBUG -> Level.DEBUG;
      case INFO -> Level.INFO;
      case WARN -> Level.WARN;
      case ERROR -> Level.ERROR;
    });
  }
}
