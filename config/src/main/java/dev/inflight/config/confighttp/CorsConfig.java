package dev.inflight.config.confighttp;

import dev.inflight.component.config.ConfigProblems;
import java.util.List;

/**
 * {@code cors} of an HTTP server (the otlp receiver's {@code protocols.http.cors}): let browsers post OTLP from other origins, as the Collector's
 * {@code confighttp} {@code cors} settings (which use {@code rs/cors}). CORS is on when {@code
 * allowed_origins} lists at least one origin.
 *
 * @param allowedOrigins origins allowed, e.g. {@code https://app.example.com}; one {@code *} per
 *     entry is a wildcard ({@code https://*.example.com}); {@code *} alone allows every origin
 * @param allowedHeaders request headers a browser may send besides the always-allowed {@code
 *     Accept}, {@code Accept-Language}, {@code Content-Type}, {@code Content-Language} (and {@code
 *     Origin}); when empty, {@code X-Requested-With} is allowed too; {@code *} allows any
 * @param maxAge how long, in seconds, a browser may cache a preflight answer; default 0: not sent
 */
public record CorsConfig(List<String> allowedOrigins, List<String> allowedHeaders, Integer maxAge) {
  public CorsConfig {
    allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    allowedHeaders = allowedHeaders == null ? List.of() : List.copyOf(allowedHeaders);
    maxAge = maxAge == null ? 0 : maxAge;
  }

  public static CorsConfig allowing(String... origins) {
    return new CorsConfig(List.of(origins), null, null);
  }

  /** On only with at least one origin, as in the Collector. */
  public boolean enabled() {
    return !allowedOrigins.isEmpty();
  }

  /** @param problems scoped at {@code cors} */
  public void validate(ConfigProblems problems) {
    for (int i = 0; i < allowedOrigins.size(); i++) {
      String o = allowedOrigins.get(i);
      if (o == null || o.isBlank()) {
        problems.at("allowed_origins").at(i).add("an allowed origin must not be empty");
      } else if (o.indexOf('*') != o.lastIndexOf('*')) {
        problems.at("allowed_origins").at(i)
            .add("allowed origin \"" + o + "\" has more than one *; use one wildcard, e.g. https://*.example.com");
      }
    }
    for (int i = 0; i < allowedHeaders.size(); i++) {
      String h = allowedHeaders.get(i);
      if (h == null || h.isBlank()) {
        problems.at("allowed_headers").at(i).add("an allowed header must not be empty");
      }
    }
    if (maxAge < 0) {
      problems.add("max_age", "max_age must not be negative (seconds)");
    }
  }
}
