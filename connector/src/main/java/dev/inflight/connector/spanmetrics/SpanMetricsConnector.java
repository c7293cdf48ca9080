package dev.inflight.connector.spanmetrics;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.inflight.component.Host;
import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Refusal;
import dev.inflight.component.TracesConnector;
import dev.inflight.connector.spanmetrics.SpanMetricsConnectorConfig.Temporality;
import dev.inflight.connector.spanmetrics.SpanMetricsConnectorConfig.Timestamp;
import dev.inflight.pdata.MalformedDataException;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The {@code spanmetrics} connector: traces in, {@code calls}, {@code duration} and (optionally)
 * {@code events} metrics out, one resource metrics per span resource, every {@code
 * metrics_flush_interval}, as contrib's spanmetricsconnector.
 *
 * <p>Each request is decoded in place on the caller's thread into a per-thread {@link SpanBatch};
 * only adding the batch to the series holds the lock, and a span of an existing series allocates
 * nothing there. The flush timer builds the OTLP request under the same lock and sends it outside.
 */
public final class SpanMetricsConnector implements TracesConnector {
  static final String SCOPE = "spanmetricsconnector";
  static final String OVERFLOW = "otel.metric.overflow";

  private final SpanMetricsConnectorConfig config;
  private final MetricsConsumer next;
  private final Logger log;
  private final LongSupplier clock;
  private final SeriesLayout layout;
  private final boolean delta;
  private final boolean eventTime;
  private final double[] bounds;
  private final int exponentialMaxSize;
  private final int maxExemplars;
  private final double unitNanos;
  private final String callsName;
  private final String durationName;
  private final String eventsName;
  private final ThreadLocal<Scratch> scratch;

  private final Object lock = new Object();
  /** Resources by key, least recently seen first: beyond resource_metrics_cache_size the eldest goes. */
  private final LinkedHashMap<SeriesKey, ResourceState> resources;
  /** Delta: the time of each series' last point, the next point's start (metric_timestamp_cache_size). */
  private final LinkedHashMap<SeriesKey, Long> lastDeltaTimes;
  private final SeriesKey probe = new SeriesKey();

  private @Nullable ScheduledExecutorService timer;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private static final class Scratch {
    final SpanDecoder decoder;
    final SpanBatch batch = new SpanBatch();
    ResourceState[] resolved = new ResourceState[8];

    Scratch(SpanDecoder decoder) {
      this.decoder = decoder;
    }
  }

  /** One resource's series. */
  private static final class ResourceState {
    final SeriesKey key;
    final List<KeyValue> attributes;
    final Map<SeriesKey, Series> calls = new HashMap<>();
    final Map<SeriesKey, Series> events = new HashMap<>();
    /** Durations apart from calls: only with calls_dimensions or histogram.dimensions. */
    final Map<SeriesKey, Series> histograms = new HashMap<>();
    /** The overflow series of each SpanBatch kind, once the cardinality limit is reached. */
    final @Nullable Series[] overflow = new Series[3];
    long lastSeen;

    Map<SeriesKey, Series> map(byte kind) {
      return kind == SpanBatch.EVENT ? events : kind == SpanBatch.HISTOGRAM ? histograms : calls;
    }

    ResourceState(SeriesKey key, List<KeyValue> attributes) {
      this.key = key;
      this.attributes = attributes;
    }
  }

