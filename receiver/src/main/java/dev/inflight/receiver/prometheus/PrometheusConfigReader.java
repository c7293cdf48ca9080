package dev.inflight.receiver.prometheus;

import dev.inflight.component.config.ConfigProblems;
import dev.inflight.component.config.DurationFormat;
import dev.inflight.component.config.Suggestions;
import dev.inflight.config.configtls.TlsClientConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code config} section, which is Prometheus's own configuration file format, as the
 * contrib receiver hands it to Prometheus's config loader: Prometheus's keys and defaults
 * ({@code scrape_interval} 1m, {@code scrape_timeout} 10s but at most the interval, {@code
 * metrics_path} /metrics, {@code scheme} http, {@code honor_timestamps} true). Only static
 * targets are supported; a service discovery key or another Prometheus key inflight does not
 * implement is a problem that names it.
 */
final class PrometheusConfigReader {
  static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofMinutes(1);
  static final Duration DEFAULT_SCRAPE_TIMEOUT = Duration.ofSeconds(10);
  static final String DEFAULT_METRICS_PATH = "/metrics";

  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

  private static final Set<String> TOP_KEYS = Set.of("global", "scrape_configs");
  private static final Set<String> TOP_UNSUPPORTED = Set.of("rule_files", "alerting", "remote_write",
      "remote_read", "scrape_config_files", "storage", "tracing", "runtime", "otlp");
  private static final Set<String> GLOBAL_KEYS = Set.of("scrape_interval", "scrape_timeout", "external_labels");
  private static final Set<String> GLOBAL_UNSUPPORTED = Set.of("evaluation_interval", "rule_query_offset",
      "query_log_file", "scrape_failure_log_file", "body_size_limit", "sample_limit", "label_limit",
      "label_name_length_limit", "label_value_length_limit", "target_limit", "keep_dropped_targets",
      "metric_name_validation_scheme", "metric_name_escaping_scheme", "scrape_protocols",
      "always_scrape_classic_histograms", "convert_classic_histograms_to_nhcb",
      "scrape_native_histograms");
  private static final Set<String> JOB_KEYS = Set.of("job_name", "scrape_interval", "scrape_timeout",
      "metrics_path", "scheme", "params", "honor_labels", "honor_timestamps", "static_configs", "basic_auth",
      "authorization", "tls_config", "metric_relabel_configs");
  private static final Set<String> RELABEL_KEYS = Set.of("source_labels", "separator", "target_label", "regex",
      "modulus", "replacement", "action");
  private static final Set<String> JOB_UNSUPPORTED = Set.of("relabel_configs",
      "oauth2", "proxy_url", "no_proxy", "proxy_from_environment", "proxy_connect_header", "follow_redirects",
      "enable_http2", "enable_compression", "track_timestamps_staleness", "sample_limit", "label_limit",
      "label_name_length_limit", "label_value_length_limit", "target_limit", "body_size_limit",
      "keep_dropped_targets", "scrape_protocols", "scrape_classic_histograms",
      "always_scrape_classic_histograms", "native_histogram_bucket_limit",
      "native_histogram_min_bucket_factor", "convert_classic_histograms_to_nhcb", "scrape_failure_log_file",
      "metric_name_validation_scheme", "metric_name_escaping_scheme", "http_headers", "bearer_token",
      "bearer_token_file", "fallback_scrape_protocol", "scrape_native_histograms");
  private static final Set<String> STATIC_KEYS = Set.of("targets", "labels");
  private static final Set<String> TLS_KEYS = Set.of("ca_file", "cert_file", "key_file", "insecure_skip_verify");

  private PrometheusConfigReader() {}

