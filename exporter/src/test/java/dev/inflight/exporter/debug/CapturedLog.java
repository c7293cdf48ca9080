package dev.inflight.exporter.debug;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * A logger whose INFO and above each test keeps in memory instead of printing (register it with
 * {@code @RegisterExtension}); the logger is as it was after the test.
 */
final class CapturedLog implements BeforeEachCallback, AfterEachCallback {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  CapturedLog(String name) {
    this.logger = (Logger) LoggerFactory.getLogger(name);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    appender.start();
    logger.addAppender(appender);
    logger.setAdditive(false); // keep test output quiet
    logger.setLevel(Level.INFO);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    logger.detachAppender(appender);
    logger.setAdditive(true);
    logger.setLevel(null);
  }

  Logger logger() {
    return logger;
  }

  /** The events logged so far in this test, oldest first; a test may clear it. */
  List<ILoggingEvent> events() {
    return appender.list;
  }

  /** The formatted messages logged so far in this test, oldest first. */
  List<String> messages() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
