package dev.inflight.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One line per event, as {@code service.telemetry.logs.encoding} asks: {@code console} is time,
 * level, caller and message separated by tabs (a stack trace folded into the line, so shippers keep
 * it with its event; fields as one JSON object at the end, as zap's console encoder), {@code json}
 * one object per line with zap's keys ({@code level}, {@code ts}, {@code caller}, {@code msg},
 * then fields, {@code error}, {@code stacktrace}). The caller is the logger (a component's class),
 * not file:line, which logback could only find by walking the stack of every call.
 */
final class LogLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  /** Stack frames a console line keeps, as logback.xml's {@code %ex{8}} did. */
  private static final int CONSOLE_FRAMES = 8;
  private static final JsonFactory JSON = new JsonFactory();

  private final boolean json;
  private final boolean caller;
  private final boolean stacktrace;
  private final Map<String, Object> initialFields;
  private final TargetLengthBasedClassNameAbbreviator abbreviator = new TargetLengthBasedClassNameAbbreviator(24);

  LogLineEncoder(boolean json, boolean caller, boolean stacktrace, Map<String, Object> initialFields) {
    this.json = json;
    this.caller = caller;
    this.stacktrace = stacktrace;
    this.initialFields = initialFields;
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    String line = json ? json(event) : console(event);
    return (line + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private String console(ILoggingEvent e) {
    StringBuilder b = new StringBuilder(128);
    b.append(TS.format(Instant.ofEpochMilli(e.getTimeStamp()))).append('\t').append(e.getLevel()).append('\t');
    if (caller) {
      b.append(abbreviator.abbreviate(e.getLoggerName())).append('\t');
    }
    b.append(e.getFormattedMessage());
    IThrowableProxy t = e.getThrowableProxy();
    if (t != null) {
      b.append(' ').append(oneLine(t, stacktrace ? CONSOLE_FRAMES : 0));
    }
    if (!initialFields.isEmpty() || hasPairs(e)) {
      b.append('\t').append(fieldsObject(e));
    }
    return b.toString().replaceAll("[\r\n]+", " ");
  }

  private String json(ILoggingEvent e) {
    StringWriter w = new StringWriter(160);
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("level", zapLevel(e.getLevel()));
      g.writeStringField("ts", TS.format(Instant.ofEpochMilli(e.getTimeStamp())));
      if (caller) {
        g.writeStringField("caller", e.getLoggerName());
      }
      g.writeStringField("msg", e.getFormattedMessage());
      writeFields(g, e);
      IThrowableProxy t = e.getThrowableProxy();
      if (t != null) {
        g.writeStringField("error", oneLine(t, 0));
        if (stacktrace) {
          g.writeStringField("stacktrace", stack(t));
        }
      }
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return w.toString();
  }

  private String fieldsObject(ILoggingEvent e) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      writeFields(g, e);
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return w.toString();
  }

  private void writeFields(JsonGenerator g, ILoggingEvent e) throws IOException {
    for (Map.Entry<String, Object> f : initialFields.entrySet()) {
      g.writeFieldName(f.getKey());
      writeValue(g, f.getValue());
    }
    if (e.getKeyValuePairs() != null) {
      for (KeyValuePair kv : e.getKeyValuePairs()) {
        g.writeFieldName(kv.key);
        writeValue(g, kv.value);
      }
    }
  }

  private static boolean hasPairs(ILoggingEvent e) {
    return e.getKeyValuePairs() != null && !e.getKeyValuePairs().isEmpty();
  }

  /** Scalars as themselves, lists and maps (from YAML initial_fields) as JSON, anything else as its string. */
  static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof Boolean bool) {
      g.writeBoolean(bool);
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Number n) {
      g.writeNumber(n.doubleValue());
    } else if (v instanceof Map<?, ?> m) {
      g.writeStartObject();
      for (Map.Entry<?, ?> en : m.entrySet()) {
        g.writeFieldName(String.valueOf(en.getKey()));
        writeValue(g, en.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Iterable<?> it) {
      g.writeStartArray();
      for (Object o : it) {
        writeValue(g, o);
      }
      g.writeEndArray();
    } else {
      g.writeString(String.valueOf(v));
    }
  }

  static String zapLevel(Level level) {
    return level.toString().toLowerCase(Locale.ROOT);
  }

  /** {@code Class: message}, each cause after {@code caused by:}, with up to {@code frames} frames each. */
  static String oneLine(IThrowableProxy t, int frames) {
    StringBuilder b = new StringBuilder();
    for (IThrowableProxy c = t; c != null; c = c.getCause()) {
      if (c != t) {
        b.append(" caused by: ");
      }
      b.append(c.getClassName());
      if (c.getMessage() != null) {
        b.append(": ").append(c.getMessage());
      }
      StackTraceElementProxy[] st = c.getStackTraceElementProxyArray();
      for (int i = 0; i < Math.min(frames, st.length); i++) {
        b.append(" at ").append(st[i].getStackTraceElement());
      }
    }
    return b.toString().replaceAll("[\r\n\t]+", " ");
  }

  /** The whole stack, one frame a line, as zap's {@code stacktrace} field. */
  static String stack(IThrowableProxy t) {
    StringBuilder b = new StringBuilder();
    for (IThrowableProxy c = t; c != null; c = c.getCause()) {
      if (c != t) {
        b.append("\nCaused by: ");
      }
      b.append(c.getClassName());
      if (c.getMessage() != null) {
        b.append(": ").append(c.getMessage());
      }
      for (StackTraceElementProxy s : c.getStackTraceElementProxyArray()) {
        b.append("\n\tat ").append(s.getStackTraceElement());
      }
    }
    return b.toString();
  }
}