  /** The scrape jobs of {@code config}; each problem is added to {@code problems} (scoped at config). */
  static List<ScrapeJob> read(Map<String, Object> config, ConfigProblems problems) {
    keys(config, TOP_KEYS, TOP_UNSUPPORTED, problems);
    Map<String, Object> global = map(config.get("global"), "global", problems);
    ConfigProblems gp = problems.at("global");
    keys(global, GLOBAL_KEYS, GLOBAL_UNSUPPORTED, gp);
    Duration globalInterval = duration(global, "scrape_interval", DEFAULT_SCRAPE_INTERVAL, gp);
    Duration globalTimeout = duration(global, "scrape_timeout", DEFAULT_SCRAPE_TIMEOUT, gp);
    if (globalTimeout.compareTo(globalInterval) > 0 && global.containsKey("scrape_timeout")) {
      gp.add("scrape_timeout", "scrape_timeout " + DurationFormat.format(globalTimeout)
          + " must not be greater than scrape_interval " + DurationFormat.format(globalInterval));
    }
    Map<String, String> externalLabels = labels(global, "external_labels", gp);

    List<ScrapeJob> jobs = new ArrayList<>();
    Object scrapeConfigs = config.get("scrape_configs");
    if (scrapeConfigs == null) {
      problems.add("scrape_configs", "scrape_configs is required: list at least one scrape job, e.g."
          + " [{job_name: app, static_configs: [{targets: ['localhost:8888']}]}]");
      return jobs;
    }
    if (!(scrapeConfigs instanceof List<?> list)) {
      problems.add("scrape_configs", "scrape_configs must be a list of scrape jobs");
      return jobs;
    }
    if (list.isEmpty()) {
      problems.add("scrape_configs", "scrape_configs must list at least one scrape job");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      ConfigProblems jp = problems.at("scrape_configs").at(i);
      Map<String, Object> job = map(list.get(i), null, jp);
      ScrapeJob j = job(job, globalInterval, globalTimeout, externalLabels, jp);
      if (j != null) {
        if (!names.add(j.jobName())) {
          jp.add("job_name", "job_name \"" + j.jobName() + "\" is used by two scrape configs; each needs its own");
        }
        jobs.add(j);
      }
    }
    return jobs;
  }

  private static @Nullable ScrapeJob job(Map<String, Object> job, Duration globalInterval, Duration globalTimeout,
      Map<String, String> externalLabels, ConfigProblems p) {
    keys(job, JOB_KEYS, JOB_UNSUPPORTED, p);
    String name = string(job, "job_name", "", p);
    if (name.isEmpty()) {
      p.add("job_name", "job_name is required: name the scrape job (it becomes service.name)");
    }
    Duration interval = duration(job, "scrape_interval", globalInterval, p);
    Duration defaultTimeout = globalTimeout.compareTo(interval) > 0 ? interval : globalTimeout;
    Duration timeout = duration(job, "scrape_timeout", defaultTimeout, p);
    if (timeout.compareTo(interval) > 0) {
      p.add("scrape_timeout", "scrape_timeout " + DurationFormat.format(timeout)
          + " must not be greater than scrape_interval " + DurationFormat.format(interval));
    }
    String path = string(job, "metrics_path", DEFAULT_METRICS_PATH, p);
    if (!path.startsWith("/")) {
      p.add("metrics_path", "metrics_path must start with /, got \"" + path + "\"");
    }
    String scheme = string(job, "scheme", "http", p);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      p.add("scheme", "scheme must be http or https, got \"" + scheme + "\"");
    }
    Map<String, List<String>> params = params(job, p);
    boolean honorLabels = bool(job, "honor_labels", false, p);
    boolean honorTimestamps = bool(job, "honor_timestamps", true, p);

