package dev.inflight.extension.internal.http;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.inflight.component.telemetry.ListenException;
import dev.inflight.config.confignet.ListenEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK's HTTP server as inflight's extensions run it ({@code health_check}, {@code query}):
 * bound to a Collector-style {@code host:port}, requests handled on daemon threads named after the
 * extension, and the dispatcher started from a daemon thread, since it inherits daemon status from
 * its starter: a missed shutdown must never keep the JVM alive.
 */
public final class ExtensionHttpServer {
  private final HttpServer server;
  private final ExecutorService executor;

  private ExtensionHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds {@code endpoint} and serves every path with {@code handler}.
   *
   * @param who the extension's id: in thread names and in the error
   * @param threads handler threads: 1 is named {@code <who>-http}, more {@code <who>-http-<n>}
   * @throws ListenException {@code <who> cannot listen on <endpoint>: address already in use}
   */
  public static ExtensionHttpServer start(String who, String endpoint, int threads, HttpHandler handler)
      throws IOException {
    InetSocketAddress address = ListenEndpoint.resolve(who, endpoint);
    HttpServer s = ListenEndpoint.bind(who, endpoint, () -> HttpServer.create(address, 0));
    AtomicInteger n = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(threads,
        r -> daemon(r, threads == 1 ? who + "-http" : who + "-http-" + n.incrementAndGet()));
    s.setExecutor(executor);
    s.createContext("/", handler);
    Thread starter = daemon(s::start, who + "-start");
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      s.stop(0);
      executor.shutdownNow();
      throw new IOException(who + " was interrupted while starting", e);
    }
    return new ExtensionHttpServer(s, executor);
  }

  static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** The address actually bound (its port when the endpoint asked for port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops at once: clients then see a refused connection. */
  public void stop() {
    server.stop(0);
    executor.shutdownNow();
  }
}
