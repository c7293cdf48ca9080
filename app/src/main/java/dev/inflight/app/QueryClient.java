package dev.inflight.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A client of the {@code query} extension's HTTP API (docs/cli.md): one GET at a time, the 200
 * body as JSON, and every other outcome as a {@link QueryFailedException} whose message says what to do.
 */
final class QueryClient {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

  /**
   * Reads JSON exactly: decimals stay as written, so {@code --json} passes the server's numbers on
   * unchanged; unknown fields are ignored, so a newer server still works with this CLI.
   */
  static final ObjectMapper JSON = JsonMapper.builder()
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private final URI base;
  private final Duration requestTimeout;
  private final HttpClient http;

  QueryClient(URI base, Duration requestTimeout) {
    this.base = Objects.requireNonNull(base, "base");
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    // HTTP/1.1: the extension is the JDK's plain HTTP server, an h2c upgrade attempt would be wasted.
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  /**
   * The base URL of {@code --url}: http or https with a host, a trailing slash dropped.
   *
   * @throws IllegalArgumentException naming the option, for picocli to print with the usage
   */
  static URI baseUri(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (Exception e) {
      uri = null;
    }
    if (uri == null
        || uri.getScheme() == null
        || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "--url must be an http:// or https:// base URL such as http://localhost:5050, got '" + url + "'");
    }
    String s = uri.toString();
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return URI.create(s);
  }

  URI base() {
    return base;
  }

  /** The raw server document of {@code GET <base><pathAndQuery>} when it answers 200. */
  JsonNode get(String pathAndQuery) throws QueryFailedException, InterruptedException {
    URI uri = URI.create(base + pathAndQuery);
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(requestTimeout)
        .header("Accept", "application/json")
        .GET()
        .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new QueryFailedException(
          "cannot reach " + base + " (" + reason(e) + "): is inflight running with the query extension?",
          ExitCodes.UNREACHABLE);
    }
    JsonNode body = parse(response.body());
    if (response.statusCode() == 200) {
      if (body == null) {
        throw new QueryFailedException(uri + " answered 200 with something that is not JSON"
            + contentType(response) + ": is --url the address of inflight's query extension?", ExitCodes.FAILED);
      }
      return body;
    }
    JsonNode error = body == null ? null : body.get("error");
    if (error != null && error.isTextual() && !error.asText().isBlank()) {
      throw new QueryFailedException(error.asText() + " (HTTP " + response.statusCode() + ")", ExitCodes.FAILED);
    }
    throw new QueryFailedException(uri + " answered HTTP " + response.statusCode()
        + " without an error message: is --url the address of inflight's query extension?", ExitCodes.FAILED);
  }

  /**
   * Binds a server document to the record the command renders.
   *
   * @param what names the document in the message, e.g. "a workers snapshot"
   */
  <T> T read(JsonNode document, Class<T> type, String path, String what) throws QueryFailedException {
    try {
      return JSON.treeToValue(document, type);
    } catch (JsonProcessingException e) {
      throw new QueryFailedException(
          base + path + " answered JSON that is not " + what + " (" + problem(e) + ")", ExitCodes.FAILED);
    }
  }

  /** {@code worker_types[1].peak is missing}: Jackson's messages, in the document's terms. */
  private static String problem(JsonProcessingException e) {
    String message = e.getOriginalMessage().split("\n")[0];
    String where = e instanceof MismatchedInputException m
        ? m.getPath().stream()
            .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining())
            .replaceFirst("^\\.", "")
        : "";
    if (where.isEmpty()) {
      return message;
    }
    if (message.startsWith("Missing required creator property")) {
      return where + " is missing";
    }
    if (message.startsWith("Cannot map `null`")) {
      return where + " is null";
    }
    return where + ": " + message;
  }

  /** For {@code --json}, which passes the document on whole: only check that it is an object. */
  void requireObject(JsonNode document, String path, String what) throws QueryFailedException {
    if (!document.isObject()) {
      throw new QueryFailedException(base + path + " answered JSON that is not " + what
          + " (a " + document.getNodeType().name().toLowerCase(Locale.ROOT) + ", not an object)", ExitCodes.FAILED);
    }
  }

  /** One line: the document as the server sent it, minus the whitespace. */
  static String compact(JsonNode document) {
    try {
      return JSON.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed document always writes", e);
    }
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node == null || node.isMissingNode() ? null : node;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").map(t -> " (" + t + ")").orElse("");
  }

  /** Why nothing answered, in a few words: the JDK's exceptions often carry no message at the top. */
  static String reason(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer in time";
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException) {
        return "unknown host";
      }
      if (t instanceof ConnectException) {
        // The JDK's HttpClient throws it without a message when the port is closed.
        return t.getMessage() == null ? "connection refused" : t.getMessage().toLowerCase(Locale.ROOT);
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getSimpleName();
  }
}
