package dev.inflight.connector.concurrency;

import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.Dimension;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.Watermark;
import dev.inflight.connector.concurrency.ConcurrencyConnectorTelemetry.DropReason;
import dev.inflight.component.Host;
import dev.inflight.component.concurrency.GroupWindow;
import dev.inflight.component.concurrency.ConcurrencySource;
import dev.inflight.component.concurrency.ConcurrencyView;
import dev.inflight.component.concurrency.TraceStore;
import dev.inflight.component.concurrency.TraceStoreReader;
import dev.inflight.component.concurrency.WindowListener;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Refusal;
import dev.inflight.component.TracesConnector;
import dev.inflight.pdata.MalformedDataException;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.component.telemetry.ComponentTelemetry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * The {@code concurrency} connector: traces in, metrics out. Every request's spans are decoded in
 * place and recorded per group; windows close as the watermark passes their end plus {@code
 * allowed_lateness}, and their points go to the metrics pipelines as one request per close.
 *
 * <p>With {@code watermark: wall_clock} a timer closes windows at the instant they are due; with
 * {@code event_time} the latest span end seen is the clock, and windows close as requests arrive.
 * Shutdown closes every window that holds data.
 */
public final class ConcurrencyConnector implements TracesConnector, ConcurrencySource {
  /** Spans ending this far past arrival are counted as clock skew. */
  static final long FUTURE_SKEW_NANOS = Duration.ofSeconds(1).toNanos();

  private final String id;
  private final ConcurrencyConnectorConfig config;
  private final MetricsConsumer next;
  private final Logger log;
  private final LongSupplier clock;
  private final ConcurrencyEngine engine;
  private final ConcurrencyMetrics metrics;
  private final ThreadLocal<Scratch> scratch;
  private final boolean wallClock;
  private final WorkerTypes types;
  private final String[] dimNames;
  private final ReentrantLock emitting = new ReentrantLock();
  /** Readers of closed windows (the query extension), subscribed through {@link #concurrency()}. */
  private final List<WindowListener> listeners = new CopyOnWriteArrayList<>();
  /** The recent-trace store, filled with matched spans, when a reader asked for one; else null. */
  private volatile RecentTraceStore store;
  private int[] storeTypes;
  private final ConcurrencyView view = new View();
  private volatile long maxEnd = Long.MIN_VALUE;
  private ScheduledExecutorService timer;
  private volatile boolean stopped;

  private final ConcurrencyConnectorTelemetry telemetry;

  private static final class Scratch {
    final SpanDecoder decoder;
    final SpanBatch batch = new SpanBatch();
    final SpanDecoder.Counts counts = new SpanDecoder.Counts();

    Scratch(SpanDecoder decoder) {
      this.decoder = decoder;
    }
  }

  /**
   * @param clock nanoseconds since the Unix epoch: the wall clock for arrival lag and, with {@code
   *     wall_clock}, for closing windows. Tests pass their own.
   */
  ConcurrencyConnector(
      ConcurrencyConnectorConfig config,
      MetricsConsumer next,
      ComponentTelemetry telemetry,
      Logger log,
      LongSupplier clock) {
    this("concurrency", config, next, telemetry, log, clock);
  }

  /** @param id the component id, e.g. {@code concurrency/batch}: how the query extension names it */
  ConcurrencyConnector(
      String id,
      ConcurrencyConnectorConfig config,
      MetricsConsumer next,
      ComponentTelemetry telemetry,
      Logger log,
      LongSupplier clock) {
    this.id = Objects.requireNonNull(id, "id");
    this.config = Objects.requireNonNull(config, "config");
    this.next = Objects.requireNonNull(next, "next");
    this.log = log;
    this.clock = clock;
    this.wallClock = config.watermark() == Watermark.WALL_CLOCK;
    this.types = new WorkerTypes(config.workerTypes());
    long[] bounds = config.durationBuckets().stream().mapToLong(Duration::toNanos).toArray();
    long resolution = config.resolution().toNanos();
    long lateness = config.allowedLateness().toNanos();
    long closedUntil = wallClock ? Math.floorDiv(clock.getAsLong() - lateness, resolution) * resolution : Long.MIN_VALUE;
    this.engine =
        new ConcurrencyEngine(
            resolution, lateness, config.idleExpiration().toNanos(), config.maxGroups(), bounds,
            types.size(), !config.instanceAttribute().isEmpty(), closedUntil);
    this.dimNames = config.dimensions().stream().map(Dimension::name).toArray(String[]::new);
    String[] dimDefaults = config.dimensions().stream().map(Dimension::defaultValue).toArray(String[]::new);
    this.metrics = new ConcurrencyMetrics(types.names(), types.capacities(), dimNames, bounds);
    this.scratch =
        ThreadLocal.withInitial(
            () ->
                new Scratch(
                    new SpanDecoder(
                        engine, types, dimNames, dimDefaults, config.instanceAttribute(),
                        config.adjustForSampling(), config.samplingRatio(), store != null)));

    this.telemetry =
        new ConcurrencyConnectorTelemetry(
            telemetry, engine::groupCount, engine.lateSpans::sum, engine.overflowSpans::sum);
  }

