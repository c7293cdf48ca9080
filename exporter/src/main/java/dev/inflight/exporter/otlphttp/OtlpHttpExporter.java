package dev.inflight.exporter.otlphttp;

import dev.inflight.component.Component;
import dev.inflight.component.Host;
import dev.inflight.component.auth.ClientAuthenticator;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.SignalType;
import dev.inflight.config.configcompression.Compression;
import dev.inflight.config.confighttp.HttpPost;
import dev.inflight.otlp.wire.MalformedWireException;
import dev.inflight.otlp.wire.PartialSuccess;
import dev.inflight.pdata.SignalData;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Sends OTLP/HTTP with {@code java.net.http.HttpClient} (HTTP/2 over TLS where the server offers
 * it, HTTP/1.1 otherwise): the encoded request bytes as they came, compressed, {@code Content-Type:
 * application/x-protobuf}, the configured headers. Answers are handled as the Collector's {@code
 * otlphttp} exporter and the OTLP specification say: 2xx is success (a {@code partial_success}
 * in the body is logged and its rejected items counted as failed); 429, 502, 503 and 504 are
 * retryable, after {@code Retry-After} when the server sends one; every other status is permanent.
 * One instance per signal.
 */
public final class OtlpHttpExporter implements Component {
  static final String PROTOBUF = HttpPost.PROTOBUF;

  private final Logger log;
  private final OtlpHttpExporterConfig config;
  private final Signal signal;
  private final URI url;
  private volatile HttpClient client;

  /**
   * @throws IllegalArgumentException when the config has no URL for {@code signal}
   */
  /** {@code auth}: set at start, null when off. */
  private volatile @Nullable ClientAuthenticator auth;

  public OtlpHttpExporter(Logger log, OtlpHttpExporterConfig config, Signal signal) {
    this.log = log;
    this.config = config;
    this.signal = signal;
    this.url = config.url(signal);
  }

  /** The URL this exporter posts to. */
  public URI url() {
    return url;
  }

  /** Makes the HTTP client; TLS files are read here. */
  @Override
  public void start(Host host) {
    String unavailable = config.compression().unavailable();
    if (unavailable != null) {
      throw new IllegalArgumentException(unavailable);
    }
    client = HttpPost.client(url, config.tls(), config.timeout());
    auth = config.auth() == null ? null : config.auth().client(host, "auth");
    if (auth != null && "http".equalsIgnoreCase(url.getScheme())) {
      log.warn("auth credentials go to {} in clear text: use https://", url);
    }
    log.debug("exporting {} over OTLP/HTTP to {}", signal, url);
  }

  /**
   * Posts one encoded request of this exporter's signal as it is; returns the items the server
   * rejected in a partial success.
   */
  public long push(SignalData data, Duration timeout) throws Refusal, IOException, InterruptedException {
    byte @Nullable [] body = post(data.encoded(), timeout);
    if (body == null) {
      return 0;
    }
    PartialSuccess partial;
    try {
      partial = PartialSuccess.read(body);
    } catch (MalformedWireException e) {
      log.debug("ignoring a 2xx body from {} that is not an export response", url, e);
      return 0;
    }
    if (partial.isPresent()) {
      log.warn("partial success from {}: {} {} rejected: {}",
          url, partial.rejected(), SignalType.of(signal).items(), partial.errorMessage());
    }
    return partial.rejected();
  }

  /**
   * Posts and classifies the answer.
   *
   * @return a 2xx answer's protobuf body, or null when it has none
   * @throws Refusal for a non-2xx status, retryable or permanent
   * @throws IOException when no answer came (connection refused, reset, timeout): retryable
   */
  private byte @Nullable [] post(byte[] request, Duration timeout) throws Refusal, IOException, InterruptedException {
    HttpClient c = client;
    if (c == null) {
      throw Refusal.retryable("the otlphttp exporter has not started");
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout);
    for (Map.Entry<String, String> h : config.headers().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    ClientAuthenticator a = auth;
    if (a != null) {
      // After the configured headers: the authenticator's value replaces one of the same name.
      a.headers().forEach(b::setHeader);
    }
    b.setHeader("Content-Type", PROTOBUF);
    b.setHeader("User-Agent", "inflight");
    if (config.compression() != Compression.NONE) {
      b.setHeader("Content-Encoding", config.compression().encoding());
    }
    HttpRequest req = b.POST(HttpRequest.BodyPublishers.ofByteArray(config.compression().compress(request))).build();

    HttpPost.Answer answer = HttpPost.send(c, req, url, timeout, OtlpHttpExporter::retryable);
    String contentType = answer.contentType();
    return answer.body().length == 0 || !(contentType.isEmpty() || contentType.startsWith(PROTOBUF)) ? null : answer.body();
  }

  /** The statuses OTLP says to retry; everything else is permanent (as in the Collector). */
  static boolean retryable(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  /** Nothing to close: the JDK's client (17) has no close and frees its threads when unreachable. */
  @Override
  public void shutdown() {
    client = null;
  }
}
