package dev.inflight.exporter.otlp;

import dev.inflight.component.config.ConfigProblems;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.config.configcompression.Compression;
import dev.inflight.config.configauth.ClientAuthConfig;
import dev.inflight.config.configtls.TlsClientConfig;
import dev.inflight.exporterhelper.QueueConfig;
import dev.inflight.exporterhelper.RetryConfig;
import dev.inflight.exporterhelper.SendingOptions;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code exporters.otlp}: OTLP over gRPC, as the Collector's {@code otlp} exporter.
 *
 * @param endpoint {@code host:port} (TLS unless {@code tls.insecure}), {@code http://host:port}
 *     (plaintext) or {@code https://host:port} (TLS); required. No paths: a URL belongs to {@code
 *     otlphttp}
 * @param tls server verification and client certificate; default: TLS with the system's trust
 * @param headers gRPC metadata sent with every request, e.g. {@code Authorization: Bearer ...};
 *     default none
 * @param compression {@code gzip} (default), {@code zstd} or {@code none}
 * @param timeout how long one export call may take; default {@code 5s}
 * @param retryOnFailure retries of retryable failures; see {@link RetryConfig}
 * @param sendingQueue the queue in front of the senders; see {@link QueueConfig}
 * @param auth {@code authenticator}: an auth extension whose credentials go with every call, as
 *     metadata (over a configured header of the same name); null: none
 */
public record OtlpExporterConfig(
    String endpoint,
    TlsClientConfig tls,
    Map<String, String> headers,
    Compression compression,
    Duration timeout,
    RetryConfig retryOnFailure,
    QueueConfig sendingQueue,
    @Nullable ClientAuthConfig auth)
    implements ComponentConfig {
  public OtlpExporterConfig {
    endpoint = endpoint == null ? "" : endpoint;
    tls = tls == null ? TlsClientConfig.defaults() : tls;
    headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    compression = compression == null ? Compression.GZIP : compression;
    timeout = timeout == null ? SendingOptions.DEFAULT_TIMEOUT : timeout;
    retryOnFailure = retryOnFailure == null ? RetryConfig.defaults() : retryOnFailure;
    sendingQueue = sendingQueue == null ? QueueConfig.defaults() : sendingQueue;
  }

  /** Everything at its default; {@code endpoint} empty (it has no sensible default). */
  public static final OtlpExporterConfig DEFAULT = new OtlpExporterConfig(
      null, null, null, null, null, null, null, null);

  /** This config with {@code endpoint} set; null means its default. */
  public OtlpExporterConfig withEndpoint(String endpoint) {
    return new OtlpExporterConfig(endpoint, tls, headers, compression, timeout, retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code tls} set; null means its default. */
  public OtlpExporterConfig withTls(TlsClientConfig tls) {
    return new OtlpExporterConfig(endpoint, tls, headers, compression, timeout, retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code headers} set; null means its default. */
  public OtlpExporterConfig withHeaders(Map<String, String> headers) {
    return new OtlpExporterConfig(endpoint, tls, headers, compression, timeout, retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code compression} set; null means its default. */
  public OtlpExporterConfig withCompression(Compression compression) {
    return new OtlpExporterConfig(endpoint, tls, headers, compression, timeout, retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code timeout} set; null means its default. */
  public OtlpExporterConfig withTimeout(Duration timeout) {
    return new OtlpExporterConfig(endpoint, tls, headers, compression, timeout, retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code retry_on_failure} set; null means its default. */
  public OtlpExporterConfig withRetryOnFailure(RetryConfig retryOnFailure) {
    return new OtlpExporterConfig(endpoint, tls, headers, compression, timeout, retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code sending_queue} set; null means its default. */
  public OtlpExporterConfig withSendingQueue(QueueConfig sendingQueue) {
    return new OtlpExporterConfig(endpoint, tls, headers, compression, timeout, retryOnFailure, sendingQueue, auth);
  }

  /** This config with {@code auth} set; null means none. */
  public OtlpExporterConfig withAuth(@Nullable ClientAuthConfig auth) {
    return new OtlpExporterConfig(endpoint, tls, headers, compression, timeout, retryOnFailure, sendingQueue, auth);
  }

  /** A config for {@code endpoint} with every other setting at its default. */
  public static OtlpExporterConfig of(String endpoint) {
    return DEFAULT.withEndpoint(Objects.requireNonNull(endpoint, "endpoint"));
  }

  /** Timeout, retries and queue for the exporter helper. */
  public SendingOptions sending() {
    return new SendingOptions(timeout, retryOnFailure, sendingQueue);
  }

  /** Where to connect; call after {@link #validate} found nothing. */
  public GrpcEndpoint grpcEndpoint() {
    return GrpcEndpoint.parse(endpoint, tls.insecure());
  }

  @Override
  public void validate(ConfigProblems problems) {
    try {
      grpcEndpoint();
    } catch (IllegalArgumentException e) {
      problems.add("endpoint", e.getMessage());
    }
    tls.validate(problems.at("tls"));
    ConfigProblems h = problems.at("headers");
    headers.forEach((name, value) -> {
      String why = metadataProblem(name, value);
      if (why != null) {
        h.add(name, why);
      }
    });
    sending().validate(problems);
    if (auth != null) {
      auth.validate(problems.at("auth"));
    }
  }

  /** Why {@code name: value} cannot be sent as gRPC metadata, or null. */
  static String metadataProblem(String name, String value) {
    String key = name.toLowerCase(Locale.ROOT);
    if (key.isEmpty() || !key.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
      return "header \"" + name + "\" is not a valid gRPC metadata key (letters, digits, - _ .)";
    }
    if (key.endsWith("-bin")) {
      return "header \"" + name + "\" names binary metadata (-bin), which headers cannot carry";
    }
    if (key.startsWith("grpc-") || key.equals("content-type") || key.equals("te")) {
      return "header \"" + name + "\" is set by gRPC itself and cannot be configured";
    }
    if (value == null || !value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
      return "header \"" + name + "\" must have a value of printable ASCII characters";
    }
    return null;
  }
}
