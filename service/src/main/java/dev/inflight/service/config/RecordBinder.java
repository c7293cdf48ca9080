package dev.inflight.service.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import dev.inflight.component.config.ByteSize;
import dev.inflight.component.config.ConfigProblem;
import dev.inflight.component.config.Suggestions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Binds a Jackson tree to a config record with every problem collected instead of the first one
 * thrown: unknown keys (with the closest valid key), values of the wrong type, enum values not in
 * the list. Paths are the dotted YAML paths the loader locates.
 */
final class RecordBinder {
  private final ObjectMapper mapper;

  RecordBinder(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * A bound record. With problems it holds placeholders where values were wrong (or is null when
   * nothing could be built): good enough to check the rest of the config, never to run.
   */
  record Bound<T>(T value, List<ConfigProblem> problems) {
    boolean clean() {
      return value != null && problems.isEmpty();
    }
  }

  <T> Bound<T> bind(JsonNode node, Class<T> type, String prefix) {
    Collector collector = new Collector(prefix);
    T value;
    try {
      value = mapper.readerFor(type).withHandler(collector).readValue(node);
    } catch (JsonMappingException e) {
      StringBuilder path = new StringBuilder(prefix);
      for (JsonMappingException.Reference r : e.getPath()) {
        if (r.getFieldName() != null) {
          path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
        } else if (r.getIndex() >= 0) {
          path.append('[').append(r.getIndex()).append(']');
        }
      }
      String message = e.getOriginalMessage();
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      if (root != e && root.getMessage() != null) {
        message = root.getMessage();
      }
      if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
        // An empty string (typically an unset ${env:X}) never reaches the handler; say it as for any other value.
        String key = path.substring(path.lastIndexOf(".") + 1);
        message = key + " has invalid value \"" + f.getValue() + "\"; valid values: "
            + Collector.enumValues(f.getTargetType());
      }
      collector.problems.add(new ConfigProblem(path.toString(), message));
      value = null;
    } catch (IOException e) {
      collector.problems.add(new ConfigProblem(prefix, e.getMessage()));
      value = null;
    }
    return new Bound<>(value, List.copyOf(collector.problems));
  }

  /** Records each problem at its path and lets binding go on with a placeholder value. */
  private static final class Collector extends DeserializationProblemHandler {
    private final String prefix;
    private final List<ConfigProblem> problems = new ArrayList<>();

    Collector(String prefix) {
      this.prefix = prefix;
    }

    private String path(JsonParser p, String extra) {
      Deque<String> parts = new ArrayDeque<>();
      JsonStreamContext start = p.getParsingContext();
      if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
        start = start.getParent(); // on a container's first token the context is already the container's
      }
      for (JsonStreamContext c = start; c != null && !c.inRoot(); c = c.getParent()) {
        if (c.inObject() && c.getCurrentName() != null) {
          parts.push("." + c.getCurrentName());
        } else if (c.inArray()) {
          parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
        }
      }
      StringBuilder sb = new StringBuilder(prefix);
      parts.forEach(sb::append);
      if (extra != null) {
        sb.append('.').append(extra);
      }
      String s = sb.toString();
      return s.startsWith(".") ? s.substring(1) : s;
    }

    private static String key(String path) {
      int dot = path.lastIndexOf('.');
      return dot < 0 ? path : path.substring(dot + 1);
    }

    @Override
    public boolean handleUnknownProperty(
        DeserializationContext ctxt,
        JsonParser p,
        JsonDeserializer<?> deserializer,
        Object beanOrClass,
        String propertyName)
        throws IOException {
      // The context already names the unknown property when the parser is on its value.
      String path = path(p, null);
      if (!path.endsWith(propertyName)) {
        path = path(p, propertyName);
      }
      List<String> known = new ArrayList<>();
      if (deserializer != null) {
        for (Object k : deserializer.getKnownPropertyNames()) {
          known.add(String.valueOf(k));
        }
      }
      known.sort(null);
      String hint = Suggestions.didYouMean(propertyName, known);
      if (hint.isEmpty() && !known.isEmpty()) {
        hint = "; valid keys: " + String.join(", ", known);
      }
      problems.add(new ConfigProblem(path, "unknown key `" + propertyName + "`" + hint));
      p.skipChildren();
      return true;
    }

