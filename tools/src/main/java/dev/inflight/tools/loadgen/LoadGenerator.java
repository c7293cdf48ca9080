package dev.inflight.tools.loadgen;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Sends OTLP trace requests to one endpoint over {@code connections} connections, each with one
 * request in flight (as an SDK's batch exporter has), at a fixed rate or as fast as the server
 * answers. Requests are encoded once ({@link RequestTemplate}); a send only restamps times and
 * trace ids in the connection's own copy.
 *
 * <p>At a fixed rate request {@code i} is due at {@code start + i × spansPerRequest / rate}; a
 * connection that is free sleeps until the next request is due, and one that fell behind sends at
 * once, so a slow server shows up as an achieved rate below the offered one (not as fewer sends
 * hidden in the latency). Latency is the export call's: from writing the request to its answer.
 *
 * <p>{@link #run} may be called again, for a warm-up before the measured run: connections stay open.
 */
public final class LoadGenerator implements AutoCloseable {
  /** Different requests cycled through, so the server does not see one payload over and over. */
  static final int TEMPLATES = 8;
  private static final long HIGHEST_LATENCY_NANOS = TimeUnit.MINUTES.toNanos(10);

  /** Where to send, and how long to wait for an answer. */
  public record Target(Protocol protocol, String host, int port, Duration timeout) {
    public String display() {
      return protocol + " → " + host + ":" + port;
    }
  }

  private final Target target;
  private final List<RequestTemplate> templates;
  private final int spansPerRequest;
  private final List<LoadSender> senders = new ArrayList<>();
  /** Per connection, its copy of every template. */
  private final List<byte[][]> buffers = new ArrayList<>();
  /** Trace ids stay unique over every run of this generator. */
  private final AtomicLong sequence;

  public LoadGenerator(Target target, TraceShape shape, int connections) {
    if (connections < 1 || connections > 1024) {
      throw new IllegalArgumentException("connections must be 1 to 1024, got " + connections);
    }
    this.target = target;
    long seed = 20261123L;
    this.templates = new TraceGenerator(shape).templates(TEMPLATES, target.protocol().json(), seed);
    this.spansPerRequest = shape.spansPerRequest();
    // A different high half per process, so two generators at once do not send the same trace ids.
    this.sequence = new AtomicLong((System.nanoTime() & 0xffffL) << 40);
    for (int c = 0; c < connections; c++) {
      senders.add(sender(target));
      byte[][] copies = new byte[templates.size()][];
      for (int t = 0; t < copies.length; t++) {
        copies[t] = templates.get(t).newBuffer();
      }
      buffers.add(copies);
    }
  }

  private static LoadSender sender(Target target) {
    return sender(target, Map.of());
  }

  /** One connection to {@code target} that adds {@code headers} to every request. */
  static LoadSender sender(Target target, Map<String, String> headers) {
    return switch (target.protocol()) {
      case GRPC -> new GrpcLoadSender(target.host(), target.port(), target.timeout(), headers);
      case HTTP_PROTOBUF, HTTP_JSON -> new HttpLoadSender(
          URI.create("http://" + hostForUri(target.host()) + ":" + target.port() + "/v1/traces"),
          target.protocol().json(), target.timeout(), headers);
    };
  }

  private static String hostForUri(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  public Target target() {
    return target;
  }

  /** The requests this generator sends, as encoded before stamping (for a parse-cost baseline). */
  public List<byte[]> encodedRequests() {
    return templates.stream().map(RequestTemplate::encoded).toList();
  }

  /**
   * Sends for {@code duration}.
   *
   * @param rate spans per second; 0 sends as fast as the server answers
   */
  public LoadReport run(double rate, Duration duration) throws InterruptedException {
    if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("rate must be 0 (as fast as possible) or more spans per second, got " + rate);
    }
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    double interval = rate > 0 ? spansPerRequest * 1e9 / rate : 0;
    AtomicLong next = new AtomicLong();
    List<Connection> connections = new ArrayList<>();
    for (int c = 0; c < senders.size(); c++) {
      connections.add(new Connection(senders.get(c), buffers.get(c), next, start, end, interval));
    }
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections.size(); c++) {
      Thread t = new Thread(connections.get(c), "loadgen-" + c);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    try {
      for (Thread t : threads) {
        t.join();
      }
    } finally {
      threads.forEach(Thread::interrupt);
    }
    long finished = start;
    long spans = 0;
    long requests = 0;
    long rejected = 0;
    Map<String, Long> errors = new HashMap<>();
    Map<String, Long> errorSpans = new HashMap<>();
    Histogram latency = new Histogram(HIGHEST_LATENCY_NANOS, 3);
    for (Connection c : connections) {
      finished = Math.max(finished, c.finished);
      spans += c.spans;
      requests += c.requests;
      rejected += c.rejected;
      c.errors.forEach((k, v) -> {
        errors.merge(k, v[0], Long::sum);
        errorSpans.merge(k, v[1], Long::sum);
      });
      latency.add(c.latency);
    }
    // At a fixed rate the run lasts its whole schedule, even when the last answer came before its
    // end: counting to the last answer would report a server that keeps up as faster than offered.
    long last = interval > 0 ? Math.max(finished, end) : finished;
    return new LoadReport(target.protocol(), rate, (last - start) / 1e9, spans - rejected, requests,
        rejected, Map.copyOf(errors), Map.copyOf(errorSpans), latency);
  }

  /** One connection's loop and its tallies, read after its thread ended. */
  private final class Connection implements Runnable {
    private final LoadSender sender;
    private final byte[][] buffers;
    private final AtomicLong next;
    private final long start;
    private final long end;
    private final double interval;
    final Histogram latency = new Histogram(HIGHEST_LATENCY_NANOS, 3);
    final Map<String, long[]> errors = new HashMap<>();
    long spans;
    long requests;
    long rejected;
    long finished;

    Connection(LoadSender sender, byte[][] buffers, AtomicLong next, long start, long end, double interval) {
      this.sender = sender;
      this.buffers = buffers;
      this.next = next;
      this.start = start;
      this.end = end;
      this.interval = interval;
      this.finished = start;
    }

    @Override
    public void run() {
      try {
        while (true) {
          long i = next.getAndIncrement();
          if (interval > 0) {
            long due = start + (long) (i * interval);
            if (due >= end) {
              break;
            }
            for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
              LockSupport.parkNanos(due - now);
              if (Thread.interrupted()) {
                throw new InterruptedException();
              }
            }
          } else if (System.nanoTime() >= end) {
            break;
          }
          int t = (int) (i % buffers.length);
          RequestTemplate template = templates.get(t);
          template.stamp(buffers[t], nowNanos(), sequence.getAndIncrement());
          long sent = System.nanoTime();
          LoadSender.Outcome outcome = sender.send(buffers[t]);
          finished = System.nanoTime();
          latency.recordValue(Math.min(finished - sent, HIGHEST_LATENCY_NANOS));
          if (outcome.error() == null) {
            requests++;
            spans += template.spans();
            rejected += outcome.rejectedSpans();
          } else {
            long[] tally = errors.computeIfAbsent(outcome.error(), k -> new long[2]);
            tally[0]++;
            tally[1] += template.spans();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public void close() {
    senders.forEach(LoadSender::close);
  }
}
