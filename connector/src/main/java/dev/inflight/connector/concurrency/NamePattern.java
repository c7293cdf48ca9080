package dev.inflight.connector.concurrency;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A pattern on a whole name: a glob ({@code *} any run of characters, {@code ?} one character,
 * {@code \} makes the next character literal) or, after the prefix {@code regex:}, an RE2 pattern.
 * Both compile to RE2/J, whose matching is linear in the name's length whatever the pattern.
 *
 * <p>Public for the offline tools ({@code inflight analyze}, {@code convert}), which classify
 * recorded spans exactly as the connector does.
 */
public final class NamePattern {
  static final String REGEX_PREFIX = "regex:";

  private final String source;
  private final Pattern pattern;

  private NamePattern(String source, Pattern pattern) {
    this.source = source;
    this.pattern = pattern;
  }

  /**
   * @throws IllegalArgumentException with a message fit for a config problem
   */
  public static NamePattern compile(String source) {
    if (source == null || source.isEmpty()) {
      throw new IllegalArgumentException("a pattern must not be empty");
    }
    if (source.startsWith(REGEX_PREFIX)) {
      String regex = source.substring(REGEX_PREFIX.length());
      if (regex.isEmpty()) {
        throw new IllegalArgumentException("\"regex:\" must be followed by an RE2 pattern");
      }
      try {
        return new NamePattern(source, Pattern.compile(regex));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "invalid RE2 pattern \"" + regex + "\": " + e.getDescription()
                + (e.getIndex() >= 0 ? " at position " + e.getIndex() : ""));
      }
    }
    return new NamePattern(source, Pattern.compile(globToRegex(source)));
  }

  public boolean matches(String name) {
    return pattern.matches(name);
  }

  static String globToRegex(String glob) {
    StringBuilder re = new StringBuilder(glob.length() + 8);
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '\\' && i + 1 < glob.length()) {
        literal.append(glob.charAt(++i));
      } else if (c == '*' || c == '?') {
        flush(re, literal);
        re.append(c == '*' ? "(?s:.*)" : "(?s:.)");
      } else {
        literal.append(c);
      }
    }
    flush(re, literal);
    return re.toString();
  }

  private static void flush(StringBuilder re, StringBuilder literal) {
    if (literal.length() > 0) {
      re.append(Pattern.quote(literal.toString()));
      literal.setLength(0);
    }
  }

  @Override
  public String toString() {
    return source;
  }
}
