package dev.inflight.exporter.otlphttp;

import dev.inflight.component.Signal;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.config.configcompression.Compression;
import dev.inflight.config.confighttp.HttpClientSettings;
import dev.inflight.config.configauth.ClientAuthConfig;
import dev.inflight.config.configtls.TlsClientConfig;
import dev.inflight.exporterhelper.QueueConfig;
import dev.inflight.exporterhelper.RetryConfig;
import dev.inflight.exporterhelper.SendingOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code exporters.otlphttp}: OTLP/HTTP with protobuf bodies, as the Collector's {@code otlphttp}
 * exporter.
 *
 * @param endpoint base URL; {@code /v1/traces}, {@code /v1/metrics} and {@code /v1/logs} are
 *     appended (e.g. {@code https://ingress.eu-west-1.aws.dash0.com} → {@code .../v1/traces}).
 *     Needed unless the signal's own URL is set
 * @param tracesEndpoint full URL for traces, instead of {@code endpoint + /v1/traces}
 * @param metricsEndpoint full URL for metrics, instead of {@code endpoint + /v1/metrics} (e.g.
 *     Prometheus' {@code http://prometheus:9090/api/v1/otlp/v1/metrics})
 * @param logsEndpoint full URL for logs, instead of {@code endpoint + /v1/logs}
 * @param tls server verification and client certificate for {@code https://} URLs
 * @param headers sent with every request, e.g. {@code Authorization: Bearer ...}, {@code
 *     Dash0-Dataset}; default none
 * @param compression {@code gzip} (default), {@code zstd} or {@code none}
 * @param timeout how long one request may take; default {@code 5s}
 * @param retryOnFailure retries of retryable failures; see {@link RetryConfig}
 * @param sendingQueue the queue in front of the senders; see {@link QueueConfig}
 * @param auth {@code authenticator}: an auth extension whose credentials go with every request
 *     (over a configured header of the same name); null: none
 */
public record OtlpHttpExporterConfig(
    String endpoint,
    String tracesEndpoint,
    String metricsEndpoint,
    String logsEndpoint,
    TlsClientConfig tls,
    Map<String, String> headers,
    Compression compression,
    Duration timeout,
    RetryConfig retryOnFailure,
    QueueConfig sendingQueue,
    @Nullable ClientAuthConfig auth)
    implements ComponentConfig {
  public OtlpHttpExporterConfig {
    endpoint = endpoint == null ? "" : endpoint.strip();
    tracesEndpoint = tracesEndpoint == null ? "" : tracesEndpoint.strip();
    metricsEndpoint = metricsEndpoint == null ? "" : metricsEndpoint.strip();
    logsEndpoint = logsEndpoint == null ? "" : logsEndpoint.strip();
    tls = tls == null ? TlsClientConfig.defaults() : tls;
    headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    compression = compression == null ? Compression.GZIP : compression;
    timeout = timeout == null ? SendingOptions.DEFAULT_TIMEOUT : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.defaults() : sendingQueue;
  }

  /** Everything at its default; no endpoint (it has no sensible default). */
  public static final OtlpHttpExporterConfig DEFAULT = new OtlpHttpExporterConfig(
      null, null, null, null, null, null, null, null, null, null, null);

  /** This config with {@code endpoint} set; null means its default. */
  public OtlpHttpExporterConfig withEndpoint(String endpoint) {
    return new OtlpHttpExporterConfig(
        endpoint, tracesEndpoint, metricsEndpoint, logsEndpoint, tls, headers, compression, timeout,
        retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code traces_endpoint} set; null means its default. */
  public OtlpHttpExporterConfig withTracesEndpoint(String tracesEndpoint) {
    return new OtlpHttpExporterConfig(
        endpoint, tracesEndpoint, metricsEndpoint, logsEndpoint, tls, headers, compression, timeout,
        retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code metrics_endpoint} set; null means its default. */
  public OtlpHttpExporterConfig withMetricsEndpoint(String metricsEndpoint) {
    return new OtlpHttpExporterConfig(
        endpoint, tracesEndpoint, metricsEndpoint, logsEndpoint, tls, headers, compression, timeout,
        retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code logs_endpoint} set; null means its default. */
  public OtlpHttpExporterConfig withLogsEndpoint(String logsEndpoint) {
    return new OtlpHttpExporterConfig(
        endpoint, tracesEndpoint, metricsEndpoint, logsEndpoint, tls, headers, compression, timeout,
        retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code tls} set; null means its default. */
  public OtlpHttpExporterConfig withTls(TlsClientConfig tls) {
    return new OtlpHttpExporterConfig(
        endpoint, tracesEndpoint, metricsEndpoint, logsEndpoint, tls, headers, compression, timeout,
        retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code headers} set; null means its default. */
  public OtlpHttpExporterConfig withHeaders(Map<String, String> headers) {
    return new OtlpHttpExporterConfig(
        endpoint, tracesEndpoint, metricsEndpoint, logsEndpoint, tls, headers, compression, timeout,
        retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code compression} set; null means its default. */
  public OtlpHttpExporterConfig withCompression(Compression compression) {
    return new OtlpHttpExporterConfig(
        endpoint, tracesEndpoint, metricsEndpoint, logsEndpoint, tls, headers, compression, timeout,
        retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code timeout} set; null means its default. */
  public OtlpHttpExporterConfig withTimeout(Duration timeout) {
    return new OtlpHttpExporterConfig(
        endpoint, tracesEndpoint, metricsEndpoint, logsEndpoint, tls, headers, compression, timeout,
        retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code retry_on_failure} set; null means its default. */
  public OtlpHttpExporterConfig withRetryOnFailure(RetryConfig retryOnFailure) {
    return new OtlpHttpExporterConfig(
        endpoint, tracesEndpoint, metricsEndpoint, logsEndpoint, tls, headers, compression, timeout,
        retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code sending_queue} set; null means its default. */
  public OtlpHttpExporterConfig withSendingQueue(QueueConfig sendingQueue) {
    return new OtlpHttpExporterConfig(
        endpoint, tracesEndpoint, metricsEndpoint, logsEndpoint, tls, headers, compression, timeout,
        retryOnFailure, sendingQueue, auth);
  }

  /** A config for the base URL {@code endpoint} with every other setting at its default. */
  public static OtlpHttpExporterConfig of(String endpoint) {
    return DEFAULT.withEndpoint(Objects.requireNonNull(endpoint, "endpoint"));
  }

  /** Timeout, retries and queue for the exporter helper. */
  public SendingOptions sending() {
    return new SendingOptions(timeout, retryOnFailure, sendingQueue);
  }

  /** The signal's own URL ({@code traces_endpoint}, ...); empty when it is not set. */
  public String signalEndpoint(Signal signal) {
    return switch (signal) {
      case TRACES -> tracesEndpoint;
      case METRICS -> metricsEndpoint;
      case LOGS -> logsEndpoint;
    };
  }

  /** The key of the signal's own URL: {@code traces_endpoint}, {@code metrics_endpoint}, {@code logs_endpoint}. */
  static String signalEndpointKey(Signal signal) {
    return signal.key() + "_endpoint";
  }

  /** The path appended to {@code endpoint} for a signal: {@code /v1/traces}, ... */
  static String signalPath(Signal signal) {
    return "/v1/" + signal.key();
  }

  /**
   * Where a signal goes: its own URL, or the base URL with {@code /v1/traces}, {@code /v1/metrics}
   * or {@code /v1/logs} appended as the Collector does (one slash between them).
   *
   * @throws IllegalArgumentException when neither is set
   */
  public URI url(Signal signal) {
    String own = signalEndpoint(signal);
    if (!own.isEmpty()) {
      return URI.create(own);
    }
    if (endpoint.isEmpty()) {
      throw new IllegalArgumentException(
          "no URL for " + signal + ": set endpoint or " + signalEndpointKey(signal));
    }
    String path = signalPath(signal).substring(1);
    return URI.create(endpoint.endsWith("/") ? endpoint + path : endpoint + "/" + path);
  }

  @Override
  public void validate(ConfigProblems problems) {
    boolean anySignalEndpoint = false;
    for (Signal signal : Signal.values()) {
      anySignalEndpoint |= !signalEndpoint(signal).isEmpty();
    }
    if (endpoint.isEmpty() && !anySignalEndpoint) {
      problems.add(
          "endpoint",
          "endpoint must be set to a base URL (e.g. https://ingress.eu-west-1.aws.dash0.com), "
              + "or traces_endpoint / metrics_endpoint / logs_endpoint to full URLs");
    }
    HttpClientSettings.checkUrl(problems, "endpoint", endpoint);
    for (Signal signal : Signal.values()) {
      HttpClientSettings.checkUrl(problems, signalEndpointKey(signal), signalEndpoint(signal));
    }
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    for (Signal signal : Signal.values()) {
      String signalPath = signalPath(signal);
      if (base.endsWith(signalPath)) {
        String root = base.substring(0, base.length() - signalPath.length());
        problems.add(
            "endpoint",
            "endpoint is a base URL to which /v1/traces, /v1/metrics and /v1/logs are appended (got \"" + endpoint
                + "\"): write endpoint: " + (root.isEmpty() ? "<base URL>" : root) + ", or "
                + signalEndpointKey(signal) + ": " + endpoint + " for this one signal");
      }
    }
    tls.validate(problems.at("tls"));
    tls.refuseServerNameOverride(problems.at("tls"));
    ConfigProblems h = problems.at("headers");
    headers.forEach((name, value) -> {
      String why = HttpClientSettings.headerProblem(name, value);
      if (why != null) {
        h.add(name, why);
      }
    });
    sending().validate(problems);
    if (auth != null) {
      auth.validate(problems.at("auth"));
    }
  }

  /** This config with {@code auth} set; null means none. */
  public OtlpHttpExporterConfig withAuth(@Nullable ClientAuthConfig auth) {
    return new OtlpHttpExporterConfig(
        endpoint, tracesEndpoint, metricsEndpoint, logsEndpoint, tls, headers, compression, timeout,
        retryOnFailure, sendingQueue, auth);
  }
}
