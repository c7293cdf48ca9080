package dev.inflight.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LogRecordBuilder;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.logs.Severity;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Writes every event to the OpenTelemetry SDK's logger provider of {@code
 * service.telemetry.logs.processors}, which exports it over OTLP: the scope is the logger's name,
 * the body the message, initial fields and key-value pairs become attributes, an exception the
 * semantic conventions' {@code exception.*}. The exporter's own logs (OpenTelemetry, OkHttp) are
 * not sent, or a failing export would log about itself without end.
 */
final class OtlpLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
  private final LoggerProvider provider;
  private final boolean stacktrace;
  private final Map<String, Object> initialFields;

  OtlpLogAppender(LoggerProvider provider, boolean stacktrace, Map<String, Object> initialFields) {
    this.provider = provider;
    this.stacktrace = stacktrace;
    this.initialFields = initialFields;
  }

  @Override
  protected void append(ILoggingEvent e) {
    String logger = e.getLoggerName();
    if (logger.startsWith("io.opentelemetry") || logger.startsWith("okhttp3")) {
      return;
    }
    LogRecordBuilder r = provider.get(logger).logRecordBuilder()
        .setTimestamp(Instant.ofEpochMilli(e.getTimeStamp()))
        .setSeverity(severity(e.getLevel()))
        .setSeverityText(e.getLevel().toString())
        .setBody(e.getFormattedMessage())
        .setAttribute(AttributeKey.stringKey("thread.name"), e.getThreadName());
    initialFields.forEach((k, v) -> attribute(r, k, v));
    if (e.getKeyValuePairs() != null) {
      for (KeyValuePair kv : e.getKeyValuePairs()) {
        attribute(r, kv.key, kv.value);
      }
    }
    IThrowableProxy t = e.getThrowableProxy();
    if (t != null) {
      r.setAttribute(AttributeKey.stringKey("exception.type"), t.getClassName());
      if (t.getMessage() != null) {
        r.setAttribute(AttributeKey.stringKey("exception.message"), t.getMessage());
      }
      if (stacktrace) {
        r.setAttribute(AttributeKey.stringKey("exception.stacktrace"), LogLineEncoder.stack(t));
      }
    }
    r.emit();
  }

  private static void attribute(LogRecordBuilder r, String key, Object v) {
    if (v instanceof Boolean b) {
      r.setAttribute(AttributeKey.booleanKey(key), b);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      r.setAttribute(AttributeKey.longKey(key), ((Number) v).longValue());
    } else if (v instanceof Number n) {
      r.setAttribute(AttributeKey.doubleKey(key), n.doubleValue());
    } else if (v != null) {
      r.setAttribute(AttributeKey.stringKey(key), String.valueOf(v));
    }
  }

  static Severity severity(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> Severity.ERROR;
      case Level.WARN_INT -> Severity.WARN;
      case Level.INFO_INT -> Severity.INFO;
      case Level.DEBUG_INT -> Severity.DEBUG;
      default -> Severity.TRACE;
    };
  }
}
