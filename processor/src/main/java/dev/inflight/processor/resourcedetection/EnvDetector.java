package dev.inflight.processor.resourcedetection;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code env}: {@code OTEL_RESOURCE_ATTRIBUTES}, as the SDK spec reads it: comma-separated {@code
 * key=value} pairs, keys and values trimmed, values percent-decoded. A malformed value (a pair
 * without {@code =}, an empty key, a bad percent escape) is discarded as a whole, as the spec says.
 */
final class EnvDetector {
  static final String VARIABLE = "OTEL_RESOURCE_ATTRIBUTES";
  static final String DEPRECATED_VARIABLE = "OTEL_RESOURCE";

  private EnvDetector() {}

  /**
   * @param value the variable's value; null or blank gives nothing
   * @throws IllegalArgumentException saying what is malformed
   */
  static Map<String, String> parse(String value) {
    Map<String, String> out = new LinkedHashMap<>();
    if (value == null || value.isBlank()) {
      return out;
    }
    for (String pair : value.split(",", -1)) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("\"" + pair.strip() + "\" is not key=value");
      }
      String key = pair.substring(0, eq).strip();
      if (key.isEmpty()) {
        throw new IllegalArgumentException("\"" + pair.strip() + "\" has an empty key");
      }
      out.put(key, percentDecode(pair.substring(eq + 1).strip()));
    }
    return out;
  }

  /** %XX escapes as UTF-8 bytes; '+' stays '+' (this is not form encoding). */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '%') {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
        continue;
      }
      if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
          || Character.digit(s.charAt(i + 2), 16) < 0) {
        throw new IllegalArgumentException("\"" + s + "\" has a bad percent escape at " + i);
      }
      bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
      i += 2;
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
