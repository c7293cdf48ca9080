package dev.inflight.exporter.otlphttp;

import dev.inflight.component.Signal;
import dev.inflight.exporter.ScriptedServer;
import com.github.luben.zstd.Zstd;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A real OTLP/HTTP endpoint on 127.0.0.1 (the JDK's HTTP server) that records every request and
 * answers from a script: scripted answers first, then 200 with an empty export response.
 */
public final class RecordingHttpServer
    extends ScriptedServer<RecordingHttpServer.Request, RecordingHttpServer.Answer, RecordingHttpServer> {
  /** One request as it arrived, with its body decompressed by its Content-Encoding. */
  public record Request(String method, String path, Map<String, List<String>> headers, byte[] raw, byte[] body, long atNanos) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** An answer: status, headers, body; {@code delayMillis} before answering. */
  public record Answer(int status, Map<String, String> headers, byte[] body, long delayMillis) {
    public static Answer of(int status) {
      return new Answer(status, Map.of(), new byte[0], 0);
    }

    public static Answer of(int status, Map<String, String> headers, byte[] body) {
      return new Answer(status, headers, body, 0);
    }

    public static Answer slow(long delayMillis) {
      return new Answer(200, Map.of(), new byte[0], delayMillis);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();

  private RecordingHttpServer(HttpServer server) {
    super("request", Answer.of(200, Map.of("Content-Type", "application/x-protobuf"), new byte[0]));
    this.server = server;
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static RecordingHttpServer start() throws IOException {
    return new RecordingHttpServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  /** HTTPS with {@code ssl}; client certificates required when {@code needClientAuth}. */
  public static RecordingHttpServer startTls(SSLContext ssl, boolean needClientAuth) throws IOException {
    HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.setHttpsConfigurator(
        new HttpsConfigurator(ssl) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = ssl.getDefaultSSLParameters();
            p.setNeedClientAuth(needClientAuth);
            params.setSSLParameters(p);
          }
        });
    return new RecordingHttpServer(s);
  }

  public String baseUrl() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Request> requests() {
    return recorded();
  }

  /**
   * The posts of {@code signal} so far, oldest first: those to its default path ({@code
   * /v1/traces}, {@code /v1/metrics}, {@code /v1/logs}) under any base URL. A post to a URL of
   * {@code traces_endpoint} style with another path is found only in {@link #requests()}.
   */
  public List<Request> requests(Signal signal) {
    String path = "/v1/" + signal.key();
    return recorded().stream().filter(r -> r.method().equals("POST") && r.path().endsWith(path)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      Headers h = exchange.getRequestHeaders();
      String encoding = h.getFirst("Content-Encoding");
      Request r =
          new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), Map.copyOf(h), raw, decode(raw, encoding),
              System.nanoTime());
      Answer a = record(r);
      if (a.delayMillis() > 0) {
        try {
          Thread.sleep(a.delayMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      send(exchange, a.status(), a.headers(), a.body());
    }
  }

  private static byte[] decode(byte[] raw, String encoding) throws IOException {
    if (encoding == null || encoding.equals("identity")) {
      return raw;
    }
    if (encoding.equals("gzip")) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        return in.readAllBytes();
      }
    }
    if (encoding.equals("zstd")) {
      return Zstd.decompress(raw, (int) Zstd.getFrameContentSize(raw));
    }
    throw new IOException("unexpected Content-Encoding " + encoding);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