  /** Epoch nanoseconds from the system clock (microsecond precision on Linux). */
  static long systemClock() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public void start(Host host) {
    // Whether to keep a store follows from which extensions are configured, known before any
    // span arrives (receivers start last), so every decoder knows whether to read ids.
    host.extensions().values().stream()
        .filter(TraceStoreReader.class::isInstance)
        .map(e -> ((TraceStoreReader) e).traceStoreLimits())
        .flatMap(Optional::stream)
        .findFirst()
        .ifPresent(limits -> {
          RecentTraceStore s = new RecentTraceStore(limits.maxBytes(), limits.maxAge().toNanos(), System::nanoTime);
          storeTypes = s.workerTypeIndexes(types.names());
          store = s;
        });
    if (!wallClock) {
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "concurrency-connector-windows");
      t.setDaemon(true);
      return t;
    });
    scheduleNextClose();
  }

  /** Runs the next close when the next window is due: its end plus the allowed lateness. */
  private void scheduleNextClose() {
    if (stopped) {
      return;
    }
    long res = engine.resolution();
    long lateness = config.allowedLateness().toNanos();
    long now = clock.getAsLong();
    long nextDue = (Math.floorDiv(now - lateness, res) + 1) * res + lateness;
    long delay = Math.max(1_000_000L, nextDue - now);
    timer.schedule(() -> {
      try {
        closeDue();
      } catch (RuntimeException e) {
        log.error("closing concurrency windows failed", e);
      } finally {
        scheduleNextClose();
      }
    }, delay, TimeUnit.NANOSECONDS);
  }

  @Override
  public void consumeTraces(Traces traces) throws Refusal {
    Scratch s = scratch.get();
    SpanBatch batch = s.batch;
    SpanDecoder.Counts counts = s.counts;
    batch.clear();
    counts.clear();
    try {
      s.decoder.decode(traces.encoded(), batch, counts);
    } catch (MalformedDataException e) {
      batch.clear();
      throw Refusal.permanent("concurrency connector: " + e.getMessage(), e);
    }
    telemetry.unmatchedSpans(counts.unmatched);
    telemetry.droppedSpans(DropReason.MISSING_TIMESTAMP, counts.missingTimestamps);
    telemetry.droppedSpans(DropReason.END_BEFORE_START, counts.endBeforeStart);
    RecentTraceStore spansStore = store;
    if (batch.size == 0) {
      if (spansStore != null && batch.extentSize > 0) {
        spansStore.add(batch, storeTypes);
        batch.clear();
      }
      return;
    }
    if (wallClock) {
      long now = clock.getAsLong();
      long futureSpans = 0;
      for (int i = 0; i < batch.size; i++) {
        long lag = now - batch.ends[i];
        if (lag < -FUTURE_SKEW_NANOS) {
          futureSpans++;
        }
        telemetry.arrivalLag(lag);
      }
      telemetry.futureSpans(futureSpans);
    }
    engine.record(batch);
    if (spansStore != null) {
      spansStore.add(batch, storeTypes);
    }
    batch.clear();
    if (!wallClock && counts.maxEnd > maxEnd) {
      synchronized (this) {
        maxEnd = Math.max(maxEnd, counts.maxEnd);
      }
      closeDue();
    }
  }

  /** Closes the windows the watermark has passed and sends their points. */
  void closeDue() {
    if (!emitting.tryLock()) {
      return; // another thread is closing; the windows it misses close next time
    }
    try {
      long watermark = wallClock ? clock.getAsLong() : maxEnd;
      if (watermark == Long.MIN_VALUE) {
        return;
      }
      emit(engine.advance(watermark));
    } finally {
      emitting.unlock();
    }
  }

  private void emit(List<WindowPoint> points) {
    if (!listeners.isEmpty() && !points.isEmpty()) {
      List<GroupWindow> windows = groupWindows(points, true);
      for (WindowListener l : listeners) {
        try {
          l.windowsClosed(view, windows);
        } catch (RuntimeException e) {
          log.warn("the query extension failed to take closed windows", e);
        }
      }
    }
    ExportMetricsServiceRequest request = metrics.toRequest(points);
    if (request == null) {
      return;
    }
    Metrics batch = Metrics.of(request);
    try {
      next.consumeMetrics(batch);
    } catch (Refusal r) {
      telemetry.refusedPoints(batch.dataPointCount());
      log.warn("metrics pipeline refused {} concurrency data points: {}", batch.dataPointCount(), r.getMessage());
    } catch (RuntimeException e) {
      telemetry.refusedPoints(batch.dataPointCount());
      log.error("sending concurrency metrics failed", e);
    }
  }

  @Override
  public void shutdown() {
    stopped = true;
    if (timer != null) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    emitting.lock();
    try {
      // Every accepted span is reported, even in windows whose lateness has not run out.
      emit(engine.flush());
    } finally {
      emitting.unlock();
    }
    for (WindowListener l : listeners) {
      listeners.remove(l);
      l.detached(view);
    }
    telemetry.close();
  }

  ConcurrencyEngine engine() {
    return engine;
  }

  private List<GroupWindow> groupWindows(List<WindowPoint> points, boolean closed) {
    String[] names = types.names();
    Double[] capacities = types.capacities();
    List<GroupWindow> out = new java.util.ArrayList<>(points.size());
    for (WindowPoint p : points) {
      GroupKey key = p.key();
      java.util.Map<String, String> dims = new java.util.LinkedHashMap<>();
      for (int d = 0; d < key.dimensions.length; d++) {
        if (key.dimensions[d] != null) {
          dims.put(dimNames[d], key.dimensions[d]);
        }
      }
      double[] s = p.spans();
      out.add(new GroupWindow(
          names[key.workerType], java.util.Collections.unmodifiableMap(dims), key.overflow,
          capacities[key.workerType], p.windowStart(), p.windowEnd(), p.active(), p.activeMax(),
          p.busySeconds(), s[SpanBatch.STATUS_UNSET], s[SpanBatch.STATUS_OK], s[SpanBatch.STATUS_ERROR],
          p.bucketCounts(), p.lateSpans(), closed));
    }
    return out;
  }

  @Override
  public ConcurrencyView concurrency() {
    return view;
  }

  /** What readers (the query extension) see of this connector. */
  private final class View implements ConcurrencyView {
    @Override
    public String id() {
      return id;
    }

    @Override
    public List<WorkerTypeInfo> workerTypes() {
      return config.workerTypes().stream()
          .map(t -> new WorkerTypeInfo(t.name(), t.capacity(), t.match(), t.services()))
          .toList();
    }

    @Override
    public List<String> dimensions() {
      return List.of(dimNames);
    }

    @Override
    public Duration resolution() {
      return config.resolution();
    }

    @Override
    public Duration allowedLateness() {
      return config.allowedLateness();
    }

    @Override
    public double[] durationBoundsSeconds() {
      return config.durationBuckets().stream().mapToDouble(d -> d.toNanos() / 1e9).toArray();
    }

    @Override
    public int classify(String spanName, String serviceName) {
      return types.firstMatch(spanName, serviceName);
    }

    @Override
    public Optional<TraceStore> traceStore() {
      return Optional.ofNullable(store);
    }

    @Override
    public OpenWindows openWindows() {
      // Up to the window the watermark is in: with wall_clock now, with event_time the latest span
      // end. Windows further out hold spans from a skewed clock and would read as the future.
      long until = wallClock ? clock.getAsLong() : maxEnd;
      long closedUntil = engine.closedUntil();
      if (until == Long.MIN_VALUE) {
        return new OpenWindows(closedUntil, List.of());
      }
      return new OpenWindows(closedUntil, groupWindows(engine.openWindows(until), false));
    }

    @Override
    public void subscribe(WindowListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public String toString() {
      return id;
    }
  }

  @Override
  public String toString() {
    return "concurrency connector (traces → metrics, " + config.workerTypes().size() + " worker types)";
  }
}
