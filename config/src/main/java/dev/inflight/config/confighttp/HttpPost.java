package dev.inflight.config.confighttp;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.inflight.component.Refusal;
import dev.inflight.config.configtls.ClientTls;
import dev.inflight.config.configtls.TlsClientConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntPredicate;

/**
 * One POST of an HTTP exporter ({@code otlphttp}, {@code prometheusremotewrite}) and what its
 * answer means for the exporter helper: a 2xx answer is returned; no answer (connection refused,
 * reset, timeout) is an {@link IOException}, which the helper retries; a status the protocol says
 * to retry is a retryable {@link Refusal}, after {@code Retry-After} when the server sends one;
 * every other status is a permanent one, with the server's message.
 */
public final class HttpPost {
  public static final String PROTOBUF = "application/x-protobuf";
  /** Enough of an error body for a message; the rest is not read. */
  private static final int MAX_BODY = 64 * 1024;
  private static final int MAX_MESSAGE = 500;

  private HttpPost() {}

  /**
   * A 2xx answer.
   *
   * @param contentType lower case, empty when absent
   */
  public record Answer(int status, byte[] body, String contentType) {}

  /**
   * The client an exporter posts with: no redirects followed (a moved endpoint is a config error),
   * HTTP/2 over TLS where the server offers it, plain HTTP/1.1 otherwise (no h2c upgrade dance).
   * TLS files are read here.
   */
  public static HttpClient client(URI url, TlsClientConfig tls, Duration connectTimeout) {
    HttpClient.Builder b =
        HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER);
    if ("https".equalsIgnoreCase(url.getScheme())) {
      b.sslContext(ClientTls.sslContext(tls)).version(HttpClient.Version.HTTP_2);
    } else {
      b.version(HttpClient.Version.HTTP_1_1);
    }
    return b.build();
  }

  /**
   * Sends {@code request} (to {@code url}, named in messages) and classifies the answer.
   *
   * @param retryable the statuses the protocol says to retry
   * @throws Refusal for a non-2xx status, retryable or permanent
   * @throws IOException when no answer came: retryable
   */
  public static Answer send(HttpClient client, HttpRequest request, URI url, Duration timeout, IntPredicate retryable)
      throws Refusal, IOException, InterruptedException {
    CompletableFuture<HttpResponse<InputStream>> f = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> response;
    try {
      // The request's own timeout covers the wait for the answer; this one also covers connecting.
      response = f.get(timeout.toNanos() + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new HttpTimeoutException("request to " + url + " timed out after " + timeout.toMillis() + "ms");
    } catch (InterruptedException e) {
      f.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw new IOException("request to " + url + " failed: " + describe(io), io);
      }
      throw new IOException("request to " + url + " failed: " + cause, cause);
    }

    int status = response.statusCode();
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readNBytes(MAX_BODY);
    }
    String contentType = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (status >= 200 && status <= 299) {
      return new Answer(status, body, contentType);
    }
    String message = "HTTP " + status + " from " + url + errorDetail(body, contentType);
    if (status >= 300 && status <= 399) {
      String location = response.headers().firstValue("Location").orElse(null);
      throw Refusal.permanent(
          message + (location == null ? "" : " (redirected to " + location + ": set the new URL in the config)"));
    }
    if (retryable.test(status)) {
      Duration after = retryAfter(response.headers().firstValue("Retry-After").orElse(null));
      throw after == null ? Refusal.retryable(message) : Refusal.retryable(message, after);
    }
    throw Refusal.permanent(message);
  }

  /**
   * {@code Retry-After} as seconds or as an HTTP date; null when absent or unreadable.
   */
  static Duration retryAfter(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String v = value.strip();
    try {
      long seconds = Long.parseLong(v);
      return seconds > 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException e) {
      // an HTTP date
    }
    try {
      Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
      return d.isNegative() || d.isZero() ? null : d;
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** ": message" from an OTLP {@code Status} body (protobuf) or a short text body. */
  static String errorDetail(byte[] body, String contentType) {
    if (body.length == 0) {
      return "";
    }
    String text;
    if (contentType.startsWith(PROTOBUF)) {
      try {
        text = com.google.rpc.Status.parseFrom(body).getMessage();
      } catch (InvalidProtocolBufferException e) {
        return "";
      }
    } else if (contentType.startsWith("text/") || contentType.contains("json")) {
      text = new String(body, StandardCharsets.UTF_8);
    } else {
      return "";
    }
    text = text.strip().replaceAll("\\s+", " ");
    if (text.length() > MAX_MESSAGE) {
      text = text.substring(0, MAX_MESSAGE) + "...";
    }
    return text.isEmpty() ? "" : ": " + text;
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
  }
}
