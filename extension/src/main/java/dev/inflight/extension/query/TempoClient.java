package dev.inflight.extension.query;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;

/**
 * Fetches one trace from Grafana Tempo's HTTP API. Thread-safe; one per query extension.
 *
 * <p>{@code GET {base}/api/traces/{id}} with {@code Accept: application/protobuf} (Tempo's query
 * frontend then answers with a tempopb.Trace, whose field 1 is the trace's ResourceSpans, so it
 * parses as an {@link ExportTraceServiceRequest}) and {@code Accept-Encoding: gzip} (Tempo gzips
 * large answers when asked), plus the configured headers ({@code X-Scope-OrgID} for a multi-tenant
 * Tempo, {@code Authorization} behind a gateway). A JSON answer (an old Tempo, or a proxy that drops
 * {@code Accept}) is read too: see {@link TempoTraceJson}.
 *
 * <p>What comes back: the trace; empty for a 404 (Tempo's answer when no block or live store has
 * the trace) and for a 2xx trace with no spans; a {@link TempoException} for anything else (another
 * status, no answer within the timeout, a body over {@value #MAX_BODY_BYTES} bytes before or after
 * gunzip, a body that is not a trace). Redirects are not followed: a moved Tempo is a config error.
 */
final class TempoClient {
  /** The largest body read, as sent and once gunzipped. */
  static final long MAX_BODY_BYTES = 64L << 20;
  /** Enough of an error body for a message; the rest is not read. */
  private static final int MAX_ERROR_BODY = 16 * 1024;
  private static final int MAX_SNIPPET = 300;

  private static final String PROTOBUF = "application/protobuf";

  private final String base;
  private final Map<String, String> headers;
  private final Duration timeout;
  private final long maxBodyBytes;
  private final HttpClient client;

  /**
   * @param baseUrl e.g. http://tempo:3200 (a trailing slash tolerated; a path prefix such as
   *     http://gw/tempo kept)
   * @param headers sent with every request; {@code Accept} and {@code Accept-Encoding} are the
   *     client's own
   * @param timeout for the whole fetch: connecting, Tempo's answer and reading its body
   * @throws IllegalArgumentException for a URL that is not plain http(s)://host[:port][/prefix], a
   *     header that cannot be sent, or a timeout that is not positive
   */
  TempoClient(URI baseUrl, Map<String, String> headers, Duration timeout) {
    this(baseUrl, headers, timeout, MAX_BODY_BYTES);
  }

