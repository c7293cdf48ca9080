package dev.inflight.config.confighttp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CORS for the HTTP server, with the rules of {@code rs/cors} as the Collector's {@code confighttp}
 * configures it (credentials allowed, the origin echoed): a preflight ({@code OPTIONS} with {@code
 * Origin} and {@code Access-Control-Request-Method}) is answered 204, with the {@code
 * Access-Control-Allow-*} headers only when the origin, the method ({@code POST}) and every
 * requested header are allowed; an actual request from an allowed origin gets {@code
 * Access-Control-Allow-Origin}. Other requests get no CORS headers (only {@code Vary: Origin}).
 */
public final class Cors {
  public static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
  public static final String ALLOW_CREDENTIALS = "Access-Control-Allow-Credentials";
  public static final String ALLOW_METHODS = "Access-Control-Allow-Methods";
  public static final String ALLOW_HEADERS = "Access-Control-Allow-Headers";
  public static final String MAX_AGE = "Access-Control-Max-Age";
  public static final String REQUEST_METHOD = "Access-Control-Request-Method";
  public static final String REQUEST_HEADERS = "Access-Control-Request-Headers";

  /** Headers always allowed (CORS-safelisted, plus Origin), lower case. */
  private static final List<String> ALWAYS = List.of("accept", "accept-language", "content-type", "content-language", "origin");

  private final boolean anyOrigin;
  /** Exact origins and wildcard patterns as {prefix, suffix}, lower case. */
  private final List<String[]> origins = new ArrayList<>();
  private final boolean anyHeader;
  private final List<String> headers = new ArrayList<>(ALWAYS);
  private final int maxAge;

  private Cors(CorsConfig config) {
    boolean any = false;
    for (String o : config.allowedOrigins()) {
      String l = o.strip().toLowerCase(Locale.ROOT);
      if (l.equals("*")) {
        any = true;
      }
      int star = l.indexOf('*');
      origins.add(star < 0 ? new String[] {l} : new String[] {l.substring(0, star), l.substring(star + 1)});
    }
    anyOrigin = any;
    boolean anyH = false;
    for (String h : config.allowedHeaders()) {
      String l = h.strip().toLowerCase(Locale.ROOT);
      anyH |= l.equals("*");
      headers.add(l);
    }
    if (config.allowedHeaders().isEmpty()) {
      headers.add("x-requested-with");
    }
    anyHeader = anyH;
    maxAge = config.maxAge();
  }

  /** Null when CORS is off (no config, or no origins). */
  public static Cors of(CorsConfig config) {
    return config == null || !config.enabled() ? null : new Cors(config);
  }

  public boolean allowsOrigin(String origin) {
    if (origin == null || origin.isEmpty()) {
      return false;
    }
    if (anyOrigin) {
      return true;
    }
    String o = origin.toLowerCase(Locale.ROOT);
    for (String[] allowed : origins) {
      if (allowed.length == 1) {
        if (allowed[0].equals(o)) {
          return true;
        }
      } else if (o.length() >= allowed[0].length() + allowed[1].length()
          && o.startsWith(allowed[0]) && o.endsWith(allowed[1])) {
        return true;
      }
    }
    return false;
  }

  /** The headers of an actual (non-preflight) request's answer; empty when the origin is not allowed. */
  public Map<String, String> actual(String origin) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("Vary", "Origin");
    if (allowsOrigin(origin)) {
      out.put(ALLOW_ORIGIN, origin);
      out.put(ALLOW_CREDENTIALS, "true");
    }
    return out;
  }

  /** The headers of a preflight's 204. */
  public Map<String, String> preflight(String origin, String requestMethod, String requestHeaders) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    if (!allowsOrigin(origin) || requestMethod == null || !requestMethod.strip().equalsIgnoreCase("POST")) {
      return out;
    }
    List<String> asked = new ArrayList<>();
    if (requestHeaders != null) {
      for (String h : requestHeaders.split(",")) {
        String l = h.strip().toLowerCase(Locale.ROOT);
        if (!l.isEmpty()) {
          asked.add(l);
        }
      }
    }
    if (!anyHeader) {
      for (String h : asked) {
        if (!headers.contains(h)) {
          return out;
        }
      }
    }
    out.put(ALLOW_ORIGIN, origin);
    out.put(ALLOW_METHODS, "POST");
    if (!asked.isEmpty()) {
      out.put(ALLOW_HEADERS, String.join(", ", asked));
    }
    out.put(ALLOW_CREDENTIALS, "true");
    if (maxAge > 0) {
      out.put(MAX_AGE, Integer.toString(maxAge));
    }
    return out;
  }
}
