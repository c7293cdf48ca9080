package dev.inflight.translator.prometheus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OpenTelemetry → Prometheus names, as the compatibility specification and the Collector's
 * translator ({@code pkg/translator/prometheus}) build them: the metric name is split into words
 * at every character that is not an ASCII letter or digit, the unit's Prometheus word is appended
 * unless the name already has it ({@code s} → {@code seconds}, {@code By/s} → {@code
 * bytes_per_second}; {@code {span}}-style annotations add nothing), {@code total} ends a monotonic
 * sum and {@code ratio} a gauge of unit {@code 1}; the words are joined with {@code _}, and a name
 * that would start with a digit gets a leading {@code _}.
 */
public final class PrometheusNames {
  private PrometheusNames() {}

  /** The Collector's unit table: OpenTelemetry (UCUM) unit → Prometheus word. */
  private static final Map<String, String> UNITS =
      Map.ofEntries(
          Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"),
          Map.entry("s", "seconds"), Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"),
          Map.entry("ns", "nanoseconds"),
          Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
          Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"),
          Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"),
          Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
          Map.entry("W", "watts"), Map.entry("g", "grams"),
          Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"), Map.entry("1", ""), Map.entry("%", "percent"));

  /** The words after {@code /} in a unit: {@code By/s} → {@code per_second}. */
  private static final Map<String, String> PER_UNITS =
      Map.of("s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

  /** What kind of OTLP metric a name is for: it decides the {@code _total} and {@code _ratio} suffixes. */
  public enum Kind {
    GAUGE,
    MONOTONIC_SUM,
    NON_MONOTONIC_SUM,
    HISTOGRAM,
    SUMMARY
  }

  /**
   * The Prometheus metric name of an OTLP metric, including {@code _total} for monotonic sums (the
   * sample name; client_java's writers want it without, see {@link #familyName}).
   *
   * @param namespace prefix joined with {@code _}; empty for none
   * @param addSuffixes false keeps the name's own words only (the Collector's {@code
   *     add_metric_suffixes: false})
   */
  public static String metricName(String name, String unit, Kind kind, String namespace, boolean addSuffixes) {
    List<String> words = words(name);
    if (addSuffixes) {
      String[] parts = unit == null ? new String[0] : unit.split("/", 2);
      if (parts.length > 0) {
        String main = parts[0].strip();
        if (!main.isEmpty() && main.indexOf('{') < 0 && main.indexOf('}') < 0) {
          String word = cleanUnit(UNITS.getOrDefault(main, main));
          if (!word.isEmpty() && !words.contains(word)) {
            words.addAll(words(word));
          }
        }
        if (parts.length > 1) {
          String per = parts[1].strip();
          if (!per.isEmpty() && per.indexOf('{') < 0 && per.indexOf('}') < 0) {
            String word = cleanUnit(PER_UNITS.getOrDefault(per, per));
            if (!word.isEmpty() && !words.contains(word)) {
              words.add("per");
              words.addAll(words(word));
            }
          }
        }
      }
      if (kind == Kind.MONOTONIC_SUM) {
        words.removeIf("total"::equals);
        words.add("total");
      }
      if ("1".equals(unit) && kind == Kind.GAUGE) {
        words.removeIf("ratio"::equals);
        words.add("ratio");
      }
    }
    if (namespace != null && !namespace.isEmpty()) {
      words.addAll(0, words(namespace));
    }
    String joined = String.join("_", words);
    if (joined.isEmpty()) {
      return "_";
    }
    return Character.isDigit(joined.charAt(0)) ? "_" + joined : joined;
  }

  /**
   * The name client_java's model wants for a family: without the {@code _total} its writers add to
   * a counter's sample.
   */
  public static String familyName(String metricName, boolean counter) {
    return counter && metricName.endsWith("_total") && metricName.length() > "_total".length()
        ? metricName.substring(0, metricName.length() - "_total".length())
        : metricName;
  }

  /**
   * The Prometheus unit word a translated name ends with ({@code seconds}, {@code bytes}, {@code
   * ratio}), for the OpenMetrics {@code # UNIT} line; null when the name carries none.
   */
  public static String unitOf(String familyName, String unit, Kind kind) {
    if ("1".equals(unit)) {
      return kind == Kind.GAUGE && familyName.endsWith("_ratio") ? "ratio" : null;
    }
    if (unit == null || unit.isBlank() || unit.indexOf('{') >= 0 || unit.indexOf('/') >= 0) {
      return null;
    }
    String word = cleanUnit(UNITS.getOrDefault(unit.strip(), unit.strip()));
    return !word.isEmpty() && familyName.endsWith("_" + word) ? word : null;
  }

  /**
   * A label name from an attribute key: characters outside {@code [a-zA-Z0-9_]} become {@code _};
   * a leading digit gets {@code key_}, a leading single {@code _} gets {@code key} (as the
   * Collector), and a leading {@code __} (reserved by Prometheus, which would drop it) gets {@code
   * key}.
   */
  public static String labelName(String key) {
    if (key.isEmpty()) {
      return "key_empty";
    }
    StringBuilder b = new StringBuilder(key.length() + 4);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      b.append(isWordChar(c) || c == '_' ? c : '_');
    }
    if (Character.isDigit(b.charAt(0)) && b.charAt(0) < 128) {
      b.insert(0, "key_");
    } else if (b.charAt(0) == '_') {
      b.insert(0, "key");
    }
    return b.toString();
  }

  /** The words of a name: runs of ASCII letters and digits. */
  private static List<String> words(String s) {
    List<String> out = new ArrayList<>(6);
    int start = -1;
    for (int i = 0; i <= s.length(); i++) {
      boolean word = i < s.length() && isWordChar(s.charAt(i));
      if (word && start < 0) {
        start = i;
      } else if (!word && start >= 0) {
        out.add(s.substring(start, i));
        start = -1;
      }
    }
    return out;
  }

  /** A unit word: runs of other characters become one {@code _}, none at the ends. */
  private static String cleanUnit(String unit) {
    return String.join("_", words(unit));
  }

  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