    List<ScrapeJob.Target> targets = new ArrayList<>();
    Object statics = job.get("static_configs");
    ConfigProblems sp = p.at("static_configs");
    if (statics == null) {
      p.add("static_configs", "static_configs is required: inflight scrapes static targets only, e.g."
          + " static_configs: [{targets: ['localhost:8888']}]");
    } else if (!(statics instanceof List<?> list)) {
      p.add("static_configs", "static_configs must be a list of {targets, labels}");
    } else {
      for (int i = 0; i < list.size(); i++) {
        ConfigProblems ep = sp.at(i);
        Map<String, Object> entry = map(list.get(i), null, ep);
        keys(entry, STATIC_KEYS, Set.of(), ep);
        Map<String, String> labels = labels(entry, "labels", ep);
        for (String address : strings(entry, "targets", ep)) {
          String problem = checkAddress(address);
          if (problem != null) {
            ep.add("targets", problem);
          } else {
            targets.add(new ScrapeJob.Target(address, labels));
          }
        }
      }
    }
    ScrapeJob.BasicAuth basic = basicAuth(job, p);
    ScrapeJob.Authorization authz = authorization(job, p);
    if (basic != null && authz != null) {
      p.add("basic_auth", "basic_auth and authorization cannot both be set");
    }
    TlsClientConfig tls = tls(job, p);
    List<Relabel> metricRelabel = relabelConfigs(job, "metric_relabel_configs", p);
    if (name.isEmpty()) {
      return null;
    }
    return new ScrapeJob(name, interval, timeout, path, scheme, params, honorLabels, honorTimestamps,
        List.copyOf(targets), basic, authz, tls, externalLabels, metricRelabel);
  }

  /** A list of relabel rules with Prometheus's defaults and checks ({@code model/relabel.Config}). */
  private static List<Relabel> relabelConfigs(Map<String, Object> job, String key, ConfigProblems p) {
    Object v = job.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      p.add(key, key + " must be a list of {source_labels, regex, action, ...}");
      return List.of();
    }
    List<Relabel> rules = new ArrayList<>();
    ConfigProblems lp = p.at(key);
    for (int i = 0; i < list.size(); i++) {
      ConfigProblems rp = lp.at(i);
      Map<String, Object> m = map(list.get(i), null, rp);
      keys(m, RELABEL_KEYS, Set.of(), rp);
      String actionKey = string(m, "action", "replace", rp).toLowerCase(java.util.Locale.ROOT);
      Relabel.Action action = Relabel.Action.of(actionKey);
      if (action == null) {
        rp.add("action", "unknown relabel action \"" + actionKey + "\"; valid: " + String.join(", ", Relabel.actionKeys()));
        continue;
      }
      List<String> sources = new ArrayList<>();
      Object sl = m.get("source_labels");
      if (sl instanceof List<?> names) {
        for (Object o : names) {
          sources.add(String.valueOf(o));
        }
      } else if (sl != null) {
        rp.add("source_labels", "source_labels must be a list of label names, e.g. [__name__]");
      }
      String separator = string(m, "separator", ";", rp);
      String target = string(m, "target_label", "", rp);
      String regexText = string(m, "regex", Relabel.DEFAULT_REGEX, rp);
      String replacement = string(m, "replacement", "$1", rp);
      long modulus = 0;
      Object mod = m.get("modulus");
      if (mod instanceof Number n && n.longValue() > 0) {
        modulus = n.longValue();
      } else if (mod != null) {
        rp.add("modulus", "modulus must be a positive integer, got " + mod);
      }
      com.google.re2j.Pattern regex;
      try {
        regex = Relabel.compile(regexText);
      } catch (com.google.re2j.PatternSyntaxException e) {
        rp.add("regex", "regex \"" + regexText + "\" is not a valid RE2 expression: " + e.getDescription());
        continue;
      }
      switch (action) {
        case REPLACE, HASHMOD, LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL -> {
          if (target.isEmpty()) {
            rp.add("target_label", "relabel action " + actionKey + " requires target_label");
          }
        }
        case LABELDROP, LABELKEEP -> {
          if (!sources.isEmpty() || !target.isEmpty()) {
            rp.add("action", "relabel action " + actionKey + " takes only regex (a label name pattern), not"
                + " source_labels or target_label");
          }
        }
        case LABELMAP -> {
          if (!replacement.matches("(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*")) {
            rp.add("replacement", "relabel action labelmap needs a replacement that is a label name or a $group"
                + " template, got \"" + replacement + "\"");
          }
        }
        default -> { }
      }
      if (action == Relabel.Action.HASHMOD && modulus == 0 && mod == null) {
        rp.add("modulus", "relabel action hashmod requires modulus");
      }
      rules.add(new Relabel(action, List.copyOf(sources), separator, target, regex, modulus, replacement));
    }
    return List.copyOf(rules);
  }

  /** Prometheus's rule for a target: host and optional port, no scheme or path. */
  static @Nullable String checkAddress(String address) {
    if (address.isEmpty()) {
      return "targets entries must not be empty";
    }
    if (address.contains("/") || address.contains("?") || address.contains("#")) {
      return "targets entry \"" + address + "\" must be host:port (no scheme or path: set scheme and"
          + " metrics_path instead)";
    }
    int colon = address.lastIndexOf(':');
    if (colon > 0 && !address.endsWith("]")) {
      String port = address.substring(colon + 1);
      try {
        int n = Integer.parseInt(port);
        if (n < 1 || n > 65535) {
          return "targets entry \"" + address + "\": port must be 1 to 65535";
        }
      } catch (NumberFormatException e) {
        return "targets entry \"" + address + "\": port \"" + port + "\" is not a number";
      }
    }
    return null;
  }

  private static ScrapeJob.@Nullable BasicAuth basicAuth(Map<String, Object> job, ConfigProblems p) {
    if (!job.containsKey("basic_auth")) {
      return null;
    }
    ConfigProblems bp = p.at("basic_auth");
    Map<String, Object> m = map(job.get("basic_auth"), null, bp);
    keys(m, Set.of("username", "password", "password_file", "username_file"), Set.of(), bp);
    String user = string(m, "username", "", bp);
    String userFile = string(m, "username_file", "", bp);
    if (!userFile.isEmpty()) {
      bp.add("username_file", "username_file is not supported by inflight: set username");
    }
    String password = string(m, "password", "", bp);
    String file = string(m, "password_file", "", bp);
    if (!password.isEmpty() && !file.isEmpty()) {
      bp.add("password", "at most one of basic_auth password and password_file must be configured");
    }
    if (user.isEmpty() && userFile.isEmpty()) {
      bp.add("username", "username is required with basic_auth");
    }
    return new ScrapeJob.BasicAuth(user, password, file);
  }

  private static ScrapeJob.@Nullable Authorization authorization(Map<String, Object> job, ConfigProblems p) {
    if (!job.containsKey("authorization")) {
      return null;
    }
    ConfigProblems ap = p.at("authorization");
    Map<String, Object> m = map(job.get("authorization"), null, ap);
    keys(m, Set.of("type", "credentials", "credentials_file"), Set.of(), ap);
    String type = string(m, "type", "Bearer", ap);
    if (type.equalsIgnoreCase("basic")) {
      ap.add("type", "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
    }
    String credentials = string(m, "credentials", "", ap);
    String file = string(m, "credentials_file", "", ap);
    if (!credentials.isEmpty() && !file.isEmpty()) {
      ap.add("credentials", "at most one of authorization credentials and credentials_file must be configured");
    }
    return new ScrapeJob.Authorization(type, credentials, file);
  }

  private static @Nullable TlsClientConfig tls(Map<String, Object> job, ConfigProblems p) {
    if (!job.containsKey("tls_config")) {
      return null;
    }
    ConfigProblems tp = p.at("tls_config");
    Map<String, Object> m = map(job.get("tls_config"), null, tp);
    keys(m, TLS_KEYS, Set.of("server_name", "min_version", "max_version", "ca", "cert", "key"), tp);
    TlsClientConfig tls = new TlsClientConfig(false, string(m, "ca_file", "", tp), string(m, "cert_file", "", tp),
        string(m, "key_file", "", tp), bool(m, "insecure_skip_verify", false, tp));
    tls.validate(tp);
    return tls;
  }

  private static Map<String, List<String>> params(Map<String, Object> job, ConfigProblems p) {
    Map<String, Object> m = map(job.get("params"), "params", p);
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (e.getValue() instanceof List<?> values) {
        List<String> vs = new ArrayList<>();
        for (Object v : values) {
          vs.add(String.valueOf(v));
        }
        out.put(e.getKey(), List.copyOf(vs));
      } else {
        p.at("params").add(e.getKey(), e.getKey() + " must be a list of values, e.g. [" + e.getValue() + "]");
      }
    }
    return out;
  }

  /**
   * Unknown keys: a key inflight does not implement says so; a service discovery key says only
   * static_configs is supported; anything else gets the closest valid key.
   */
  private static void keys(Map<String, Object> m, Set<String> known, Set<String> unsupported, ConfigProblems p) {
    for (String key : m.keySet()) {
      if (known.contains(key)) {
        continue;
      }
      if (key.endsWith("_sd_configs")) {
        p.add(key, key + " is not supported: inflight's prometheus receiver supports static_configs only"
            + " (list the targets there, or keep a Collector in front of inflight for service discovery)");
      } else if (unsupported.contains(key)) {
        p.add(key, key + " is a Prometheus setting inflight's prometheus receiver does not support (yet);"
            + " remove it");
      } else {
        List<String> keys = new ArrayList<>(known);
        keys.sort(null);
        String hint = Suggestions.didYouMean(key, keys);
        p.add(key, "unknown key `" + key + "`" + (hint.isEmpty() ? "; valid keys: " + String.join(", ", keys) : hint));
      }
    }
  }

  @SuppressWarnings("unchecked") // YAML maps bind to Map<String, Object>
  private static Map<String, Object> map(@Nullable Object value, @Nullable String key, ConfigProblems p) {
    if (value == null) {
      return Map.of();
    }
    if (value instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    if (key == null) {
      p.add("must be a map");
    } else {
      p.add(key, key + " must be a map");
    }
    return Map.of();
  }

  private static String string(Map<String, Object> m, String key, String dflt, ConfigProblems p) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Map || v instanceof List) {
      p.add(key, key + " must be a string");
      return dflt;
    }
    return String.valueOf(v);
  }

  private static boolean bool(Map<String, Object> m, String key, boolean dflt, ConfigProblems p) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    p.add(key, key + " must be true or false, not \"" + v + "\"");
    return dflt;
  }

  private static Duration duration(Map<String, Object> m, String key, Duration dflt, ConfigProblems p) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      Duration d = DurationFormat.parse(String.valueOf(v));
      if (d.isNegative() || d.isZero()) {
        p.add(key, key + " must be positive, e.g. 15s, got " + v);
        return dflt;
      }
      return d;
    } catch (IllegalArgumentException e) {
      p.add(key, key + " must be a duration such as 15s or 1m, got \"" + v + "\"");
      return dflt;
    }
  }

  private static List<String> strings(Map<String, Object> m, String key, ConfigProblems p) {
    Object v = m.get(key);
    if (v == null) {
      p.add(key, key + " is required: list host:port addresses, e.g. ['localhost:8888']");
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      p.add(key, key + " must be a list of host:port addresses");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      out.add(o == null ? "" : String.valueOf(o));
    }
    return out;
  }

  private static Map<String, String> labels(Map<String, Object> m, String key, ConfigProblems p) {
    Map<String, Object> raw = map(m.get(key), key, p);
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : raw.entrySet()) {
      if (!LABEL_NAME.matcher(e.getKey()).matches()) {
        p.at(key).add(e.getKey(), "\"" + e.getKey() + "\" is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)");
      }
      out.put(e.getKey(), e.getValue() == null ? "" : String.valueOf(e.getValue()));
    }
    return out;
  }
}
