package dev.inflight.receiver.otlp;

import dev.inflight.otlp.wire.InvalidRequestException;

import dev.inflight.otlp.wire.OtlpRequestChecker;

import dev.inflight.component.Consumer;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.Host;
import dev.inflight.component.Receiver;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.component.SignalType;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.SignalData;
import dev.inflight.pdata.Traces;
import dev.inflight.component.auth.ServerAuthenticator;
import dev.inflight.component.telemetry.ReceiverMetrics;
import dev.inflight.config.configauth.AuthConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * One {@code otlp} receiver: a gRPC server and/or an HTTP server, shared by the traces, metrics
 * and logs pipelines that list it (one instance per component id, made through {@link
 * CreateSettings#shared}). Both servers run on one small set of threads: a Netty boss thread, two
 * event-loop threads for I/O, and a few handler threads that check requests and hand them on
 * (consumers are synchronous and may block, so they never run on an event loop).
 *
 * <p>What both transports do with a request once its bytes are in hand lives here: check the
 * encoding with {@link OtlpRequestChecker}, hand the bytes on unparsed, count accepted and refused
 * items per transport.
 */
final class OtlpReceiver implements Receiver {
  /**
   * How long shutdown waits for requests in flight (then about a second more for the event loops):
   * well inside the service's default {@code shutdown_timeout} of 10s.
   */
  static final long DRAIN_SECONDS = 5;

  private final CreateSettings settings;
  private final OtlpReceiverConfig config;
  private final Logger log;
  /**
   * The next consumer of each signal that has a pipeline: set while the pipelines are built (before
   * {@link #start}), read by the handler threads.
   */
  private final Map<Signal, Consumer<?>> next = new ConcurrentHashMap<>();

  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private ThreadPoolExecutor handlers;
  private OtlpGrpcServer grpc;
  private OtlpHttpServer http;

  OtlpReceiver(CreateSettings settings, OtlpReceiverConfig config) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.config = Objects.requireNonNull(config, "config");
    this.log = settings.logger();
  }

  /** Where the pipeline of {@code type} that lists this receiver begins. */
  <T extends SignalData, C> void consumer(SignalType<T, C> type, C next) {
    this.next.put(type.signal(), type.generic(Objects.requireNonNull(next, "next")));
  }

  /** A signal is served (its gRPC service registered, its HTTP path routed) when it has a pipeline. */
  boolean serves(Signal signal) {
    return next.containsKey(signal);
  }

  @Override
  public synchronized void start(Host host) throws Exception {
    if (!started.compareAndSet(false, true) || stopped.get()) {
      return;
    }
    OtlpReceiverConfig.Protocols protocols = config.protocols();
    if (protocols.grpc() == null && protocols.http() == null) {
      log.warn("no protocol configured (add grpc: or http: under protocols): receiving nothing");
      return;
    }
    String name = "receiver-" + settings.id().toString().replace('/', '-');
    boss = eventLoops(1, name + "-accept");
    workers = eventLoops(2, name + "-io");
    int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    AtomicInteger n = new AtomicInteger();
    handlers =
        new ThreadPoolExecutor(
            threads,
            threads,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, name + "-handler-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    List<String> listening = new ArrayList<>();
    OtlpServer.Shared shared = new OtlpServer.Shared(this, boss, workers, handlers, log, settings.id().toString());
    try {
      if (protocols.grpc() != null) {
        grpc = new OtlpGrpcServer(shared, protocols.grpc(), settings.telemetry().receiverMetrics("grpc"),
            authenticator(host, protocols.grpc().auth(), "grpc"));
        grpc.start();
        listening.add("grpc on " + hostPort(grpc.address()));
      }
      if (protocols.http() != null) {
        http = new OtlpHttpServer(shared, protocols.http(), settings.telemetry().receiverMetrics("http"),
            authenticator(host, protocols.http().auth(), "http"));
        http.start();
        listening.add("http on " + hostPort(http.address()));
      }
    } catch (Exception e) {
      stopped.set(true);
      stop();
      throw e;
    }
    log.info("listening: {}", String.join(", ", listening));
  }

  /** A protocol's {@code auth}, resolved now that the extensions have started; null when off. */
  private @Nullable ServerAuthenticator authenticator(Host host, @Nullable AuthConfig auth, String protocol) {
    return auth == null ? null : auth.server(host, "receivers." + settings.id() + ".protocols." + protocol + ".auth");
  }

  private static EventLoopGroup eventLoops(int threads, String name) {
    return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
  }

  @Override
  public void shutdown() {
    if (stopped.compareAndSet(false, true)) {
      stop();
    }
  }

  /**
   * Stops accepting on both servers, lets requests in flight finish (they may be waiting on a
   * consumer), then stops the threads.
   */
  private synchronized void stop() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
    if (grpc != null) {
      grpc.stopAccepting();
    }
    if (http != null) {
      http.stopAccepting();
    }
    if (grpc != null) {
      grpc.awaitTermination(left(deadline));
    }
    if (handlers != null) {
      handlers.shutdown();
      try {
        if (!handlers.awaitTermination(left(deadline), TimeUnit.NANOSECONDS)) {
          log.warn("requests still in flight after {}s; abandoning them", DRAIN_SECONDS);
          handlers.shutdownNow();
        }
      } catch (InterruptedException e) {
        handlers.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    if (grpc != null) {
      grpc.forceStopIfRunning();
    }
    if (http != null) {
      http.awaitAnswersWritten(Math.max(left(deadline), TimeUnit.MILLISECONDS.toNanos(500)));
    }
    // Then every connection closes.
    for (EventLoopGroup group : new EventLoopGroup[] {workers, boss}) {
      if (group != null) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
      }
    }
  }

  private static long left(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  /** The gRPC server's bound address (for {@code :0} endpoints in tests), or null when off. */
  InetSocketAddress grpcAddress() {
    return grpc == null ? null : grpc.address();
  }

  /** The HTTP server's bound address, or null when off. */
  InetSocketAddress httpAddress() {
    return http == null ? null : http.address();
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /**
   * Checks one decoded request and hands it on.
   *
   * @throws InvalidRequestException the bytes are not the signal's export request (not counted)
   * @throws Refusal the pipeline refused it (counted as refused)
   * @throws RuntimeException a consumer failed unexpectedly (counted as refused, logged)
   */
  void consume(Signal signal, byte[] request, ReceiverMetrics counts, String transport)
      throws InvalidRequestException, Refusal {
    switch (signal) {
      case TRACES -> consume(SignalType.TRACES, OtlpRequestChecker.TRACES, Traces::ofEncoded, request, counts, transport);
      case METRICS ->
          consume(SignalType.METRICS, OtlpRequestChecker.METRICS, Metrics::ofEncoded, request, counts, transport);
      case LOGS -> consume(SignalType.LOGS, OtlpRequestChecker.LOGS, Logs::ofEncoded, request, counts, transport);
    }
  }

  /** Makes a signal's data from request bytes already checked to hold {@code items} items. */
  @FunctionalInterface
  private interface Encoded<T> {
    T wrap(byte[] request, int items);
  }

  private <T extends SignalData> void consume(
      SignalType<T, ?> type, OtlpRequestChecker checker, Encoded<T> encoded, byte[] request, ReceiverMetrics counts,
      String transport) throws InvalidRequestException, Refusal {
    int n = checker.check(request);
    @SuppressWarnings("unchecked") // put by consumer(type, ...) under type.signal()
    Consumer<T> to = (Consumer<T>) next.get(type.signal());
    if (n == 0 || to == null) {
      return; // as the Collector: an empty request is answered, not passed on
    }
    handOn(type, to, encoded.wrap(request, n), n, counts, transport);
  }

  /** Hands a checked batch of {@code n} items to the pipeline and counts how that went. */
  private <T extends SignalData> void handOn(
      SignalType<T, ?> type, Consumer<T> to, T data, int n, ReceiverMetrics counts, String transport) throws Refusal {
    try {
      to.consume(data);
    } catch (Refusal r) {
      counts.refused(type.signal(), n);
      logRefusal(r, n, type.items(), transport);
      throw r;
    } catch (RuntimeException e) {
      counts.refused(type.signal(), n);
      log.error("{} {} received over {} could not be handed on", n, type.items(), transport, e);
      throw e;
    }
    counts.accepted(type.signal(), n);
  }

  private void logRefusal(Refusal r, int n, String what, String transport) {
    if (r.isRetryable()) {
      log.debug("refused {} {} over {} (sender may retry): {}", n, what, transport, r.getMessage());
    } else {
      log.warn("refused {} {} over {}: {}", n, what, transport, r.getMessage());
    }
  }
}