  /** With a smaller body limit, for tests. */
  TempoClient(URI baseUrl, Map<String, String> headers, Duration timeout, long maxBodyBytes) {
    this.base = base(baseUrl);
    this.headers = checkHeaders(base, headers);
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the Tempo timeout must be positive, not " + timeout);
    }
    this.timeout = timeout;
    this.maxBodyBytes = maxBodyBytes;
    HttpClient.Builder b =
        HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER);
    // As the exporters do: HTTP/2 over TLS where offered, plain HTTP/1.1 otherwise (no h2c upgrade).
    b.version(base.startsWith("https:") ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
    this.client = b.build();
  }

  /**
   * The trace as OTLP spans, or empty when Tempo answers 404 (trace not found) or with a trace that
   * has no spans.
   *
   * @param traceIdHex 32 hex digits (lower case; upper case is lowered)
   * @throws IllegalArgumentException when {@code traceIdHex} is not 32 hex digits
   */
  Optional<ExportTraceServiceRequest> fetch(String traceIdHex) throws TempoException {
    URI url = URI.create(base + "/api/traces/" + checkTraceId(traceIdHex));
    HttpRequest.Builder request = HttpRequest.newBuilder(url).GET().timeout(timeout);
    headers.forEach(request::header);
    request.header("Accept", PROTOBUF).header("Accept-Encoding", "gzip");

    CompletableFuture<HttpResponse<byte[]>> f = client.sendAsync(request.build(), this::subscriber);
    HttpResponse<byte[]> response;
    try {
      response = f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new TempoException(noAnswerWithin(url), 0, null);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new TempoException("interrupted while asking Tempo at " + url, 0, e);
    } catch (ExecutionException e) {
      throw failed(url, e.getCause());
    }
    return answer(url, response);
  }

  private Optional<ExportTraceServiceRequest> answer(URI url, HttpResponse<byte[]> response)
      throws TempoException {
    int status = response.statusCode();
    if (status == 404) {
      return Optional.empty();
    }
    String contentType = response.headers().firstValue("Content-Type").orElse("").strip().toLowerCase(Locale.ROOT);
    String encoding = response.headers().firstValue("Content-Encoding").orElse("").strip().toLowerCase(Locale.ROOT);
    if (status < 200 || status > 299) {
      String message = "Tempo at " + url + " answered " + status + snippet(errorText(response.body(), encoding), contentType);
      if (status >= 300 && status <= 399) {
        message += response.headers().firstValue("Location")
            .map(l -> " (a redirect to " + l + "; set the Tempo URL to where Tempo answers)")
            .orElse("");
      }
      throw new TempoException(message, status, null);
    }

    byte[] body;
    if (encoding.isEmpty() || encoding.equals("identity")) {
      body = response.body();
    } else if (encoding.equals("gzip") || encoding.equals("x-gzip")) {
      try {
        body = gunzip(response.body(), maxBodyBytes, false);
      } catch (BodyTooLarge e) {
        throw new TempoException(tooLarge(url, status, "once gunzipped"), status, null);
      } catch (IOException e) {
        throw new TempoException("Tempo at " + url + " answered " + status + " with a gzip body that does not gunzip: " + e, status, e);
      }
    } else {
      throw new TempoException(
          "Tempo at " + url + " answered " + status + " with Content-Encoding \"" + encoding + "\", which this client does not decode",
          status, null);
    }

    ExportTraceServiceRequest trace = parse(url, status, body, contentType);
    return spans(trace) == 0 ? Optional.empty() : Optional.of(trace);
  }

  private static ExportTraceServiceRequest parse(URI url, int status, byte[] body, String contentType)
      throws TempoException {
    String type = mediaType(contentType);
    boolean json;
    if (type.equals(PROTOBUF) || type.equals("application/x-protobuf")
        || type.equals("application/vnd.google.protobuf") || type.equals("application/x-google-protobuf")) {
      json = false;
    } else if (type.equals("application/json") || type.equals("text/json") || type.endsWith("+json")) {
      json = true;
    } else if (type.isEmpty() || type.equals("application/octet-stream") || type.equals("text/plain")) {
      // Untyped: JSON starts with '{'; a tempopb.Trace never does (0x7b would be field 15, a group).
      json = startsWithBrace(body);
      if (!json && type.equals("text/plain") && body.length > 0) {
        throw notATrace(url, status, contentType, body, null);
      }
    } else {
      throw notATrace(url, status, contentType, body, null);
    }
    if (body.length == 0) {
      return ExportTraceServiceRequest.getDefaultInstance();
    }
    try {
      return json ? TempoTraceJson.parse(body) : ExportTraceServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw notATrace(url, status, contentType, body, e);
    }
  }

  private static TempoException notATrace(URI url, int status, String contentType, byte[] body, Exception e) {
    String why = e == null ? "" : " (" + oneLine(e.getMessage()) + ")";
    String type = contentType.isEmpty() ? "no Content-Type" : "Content-Type " + contentType;
    return new TempoException(
        "Tempo at " + url + " answered " + status + " with " + type + ", not a trace" + why + snippet(body, contentType),
        status, e);
  }

  private TempoException failed(URI url, Throwable cause) {
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof BodyTooLarge tooLarge) {
        return new TempoException(tooLarge(url, tooLarge.status, "as sent"), tooLarge.status, null);
      }
    }
    if (cause instanceof HttpConnectTimeoutException) {
      return new TempoException("could not connect to Tempo at " + url + " within " + timeout.toMillis() + " ms", 0, cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new TempoException(noAnswerWithin(url), 0, cause);
    }
    if (cause instanceof ConnectException) {
      return new TempoException("could not connect to Tempo at " + url + " (" + describe(cause) + ")", 0, cause);
    }
    return new TempoException("asking Tempo at " + url + " failed: " + describe(cause), 0, cause);
  }

  private String noAnswerWithin(URI url) {
    return "Tempo at " + url + " did not answer within " + timeout.toMillis() + " ms";
  }

  private String tooLarge(URI url, int status, String how) {
    return "Tempo at " + url + " answered " + status + " with a body over " + maxBodyBytes + " bytes " + how
        + "; not read";
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    String name = t.getClass().getSimpleName();
    return m == null || m.isBlank() ? name : name + ": " + oneLine(m);
  }

  // --- the body, bounded ------------------------------------------------------------------------

  /** A 2xx body is read up to the limit, and is an error past it; another status's only in part. */
  private HttpResponse.BodySubscriber<byte[]> subscriber(HttpResponse.ResponseInfo info) {
    boolean ok = info.statusCode() >= 200 && info.statusCode() <= 299;
    long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
    return new BoundedBody(info.statusCode(), ok ? maxBodyBytes : MAX_ERROR_BODY, !ok, declared);
  }

  private static final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;

    BodyTooLarge(int status) {
      super("body too large", null);
      this.status = status;
    }
  }

  /** Collects the body up to {@code limit} bytes; past it, fails, or (when truncating) stops reading. */
  private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final int status;
    private final long limit;
    private final boolean truncate;
    private final long declared;
    private final ByteArrayOutputStream out;
    private Flow.Subscription subscription;
    private boolean done;

    BoundedBody(int status, long limit, boolean truncate, long declared) {
      this.status = status;
      this.limit = limit;
      this.truncate = truncate;
      this.declared = declared;
      this.out = new ByteArrayOutputStream(declared > 0 && declared <= limit ? (int) declared : 8192);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (!truncate && declared > limit) {
        done = true;
        s.cancel();
        result.completeExceptionally(new BodyTooLarge(status));
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (done) {
        return;
      }
      for (ByteBuffer buffer : buffers) {
        int n = buffer.remaining();
        long room = limit - out.size();
        if (n > room) {
          done = true;
          subscription.cancel();
          if (truncate) {
            write(buffer, (int) room);
            result.complete(out.toByteArray());
          } else {
            result.completeExceptionally(new BodyTooLarge(status));
          }
          return;
        }
        write(buffer, n);
      }
    }

    private void write(ByteBuffer buffer, int n) {
      if (buffer.hasArray()) {
        out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), n);
      } else {
        byte[] copy = new byte[n];
        buffer.get(copy);
        out.write(copy, 0, n);
      }
    }

    @Override
    public void onError(Throwable t) {
      if (!done) {
        done = true;
        result.completeExceptionally(t);
      }
    }

    @Override
    public void onComplete() {
      if (!done) {
        done = true;
        result.complete(out.toByteArray());
      }
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }
  }

  /** Gunzips up to {@code limit} bytes; past it, fails, or (when truncating) stops. */
  static byte[] gunzip(byte[] gz, long limit, boolean truncate) throws IOException {
    ByteArrayOutputStream out =
        new ByteArrayOutputStream((int) Math.min(Math.max(8192, gz.length * 4L), Math.min(limit, 16 << 20)));
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 8192)) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) > 0) {
        long room = limit - out.size();
        if (n > room) {
          if (truncate) {
            out.write(buffer, 0, (int) room);
            break;
          }
          throw new BodyTooLarge(0);
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      if (!truncate || e instanceof BodyTooLarge) {
        throw e;
      }
      // An error body cut short: what came out is enough for a message.
    }
    return out.toByteArray();
  }

  /** An error body for its message: gunzipped as far as it goes when it is gzip. */
  private static byte[] errorText(byte[] body, String encoding) {
    if (encoding.equals("gzip") || encoding.equals("x-gzip")) {
      try {
        return gunzip(body, MAX_ERROR_BODY, true);
      } catch (IOException e) {
        return new byte[0];
      }
    }
    return body;
  }

  /** ": text" from the start of a text body, or " (N bytes of TYPE)" for a binary one; "" when empty. */
  static String snippet(byte[] body, String contentType) {
    if (body.length == 0) {
      return "";
    }
    String text = new String(body, 0, Math.min(body.length, MAX_SNIPPET * 4), StandardCharsets.UTF_8);
    long odd = text.chars().filter(c -> c == 0xFFFD || (Character.isISOControl(c) && !Character.isWhitespace(c))).count();
    if (odd > 0) {
      return " (" + body.length + " bytes" + (contentType.isEmpty() ? "" : " of " + contentType) + ")";
    }
    text = oneLine(text);
    if (text.length() > MAX_SNIPPET) {
      text = text.substring(0, MAX_SNIPPET) + "...";
    }
    return text.isEmpty() ? "" : ": " + text;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s+", " ");
  }

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
  }

  private static boolean startsWithBrace(byte[] body) {
    for (byte b : body) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return b == '{';
      }
    }
    return false;
  }

  private static int spans(ExportTraceServiceRequest trace) {
    int n = 0;
    for (ResourceSpans rs : trace.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }

  // --- configuration ----------------------------------------------------------------------------

  /** scheme://authority[/prefix], without a trailing slash. */
  static String base(URI url) {
    Objects.requireNonNull(url, "baseUrl");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (url.getRawUserInfo() != null) {
      // Not echoed: it holds a password.
      throw new IllegalArgumentException(
          "the Tempo URL must not hold credentials (they would not be sent): configure an Authorization header instead");
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("the Tempo URL must be http:// or https://, not " + url);
    }
    if (url.getHost() == null) {
      throw new IllegalArgumentException("the Tempo URL has no host: " + url);
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new IllegalArgumentException("the Tempo URL must not have a query or a fragment: " + url);
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    int end = path.length();
    while (end > 0 && path.charAt(end - 1) == '/') {
      end--;
    }
    return scheme + "://" + url.getRawAuthority() + path.substring(0, end);
  }

  private static Map<String, String> checkHeaders(String base, Map<String, String> headers) {
    Objects.requireNonNull(headers, "headers");
    HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create(base + "/api/traces/0"));
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : headers.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "header name");
      String value = Objects.requireNonNull(e.getValue(), () -> "value of header " + name);
      if (name.equalsIgnoreCase("Accept") || name.equalsIgnoreCase("Accept-Encoding")) {
        throw new IllegalArgumentException("header \"" + name + "\" is the Tempo client's own; it cannot be configured");
      }
      try {
        probe.header(name, value);
      } catch (IllegalArgumentException x) {
        // The JDK's message may quote the value, which may be a secret.
        throw new IllegalArgumentException(
            "header \"" + name + "\" cannot be sent (a restricted or invalid name, or a value with control characters)");
      }
      copy.put(name, value);
    }
    return Collections.unmodifiableMap(copy);
  }

  private static String checkTraceId(String traceIdHex) {
    Objects.requireNonNull(traceIdHex, "traceIdHex");
    if (traceIdHex.length() != 32) {
      throw new IllegalArgumentException("a trace id is 32 hex digits, not \"" + traceIdHex + "\"");
    }
    for (int i = 0; i < 32; i++) {
      char c = traceIdHex.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        throw new IllegalArgumentException("a trace id is 32 hex digits, not \"" + traceIdHex + "\"");
      }
    }
    return traceIdHex.toLowerCase(Locale.ROOT);
  }
}
