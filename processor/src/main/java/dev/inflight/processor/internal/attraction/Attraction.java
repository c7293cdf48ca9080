package dev.inflight.processor.internal.attraction;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Configured attribute actions, compiled once (constant values as protobuf {@link KeyValue}s,
 * patterns as RE2/J), applied to an attribute list. Semantics are the Collector's {@code
 * attraction}: actions run in order, each seeing what the ones before it did; a {@code
 * from_attribute} that is absent makes the action do nothing. Immutable and thread-safe.
 */
public final class Attraction {
  private record Compiled(
      ActionKind action,
      String key,
      @Nullable KeyValue constant,
      String fromAttribute,
      String fromContext,
      @Nullable Pattern pattern,
      List<String> groupNames,
      String convertedType) {}

  private final List<Compiled> actions;

  private Attraction(List<Compiled> actions) {
    this.actions = actions;
  }

  /**
   * @throws IllegalArgumentException for a config {@link ActionConfig#validate} refuses
   */
  public static Attraction of(List<ActionConfig> config) {
    List<Compiled> compiled = new ArrayList<>(config.size());
    for (int i = 0; i < config.size(); i++) {
      ActionConfig a = config.get(i);
      dev.inflight.component.config.ConfigProblems problems =
          dev.inflight.component.config.ConfigProblems.root();
      a.validate(problems);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid attribute action " + i + ": " + problems.all().get(0));
      }
      KeyValue constant =
          a.action().sets() && a.value() != null
              ? KeyValue.newBuilder().setKey(a.key()).setValue(AnyValues.of(a.value())).build()
              : null;
      Pattern pattern = a.pattern().isEmpty() ? null : Pattern.compile(a.pattern());
      List<String> groups = List.of();
      if (pattern != null && a.action() == ActionKind.EXTRACT) {
        // In the order they appear in the pattern, so repeated names resolve as in the Collector.
        groups =
            pattern.namedGroups().entrySet().stream()
                .sorted(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                .map(Map.Entry::getKey)
                .toList();
      }
      compiled.add(
          new Compiled(
              a.action(), a.key(), constant, a.fromAttribute(), a.fromContext(), pattern, groups,
              a.convertedType()));
    }
    return new Attraction(List.copyOf(compiled));
  }

  /**
   * Applies every action in order.
   *
   * @return {@code original} itself when no action changed anything, else a new list
   */
  public List<KeyValue> apply(List<KeyValue> original) {
    List<KeyValue> attrs = null; // copied on first change
    for (Compiled a : actions) {
      List<KeyValue> view = attrs != null ? attrs : original;
      switch (a.action) {
        case DELETE -> {
          if (matchesAny(view, a)) {
            attrs = attrs != null ? attrs : new ArrayList<>(original);
            // Duplicates too: the key is gone.
            attrs.removeIf(kv -> matches(a, kv.getKey()));
          }
        }
        case HASH -> {
          for (int i = 0; i < view.size(); i++) {
            KeyValue kv = view.get(i);
            if (matches(a, kv.getKey())) {
              attrs = attrs != null ? attrs : new ArrayList<>(original);
              view = attrs;
              attrs.set(i, kv.toBuilder().setValue(Converter.hash(kv.getValue())).build());
            }
          }
        }
        case CONVERT -> {
          int at = indexOf(view, a.key);
          if (at >= 0) {
            AnyValue before = view.get(at).getValue();
            AnyValue after = Converter.convert(before, a.convertedType);
            if (after != before) {
              attrs = attrs != null ? attrs : new ArrayList<>(original);
              attrs.set(at, view.get(at).toBuilder().setValue(after).build());
            }
          }
        }
        case EXTRACT -> {
          int at = indexOf(view, a.key);
          if (at < 0 || view.get(at).getValue().getValueCase() != AnyValue.ValueCase.STRING_VALUE) {
            continue;
          }
          Matcher m = a.pattern.matcher(view.get(at).getValue().getStringValue());
          if (!m.find()) {
            continue;
          }
          attrs = attrs != null ? attrs : new ArrayList<>(original);
          for (String name : a.groupNames) {
            String group = m.group(name);
            put(attrs, str(name, group == null ? "" : group));
          }
        }
        case INSERT, UPDATE, UPSERT -> {
          int at = indexOf(view, a.key);
          if ((a.action == ActionKind.INSERT && at >= 0)
              || (a.action == ActionKind.UPDATE && at < 0)) {
            continue;
          }
          KeyValue kv = a.constant;
          if (kv == null) {
            if (!a.fromContext.isEmpty()) {
              continue; // inflight keeps no client context (metadata, auth): as if absent
            }
            int from = indexOf(view, a.fromAttribute);
            if (from < 0) {
              continue;
            }
            kv = KeyValue.newBuilder().setKey(a.key).setValue(view.get(from).getValue()).build();
          }
          attrs = attrs != null ? attrs : new ArrayList<>(original);
          if (at >= 0) {
            attrs.set(at, kv);
          } else {
            attrs.add(kv);
          }
        }
      }
    }
    return attrs == null || attrs.equals(original) ? original : attrs;
  }

  private static boolean matches(Compiled a, String key) {
    return (!a.key.isEmpty() && a.key.equals(key)) || (a.pattern != null && a.pattern.matcher(key).find());
  }

  private static boolean matchesAny(List<KeyValue> attrs, Compiled a) {
    for (KeyValue kv : attrs) {
      if (matches(a, kv.getKey())) {
        return true;
      }
    }
    return false;
  }

  private static KeyValue str(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static void put(List<KeyValue> attrs, KeyValue kv) {
    int at = indexOf(attrs, kv.getKey());
    if (at >= 0) {
      attrs.set(at, kv);
    } else {
      attrs.add(kv);
    }
  }

  private static int indexOf(List<KeyValue> attrs, String key) {
    for (int i = 0, n = attrs.size(); i < n; i++) {
      if (attrs.get(i).getKey().equals(key)) {
        return i;
      }
    }
    return -1;
  }
}
