package dev.inflight.service.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Expands environment references in a config value, as the Collector does: {@code ${env:VAR}},
 * {@code ${VAR}}, {@code ${env:VAR:-default}} (the default when VAR is unset), and {@code $$} for
 * a literal {@code $}. A lone {@code $} stays as it is; bare {@code $VAR} is not expanded (the
 * Collector dropped that form). An unset variable without a default becomes empty and is reported,
 * so a required field left empty by it can say why.
 */
final class EnvExpander {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /** The expanded text, the variables that were unset, and what could not be read. */
  record Result(String value, List<String> unset, List<String> errors) {}

  private final Function<String, String> env;

  EnvExpander(Function<String, String> env) {
    this.env = env;
  }

  Result expand(String raw) {
    if (raw.indexOf('$') < 0) {
      return new Result(raw, List.of(), List.of());
    }
    StringBuilder out = new StringBuilder(raw.length());
    List<String> unset = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c != '$' || i + 1 >= raw.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = raw.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      if (next != '{') {
        out.append(c);
        i++;
        continue;
      }
      int close = raw.indexOf('}', i + 2);
      if (close < 0) {
        errors.add("unclosed \"${\" in \"" + raw + "\" (write $$ for a literal $)");
        out.append(raw, i, raw.length());
        break;
      }
      String ref = raw.substring(i + 2, close);
      String body = ref;
      if (ref.startsWith("env:")) {
        body = ref.substring(4);
      } else {
        int colon = ref.indexOf(':');
        if (colon > 0 && !ref.startsWith(":-", colon) && NAME.matcher(ref.substring(0, colon)).matches()) {
          errors.add(
              "unsupported scheme \"" + ref.substring(0, colon) + "\" in \"${" + ref
                  + "}\"; inflight expands ${env:VAR}, ${VAR} and ${env:VAR:-default}");
          i = close + 1;
          continue;
        }
      }
      String name = body;
      String fallback = null;
      int dflt = body.indexOf(":-");
      if (dflt >= 0) {
        name = body.substring(0, dflt);
        fallback = body.substring(dflt + 2);
      }
      if (!NAME.matcher(name).matches()) {
        errors.add("invalid environment variable name \"" + name + "\" in \"${" + ref + "}\"");
        i = close + 1;
        continue;
      }
      String value = env.apply(name);
      if (value == null) {
        if (fallback != null) {
          value = fallback;
        } else {
          unset.add(name);
          value = "";
        }
      }
      out.append(value);
      i = close + 1;
    }
    return new Result(out.toString(), unset, errors);
  }
}
