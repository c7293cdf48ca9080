package dev.inflight.exporter.otlphttp;

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
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A real OTLP/HTTP endpoint on 127.0.0.1 (the JDK's HTTP server) that records every request and
 * answers from a script: scripted answers first, then 200 with an empty export response.
 */
public final class RecordingHttpServer implements AutoCloseable {
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
  private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
  private volatile Answer fallback = Answer.of(200, Map.of("Content-Type", "application/x-protobuf"), new byte[0]);
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Request> arrivals = new LinkedBlockingQueue<>();

  private RecordingHttpServer(HttpServer server) {
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

  public RecordingHttpServer answer(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  public RecordingHttpServer always(Answer answer) {
    fallback = answer;
    return this;
  }

  public List<Request> requests() {
    return requests;
  }

  /** Forgets the requests so far, e.g. between two phases of an end-to-end test. */
  public void clear() {
    requests.clear();
    arrivals.clear();
  }


  /** The next request to arrive, waiting up to 10s. */
  public Request next() throws InterruptedException {
    Request r = arrivals.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no request arrived within 10s; got " + requests.size());
    }
    return r;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      Headers h = exchange.getRequestHeaders();
      String encoding = h.getFirst("Content-Encoding");
      Request r =
          new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), Map.copyOf(h), raw, decode(raw, encoding),
              System.nanoTime());
      requests.add(r);
      arrivals.add(r);
      Answer a = script.poll();
      if (a == null) {
        a = fallback;
      }
      if (a.delayMillis() > 0) {
        try {
          Thread.sleep(a.delayMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      a.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
      if (a.body().length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(a.body());
        }
      }
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
