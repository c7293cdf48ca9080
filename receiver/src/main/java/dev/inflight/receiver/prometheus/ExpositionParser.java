package dev.inflight.receiver.prometheus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses the Prometheus text exposition format (0.0.4) and OpenMetrics 1.0 text into metric
 * families. Neither prometheus client_java nor OpenTelemetry Java ships a parser (only writers), so
 * this is a small one, line by line. The body comes from the network: every line is bounded
 * ({@value #MAX_LINE_CHARS} characters), so are the samples of one body ({@value #MAX_SAMPLES}),
 * and anything malformed is an {@link ExpositionException} naming the line, never another
 * exception. Exemplars are skipped, as the contrib receiver does by default.
 */
final class ExpositionParser {
  static final int MAX_LINE_CHARS = 64 * 1024;
  static final int MAX_SAMPLES = 2_000_000;

  enum Type { COUNTER, GAUGE, HISTOGRAM, GAUGEHISTOGRAM, SUMMARY, INFO, STATESET, UNKNOWN }

  /**
   * One sample line.
   *
   * @param name the sample's name ({@code http_requests_total}, {@code latency_bucket})
   * @param labels in the order written
   * @param timestampMs the sample's own timestamp, if it has one
   */
  record Sample(String name, Map<String, String> labels, double value, @Nullable Long timestampMs) {}

  /** A metric family: its name (without a sample suffix), TYPE, HELP, UNIT and samples in order. */
  record Family(String name, Type type, String help, String unit, List<Sample> samples) {}

  private final boolean openMetrics;
  private final List<Family> families = new ArrayList<>();
  private final Map<String, FamilyBuilder> byName = new LinkedHashMap<>();
  private @Nullable FamilyBuilder current;
  private int lineNo;
  private int samples;

  private ExpositionParser(boolean openMetrics) {
    this.openMetrics = openMetrics;
  }

  /**
   * @param openMetrics the body is {@code application/openmetrics-text} (float-seconds timestamps,
   *     {@code # UNIT}, {@code # EOF}); else the text format
   */
  static List<Family> parse(String body, boolean openMetrics) throws ExpositionException {
    ExpositionParser p = new ExpositionParser(openMetrics);
    p.run(body);
    return p.result();
  }

  private static final class FamilyBuilder {
    final String name;
    Type type = Type.UNKNOWN;
    boolean typed;
    String help = "";
    String unit = "";
    final List<Sample> samples = new ArrayList<>();

    FamilyBuilder(String name) {
      this.name = name;
    }

    Family build() {
      return new Family(name, type, help, unit, Collections.unmodifiableList(samples));
    }
  }

  private List<Family> result() {
    List<Family> out = new ArrayList<>(byName.size());
    for (FamilyBuilder b : byName.values()) {
      out.add(b.build());
    }
    return out;
  }

  private void run(String body) throws ExpositionException {
    int pos = 0;
    int len = body.length();
    boolean eof = false;
    while (pos < len) {
      int nl = body.indexOf('\n', pos);
      int end = nl < 0 ? len : nl;
      lineNo++;
      if (end - pos > MAX_LINE_CHARS) {
        throw error("line longer than " + MAX_LINE_CHARS + " characters");
      }
      String line = body.substring(pos, end);
      pos = end + 1;
      if (eof) {
        if (!line.isEmpty()) {
          throw error("content after # EOF");
        }
        continue;
      }
      if (!openMetrics && line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        if (openMetrics) {
          throw error("empty line (OpenMetrics allows none)");
        }
        continue;
      }
      if (line.charAt(0) == '#') {
        eof = comment(line);
      } else if (!openMetrics && isBlank(line)) {
        continue;
      } else {
        sample(line);
      }
    }
    if (openMetrics && !eof) {
      throw new ExpositionException("OpenMetrics body does not end with # EOF");
    }
  }

  private static boolean isBlank(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != ' ' && s.charAt(i) != '\t') {
        return false;
      }
    }
    return true;
  }

  /** @return true at {@code # EOF} */
  private boolean comment(String line) throws ExpositionException {
    if (openMetrics && line.equals("# EOF")) {
      return true;
    }
    Cursor c = new Cursor(line, 1);
    c.skipSpaces();
    String keyword = c.token();
    if (!keyword.equals("HELP") && !keyword.equals("TYPE") && !(openMetrics && keyword.equals("UNIT"))) {
      if (openMetrics) {
        throw error("unknown comment \"# " + keyword + "\" (OpenMetrics allows HELP, TYPE, UNIT and EOF)");
      }
      return false; // the text format allows any other comment
    }
    if (!c.skipSpaces()) {
      throw error("# " + keyword + " without a metric name");
    }
    String name = c.metricName();
    if (name.isEmpty()) {
      throw error("invalid metric name in # " + keyword);
    }
    String rest = "";
    if (!c.atEnd()) {
      if (!c.skipSpaces()) {
        throw error("invalid metric name in # " + keyword);
      }
      rest = line.substring(c.pos);
    }
    FamilyBuilder f = family(name);
    switch (keyword) {
      case "HELP" -> f.help = unescapeHelp(rest);
      case "UNIT" -> f.unit = rest.strip();
      default -> {
        String t = rest.strip().toLowerCase(Locale.ROOT);
        Type type = switch (t) {
          case "counter" -> Type.COUNTER;
          case "gauge" -> Type.GAUGE;
          case "histogram" -> Type.HISTOGRAM;
          case "gaugehistogram" -> Type.GAUGEHISTOGRAM;
          case "summary" -> Type.SUMMARY;
          case "info" -> Type.INFO;
          case "stateset" -> Type.STATESET;
          case "untyped", "unknown" -> Type.UNKNOWN;
          default -> throw error("unknown metric type \"" + rest.strip() + "\" for " + name);
        };
        if (f.typed) {
          throw error("second # TYPE for " + name);
        }
        if (!f.samples.isEmpty()) {
          throw error("# TYPE for " + name + " after its samples");
        }
        f.type = type;
        f.typed = true;
      }
    }
    current = f;
    return false;
  }

  private FamilyBuilder family(String name) {
    FamilyBuilder f = byName.get(name);
    if (f == null) {
      f = new FamilyBuilder(name);
      byName.put(name, f);
    }
    return f;
  }

  private String unescapeHelp(String s) throws ExpositionException {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        switch (n) {
          case 'n' -> sb.append('\n');
          case '\\' -> sb.append('\\');
          case '"' -> sb.append('"');
          default -> sb.append('\\').append(n);
        }
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  private void sample(String line) throws ExpositionException {
    if (++samples > MAX_SAMPLES) {
      throw error("more than " + MAX_SAMPLES + " samples");
    }
    Cursor c = new Cursor(line, 0);
    String name = c.metricName();
    Map<String, String> labels = Map.of();
    if (c.peek() == '{') {
      labels = c.labels();
      if (name.isEmpty()) {
        String quoted = labels.get("");
        if (quoted == null) {
          throw error("sample without a metric name");
        }
        name = quoted; // {"my.metric", a="b"}: the name quoted inside the braces
        labels = new LinkedHashMap<>(labels);
        labels.remove("");
      } else if (labels.containsKey("")) {
        throw error("label without a name");
      }
    } else if (name.isEmpty()) {
      throw error("invalid metric name");
    }
    if (!c.skipSpaces()) {
      throw error("expected a space and a value after " + name);
    }
    double value = parseValue(c.token());
    Long ts = null;
    if (c.skipSpaces() && !c.atEnd() && c.peek() != '#') {
      String t = c.token();
      ts = openMetrics ? secondsToMillis(t) : parseMillis(t);
      c.skipSpaces();
    }
    if (!c.atEnd()) {
      if (openMetrics && c.peek() == '#') {
        // an exemplar: checked for shape, then skipped
      } else if (!openMetrics && c.peek() == '#') {
        // not allowed by 0.0.4, but exemplars appear there too; skipped
      } else {
        throw error("unexpected text after the value of " + name);
      }
    }
    familyFor(name).samples.add(new Sample(name, labels, value, ts));
  }

  /** The family a sample belongs to: the current one when its name matches, else its own. */
  private FamilyBuilder familyFor(String sampleName) {
    FamilyBuilder f = current;
    if (f != null && belongs(f, sampleName)) {
      return f;
    }
    for (String suffix : SUFFIXES) {
      if (sampleName.endsWith(suffix)) {
        FamilyBuilder other = byName.get(sampleName.substring(0, sampleName.length() - suffix.length()));
        if (other != null && other.typed && belongs(other, sampleName)) {
          current = other;
          return other;
        }
      }
    }
    f = family(sampleName);
    current = f;
    return f;
  }

  private static final String[] SUFFIXES = {"_total", "_created", "_bucket", "_count", "_sum", "_gcount",
      "_gsum", "_info"};

  private static boolean belongs(FamilyBuilder f, String sample) {
    if (sample.equals(f.name)) {
      return true;
    }
    if (!sample.startsWith(f.name) || sample.length() <= f.name.length()) {
      return false;
    }
    String suffix = sample.substring(f.name.length());
    return switch (f.type) {
      case COUNTER -> suffix.equals("_total") || suffix.equals("_created");
      case HISTOGRAM -> suffix.equals("_bucket") || suffix.equals("_count") || suffix.equals("_sum")
          || suffix.equals("_created");
      case GAUGEHISTOGRAM -> suffix.equals("_bucket") || suffix.equals("_gcount") || suffix.equals("_gsum");
      case SUMMARY -> suffix.equals("_count") || suffix.equals("_sum") || suffix.equals("_created");
      case INFO -> suffix.equals("_info");
      default -> false;
    };
  }

  private double parseValue(String s) throws ExpositionException {
    Double v = parseDouble(s);
    if (v == null) {
      throw error("invalid value \"" + abbreviate(s) + "\"");
    }
    return v;
  }

  /** Go's ParseFloat as Prometheus uses it: decimal or exponent floats, NaN, ±Inf; no Java suffixes. */
  static @Nullable Double parseDouble(String s) {
    if (s.isEmpty() || s.length() > 64) {
      return null;
    }
    String lower = s.toLowerCase(Locale.ROOT);
    String unsigned = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    if (unsigned.equals("inf") || unsigned.equals("infinity")) {
      return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (unsigned.equals("nan")) {
      return Double.NaN;
    }
    boolean digit = false;
    for (int i = 0; i < unsigned.length(); i++) {
      char ch = unsigned.charAt(i);
      if (ch >= '0' && ch <= '9') {
        digit = true;
      } else if (ch != '.' && ch != 'e' && ch != '+' && ch != '-') {
        return null;
      }
    }
    if (!digit) {
      return null;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private Long parseMillis(String s) throws ExpositionException {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw error("invalid timestamp \"" + abbreviate(s) + "\" (milliseconds expected)");
    }
  }

  private Long secondsToMillis(String s) throws ExpositionException {
    Double v = parseDouble(s);
    if (v == null || v.isNaN() || v.isInfinite() || Math.abs(v) > 9.2e15) {
      throw error("invalid timestamp \"" + abbreviate(s) + "\" (seconds expected)");
    }
    return Math.round(v * 1000);
  }

  private ExpositionException error(String message) {
    return new ExpositionException("line " + lineNo + ": " + message);
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** Reads tokens of one line. */
  private final class Cursor {
    final String line;
    int pos;

    Cursor(String line, int pos) {
      this.line = line;
      this.pos = pos;
    }

    boolean atEnd() {
      return pos >= line.length();
    }

    char peek() {
      return atEnd() ? '\0' : line.charAt(pos);
    }

    /** @return whether at least one space or tab was skipped */
    boolean skipSpaces() {
      int start = pos;
      while (!atEnd() && (line.charAt(pos) == ' ' || line.charAt(pos) == '\t')) {
        pos++;
      }
      return pos > start;
    }

    /** Up to the next space, tab or end. */
    String token() {
      int start = pos;
      while (!atEnd() && line.charAt(pos) != ' ' && line.charAt(pos) != '\t') {
        pos++;
      }
      return line.substring(start, pos);
    }

    String metricName() {
      int start = pos;
      while (!atEnd()) {
        char ch = line.charAt(pos);
        boolean ok = ch == '_' || ch == ':' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
            || (pos > start && ch >= '0' && ch <= '9');
        if (!ok) {
          break;
        }
        pos++;
      }
      return line.substring(start, pos);
    }

    private String labelName() {
      int start = pos;
      while (!atEnd()) {
        char ch = line.charAt(pos);
        boolean ok = ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
            || (pos > start && ch >= '0' && ch <= '9');
        if (!ok) {
          break;
        }
        pos++;
      }
      return line.substring(start, pos);
    }

    /** {@code {a="1",b="2"}}; a quoted string alone (UTF-8 names) is returned under the key "". */
    Map<String, String> labels() throws ExpositionException {
      pos++; // {
      Map<String, String> labels = new LinkedHashMap<>();
      skipSpaces();
      while (peek() != '}') {
        if (atEnd()) {
          throw error("unclosed {");
        }
        String name;
        if (peek() == '"') {
          name = quoted();
          skipSpaces();
          if (peek() != '=') {
            if (labels.containsKey("")) {
              throw error("two quoted metric names");
            }
            labels.put("", name);
            name = null;
          }
        } else {
          name = labelName();
          if (name.isEmpty()) {
            throw error("invalid label name at column " + (pos + 1));
          }
          skipSpaces();
        }
        if (name != null) {
          if (peek() != '=') {
            throw error("expected = after label " + name);
          }
          pos++;
          skipSpaces();
          if (peek() != '"') {
            throw error("label " + name + ": value must be quoted");
          }
          String value = quoted();
          if (labels.put(name, value) != null) {
            throw error("label " + name + " given twice");
          }
        }
        skipSpaces();
        if (peek() == ',') {
          pos++;
          skipSpaces();
        } else if (peek() != '}') {
          throw error("expected , or } at column " + (pos + 1));
        }
      }
      pos++; // }
      return labels;
    }

    private String quoted() throws ExpositionException {
      pos++; // "
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (atEnd()) {
          throw error("unclosed quoted label value");
        }
        char ch = line.charAt(pos++);
        if (ch == '"') {
          return sb.toString();
        }
        if (ch == '\\') {
          if (atEnd()) {
            throw error("unclosed quoted label value");
          }
          char n = line.charAt(pos++);
          switch (n) {
            case 'n' -> sb.append('\n');
            case '\\' -> sb.append('\\');
            case '"' -> sb.append('"');
            default -> {
              if (openMetrics) {
                throw error("invalid escape \\" + n + " in a label value");
              }
              sb.append('\\').append(n);
            }
          }
        } else {
          sb.append(ch);
        }
      }
    }
  }
}
