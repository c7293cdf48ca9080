package dev.inflight.processor.internal.attraction;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.inflight.component.config.ConfigProblems;
import org.jspecify.annotations.Nullable;

/**
 * One entry of {@code actions}, as the Collector's {@code attraction.ActionKeyValue}.
 *
 * @param key the attribute to act on; empty when not written (allowed for delete and hash with a
 *     {@code pattern})
 * @param value the value to set, typed as written in YAML; null when not written
 * @param pattern an RE2 regex: on keys for delete and hash, on the value for extract; empty when not
 *     written
 * @param fromAttribute take the value from this other attribute; empty when not written
 * @param fromContext take the value from the request's context ({@code metadata.*}, {@code auth.*});
 *     empty when not written
 * @param convertedType for convert: {@code int}, {@code double} or {@code string}; empty when not
 *     written
 * @param action what to do; null when not written, which {@link #validate} refuses
 */
public record ActionConfig(
    String key,
    @Nullable Object value,
    String pattern,
    String fromAttribute,
    String fromContext,
    String convertedType,
    @Nullable ActionKind action) {
  public ActionConfig {
    key = key == null ? "" : key;
    pattern = pattern == null ? "" : pattern;
    fromAttribute = fromAttribute == null ? "" : fromAttribute;
    fromContext = fromContext == null ? "" : fromContext;
    convertedType = convertedType == null ? "" : convertedType;
  }

  public static ActionConfig of(ActionKind action, String key, @Nullable Object value) {
    return new ActionConfig(key, value, null, null, null, null, action);
  }

  public static ActionConfig fromAttribute(ActionKind action, String key, String from) {
    return new ActionConfig(key, null, null, from, null, null, action);
  }

  /** Reports every problem, each at the key it is about. */
  public void validate(ConfigProblems problems) {
    if (action == null) {
      problems.add(
          "action", "action is required: insert, update, upsert, delete, hash, extract or convert");
      return;
    }
    boolean hasValue = value != null;
    boolean hasFrom = !fromAttribute.isEmpty();
    boolean hasContext = !fromContext.isEmpty();
    boolean hasPattern = !pattern.isEmpty();
    String name = action.key();
    switch (action) {
      case INSERT, UPDATE, UPSERT -> {
        requireKey(problems);
        int sources = (hasValue ? 1 : 0) + (hasFrom ? 1 : 0) + (hasContext ? 1 : 0);
        if (sources == 0) {
          problems.add(
              "value", "one of value, from_attribute or from_context is required for action " + name);
        } else if (sources > 1) {
          problems.add(
              "value",
              "only one of value, from_attribute and from_context can be set for action " + name);
        }
        if (hasValue) {
          try {
            AnyValues.of(value);
          } catch (IllegalArgumentException e) {
            problems.add("value", "value " + e.getMessage());
          }
        }
        if (hasContext && !(fromContext.startsWith("metadata.") || fromContext.startsWith("auth.")
            || fromContext.equals("client.address"))) {
          problems.add(
              "from_context",
              "from_context must be client.address or start with metadata. or auth., e.g."
                  + " metadata.x-tenant-id");
        }
        notUsed(problems, hasPattern, "pattern");
        notUsed(problems, !convertedType.isEmpty(), "converted_type");
      }
      case DELETE, HASH -> {
        if (key.isEmpty() && !hasPattern) {
          problems.add("key", "key or pattern is required for action " + name);
        }
        if (hasPattern) {
          compile(problems);
        }
        notUsed(problems, hasValue, "value");
        notUsed(problems, hasFrom, "from_attribute");
        notUsed(problems, hasContext, "from_context");
        notUsed(problems, !convertedType.isEmpty(), "converted_type");
      }
      case EXTRACT -> {
        requireKey(problems);
        if (!hasPattern) {
          problems.add("pattern", "pattern is required for action extract");
        } else {
          Pattern p = compile(problems);
          if (p != null && p.namedGroups().isEmpty()) {
            problems.add(
                "pattern",
                "pattern must have named subexpressions for action extract, e.g."
                    + " ^/api/(?P<version>v\\d+)/");
          }
        }
        notUsed(problems, hasValue, "value");
        notUsed(problems, hasFrom, "from_attribute");
        notUsed(problems, hasContext, "from_context");
        notUsed(problems, !convertedType.isEmpty(), "converted_type");
      }
      case CONVERT -> {
        requireKey(problems);
        if (!Converter.TYPES.contains(convertedType)) {
          problems.add(
              "converted_type",
              (convertedType.isEmpty()
                      ? "converted_type is required for action convert"
                      : "converted_type has invalid value \"" + convertedType + "\"")
                  + "; valid values: int, double, string");
        }
        notUsed(problems, hasValue, "value");
        notUsed(problems, hasFrom, "from_attribute");
        notUsed(problems, hasContext, "from_context");
        notUsed(problems, hasPattern, "pattern");
      }
    }
  }

  private void requireKey(ConfigProblems problems) {
    if (key.isEmpty()) {
      problems.add("key", "key is required for action " + action.key());
    }
  }

  private void notUsed(ConfigProblems problems, boolean set, String field) {
    if (set) {
      problems.add(field, field + " is not used by action " + action.key() + "; remove it");
    }
  }

  private @Nullable Pattern compile(ConfigProblems problems) {
    try {
      return Pattern.compile(pattern);
    } catch (PatternSyntaxException e) {
      problems.add("pattern", "pattern is not a valid RE2 regular expression: " + e.getDescription());
      return null;
    }
  }
}