  /** @param clock epoch nanoseconds: arrival, flush and expiration times. Tests pass their own. */
  SpanMetricsConnector(SpanMetricsConnectorConfig config, MetricsConsumer next, Logger log, LongSupplier clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.next = Objects.requireNonNull(next, "next");
    this.log = log;
    this.clock = clock;
    this.layout =
new SeriesLayout(config);
    this.delta = config.aggregationTemporality() == Temporality.DELTA;
    this.eventTime = config.timestamp() == Timestamp.EVENT_TIME;
    this.unitNanos = config.histogram().unit().nanos;
    boolean histogram = !config.histogram().disable();
    this.exponentialMaxSize =
        histogram && config.histogram().exponential() != null ? config.histogram().exponential().maxSize() : 0;
    this.bounds =
        histogram && exponentialMaxSize == 0
            ? config.histogram().buckets().stream().mapToDouble(d -> d.toNanos() / unitNanos).toArray()
            : new double[0];
    Integer max = config.exemplars().maxPerDataPoint();
    this.maxExemplars = !config.exemplars().enabled() ? 0 : max == null ? Integer.MAX_VALUE : max;
    String prefix = config.namespace().isEmpty() ? "" : config.namespace() + ".";
    this.callsName = prefix + "calls";
    this.durationName = prefix + "duration";
    this.eventsName = prefix + "events";
    int resourceCap = config.resourceMetricsCacheSize();
    this.resources = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<SeriesKey, ResourceState> eldest) {
        return size() > resourceCap;
      }
    };
    int timesCap = config.metricTimestampCacheSize();
    this.lastDeltaTimes = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<SeriesKey, Long> eldest) {
        return size() > timesCap;
      }
    };
    this.scratch =
        ThreadLocal.withInitial(() -> new Scratch(new SpanDecoder(layout, config.resourceMetricsKeyAttributes())));
  }

  @Override
  public void start(Host host) {
    ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "spanmetrics-connector-flush");
      thread.setDaemon(true);
      return thread;
    });
    long every = config.metricsFlushInterval().toNanos();
    t.scheduleAtFixedRate(() -> {
      try {
        flush();
      } catch (RuntimeException e) {
        log.error("flushing span metrics failed", e);
      }
    }, every, every, TimeUnit.NANOSECONDS);
    timer = t;
  }

  @Override
  public void consumeTraces(Traces traces) throws Refusal {
    Scratch s = scratch.get();
    SpanBatch batch = s.batch;
    batch.clear();
    byte[] buf = traces.encoded();
    try {
      s.decoder.decode(buf, batch);
    } catch (MalformedDataException e) {
      throw Refusal.permanent("spanmetrics connector: " + e.getMessage(), e);
    }
    if (batch.size == 0) {
      return;
    }
    long now = clock.getAsLong();
    if (s.resolved.length < batch.resources) {
      s.resolved = new ResourceState[batch.resources];
    }
    synchronized (lock) {
      for (int r = 0; r < batch.resources; r++) {
        s.resolved[r] = resource(buf, batch, r, now);
      }
      for (int i = 0; i < batch.size; i++) {
        record(buf, batch, i, s.resolved[batch.resource[i]], now);
      }
    }
    java.util.Arrays.fill(s.resolved, 0, batch.resources, null);
  }

  private ResourceState resource(byte[] buf, SpanBatch batch, int r, long now) {
    probe.set(batch.keys, batch.resourceKeyOff[r], batch.resourceKeyLen[r]);
    ResourceState state = resources.get(probe);
    if (state == null) {
      List<KeyValue> attributes = List.of();
      if (batch.resourceLen[r] >= 0) {
        try {
          attributes = Resource.parseFrom(ByteString.copyFrom(buf, batch.resourceOff[r], batch.resourceLen[r]))
              .getAttributesList();
        } catch (InvalidProtocolBufferException e) {
          throw new MalformedDataException("a resource the decoder walked did not parse", e);
        }
      }
      SeriesKey key = new SeriesKey(probe);
      state = new ResourceState(key, attributes);
      resources.put(key, state);
    }
    state.lastSeen = now;
    return state;
  }

  private void record(byte[] buf, SpanBatch batch, int i, ResourceState res, long now) {
    byte kind = batch.kind[i];
    Map<SeriesKey, Series> map = res.map(kind);
    probe.set(batch.keys, batch.keyOff[i], batch.keyLen[i]);
    long end = batch.endTime[i];
    Series series = map.get(probe);
    if (series == null) {
      int limit = config.aggregationCardinalityLimit();
      if (limit > 0 && map.size() >= limit) {
        series = res.overflow[kind];
        if (series == null) {
          series = newSeries(res, kind, null, List.of(overflowAttribute()), now, end);
          res.overflow[kind] = series;
        }
      } else {
        SeriesKey key = new SeriesKey(probe);
        series = newSeries(res, kind, key, layout.attributes(key.bytes, 0, key.len, metric(kind)), now, end);
        map.put(key, series);
      }
    }
    series.calls++;
    double duration = batch.durationNanos[i] / unitNanos;
    if (hasHistogram(kind)) {
      series.observe(bounds, duration);
    }
    if (end > series.lastEnd) {
      series.lastEnd = end;
    }
    if (maxExemplars > 0 && batch.traceIdOff[i] >= 0) {
      int t = batch.traceIdOff[i];
      int sp = batch.spanIdOff[i];
      series.addExemplar(longAt(buf, t), longAt(buf, t + 8), sp >= 0 ? longAt(buf, sp) : 0, duration,
          eventTime ? end : 0, maxExemplars);
    }
  }

  /** Whether series of this kind hold durations: calls do unless calls and durations are keyed apart. */
  private boolean hasHistogram(byte kind) {
    boolean histogram = bounds.length > 0 || exponentialMaxSize > 0;
    return histogram && (kind == SpanBatch.HISTOGRAM || (kind == SpanBatch.CALL && !layout.split));
  }

  private static SeriesLayout.Kind metric(byte kind) {
    return kind == SpanBatch.EVENT ? SeriesLayout.Kind.EVENTS
        : kind == SpanBatch.HISTOGRAM ? SeriesLayout.Kind.HISTOGRAM : SeriesLayout.Kind.CALLS;
  }

  private Series newSeries(ResourceState res, byte kind, @Nullable SeriesKey key, List<KeyValue> attributes,
      long now, long end) {
    long start = eventTime ? end : now;
    if (delta) {
      Long last = lastDeltaTimes.get(deltaKey(res, kind, key));
      if (last != null) {
        start = last;
      }
    }
    boolean histogram = hasHistogram(kind);
    return new Series(key, attributes, start, histogram && bounds.length > 0 ? bounds.length + 1 : 0,
        histogram ? exponentialMaxSize : 0);
  }

  /** The resource, the metric and the series: what a delta start time is remembered under. */
  private static SeriesKey deltaKey(ResourceState res, byte kind, @Nullable SeriesKey key) {
    int len = res.key.len + 1 + (key == null ? 0 : key.len);
    byte[] b = new byte[len];
    System.arraycopy(res.key.bytes, res.key.off, b, 0, res.key.len);
    b[res.key.len] = (byte) (kind + (key == null ? 8 : 0));
    if (key != null) {
      System.arraycopy(key.bytes, key.off, b, res.key.len + 1, key.len);
    }
    return new SeriesKey().set(b, 0, len);
  }

  /** Emits every series (cumulative) or those with spans since the last flush (delta). */
  void flush() {
    ExportMetricsServiceRequest request;
    synchronized (lock) {
      request = build(clock.getAsLong());
    }
    if (request.getResourceMetricsCount() == 0) {
      return;
    }
    Metrics metrics = Metrics.of(request);
    try {
      next.consumeMetrics(metrics);
    } catch (Refusal r) {
      log.warn("metrics pipeline refused {} span metrics data points: {}", metrics.dataPointCount(), r.getMessage());
    } catch (RuntimeException e) {
      log.error("sending span metrics failed", e);
    }
  }

  private ExportMetricsServiceRequest build(long now) {
    ExportMetricsServiceRequest.Builder out = ExportMetricsServiceRequest.newBuilder();
    long expiration = config.metricsExpiration().toNanos();
    AggregationTemporality temporality =
        delta ? AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA : AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
    Iterator<ResourceState> it = resources.values().iterator();
    while (it.hasNext()) {
      ResourceState res = it.next();
      if (!delta && expiration > 0 && now - res.lastSeen >= expiration) {
        it.remove(); // as contrib: expired before it is built, so its last points are not sent again
        continue;
      }
      List<Series> calls = series(res.calls, res.overflow[SpanBatch.CALL]);
      List<Series> events = series(res.events, res.overflow[SpanBatch.EVENT]);
      List<Series> histograms = layout.split ? series(res.histograms, res.overflow[SpanBatch.HISTOGRAM]) : calls;
      if (calls.isEmpty() && events.isEmpty()) {
        continue;
      }
      ScopeMetrics.Builder scope = ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName(SCOPE));
      Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true).setAggregationTemporality(temporality);
      for (Series s : calls) {
        NumberDataPoint.Builder p = NumberDataPoint.newBuilder().addAllAttributes(s.attributes)
            .setStartTimeUnixNano(s.startTime).setTimeUnixNano(time(s, now)).setAsInt(s.calls);
        addExemplars(s, now, p::addExemplars);
        sum.addDataPoints(p);
      }
      scope.addMetrics(Metric.newBuilder().setName(callsName).setSum(sum));
      if (bounds.length > 0) {
        Histogram.Builder h = Histogram.newBuilder().setAggregationTemporality(temporality);
        for (Series s : histograms) {
          HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder().addAllAttributes(s.attributes)
              .setStartTimeUnixNano(s.startTime).setTimeUnixNano(time(s, now))
              .setCount(s.histogramCount).setSum(s.sum);
          for (double b : bounds) {
            p.addExplicitBounds(b);
          }
          for (long c : s.buckets) {
            p.addBucketCounts(c);
          }
          addExemplars(s, now, p::addExemplars);
          h.addDataPoints(p);
        }
        scope.addMetrics(Metric.newBuilder().setName(durationName).setUnit(config.histogram().unit().symbol).setHistogram(h));
      } else if (exponentialMaxSize > 0) {
        ExponentialHistogram.Builder h = ExponentialHistogram.newBuilder().setAggregationTemporality(temporality);
        for (Series s : histograms) {
          ExponentialHistogramDataPoint.Builder p = ExponentialHistogramDataPoint.newBuilder()
              .addAllAttributes(s.attributes).setStartTimeUnixNano(s.startTime).setTimeUnixNano(time(s, now));
          s.exponential.writeTo(p);
          addExemplars(s, now, p::addExemplars);
          h.addDataPoints(p);
        }
        scope.addMetrics(Metric.newBuilder().setName(durationName).setUnit(config.histogram().unit().symbol)
            .setExponentialHistogram(h));
      }
      if (layout.events) {
        Sum.Builder ev = Sum.newBuilder().setIsMonotonic(true).setAggregationTemporality(temporality);
        for (Series s : events) {
          NumberDataPoint.Builder p = NumberDataPoint.newBuilder().addAllAttributes(s.attributes)
              .setStartTimeUnixNano(s.startTime).setTimeUnixNano(time(s, now)).setAsInt(s.calls);
          addExemplars(s, now, p::addExemplars);
          ev.addDataPoints(p);
        }
        scope.addMetrics(Metric.newBuilder().setName(eventsName).setSum(ev));
      }
      out.addResourceMetrics(ResourceMetrics.newBuilder()
          .setResource(Resource.newBuilder().addAllAttributes(res.attributes)).addScopeMetrics(scope));
      if (delta) {
        for (Series s : calls) {
          lastDeltaTimes.put(deltaKey(res, SpanBatch.CALL, s.key), time(s, now));
        }
        for (Series s : events) {
          lastDeltaTimes.put(deltaKey(res, SpanBatch.EVENT, s.key), time(s, now));
        }
        if (layout.split) {
          for (Series s : histograms) {
            lastDeltaTimes.put(deltaKey(res, SpanBatch.HISTOGRAM, s.key), time(s, now));
          }
        }
      } else {
        // Exemplars belong to one flush.
        calls.forEach(s -> s.exemplars = 0);
        events.forEach(s -> s.exemplars = 0);
        histograms.forEach(s -> s.exemplars = 0);
      }
    }
    if (delta) {
      resources.clear(); // as contrib: delta state starts empty after each flush
    }
    return out.build();
  }

  private static List<Series> series(Map<SeriesKey, Series> map, @Nullable Series overflow) {
    List<Series> out = new ArrayList<>(map.size() + 1);
    out.addAll(map.values());
    if (overflow != null) {
      out.add(overflow);
    }
    return out;
  }

  /** A point's time: the flush (contrib) or the series' latest span end, never before its start. */
  private long time(Series s, long now) {
    return eventTime ? Math.max(s.lastEnd, s.startTime) : now;
  }

  private void addExemplars(Series s, long now, java.util.function.Consumer<Exemplar> add) {
    for (int i = 0; i < s.exemplars; i++) {
      add.accept(Exemplar.newBuilder()
          .setTraceId(ids(s.exTraceHi[i], s.exTraceLo[i]))
          .setSpanId(id(s.exSpanId[i]))
          .setTimeUnixNano(eventTime ? s.exTime[i] : now)
          .setAsDouble(s.exValue[i])
          .build());
    }
  }

  private static ByteString ids(long hi, long lo) {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (hi >>> (56 - 8 * i));
      b[8 + i] = (byte) (lo >>> (56 - 8 * i));
    }
    return ByteString.copyFrom(b);
  }

  private static ByteString id(long v) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (v >>> (56 - 8 * i));
    }
    return ByteString.copyFrom(b);
  }

  private static long longAt(byte[] buf, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[off + i] & 0xff);
    }
    return v;
  }

  private static KeyValue overflowAttribute() {
    return KeyValue.newBuilder().setKey(OVERFLOW).setValue(AnyValue.newBuilder().setBoolValue(true)).build();
  }

  @Override
  public void shutdown() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    ScheduledExecutorService t = timer;
    if (t != null) {
      t.shutdownNow();
      try {
        t.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "spanmetrics connector (traces → metrics, every " + config.metricsFlushInterval() + ")";
  }

}
