package dev.inflight.receiver.prometheus;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.inflight.receiver.prometheus.ExpositionParser.Family;
import dev.inflight.receiver.prometheus.ExpositionParser.Sample;
import dev.inflight.receiver.prometheus.ExpositionParser.Type;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One Prometheus relabel rule ({@code metric_relabel_configs} entry), applied as Prometheus's
 * {@code model/relabel} does: the regex is RE2 and anchored at both ends, {@code $1} / {@code
 * ${name}} in {@code replacement} and {@code target_label} are expanded as Go's {@code
 * Regexp.Expand} does ({@code $1x} is the group named {@code 1x}, so empty: write {@code ${1}x}),
 * and a label set to the empty string is removed.
 */
record Relabel(Action action, List<String> sourceLabels, String separator, String targetLabel, Pattern regex,
    long modulus, String replacement) {

  enum Action {
    REPLACE, KEEP, DROP, KEEPEQUAL, DROPEQUAL, HASHMOD, LABELMAP, LABELDROP, LABELKEEP, LOWERCASE, UPPERCASE;

    String key() {
      return name().toLowerCase(Locale.ROOT);
    }

    static @Nullable Action of(String key) {
      for (Action a : values()) {
        if (a.key().equals(key)) {
          return a;
        }
      }
      return null;
    }
  }

  static final String DEFAULT_REGEX = "(.*)";
  private static final Pattern LABEL_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");

  /** Compiles {@code regex} the way Prometheus does: {@code ^(?:regex)$}. */
  static Pattern compile(String regex) throws PatternSyntaxException {
    return Pattern.compile("^(?:" + regex + ")$");
  }

  /**
   * Applies {@code rules} in order to {@code labels} (modified in place).
   *
   * @return false when a rule drops the series
   */
  static boolean apply(List<Relabel> rules, Map<String, String> labels) {
    for (Relabel r : rules) {
      if (!r.apply(labels)) {
        return false;
      }
    }
    labels.values().removeIf(String::isEmpty);
    return true;
  }

  private boolean apply(Map<String, String> labels) {
    String value = sourceValue(labels);
    switch (action) {
      case DROP -> {
        return !regex.matcher(value).matches();
      }
      case KEEP -> {
        return regex.matcher(value).matches();
      }
      case DROPEQUAL -> {
        return !value.equals(labels.getOrDefault(targetLabel, ""));
      }
      case KEEPEQUAL -> {
        return value.equals(labels.getOrDefault(targetLabel, ""));
      }
      case REPLACE -> {
        Matcher m = regex.matcher(value);
        if (!m.matches()) {
          return true;
        }
        String target = expand(targetLabel, m);
        if (!LABEL_NAME.matcher(target).matches()) {
          return true;
        }
        String result = expand(replacement, m);
        if (result.isEmpty()) {
          labels.remove(target);
        } else {
          labels.put(target, result);
        }
      }
      case LOWERCASE -> labels.put(targetLabel, value.toLowerCase(Locale.ROOT));
      case UPPERCASE -> labels.put(targetLabel, value.toUpperCase(Locale.ROOT));
      case HASHMOD -> labels.put(targetLabel, Long.toUnsignedString(Long.remainderUnsigned(md5Tail(value), modulus)));
      case LABELMAP -> {
        Map<String, String> add = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : labels.entrySet()) {
          Matcher m = regex.matcher(e.getKey());
          if (m.matches()) {
            add.put(expand(replacement, m), e.getValue());
          }
        }
        labels.putAll(add);
      }
      case LABELDROP -> labels.keySet().removeIf(k -> regex.matcher(k).matches());
      case LABELKEEP -> labels.keySet().removeIf(k -> !regex.matcher(k).matches());
    }
    return true;
  }

  private String sourceValue(Map<String, String> labels) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < sourceLabels.size(); i++) {
      if (i > 0) {
        b.append(separator);
      }
      b.append(labels.getOrDefault(sourceLabels.get(i), ""));
    }
    return b.toString();
  }

  /** Prometheus's hashmod: the last 8 bytes of the MD5 of the value, big-endian. */
  private static long md5Tail(String value) {
    try {
      byte[] sum = MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(sum, 8, 8).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no MD5", e);
    }
  }

  /** Go's {@code Regexp.Expand}: {@code $name}, {@code ${name}}, {@code $$}; a malformed {@code $} is literal. */
  static String expand(String template, Matcher m) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c != '$') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 < template.length() && template.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      String name;
      int next;
      if (i + 1 < template.length() && template.charAt(i + 1) == '{') {
        int close = template.indexOf('}', i + 2);
        name = close < 0 ? "" : template.substring(i + 2, close);
        next = close + 1;
        if (close < 0 || !isName(name)) {
          out.append('$');
          i++;
          continue;
        }
      } else {
        int j = i + 1;
        while (j < template.length() && isNameChar(template.charAt(j))) {
          j++;
        }
        name = template.substring(i + 1, j);
        next = j;
        if (name.isEmpty()) {
          out.append('$');
          i++;
          continue;
        }
      }
      out.append(group(m, name));
      i = next;
    }
    return out.toString();
  }

  private static String group(Matcher m, String name) {
    String g = null;
    if (name.chars().allMatch(Character::isDigit)) {
      try {
        int n = Integer.parseInt(name);
        if (n <= m.groupCount()) {
          g = m.group(n);
        }
      } catch (NumberFormatException tooLarge) {
        g = null;
      }
    } else {
      try {
        g = m.group(name);
      } catch (IllegalArgumentException noSuchGroup) {
        g = null;
      }
    }
    return g == null ? "" : g;
  }

  private static boolean isName(String s) {
    return !s.isEmpty() && s.chars().allMatch(ch -> isNameChar((char) ch));
  }

  private static boolean isNameChar(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /**
   * A job's {@code metric_relabel_configs} over one scrape's samples. The rules see each sample's
   * labels, {@code __name__}, and the target's {@code job}, {@code instance} and static labels
   * (where the sample has no label of that name), as Prometheus's metric relabeling does; what the
   * rules leave of the target's labels is put back by the converter, as for any sample. A sample
   * renamed to another family's name goes to a family of that name with no type (a gauge), as in
   * Prometheus, whose metadata is per name.
   */
  static List<Family> families(List<Relabel> rules, List<Family> families, ScrapeJob job, ScrapeJob.Target target) {
    if (rules.isEmpty()) {
      return families;
    }
    Map<String, String> targetLabels = new LinkedHashMap<>();
    targetLabels.put("job", job.jobName());
    targetLabels.put("instance", target.address());
    targetLabels.putAll(target.labels());
    List<Family> out = new ArrayList<>();
    Map<String, List<Sample>> renamed = new LinkedHashMap<>();
    for (Family f : families) {
      List<Sample> kept = new ArrayList<>();
      for (Sample s : f.samples()) {
        Map<String, String> labels = new LinkedHashMap<>(s.labels());
        labels.put("__name__", s.name());
        targetLabels.forEach(labels::putIfAbsent);
        if (!apply(rules, labels)) {
          continue;
        }
        String name = labels.remove("__name__");
        if (name == null) {
          continue; // a series without a name is dropped, as Prometheus drops it
        }
        targetLabels.forEach((k, v) -> {
          if (!s.labels().containsKey(k) && v.equals(labels.get(k))) {
            labels.remove(k);
          }
        });
        Sample r = new Sample(name, labels, s.value(), s.timestampMs());
        if (name.equals(s.name())) {
          kept.add(r);
        } else {
          renamed.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
        }
      }
      if (!kept.isEmpty()) {
        out.add(new Family(f.name(), f.type(), f.help(), f.unit(), kept));
      }
    }
    renamed.forEach((n, samples) -> out.add(new Family(n, Type.UNKNOWN, "", "", samples)));
    return out;
  }

  /** The valid action keys, for messages. */
  static List<String> actionKeys() {
    List<String> keys = new ArrayList<>();
    for (Action a : Action.values()) {
      keys.add(a.key());
    }
    return keys;
  }
}
