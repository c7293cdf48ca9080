package dev.inflight.processor.attributes;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.processor.internal.attraction.AnyValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code include} / {@code exclude}: which spans, log records or metrics the actions apply to, as
 * the Collector's {@code filterconfig.MatchProperties}. Every property written must match (and);
 * within a list of names any item may (or); within {@code attributes}, {@code resources} every
 * entry must.
 *
 * @param matchType {@code strict} (equality) or {@code regexp} (RE2, matching anywhere in the
 *     value, as Go's {@code MatchString}); required
 * @param services {@code service.name} of the resource
 * @param spanNames span names
 * @param spanKinds span kinds as {@code SPAN_KIND_SERVER}, ...
 * @param attributes span / log record / data point attributes: the key must be present, and equal
 *     (or match) the value when one is written
 * @param resources resource attributes, as {@code attributes}
 * @param libraries instrumentation scopes: the name, and the version when one is written
 * @param logBodies log bodies, as strings
 * @param logSeverityTexts log severity texts
 * @param metricNames metric names
 */
public record MatchProperties(
    String matchType,
    List<String> services,
    List<String> spanNames,
    List<String> spanKinds,
    List<Attribute> attributes,
    List<Attribute> resources,
    List<Library> libraries,
    List<String> logBodies,
    List<String> logSeverityTexts,
    List<String> metricNames) {
  public MatchProperties {
    matchType = matchType == null ? "" : matchType;
    services = list(services);
    spanNames = list(spanNames);
    spanKinds = list(spanKinds);
    attributes = list(attributes);
    resources = list(resources);
    libraries = list(libraries);
    logBodies = list(logBodies);
    logSeverityTexts = list(logSeverityTexts);
    metricNames = list(metricNames);
  }

  private static <T> List<T> list(@Nullable List<T> l) {
    // Not List.copyOf: an empty YAML item binds to null and validate() reports it by index.
    return l == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(l));
  }

  /**
   * One entry of {@code attributes} or {@code resources}.
   *
   * @param key required
   * @param value typed as written in YAML; null to match any value of a present key
   */
  public record Attribute(String key, @Nullable Object value) {
    public Attribute {
      key = key == null ? "" : key;
    }
  }

  /**
   * One entry of {@code libraries}.
   *
   * @param name the scope name; required
   * @param version the scope version; null to match any
   */
  public record Library(String name, @Nullable String version) {
    public Library {
      name = name == null ? "" : name;
    }
  }

  boolean regexp() {
    return matchType.equals("regexp");
  }

  boolean isEmpty() {
    return services.isEmpty() && spanNames.isEmpty() && spanKinds.isEmpty()
        && attributes.isEmpty() && resources.isEmpty() && libraries.isEmpty()
        && logBodies.isEmpty() && logSeverityTexts.isEmpty() && metricNames.isEmpty();
  }

  void validate(ConfigProblems problems) {
    if (!matchType.equals("strict") && !matchType.equals("regexp")) {
      problems.add(
          "match_type",
          (matchType.isEmpty()
                  ? "match_type is required"
                  : "match_type has invalid value \"" + matchType + "\"")
              + "; valid values: strict, regexp");
      return;
    }
    if (isEmpty()) {
      problems.add(
          "at least one of services, span_names, span_kinds, attributes, resources, libraries,"
              + " log_bodies, log_severity_texts or metric_names must be specified");
    }
    names(problems, "services", services);
    names(problems, "span_names", spanNames);
    names(problems, "span_kinds", spanKinds);
    names(problems, "log_bodies", logBodies);
    names(problems, "log_severity_texts", logSeverityTexts);
    names(problems, "metric_names", metricNames);
    attributes(problems, "attributes", attributes);
    attributes(problems, "resources", resources);
    ConfigProblems libs = problems.at("libraries");
    for (int i = 0; i < libraries.size(); i++) {
      Library l = libraries.get(i);
      if (l == null || l.name().isEmpty()) {
        libs.at(i).add("name", "name is required");
        continue;
      }
      pattern(libs.at(i), "name", l.name());
      if (l.version() != null) {
        pattern(libs.at(i), "version", l.version());
      }
    }
  }

  private void names(ConfigProblems problems, String key, List<String> names) {
    ConfigProblems list = problems.at(key);
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i) == null) {
        list.at(i).add(key + "[" + i + "] must be a string");
      } else {
        pattern(list.at(i), null, names.get(i));
      }
    }
  }

  private void attributes(ConfigProblems problems, String key, List<Attribute> attrs) {
    ConfigProblems list = problems.at(key);
    for (int i = 0; i < attrs.size(); i++) {
      Attribute a = attrs.get(i);
      if (a == null || a.key().isEmpty()) {
        list.at(i).add("key", "key is required");
        continue;
      }
      if (a.value() == null) {
        continue;
      }
      if (regexp()) {
        if (a.value() instanceof String s) {
          pattern(list.at(i), "value", s);
        } else {
          list.at(i)
              .add("value", a.key() + "=" + a.value() + " is not a valid string for regexp match; quote it");
        }
      } else {
        try {
          AnyValues.of(a.value());
        } catch (IllegalArgumentException e) {
          list.at(i).add("value", "value " + e.getMessage());
        }
      }
    }
  }

  private void pattern(ConfigProblems problems, @Nullable String key, String regex) {
    if (!regexp()) {
      return;
    }
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      String message = "\"" + regex + "\" is not a valid RE2 regular expression: " + e.getDescription();
      if (key == null) {
        problems.add(message);
      } else {
        problems.add(key, message);
      }
    }
  }
}