    @Override
    public Object handleWeirdStringValue(
        DeserializationContext ctxt, Class<?> targetType, String value, String failureMsg) {
      String path = path(ctxt.getParser(), null);
      String message;
      if (targetType.isEnum()) {
        message = key(path) + " has invalid value \"" + value + "\"; valid values: " + enumValues(targetType);
      } else if (targetType == Duration.class || targetType == ByteSize.class) {
        message = failureMsg;
      } else if (targetType == Boolean.class || targetType == boolean.class) {
        message = key(path) + " must be true or false, not \"" + value + "\"";
      } else if (Number.class.isAssignableFrom(wrap(targetType))) {
        message = key(path) + " must be a number, not \"" + value + "\"";
      } else {
        message = key(path) + " has invalid value \"" + value + "\": " + failureMsg;
      }
      problems.add(new ConfigProblem(path, message));
      return placeholder(targetType);
    }

    @Override
    public Object handleWeirdNumberValue(
        DeserializationContext ctxt, Class<?> targetType, Number value, String failureMsg) {
      String path = path(ctxt.getParser(), null);
      problems.add(new ConfigProblem(path, key(path) + " has invalid value " + value + ": " + failureMsg));
      return placeholder(targetType);
    }

    @Override
    public Object handleUnexpectedToken(
        DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p, String failureMsg)
        throws IOException {
      String path = path(p, null);
      problems.add(
          new ConfigProblem(path, key(path) + " must be " + describe(targetType) + ", not " + describe(t)));
      p.skipChildren();
      return placeholder(targetType.getRawClass());
    }

    @Override
    public Object handleInstantiationProblem(
        DeserializationContext ctxt, Class<?> instClass, Object argument, Throwable t) {
      String path = path(ctxt.getParser(), null);
      Throwable cause = t;
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      problems.add(new ConfigProblem(path, cause.getMessage() == null ? cause.toString() : cause.getMessage()));
      return null;
    }

    @Override
    public Object handleMissingInstantiator(
        DeserializationContext ctxt, Class<?> instClass, ValueInstantiator inst, JsonParser p, String msg)
        throws IOException {
      String path = path(p, null);
      problems.add(new ConfigProblem(path, key(path) + " must be " + describe(ctxt.constructType(instClass))
          + ", not " + describe(p.currentToken())));
      p.skipChildren();
      return null;
    }

    private static String describe(JavaType type) {
      Class<?> c = type.getRawClass();
      if (type.isCollectionLikeType() || type.isArrayType()) {
        return "a list";
      }
      if (type.isMapLikeType() || c.isRecord()) {
        return "a map";
      }
      if (c == String.class) {
        return "a string";
      }
      if (c == Duration.class) {
        return "a duration such as 5s";
      }
      if (c == ByteSize.class) {
        return "a size such as 4MiB";
      }
      if (c == Boolean.class || c == boolean.class) {
        return "true or false";
      }
      if (Number.class.isAssignableFrom(wrap(c))) {
        return "a number";
      }
      return "a " + c.getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static String describe(JsonToken t) {
      if (t == null) {
        return "nothing";
      }
      return switch (t) {
        case START_OBJECT -> "a map";
        case START_ARRAY -> "a list";
        case VALUE_STRING -> "text";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        case VALUE_NULL -> "empty";
        default -> t.asString() == null ? t.name() : t.asString();
      };
    }

    private static Class<?> wrap(Class<?> c) {
      if (!c.isPrimitive()) {
        return c;
      }
      return switch (c.getName()) {
        case "int" -> Integer.class;
        case "long" -> Long.class;
        case "double" -> Double.class;
        case "float" -> Float.class;
        case "short" -> Short.class;
        case "byte" -> Byte.class;
        case "boolean" -> Boolean.class;
        default -> Character.class;
      };
    }

    private static Object placeholder(Class<?> t) {
      Class<?> w = wrap(t);
      if (w == Integer.class) {
        return 0;
      }
      if (w == Long.class) {
        return 0L;
      }
      if (w == Double.class) {
        return 0.0;
      }
      if (w == Float.class) {
        return 0.0f;
      }
      if (w == Short.class) {
        return (short) 0;
      }
      if (w == Byte.class) {
        return (byte) 0;
      }
      if (w == Boolean.class) {
        return false;
      }
      if (w == Duration.class) {
        return Duration.ZERO;
      }
      if (w == ByteSize.class) {
        return ByteSize.ofBytes(0);
      }
      if (w == String.class) {
        return "";
      }
      return null;
    }

    static String enumValues(Class<?> enumType) {
      List<String> names = new ArrayList<>();
      for (Object constant : enumType.getEnumConstants()) {
        String name = ((Enum<?>) constant).name().toLowerCase(Locale.ROOT);
        try {
          JsonProperty p = enumType.getField(((Enum<?>) constant).name()).getAnnotation(JsonProperty.class);
          if (p != null && !p.value().isEmpty()) {
            name = p.value();
          }
        } catch (NoSuchFieldException e) {
          // keep the lowercase name
        }
        names.add(name);
      }
      return String.join(", ", names);
    }
  }
}
