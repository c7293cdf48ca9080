package dev.inflight.config.confighttp;

import dev.inflight.component.config.ConfigProblems;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * The checks of an HTTP client's {@code endpoint} URLs and {@code headers}, as every HTTP exporter
 * ({@code otlphttp}, {@code prometheusremotewrite}) validates them; the client is {@link HttpPost}.
 */
public final class HttpClientSettings {
  /** Set by the HTTP client or by the exporter: a configured value would be ignored or refused. */
  public static final Set<String> RESERVED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "content-type", "content-encoding");

  private HttpClientSettings() {}

  /** Adds a problem at {@code key} unless {@code url} is empty or an http(s) URL with a host and no query. */
  public static void checkUrl(ConfigProblems problems, String key, String url) {
    if (url.isEmpty()) {
      return;
    }
    String why = null;
    try {
      URI u = new URI(url);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        why = "must be an http:// or https:// URL";
      } else if (u.getHost() == null || u.getHost().isEmpty()) {
        why = "has no host";
      } else if (u.getRawQuery() != null || u.getRawFragment() != null) {
        why = "must not have a query or fragment";
      }
    } catch (URISyntaxException e) {
      why = "is not a valid URL (" + e.getReason() + ")";
    }
    if (why != null) {
      problems.add(key, key + " " + why + " (got \"" + url + "\")");
    }
  }

  /** Why {@code name: value} cannot be sent as an HTTP header, or null. */
  public static String headerProblem(String name, String value) {
    if (name.isEmpty() || !name.chars().allMatch(HttpClientSettings::isTokenChar)) {
      return "header \"" + name + "\" is not a valid HTTP header name";
    }
    if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      return "header \"" + name + "\" is set by the exporter and cannot be configured";
    }
    if (value == null || !value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c != 0x7f && c <= 0xff))) {
      return "header \"" + name + "\" must have a value without control characters";
    }
    return null;
  }

  private static boolean isTokenChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
