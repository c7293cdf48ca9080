package dev.inflight.tools.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * OTLP/HTTP, protobuf or JSON, to {@code /v1/traces} over its own client (one HTTP/1.1 connection
 * kept alive, as each sender has one request in flight).
 */
final class HttpLoadSender implements LoadSender {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final URI url;
  private final boolean json;
  private final Duration timeout;
  private final Map<String, String> headers;

  HttpLoadSender(URI url, boolean json, Duration timeout) {
    this(url, json, timeout, Map.of());
  }

  /** @param headers sent with every request (the JDK refuses a few, e.g. Host: check them first) */
  HttpLoadSender(URI url, boolean json, Duration timeout, Map<String, String> headers) {
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.url = url;
    this.json = json;
    this.timeout = timeout;
    this.headers = Map.copyOf(headers);
  }

  @Override
  public Outcome send(byte[] request) throws InterruptedException {
    HttpRequest.Builder post = HttpRequest.newBuilder(url)
        .timeout(timeout)
        .header("Content-Type", json ? "application/json" : "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(request));
    headers.forEach(post::header);
    HttpResponse<byte[]> response;
    try {
      response = client.send(post.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      return new Outcome("http timeout", 0);
    } catch (IOException e) {
      return new Outcome("http " + e.getClass().getSimpleName(), 0);
    }
    if (response.statusCode() != 200) {
      return new Outcome("http " + response.statusCode(), 0);
    }
    byte[] body = response.body();
    if (body.length == 0) {
      return Outcome.OK;
    }
    try {
      long rejected = json
          ? JSON.readTree(body).path("partialSuccess").path("rejectedSpans").asLong(0)
          : ExportTraceServiceResponse.parseFrom(body).getPartialSuccess().getRejectedSpans();
      return rejected == 0 ? Outcome.OK : new Outcome(null, rejected);
    } catch (IOException e) {
      return new Outcome("http unreadable response", 0);
    }
  }

  @Override
  public void close() {
    // JDK 17's HttpClient has no close; its connection goes when the client is collected.
  }
}
