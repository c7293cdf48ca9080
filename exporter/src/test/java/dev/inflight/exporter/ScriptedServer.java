package dev.inflight.exporter;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the test servers that exporters send to share: they record what arrives, oldest first, and
 * answer from a script, then with a fallback answer.
 *
 * @param <R> what the server records of one request
 * @param <A> an answer
 * @param <S> the server itself, so that {@link #answer} and {@link #always} chain
 */
public abstract class ScriptedServer<R, A, S extends ScriptedServer<R, A, S>> implements AutoCloseable {
  private final String noun;
  private final ConcurrentLinkedQueue<A> script = new ConcurrentLinkedQueue<>();
  private volatile A fallback;
  private final List<R> recorded = new CopyOnWriteArrayList<>();
  private final BlockingQueue<R> arrivals = new LinkedBlockingQueue<>();

  /** {@code noun} names a request in {@link #next}'s failure ("call", "request"). */
  protected ScriptedServer(String noun, A fallback) {
    this.noun = noun;
    this.fallback = fallback;
  }

  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }

  /** Answers the next requests with {@code answers}, in turn. */
  @SafeVarargs
  public final S answer(A... answers) {
    script.addAll(List.of(answers));
    return self();
  }

  /** Answers every request after the scripted ones with {@code answer}. */
  public final S always(A answer) {
    fallback = answer;
    return self();
  }

  /** What arrived so far, oldest first. */
  protected final List<R> recorded() {
    return recorded;
  }

  /** Forgets what arrived so far, e.g. between two phases of an end-to-end test. */
  public void clear() {
    recorded.clear();
    arrivals.clear();
  }

  /** The next request to arrive, waiting up to 10s. */
  public R next() throws InterruptedException {
    R r = arrivals.poll(10, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no " + noun + " arrived within 10s; got " + recorded.size());
    }
    return r;
  }

  /** Records {@code r} and returns its answer: the next scripted one, else the fallback. */
  protected final A record(R r) {
    recorded.add(r);
    arrivals.add(r);
    A a = script.poll();
    return a == null ? fallback : a;
  }

  /** Sends an HTTP answer: {@code headers}, {@code status}, and {@code body} unless it is empty. */
  protected static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
      throws IOException {
    headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
