package dev.inflight.extension.healthcheck;

import com.sun.net.httpserver.HttpExchange;
import dev.inflight.extension.internal.http.ExtensionHttpServer;
import dev.inflight.component.Extension;
import dev.inflight.component.Host;
import dev.inflight.component.config.DurationFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Answers {@code GET <path>} with 200 and {@code {"status":"Server available","upSince":...,
 * "uptime":...}} between {@link #pipelinesReady} and {@link #pipelinesNotReady}, and with 503 and
 * {@code {"status":"Server not available",...}} before and after: the Collector's bodies, so probes
 * and scripts written for it keep working. Served by the JDK's HTTP server, requests handled on one
 * daemon thread.
 */
public final class HealthCheckExtension implements Extension {
  private static final String NOT_AVAILABLE =
      "{\"status\":\"Server not available\",\"upSince\":\"0001-01-01T00:00:00Z\",\"uptime\":\"\"}";

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  /** When the pipelines became ready, by both clocks; null while they are not. */
  private record Ready(Instant since, long sinceNanos) {}

  private final String who;
  private final HealthCheckConfig config;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final AtomicBoolean shutDown = new AtomicBoolean();
  private volatile Ready ready;
  private ExtensionHttpServer server;

  /** @param who names the extension in messages: its component id, e.g. {@code health_check} */
  public HealthCheckExtension(String who, HealthCheckConfig config) {
    this(who, config, Clock.systemUTC(), System::nanoTime);
  }

  HealthCheckExtension(String who, HealthCheckConfig config, Clock clock, LongSupplier nanoTime) {
    this.who = Objects.requireNonNull(who, "who");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = clock;
    this.nanoTime = nanoTime;
  }

  /**
   * Binds the endpoint.
   *
   * @throws ListenException {@code health_check cannot listen on 0.0.0.0:13133: address already in use}
   */
  @Override
  public synchronized void start(Host host) throws IOException {
    if (server != null || shutDown.get()) {
      return;
    }
    server = ExtensionHttpServer.start(who, config.endpoint(), 1, this::handle);
  }

  @Override
  public void pipelinesReady() {
    ready = new Ready(clock.instant(), nanoTime.getAsLong());
  }

  @Override
  public void pipelinesNotReady() {
    ready = null;
  }

  /** Stops serving at once; probes then see a refused connection, as from a stopped Collector. */
  @Override
  public synchronized void shutdown() {
    if (!shutDown.compareAndSet(false, true)) {
      return;
    }
    ready = null;
    if (server != null) {
      server.stop();
    }
  }

  /** The address actually bound (its port when the endpoint asked for port 0); null before start. */
  public synchronized InetSocketAddress address() {
    return server == null ? null : server.address();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!matches(exchange.getRequestURI().getPath())) {
        send(exchange, 404, "text/plain; charset=utf-8", "404 page not found");
        return;
      }
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "method not allowed: use GET");
        return;
      }
      Ready r = ready;
      if (r == null) {
        send(exchange, 503, "application/json", NOT_AVAILABLE);
      } else {
        send(exchange, 200, "application/json", available(r));
      }
    }
  }

  /** As Go's ServeMux: a path ending in / answers for everything under it, others only for themselves. */
  private boolean matches(String requested) {
    String path = config.path();
    return path.endsWith("/") ? requested.startsWith(path) : requested.equals(path);
  }

  private String available(Ready r) {
    Duration uptime = Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - r.sinceNanos()));
    return "{\"status\":\"Server available\",\"upSince\":\"" + rfc3339(r.since())
        + "\",\"uptime\":\"" + DurationFormat.format(uptime) + "\"}";
  }

  /** Go's RFC3339Nano, which the Collector's JSON uses: fraction without trailing zeros. */
  static String rfc3339(Instant t) {
    StringBuilder sb = new StringBuilder(SECONDS.format(t));
    int nanos = t.getNano();
    if (nanos != 0) {
      String fraction = String.format(Locale.ROOT, "%09d", nanos);
      int end = fraction.length();
      while (fraction.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(fraction, 0, end);
    }
    return sb.append('Z').toString();
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    // -1: no body (HEAD); otherwise a fixed length so clients need no chunked decoding.
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
