package dev.inflight.component.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as the Collector writes them (Go's {@code time.ParseDuration}): {@code 5s}, {@code
 * 200ms}, {@code 1m30s}, {@code 1.5h}, {@code 100us}, {@code 0}. Units ns, us (µs), ms, s, m, h.
 */
public final class DurationFormat {
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)");

  private DurationFormat() {}

  /**
   * Parses a Go-style duration.
   *
   * @throws IllegalArgumentException saying what is accepted
   */
  public static Duration parse(String text) {
    String s = text.strip();
    boolean negative = false;
    if (s.startsWith("-") || s.startsWith("+")) {
      negative = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(text, "it is empty");
    }
    Matcher m = PART.matcher(s);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        if (s.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
          throw invalid(text, "it has no unit");
        }
        throw invalid(text, "cannot read \"" + s.substring(at) + "\"");
      }
      BigDecimal number = new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
      long unitNanos =
          switch (m.group(2)) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      nanos = nanos.add(number.multiply(BigDecimal.valueOf(unitNanos)));
      at = m.end();
    }
    if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw invalid(text, "it is too long");
    }
    long n = nanos.longValue();
    return Duration.ofNanos(negative ? -n : n);
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException(
        "invalid duration \"" + text + "\": " + why
            + " (use a number with a unit: 200ms, 5s, 1m, 1h30m; units ns, us, ms, s, m, h)");
  }

  /** The Go spelling of a duration: {@code 5s}, {@code 200ms}, {@code 1m30s}, {@code 0s}. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    if (d.isNegative()) {
      return "-" + format(d.negated());
    }
    long nanos = d.toNanos();
    if (nanos < 1_000L) {
      return nanos + "ns";
    }
    if (nanos < 1_000_000L) {
      return trim(BigDecimal.valueOf(nanos, 3)) + "us";
    }
    if (nanos < 1_000_000_000L) {
      return trim(BigDecimal.valueOf(nanos, 6)) + "ms";
    }
    StringBuilder sb = new StringBuilder();
    long hours = d.toHours();
    long minutes = d.toMinutesPart();
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      sb.append(minutes).append('m');
    }
    long secNanos = nanos % 60_000_000_000L;
    sb.append(trim(BigDecimal.valueOf(secNanos, 9))).append('s');
    String s = sb.toString();
    // 1h0m0s reads better as 1h0m0s in Go; keep Go's spelling but drop a trailing "0s" after m.
    return s.endsWith("m0s") ? s.substring(0, s.length() - 2) : s;
  }

  private static String trim(BigDecimal v) {
    return v.stripTrailingZeros().toPlainString();
  }
}
