package dev.inflight.processor.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** A logger that keeps what is logged (level and formatted message), for assertions. */
public final class CapturingLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  public record Event(Level level, String message) {}

  private final List<Event> events = Collections.synchronizedList(new ArrayList<>());

  /** @param name the logger's name, as the component's own would be (e.g. {@code processor.batch}) */
  public CapturingLogger(String name) {
    this.name = name;
  }

  public List<Event> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String messagePattern, Object[] arguments, Throwable throwable) {
    events.add(new Event(level, MessageFormatter.basicArrayFormat(messagePattern, arguments)));
  }

  @Override public boolean isTraceEnabled() { return false; }
  @Override public boolean isDebugEnabled() { return false; }
  @Override public boolean isInfoEnabled() { return true; }
  @Override public boolean isWarnEnabled() { return true; }
  @Override public boolean isErrorEnabled() { return true; }
}
