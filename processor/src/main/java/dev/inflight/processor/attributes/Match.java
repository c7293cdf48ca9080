package dev.inflight.processor.attributes;

import com.google.re2j.Pattern;
import dev.inflight.component.Signal;
import dev.inflight.processor.attributes.MatchProperties.Attribute;
import dev.inflight.processor.attributes.MatchProperties.Library;
import dev.inflight.processor.internal.attraction.AnyValues;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One {@code include} or {@code exclude}, compiled: strict names as a set, regexps as RE2/J
 * patterns. The resource and scope part is asked once per scope, the rest per item. Immutable and
 * thread-safe.
 */
final class Match {
  /** The Collector's service name for a resource without {@code service.name}. */
  private static final String NO_SERVICE = "<nil-service-name>";

  /** Strict: a set; regexp: patterns of which any may match anywhere. Null when not written. */
  private record Names(boolean regexp, Set<String> exact, List<Pattern> patterns) {
    static @Nullable Names of(boolean regexp, List<String> names) {
      if (names.isEmpty()) {
        return null;
      }
      return regexp
          ? new Names(true, Set.of(), names.stream().map(Pattern::compile).toList())
          : new Names(false, new HashSet<>(names), List.of());
    }

    boolean matches(String s) {
      if (!regexp) {
        return exact.contains(s);
      }
      for (Pattern p : patterns) {
        if (p.matcher(s).find()) {
          return true;
        }
      }
      return false;
    }
  }

  /** One attribute condition: strict compares the typed value, regexp the value as a string. */
  private record Attr(String key, @Nullable AnyValue value, @Nullable Pattern pattern) {
    boolean matches(List<KeyValue> attrs) {
      for (KeyValue kv : attrs) {
        if (!kv.getKey().equals(key)) {
          continue;
        }
        if (pattern != null) {
          AnyValue.ValueCase c = kv.getValue().getValueCase();
          boolean scalar = c == AnyValue.ValueCase.STRING_VALUE || c == AnyValue.ValueCase.BOOL_VALUE
              || c == AnyValue.ValueCase.INT_VALUE || c == AnyValue.ValueCase.DOUBLE_VALUE;
          return scalar && pattern.matcher(AnyValues.asString(kv.getValue())).find();
        }
        return value == null || value.equals(kv.getValue());
      }
      return false;
    }
  }

  private record Lib(Names name, @Nullable Names version) {}

  private final @Nullable Names services;
  private final @Nullable Names spanNames;
  private final @Nullable Names spanKinds;
  private final @Nullable Names logBodies;
  private final @Nullable Names severityTexts;
  private final @Nullable Names metricNames;
  private final List<Attr> attributes;
  private final List<Attr> resources;
  private final List<Lib> libraries;

  private Match(MatchProperties p) {
    boolean re = p.regexp();
    services = Names.of(re, p.services());
    spanNames = Names.of(re, p.spanNames());
    spanKinds = Names.of(re, p.spanKinds());
    logBodies = Names.of(re, p.logBodies());
    severityTexts = Names.of(re, p.logSeverityTexts());
    metricNames = Names.of(re, p.metricNames());
    attributes = attrs(re, p.attributes());
    resources = attrs(re, p.resources());
    List<Lib> libs = new ArrayList<>();
    for (Library l : p.libraries()) {
      libs.add(
          new Lib(
              Names.of(re, List.of(l.name())),
              l.version() == null ? null : Names.of(re, List.of(l.version()))));
    }
    libraries = List.copyOf(libs);
  }

  private static List<Attr> attrs(boolean regexp, List<Attribute> attrs) {
    List<Attr> out = new ArrayList<>();
    for (Attribute a : attrs) {
      if (a.value() == null) {
        out.add(new Attr(a.key(), null, null));
      } else if (regexp) {
        out.add(new Attr(a.key(), null, Pattern.compile((String) a.value())));
      } else {
        out.add(new Attr(a.key(), AnyValues.of(a.value()), null));
      }
    }
    return List.copyOf(out);
  }

  /**
   * @param name {@code include} or {@code exclude}, for messages
   * @throws IllegalArgumentException when {@code p} names properties {@code signal} does not have,
   *     as the Collector refuses them
   */
  static @Nullable Match of(@Nullable MatchProperties p, String name, Signal signal) {
    if (p == null) {
      return null;
    }
    List<String> wrong = new ArrayList<>();
    switch (signal) {
      case TRACES -> {
        if (!p.logBodies().isEmpty()) wrong.add("log_bodies");
        if (!p.logSeverityTexts().isEmpty()) wrong.add("log_severity_texts");
        if (!p.metricNames().isEmpty()) wrong.add("metric_names");
      }
      case LOGS -> {
        if (!p.spanNames().isEmpty()) wrong.add("span_names");
        if (!p.spanKinds().isEmpty()) wrong.add("span_kinds");
        if (!p.metricNames().isEmpty()) wrong.add("metric_names");
      }
      case METRICS -> {
        if (!p.spanNames().isEmpty()) wrong.add("span_names");
        if (!p.spanKinds().isEmpty()) wrong.add("span_kinds");
        if (!p.logBodies().isEmpty()) wrong.add("log_bodies");
        if (!p.logSeverityTexts().isEmpty()) wrong.add("log_severity_texts");
      }
      default -> {}
    }
    if (!wrong.isEmpty()) {
      throw new IllegalArgumentException(
          name + ": " + String.join(", ", wrong) + " should not be specified for "
              + switch (signal) {
                case TRACES -> "trace spans";
                case LOGS -> "log records";
                default -> "metrics";
              });
    }
    return new Match(p);
  }

  /** The part that depends only on the resource and the scope. */
  boolean resourceAndScope(Resource resource, InstrumentationScope scope) {
    if (services != null) {
      String service = NO_SERVICE;
      for (KeyValue kv : resource.getAttributesList()) {
        if (kv.getKey().equals("service.name")) {
          service = AnyValues.asString(kv.getValue());
          break;
        }
      }
      if (!services.matches(service)) {
        return false;
      }
    }
    for (Attr a : resources) {
      if (!a.matches(resource.getAttributesList())) {
        return false;
      }
    }
    if (!libraries.isEmpty()) {
      boolean any = false;
      for (Lib l : libraries) {
        if (l.name.matches(scope.getName())
            && (l.version == null || l.version.matches(scope.getVersion()))) {
          any = true;
          break;
        }
      }
      if (!any) {
        return false;
      }
    }
    return true;
  }

  boolean span(Span span) {
    return (spanNames == null || spanNames.matches(span.getName()))
        && (spanKinds == null || spanKinds.matches(span.getKind().name()))
        && attributes(span.getAttributesList());
  }

  boolean log(LogRecord log) {
    return (logBodies == null || logBodies.matches(AnyValues.asString(log.getBody())))
        && (severityTexts == null || severityTexts.matches(log.getSeverityText()))
        && attributes(log.getAttributesList());
  }

  boolean metricName(String name) {
    return metricNames == null || metricNames.matches(name);
  }

  /** {@code attributes}: all must match; for metrics, asked per data point. */
  boolean attributes(List<KeyValue> attrs) {
    for (Attr a : attributes) {
      if (!a.matches(attrs)) {
        return false;
      }
    }
    return true;
  }
}
