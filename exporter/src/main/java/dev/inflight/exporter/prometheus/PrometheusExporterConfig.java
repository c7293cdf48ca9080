package dev.inflight.exporter.prometheus;

import dev.inflight.translator.prometheus.PrometheusNames;
import dev.inflight.translator.prometheus.ResourceToTelemetryConversion;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.component.config.Endpoints;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code exporters.prometheus}: a scrape endpoint, as the Collector's {@code prometheus} exporter.
 *
 * @param endpoint {@code host:port} to listen on; default {@value #DEFAULT_ENDPOINT}; the path is
 *     {@code /metrics}
 * @param namespace prefix of every metric name ({@code inflight} → {@code inflight_workers_active});
 *     default none
 * @param constLabels labels added to every series; a point's own label of the same name wins
 * @param resourceToTelemetryConversion {@code enabled: true} copies resource attributes onto every
 *     series; otherwise they are on {@code target_info}
 * @param metricExpiration a series not updated for this long is no longer exposed; default 5m
 * @param sendTimestamps expose each sample with its point's time (the concurrency connector's window
 *     end) instead of letting Prometheus stamp it with the scrape time; default false
 * @param addMetricSuffixes unit, {@code _total} and {@code _ratio} suffixes; default true
 */
public record PrometheusExporterConfig(
    String endpoint,
    String namespace,
    Map<String, String> constLabels,
    ResourceToTelemetryConversion resourceToTelemetryConversion,
    Duration metricExpiration,
    Boolean sendTimestamps,
    Boolean addMetricSuffixes)
    implements ComponentConfig {
  public static final String DEFAULT_ENDPOINT = "0.0.0.0:8889";
  public static final Duration DEFAULT_METRIC_EXPIRATION = Duration.ofMinutes(5);

  public PrometheusExporterConfig {
    endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint.strip();
    namespace = namespace == null ? "" : namespace.strip();
    constLabels = constLabels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(constLabels));
    resourceToTelemetryConversion =
        resourceToTelemetryConversion == null ? ResourceToTelemetryConversion.disabled() : resourceToTelemetryConversion;
    metricExpiration = metricExpiration == null ? DEFAULT_METRIC_EXPIRATION : metricExpiration;
    sendTimestamps = sendTimestamps != null && sendTimestamps;
    addMetricSuffixes = addMetricSuffixes == null || addMetricSuffixes;
  }

  /** Every setting at its default: what {@code createDefaultConfig()} returns. */
  public static final PrometheusExporterConfig DEFAULT = new PrometheusExporterConfig(
      null, null, null, null, null, null, null);

  /** This config with {@code endpoint} set; null means its default. */
  public PrometheusExporterConfig withEndpoint(String endpoint) {
    return new PrometheusExporterConfig(
        endpoint, namespace, constLabels, resourceToTelemetryConversion, metricExpiration, sendTimestamps,
        addMetricSuffixes);
  }

  /** This config with {@code namespace} set; null means its default. */
  public PrometheusExporterConfig withNamespace(String namespace) {
    return new PrometheusExporterConfig(
        endpoint, namespace, constLabels, resourceToTelemetryConversion, metricExpiration, sendTimestamps,
        addMetricSuffixes);
  }

  /** This config with {@code const_labels} set; null means its default. */
  public PrometheusExporterConfig withConstLabels(Map<String, String> constLabels) {
    return new PrometheusExporterConfig(
        endpoint, namespace, constLabels, resourceToTelemetryConversion, metricExpiration, sendTimestamps,
        addMetricSuffixes);
  }

  /** This config with {@code resource_to_telemetry_conversion} set; null means its default. */
  public PrometheusExporterConfig withResourceToTelemetryConversion(ResourceToTelemetryConversion resourceToTelemetryConversion) {
    return new PrometheusExporterConfig(
        endpoint, namespace, constLabels, resourceToTelemetryConversion, metricExpiration, sendTimestamps,
        addMetricSuffixes);
  }

  /** This config with {@code metric_expiration} set; null means its default. */
  public PrometheusExporterConfig withMetricExpiration(Duration metricExpiration) {
    return new PrometheusExporterConfig(
        endpoint, namespace, constLabels, resourceToTelemetryConversion, metricExpiration, sendTimestamps,
        addMetricSuffixes);
  }

  /** This config with {@code send_timestamps} set; null means its default. */
  public PrometheusExporterConfig withSendTimestamps(Boolean sendTimestamps) {
    return new PrometheusExporterConfig(
        endpoint, namespace, constLabels, resourceToTelemetryConversion, metricExpiration, sendTimestamps,
        addMetricSuffixes);
  }

  /** This config with {@code add_metric_suffixes} set; null means its default. */
  public PrometheusExporterConfig withAddMetricSuffixes(Boolean addMetricSuffixes) {
    return new PrometheusExporterConfig(
        endpoint, namespace, constLabels, resourceToTelemetryConversion, metricExpiration, sendTimestamps,
        addMetricSuffixes);
  }

  /** The defaults, listening on {@code endpoint}. */
  public static PrometheusExporterConfig of(String endpoint) {
    return DEFAULT.withEndpoint(Objects.requireNonNull(endpoint, "endpoint"));
  }

  @Override
  public void validate(ConfigProblems problems) {
    String why = Endpoints.checkHostPort(endpoint);
    if (why != null) {
      problems.add("endpoint", why);
    }
    if (!namespace.isEmpty() && !namespace.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
      problems.add("namespace", "namespace must be a Prometheus metric name prefix ([a-zA-Z_][a-zA-Z0-9_]*), got \""
          + namespace + "\"");
    }
    ConfigProblems labels = problems.at("const_labels");
    constLabels.forEach((name, value) -> {
      if (!name.equals(PrometheusNames.labelName(name))) {
        labels.add(name, "const label \"" + name + "\" is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not "
            + "starting with __); did you mean \"" + PrometheusNames.labelName(name) + "\"?");
      } else if (value == null || value.isEmpty()) {
        labels.add(name, "const label \"" + name + "\" needs a value (Prometheus drops empty labels)");
      }
    });
    if (metricExpiration.isNegative() || metricExpiration.isZero()) {
      problems.add("metric_expiration", "metric_expiration must be positive, e.g. 5m");
    }
  }
}
