package dev.inflight.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.inflight.service.config.TelemetryConfig;
import org.slf4j.LoggerFactory;

/** Applies {@code service.telemetry.logs.level} to the logging backend (logback, see logback.xml). */
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
