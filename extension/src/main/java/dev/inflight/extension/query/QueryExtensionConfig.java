package dev.inflight.extension.query;

import dev.inflight.config.configauth.AuthConfig;
import org.jspecify.annotations.Nullable;
import dev.inflight.component.config.ByteSize;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.component.config.Endpoints;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code extensions.query}: the HTTP API, Grafana JSON datasource and web page that show what the
 * concurrency connectors see, live and per trace.
 *
 * @param endpoint {@code host:port} to listen on; default {@value #DEFAULT_ENDPOINT} (seed 000's port)
 * @param store the recent-trace store the connectors fill
 * @param tempoUrl Grafana Tempo's base URL (e.g. {@code http://tempo:3200}): traces not in the store
 *     are fetched from its {@code /api/traces/{id}}; default the environment variable {@code
 *     TEMPO_URL}, else none
 * @param tempoHeaders sent to Tempo with every request (e.g. {@code X-Scope-OrgID}); default none
 * @param tempoTimeout how long a Tempo request may take; default 10s
 * @param history how much live history the page's chart and the Grafana live queries get; default
 *     15m, between 1m and 1h
 * @param auth {@code authenticator} (an auth extension such as {@code basicauth}) or {@code
 *     bearer_token}: every request to the API, the datasource and the page must authenticate;
 *     null: open to whoever reaches the endpoint
 */
public record QueryExtensionConfig(
    String endpoint,
    Store store,
    String tempoUrl,
    Map<String, String> tempoHeaders,
    Duration tempoTimeout,
    Duration history,
    @Nullable AuthConfig auth)
    implements ComponentConfig {
  public static final String DEFAULT_ENDPOINT = "0.0.0.0:5050";
  public static final Duration DEFAULT_TEMPO_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_HISTORY = Duration.ofMinutes(15);

  /**
   * {@code store}: recent traces' worker spans, for {@code GET /trace/{id}}.
   *
   * @param maxBytes memory budget; default 64MiB; {@code 0} turns the store off; otherwise at least
   *     64KiB
   * @param maxAge how long a trace is kept after its first span arrived; default 30m
   */
  public record Store(ByteSize maxBytes, Duration maxAge) {
    public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(30);

    public Store {
      maxBytes = maxBytes == null ? ByteSize.ofMebibytes(64) : maxBytes;
      maxAge = maxAge == null ? DEFAULT_MAX_AGE : maxAge;
    }

    public static Store defaults() {
      return new Store(null, null);
    }

    public boolean enabled() {
      return maxBytes.bytes() > 0;
    }
  }

  public QueryExtensionConfig {
    endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
    store = store == null ? Store.defaults() : store;
    if (tempoUrl == null) {
      String env = System.getenv("TEMPO_URL");
      tempoUrl = env == null ? "" : env;
    }
    tempoUrl = tempoUrl.strip();
    tempoHeaders = tempoHeaders == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tempoHeaders));
    tempoTimeout = tempoTimeout == null ? DEFAULT_TEMPO_TIMEOUT : tempoTimeout;
    history = history == null ? DEFAULT_HISTORY : history;
  }

  /** Every setting at its default: what {@code createDefaultConfig()} returns. */
  public static final QueryExtensionConfig DEFAULT = new QueryExtensionConfig(
      null, null, null, null, null, null, null);

  /** This config with {@code endpoint} set; null means its default. */
  public QueryExtensionConfig withEndpoint(String endpoint) {
    return new QueryExtensionConfig(endpoint, store, tempoUrl, tempoHeaders, tempoTimeout, history, auth);
  }

  /** This config with {@code store} set; null means its default. */
  public QueryExtensionConfig withStore(Store store) {
    return new QueryExtensionConfig(endpoint, store, tempoUrl, tempoHeaders, tempoTimeout, history, auth);
  }

  /** This config with {@code tempo_url} set; null means its default. */
  public QueryExtensionConfig withTempoUrl(String tempoUrl) {
    return new QueryExtensionConfig(endpoint, store, tempoUrl, tempoHeaders, tempoTimeout, history, auth);
  }

  /** This config with {@code tempo_headers} set; null means its default. */
  public QueryExtensionConfig withTempoHeaders(Map<String, String> tempoHeaders) {
    return new QueryExtensionConfig(endpoint, store, tempoUrl, tempoHeaders, tempoTimeout, history, auth);
  }

  /** This config with {@code tempo_timeout} set; null means its default. */
  public QueryExtensionConfig withTempoTimeout(Duration tempoTimeout) {
    return new QueryExtensionConfig(endpoint, store, tempoUrl, tempoHeaders, tempoTimeout, history, auth);
  }

  /** This config with {@code history} set; null means its default. */
  public QueryExtensionConfig withHistory(Duration history) {
    return new QueryExtensionConfig(endpoint, store, tempoUrl, tempoHeaders, tempoTimeout, history, auth);
  }

  /** This config with {@code auth} set; null means none. */
  public QueryExtensionConfig withAuth(@Nullable AuthConfig auth) {
    return new QueryExtensionConfig(endpoint, store, tempoUrl, tempoHeaders, tempoTimeout, history, auth);
  }

  /** With {@code endpoint} and everything else at its default (no Tempo unless TEMPO_URL is set). */
  public static QueryExtensionConfig of(String endpoint) {
    return DEFAULT.withEndpoint(Objects.requireNonNull(endpoint, "endpoint"));
  }

  @Override
  public void validate(ConfigProblems problems) {
    String problem = Endpoints.checkHostPort(endpoint);
    if (problem != null) {
      problems.add("endpoint", "endpoint " + problem);
    }
    if (auth != null) {
      auth.validate(problems.at("auth"));
    }
    long bytes = store.maxBytes().bytes();
    if (bytes != 0 && bytes < 64 << 10) {
      problems.at("store").add("max_bytes", "max_bytes must be 0 (no store) or at least 64KiB, got " + store.maxBytes());
    }
    if (store.maxAge().isNegative() || store.maxAge().isZero()) {
      problems.at("store").add("max_age", "max_age must be positive");
    }
    if (!tempoUrl.isEmpty()) {
      String why = null;
      try {
        URI u = new URI(tempoUrl);
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
          why = "must start with http:// or https://";
        } else if (u.getHost() == null) {
          why = "has no host";
        }
      } catch (java.net.URISyntaxException e) {
        why = "is not a URL (" + e.getReason() + ")";
      }
      if (why != null) {
        problems.add("tempo_url", "tempo_url \"" + tempoUrl + "\" " + why + ", e.g. http://tempo:3200");
      } else {
        try {
          // The client refuses what it cannot send: credentials in the URL, restricted headers, ...
          new TempoClient(URI.create(tempoUrl), tempoHeaders, tempoTimeout.isZero() || tempoTimeout.isNegative() ? DEFAULT_TEMPO_TIMEOUT : tempoTimeout);
        } catch (IllegalArgumentException e) {
          problems.add("tempo_url", e.getMessage());
        }
      }
    }
    for (String name : tempoHeaders.keySet()) {
      if (name == null || name.isBlank() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != ':')) {
        problems.at("tempo_headers").add(String.valueOf(name), "header name \"" + name + "\" is not a valid HTTP header name");
      }
    }
    if (tempoTimeout.isNegative() || tempoTimeout.isZero()) {
      problems.add("tempo_timeout", "tempo_timeout must be positive");
    }
    if (history.compareTo(Duration.ofMinutes(1)) < 0 || history.compareTo(Duration.ofHours(1)) > 0) {
      problems.add("history", "history must be between 1m and 1h, got " + dev.inflight.component.config.DurationFormat.format(history));
    }
  }
}
