package dev.inflight.exporter.prometheusremotewrite;

import dev.inflight.config.confighttp.HttpClientSettings;
import dev.inflight.config.configtls.TlsClientConfig;
import dev.inflight.translator.prometheus.PrometheusNames;
import dev.inflight.translator.prometheus.ResourceToTelemetryConversion;
import dev.inflight.component.config.ByteSize;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.exporterhelper.QueueConfig;
import dev.inflight.exporterhelper.RetryConfig;
import dev.inflight.exporterhelper.SendingOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code exporters.prometheusremotewrite}: Prometheus remote write 1.0, as the Collector's exporter
 * of the same name (its keys, its defaults, except {@code remote_write_queue.num_consumers}).
 *
 * @param endpoint the receiver's URL, e.g. {@code http://prometheus:9090/api/v1/write}; required
 * @param tls server verification and client certificate for {@code https://} URLs
 * @param headers sent with every request (e.g. {@code Authorization}, {@code X-Scope-OrgID});
 *     default none
 * @param externalLabels added to every series that does not have the label already; default none
 * @param namespace prefix of every metric name; default none
 * @param resourceToTelemetryConversion {@code enabled: true} copies resource attributes onto every
 *     series; otherwise they are on {@code target_info}
 * @param addMetricSuffixes unit and {@code _ratio} suffixes; default true
 * @param targetInfo {@code enabled: false} sends no {@code target_info} series; default true
 * @param timeout how long one request may take; default {@code 5s}
 * @param retryOnFailure retries of retryable failures (5xx, 429, no answer); see {@link RetryConfig}
 * @param remoteWriteQueue the queue in front of the sender; default enabled, 10000 batches, one
 *     consumer
 * @param maxBatchSizeBytes a batch is split into requests of at most this many uncompressed bytes;
 *     default {@value #DEFAULT_MAX_BATCH_SIZE_BYTES}
 */
public record PrometheusRemoteWriteExporterConfig(
    String endpoint,
    TlsClientConfig tls,
    Map<String, String> headers,
    Map<String, String> externalLabels,
    String namespace,
    ResourceToTelemetryConversion resourceToTelemetryConversion,
    Boolean addMetricSuffixes,
    TargetInfo targetInfo,
    Duration timeout,
    RetryConfig retryOnFailure,
    RemoteWriteQueue remoteWriteQueue,
    ByteSize maxBatchSizeBytes)
    implements ComponentConfig {
  /** The Collector's {@code max_batch_size_bytes}: 3 MB, under Prometheus' and Cortex' limits. */
  public static final long DEFAULT_MAX_BATCH_SIZE_BYTES = 3_000_000;

  /** Set by the exporter (remote write's own headers) or by the HTTP client. */
  static final Set<String> RESERVED_HEADERS = Set.of("x-prometheus-remote-write-version");

  /**
   * {@code target_info}: one {@code target_info} series per resource with its attributes.
   *
   * @param enabled default true
   */
  public record TargetInfo(Boolean enabled) {
    public TargetInfo {
      enabled = enabled == null || enabled;
    }
  }

  /**
   * {@code remote_write_queue}: the Collector's name for the sending queue of this exporter.
   *
   * @param enabled queue at all; default true. Off: batches are sent in the caller's thread
   * @param queueSize batches the queue holds; default {@value #DEFAULT_QUEUE_SIZE}
   * @param numConsumers batches sent at once; default 1, so that the samples of a series reach
   *     Prometheus in time order (it refuses a request holding a sample older than one it has)
   */
  public record RemoteWriteQueue(Boolean enabled, Integer queueSize, Integer numConsumers) {
    public static final int DEFAULT_QUEUE_SIZE = 10_000;

    public RemoteWriteQueue {
      enabled = enabled == null || enabled;
      queueSize = queueSize == null ? DEFAULT_QUEUE_SIZE : queueSize;
      numConsumers = numConsumers == null ? 1 : numConsumers;
    }

    public static RemoteWriteQueue defaults() {
      return new RemoteWriteQueue(null, null, null);
    }

    /** The exporter helper's queue with these values. */
    public QueueConfig queueConfig() {
      return new QueueConfig(enabled, numConsumers, queueSize);
    }
  }

  public PrometheusRemoteWriteExporterConfig {
    endpoint = endpoint == null ? "" : endpoint.strip();
    tls = tls == null ? TlsClientConfig.defaults() : tls;
    headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    externalLabels =
        externalLabels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(externalLabels));
    namespace = namespace == null ? "" : namespace.strip();
    resourceToTelemetryConversion =
        resourceToTelemetryConversion == null ? ResourceToTelemetryConversion.disabled() : resourceToTelemetryConversion;
    addMetricSuffixes = addMetricSuffixes == null || addMetricSuffixes;
    targetInfo = targetInfo == null ? new TargetInfo(true) : targetInfo;
    timeout = timeout == null ? SendingOptions.DEFAULT_TIMEOUT : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
    remoteWriteQueue = remoteWriteQueue == null ? RemoteWriteQueue.defaults() : remoteWriteQueue;
    maxBatchSizeBytes = maxBatchSizeBytes == null ? ByteSize.ofBytes(DEFAULT_MAX_BATCH_SIZE_BYTES) : maxBatchSizeBytes;
  }

  /** Everything at its default; no endpoint (it has no sensible default). */
  public static final PrometheusRemoteWriteExporterConfig DEFAULT = new PrometheusRemoteWriteExporterConfig(
      null, null, null, null, null, null, null, null, null, null, null, null);

  /** This config with {@code endpoint} set; null means its default. */
  public PrometheusRemoteWriteExporterConfig withEndpoint(String endpoint) {
    return new PrometheusRemoteWriteExporterConfig(
        endpoint, tls, headers, externalLabels, namespace, resourceToTelemetryConversion, addMetricSuffixes,
        targetInfo, timeout, retryOnFailure, remoteWriteQueue, maxBatchSizeBytes);
  }

  /** This config with {@code tls} set; null means its default. */
  public PrometheusRemoteWriteExporterConfig withTls(TlsClientConfig tls) {
    return new PrometheusRemoteWriteExporterConfig(
        endpoint, tls, headers, externalLabels, namespace, resourceToTelemetryConversion, addMetricSuffixes,
        targetInfo, timeout, retryOnFailure, remoteWriteQueue, maxBatchSizeBytes);
  }

  /** This config with {@code headers} set; null means its default. */
  public PrometheusRemoteWriteExporterConfig withHeaders(Map<String, String> headers) {
    return new PrometheusRemoteWriteExporterConfig(
        endpoint, tls, headers, externalLabels, namespace, resourceToTelemetryConversion, addMetricSuffixes,
        targetInfo, timeout, retryOnFailure, remoteWriteQueue, maxBatchSizeBytes);
  }

  /** This config with {@code external_labels} set; null means its default. */
  public PrometheusRemoteWriteExporterConfig withExternalLabels(Map<String, String> externalLabels) {
    return new PrometheusRemoteWriteExporterConfig(
        endpoint, tls, headers, externalLabels, namespace, resourceToTelemetryConversion, addMetricSuffixes,
        targetInfo, timeout, retryOnFailure, remoteWriteQueue, maxBatchSizeBytes);
  }

  /** This config with {@code namespace} set; null means its default. */
  public PrometheusRemoteWriteExporterConfig withNamespace(String namespace) {
    return new PrometheusRemoteWriteExporterConfig(
        endpoint, tls, headers, externalLabels, namespace, resourceToTelemetryConversion, addMetricSuffixes,
        targetInfo, timeout, retryOnFailure, remoteWriteQueue, maxBatchSizeBytes);
  }

  /** This config with {@code resource_to_telemetry_conversion} set; null means its default. */
  public PrometheusRemoteWriteExporterConfig withResourceToTelemetryConversion(ResourceToTelemetryConversion resourceToTelemetryConversion) {
    return new PrometheusRemoteWriteExporterConfig(
        endpoint, tls, headers, externalLabels, namespace, resourceToTelemetryConversion, addMetricSuffixes,
        targetInfo, timeout, retryOnFailure, remoteWriteQueue, maxBatchSizeBytes);
  }

  /** This config with {@code add_metric_suffixes} set; null means its default. */
  public PrometheusRemoteWriteExporterConfig withAddMetricSuffixes(Boolean addMetricSuffixes) {
    return new PrometheusRemoteWriteExporterConfig(
        endpoint, tls, headers, externalLabels, namespace, resourceToTelemetryConversion, addMetricSuffixes,
        targetInfo, timeout, retryOnFailure, remoteWriteQueue, maxBatchSizeBytes);
  }

  /** This config with {@code target_info} set; null means its default. */
  public PrometheusRemoteWriteExporterConfig withTargetInfo(TargetInfo targetInfo) {
    return new PrometheusRemoteWriteExporterConfig(
        endpoint, tls, headers, externalLabels, namespace, resourceToTelemetryConversion, addMetricSuffixes,
        targetInfo, timeout, retryOnFailure, remoteWriteQueue, maxBatchSizeBytes);
  }

  /** This config with {@code timeout} set; null means its default. */
  public PrometheusRemoteWriteExporterConfig withTimeout(Duration timeout) {
    return new PrometheusRemoteWriteExporterConfig(
        endpoint, tls, headers, externalLabels, namespace, resourceToTelemetryConversion, addMetricSuffixes,
        targetInfo, timeout, retryOnFailure, remoteWriteQueue, maxBatchSizeBytes);
  }

  /** This config with {@code retry_on_failure} set; null means its default. */
  public PrometheusRemoteWriteExporterConfig withRetryOnFailure(RetryConfig retryOnFailure) {
    return new PrometheusRemoteWriteExporterConfig(
        endpoint, tls, headers, externalLabels, namespace, resourceToTelemetryConversion, addMetricSuffixes,
        targetInfo, timeout, retryOnFailure, remoteWriteQueue, maxBatchSizeBytes);
  }

  /** This config with {@code remote_write_queue} set; null means its default. */
  public PrometheusRemoteWriteExporterConfig withRemoteWriteQueue(RemoteWriteQueue remoteWriteQueue) {
    return new PrometheusRemoteWriteExporterConfig(
        endpoint, tls, headers, externalLabels, namespace, resourceToTelemetryConversion, addMetricSuffixes,
        targetInfo, timeout, retryOnFailure, remoteWriteQueue, maxBatchSizeBytes);
  }

  /** This config with {@code max_batch_size_bytes} set; null means its default. */
  public PrometheusRemoteWriteExporterConfig withMaxBatchSizeBytes(ByteSize maxBatchSizeBytes) {
    return new PrometheusRemoteWriteExporterConfig(
        endpoint, tls, headers, externalLabels, namespace, resourceToTelemetryConversion, addMetricSuffixes,
        targetInfo, timeout, retryOnFailure, remoteWriteQueue, maxBatchSizeBytes);
  }

  /** A config for {@code endpoint} with every other setting at its default. */
  public static PrometheusRemoteWriteExporterConfig of(String endpoint) {
    return DEFAULT.withEndpoint(Objects.requireNonNull(endpoint, "endpoint"));
  }

  /** Timeout, retries and queue for the exporter helper. */
  public SendingOptions sending() {
    return new SendingOptions(timeout, retryOnFailure, remoteWriteQueue.queueConfig());
  }

  public URI url() {
    return URI.create(endpoint);
  }

  @Override
  public void validate(ConfigProblems problems) {
    if (endpoint.isEmpty()) {
      problems.add("endpoint", "endpoint must be set to the remote write URL, e.g. http://prometheus:9090/api/v1/write "
          + "(Prometheus started with --web.enable-remote-write-receiver)");
    } else {
      HttpClientSettings.checkUrl(problems, "endpoint", endpoint);
    }
    tls.validate(problems.at("tls"));
    tls.refuseServerNameOverride(problems.at("tls"));
    ConfigProblems h = problems.at("headers");
    headers.forEach((name, value) -> {
      String why = HttpClientSettings.headerProblem(name, value);
      if (why == null && RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        why = "header \"" + name + "\" is set by the exporter and cannot be configured";
      }
      if (why != null) {
        h.add(name, why);
      }
    });
    ConfigProblems labels = problems.at("external_labels");
    externalLabels.forEach((name, value) -> {
      if (!name.equals(PrometheusNames.labelName(name))) {
        labels.add(name, "external label \"" + name + "\" is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, "
            + "not starting with _); did you mean \"" + PrometheusNames.labelName(name) + "\"?");
      } else if (value == null || value.isEmpty()) {
        labels.add(name, "external label \"" + name + "\" needs a value (Prometheus drops empty labels)");
      }
    });
    if (!namespace.isEmpty() && !namespace.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
      problems.add("namespace", "namespace must be a Prometheus metric name prefix ([a-zA-Z_][a-zA-Z0-9_]*), got \""
          + namespace + "\"");
    }
    SendingOptions.validateTimeout(timeout, problems);
    retryOnFailure.validate(problems.at("retry_on_failure"));
    remoteWriteQueue.queueConfig().validate(problems.at("remote_write_queue"));
    if (maxBatchSizeBytes.bytes() < 1) {
      problems.add("max_batch_size_bytes", "max_batch_size_bytes must be greater than 0");
    }
  }

  /**
   * What is allowed but probably a mistake, for the log when the exporter is made (the config
   * loader has no warnings from components).
   */
  public List<String> warnings() {
    List<String> w = new ArrayList<>();
    if (remoteWriteQueue.enabled() && remoteWriteQueue.numConsumers() > 1) {
      w.add("remote_write_queue.num_consumers is " + remoteWriteQueue.numConsumers() + ": batches are then sent "
          + "concurrently and samples of a series can reach Prometheus out of time order, which makes it refuse "
          + "whole requests (\"out of order sample\"); keep 1 unless the receiver accepts out-of-order samples");
    }
    return w;
  }
}
