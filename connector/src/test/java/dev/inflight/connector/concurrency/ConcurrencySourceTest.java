package dev.inflight.connector.concurrency;

import dev.inflight.connector.concurrency.ConcurrencyConnectorTest.Point;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.Dimension;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.Watermark;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.WorkerType;
import dev.inflight.component.concurrency.GroupWindow;
import dev.inflight.component.concurrency.ConcurrencySource;
import dev.inflight.component.concurrency.ConcurrencyView;
import dev.inflight.component.concurrency.TraceStore;
import dev.inflight.component.concurrency.TraceStore.StoredSpan;
import dev.inflight.component.concurrency.TraceStore.TraceSnapshot;
import dev.inflight.component.concurrency.TraceStoreReader;
import dev.inflight.component.concurrency.WindowListener;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.Extension;
import dev.inflight.component.Host;
import dev.inflight.pdata.Traces;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A real connector started with a host whose extensions include a {@link TraceStoreReader} that
 * subscribes to the connector's windows (a recording one: the SPI's other side, as the query
 * extension implements it), so the connector keeps a real {@link RecentTraceStore}. OTLP requests
 * go in encoded, as the pipeline sends them; what the listener is
 * given is compared with the request contents and with the metrics the connector exported for the
 * same windows.
 */
class ConcurrencySourceTest extends ConnectorTestBase {
  private static final String ID = "concurrency/query";

  private static final WorkerType PAYMENT = new WorkerType("payment_workers", List.of("pay*"), 2.0, List.of("payments"));
  private static final List<Dimension> DIMS = List.of(new Dimension("service.name", null), new Dimension("tenant", "none"));

  /** The reader side of the SPI, recording what it is told. */
  static final class RecordingListener implements Extension, TraceStoreReader, WindowListener {
    final Limits limits;
    final List<ConcurrencyView> attached = new CopyOnWriteArrayList<>();
    final List<List<GroupWindow>> calls = new CopyOnWriteArrayList<>();
    final List<ConcurrencyView> detached = new CopyOnWriteArrayList<>();
    boolean fail;

    /** @param limits the store it asks the connectors for; null for none */
    RecordingListener(Limits limits) {
      this.limits = limits;
    }

    @Override
    public Optional<Limits> traceStoreLimits() {
      return Optional.ofNullable(limits);
    }

    /** As the query extension does when it starts, before the connectors. */
    @Override
    public void start(Host host) {
      for (ConcurrencySource source : host.components(ConcurrencySource.class)) {
        attached.add(source.concurrency());
        source.concurrency().subscribe(this);
      }
    }

    @Override
    public void windowsClosed(ConcurrencyView connector, List<GroupWindow> windows) {
      assertThat(connector).isSameAs(attached.get(0));
      calls.add(List.copyOf(windows));
      if (fail) {
        throw new IllegalStateException("the listener failed");
      }
    }

    @Override
    public void detached(ConcurrencyView connector) {
      detached.add(connector);
    }

    List<GroupWindow> windows() {
      return calls.stream().flatMap(List::stream).toList();
    }
  }

  /** Starts the extensions with a host that has {@code connector}, as the service does: extensions first. */
  private static Host start(ConcurrencyConnector connector, Extension... extensions) throws Exception {
    Map<ComponentId, Extension> map = new LinkedHashMap<>();
    for (int i = 0; i < extensions.length; i++) {
      map.put(ComponentId.of("ext" + i), extensions[i]);
    }
    Host host = new Host() {
      @Override
      public Map<ComponentId, Extension> extensions() {
        return map;
      }

      @Override
      public <T> List<T> components(Class<T> type) {
        return type.isInstance(connector) ? List.of(type.cast(connector)) : List.of();
      }
    };
    for (Extension e : extensions) {
      e.start(host);
    }
    connector.start(host);
    return host;
  }

  private ConcurrencyConnector connector(String id, int maxGroups) {
    ConcurrencyConnectorConfig config = ConcurrencyConnectorConfig.of(List.of(ACCOUNT, STORAGE, PAYMENT))
        .withResolution(Duration.ofSeconds(1))
        .withAllowedLateness(Duration.ofSeconds(2))
        .withWatermark(Watermark.EVENT_TIME)
        .withDimensions(DIMS)
        .withMaxGroups(maxGroups)
        .withIdleExpiration(Duration.ofSeconds(3));
    return new ConcurrencyConnector(
        id, config, sink, telemetry.settings(ComponentKind.CONNECTOR, id).telemetry(), LoggerFactory.getLogger("test"),
        new AtomicLong()::get);
  }

  // ---- requests -------------------------------------------------------------------------------

  record Id(long hi, long lo) {}

  private static final Id A = new Id(0x0102030405060708L, 0x090a0b0c0d0e0f10L);
  private static final Id B = new Id(0xfedcba9876543210L, 0x1L);
  private static final Id C = new Id(0, 0xc);
  private static final Id D = new Id(0xd, 0);
  private static final Id E = new Id(0xe, 0xe);

  private static ByteString bytes(long... halves) {
    ByteBuffer b = ByteBuffer.allocate(8 * halves.length); // big-endian, as the hex form reads
    for (long h : halves) {
      b.putLong(h);
    }
    return ByteString.copyFrom(b.array());
  }

  private static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  private static Span span(Id trace, long spanId, long parent, String name, long start, long end, StatusCode status) {
    Span.Builder b = Span.newBuilder()
        .setTraceId(trace == null ? ByteString.copyFrom(new byte[16]) : bytes(trace.hi(), trace.lo()))
        .setSpanId(bytes(spanId))
        .setName(name)
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(end)
        .addAttributes(attr("noise", "x".repeat(20)))
        .setStatus(Status.newBuilder().setCode(status));
    if (parent != 0) {
      b.setParentSpanId(bytes(parent));
    }
    return b.build();
  }

  private static ResourceSpans resource(String service, String tenant, Span... spans) {
    Resource.Builder r = Resource.newBuilder();
    if (service != null) {
      r.addAttributes(attr("service.name", service));
    }
    if (tenant != null) {
      r.addAttributes(attr("tenant", tenant));
    }
    return ResourceSpans.newBuilder().setResource(r).addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans))).build();
  }

  private static Traces traces(ResourceSpans... rs) {
    return Traces.of(ExportTraceServiceRequest.newBuilder().addAllResourceSpans(List.of(rs)).build());
  }

  private static final StatusCode OK = StatusCode.STATUS_CODE_OK;
  private static final StatusCode ERROR = StatusCode.STATUS_CODE_ERROR;
  private static final StatusCode UNSET = StatusCode.STATUS_CODE_UNSET;

  /** Matched and unmatched spans of five traces over four requests; the unmatched are counted. */
  private static final List<Traces> REQUESTS = List.of(
      traces(
          resource("checkout", "t1",
              span(A, 11, 10, "account worker 1", T0 + 100 * MS, T0 + 400 * MS, OK),
              span(A, 12, 10, "storage write", T0 + 200 * MS, T0 + 250 * MS, ERROR),
              span(B, 21, 20, "account worker 2", T0 + 300 * MS, T0 + 1300 * MS, UNSET),
              span(C, 30, 0, "GET /c", T0 + 50 * MS, T0 + 2 * S, UNSET), // C's root, before any worker span of C
              span(null, 99, 0, "account worker 9", T0 + 100 * MS, T0 + 200 * MS, OK)), // no trace id
          resource("payments", null,
              span(B, 22, 20, "pay card", T0 + 400 * MS, T0 + 600 * MS, OK))),
      traces(
          resource(null, null,
              span(A, 13, 10, "blob write", T0 + 700 * MS, T0 + 1700 * MS, UNSET),
              span(C, 31, 30, "account worker 3", T0 + 500 * MS, T0 + 800 * MS, ERROR))),
      traces( // unmatched only: A's root after its children; a payment span of a service it does not accept
          resource("checkout", "t1",
              span(A, 10, 0, "GET /a", T0, T0 + 2500 * MS, UNSET),
              span(B, 23, 20, "pay card", T0 + 250 * MS, T0 + 1400 * MS, UNSET),
              span(E, 50, 0, "GET /e", T0, T0 + S, UNSET))),
      traces(
          resource("billing", "t2",
              span(D, 41, 40, "account worker 4", T0 + 2 * S, T0 + 3500 * MS, OK),
              span(D, 42, 40, "storage read", T0 + 2100 * MS, T0 + 2200 * MS, OK))));
  private static final int UNMATCHED = 4;

  // ---- reading metrics ------------------------------------------------------------------------

  private List<Point> points() {
    return ConcurrencyConnectorTest.points(received);
  }

  /** The exported point of {@code metric} for this group at this window end. */
  private static Point point(List<Point> points, String metric, Map<String, String> attributes, long time) {
    List<Point> found = points.stream()
        .filter(p -> p.metric().equals(metric) && p.attributes().equals(attributes) && p.time() == time)
        .toList();
    assertThat(found).as("%s %s at %d", metric, attributes, time).hasSize(1);
    return found.get(0);
  }

  /**
   * Every closed window the listener got is exactly one exported window, number for number, and
   * every exported window reached the listener.
   */
  private void assertWindowsEqualExportedMetrics(List<GroupWindow> windows) {
    List<Point> points = points();
    Map<String, Double> capacities = Map.of("account_workers", 8.0, "payment_workers", 2.0);
    for (GroupWindow w : windows) {
      Map<String, String> group = new LinkedHashMap<>();
      group.put("worker.type", w.workerType());
      if (w.overflow()) {
        assertThat(w.dimensions()).isEmpty();
        group.put("otel.metric.overflow", "true");
      }
      group.putAll(w.dimensions());
      long end = w.windowEndNanos();
      assertThat(end - w.windowStartNanos()).isEqualTo(S);
      assertThat(w.capacity()).isEqualTo(capacities.get(w.workerType()));

      Point active = point(points, "workers.active", group, end);
      assertThat(active.start()).isEqualTo(w.windowStartNanos());
      assertThat(w.active()).isEqualTo(active.value());
      assertThat(w.activeMax()).isEqualTo(point(points, "workers.active.max", group, end).value());
      assertThat(w.busySeconds()).isEqualTo(point(points, "workers.busy_time", group, end).value());
      assertThat(w.lateSpans()).isEqualTo(point(points, "workers.late_spans", group, end).value());
      double[] byStatus = {w.spansUnset(), w.spansOk(), w.spansError()};
      for (int s = 0; s < 3; s++) {
        Map<String, String> withStatus = new LinkedHashMap<>(group);
        withStatus.put("status", ConcurrencyMetrics.STATUS_VALUES[s]);
        assertThat(byStatus[s]).as("%s spans %s at %d", group, withStatus.get("status"), end)
            .isEqualTo(point(points, "workers.spans", withStatus, end).value());
      }
      HistogramDataPoint h = point(points, "workers.duration", group, end).histogram();
      assertThat(w.bucketCounts()).hasSize(h.getBucketCountsCount());
      for (int b = 0; b < w.bucketCounts().length; b++) {
        assertThat(w.bucketCounts()[b]).isEqualTo((double) h.getBucketCounts(b));
      }
      assertThat(w.spansTotal()).isEqualTo((double) h.getCount());
      if (w.capacity() != null) {
        assertThat(point(points, "workers.utilization", group, end).value()).isEqualTo(w.active() / w.capacity());
      }
    }
    assertThat(windows).as("one closed window per exported window")
        .hasSameSizeAs(points.stream().filter(p -> p.metric().equals("workers.active")).toList());
    // In window order per group.
    Map<String, Long> lastEnd = new HashMap<>();
    for (GroupWindow w : windows) {
      String key = w.workerType() + w.dimensions() + w.overflow();
      Long prev = lastEnd.put(key, w.windowEndNanos());
      if (prev != null) {
        assertThat(w.windowEndNanos()).isGreaterThan(prev);
      }
    }
  }

  private static StoredSpan stored(long spanId, long parent, String name, String type, long start, long end, int status) {
    return new StoredSpan(spanId, parent, name, type, start, end, status);
  }

  private static TraceSnapshot get(TraceStore store, Id id) {
    return store.get(id.hi(), id.lo()).orElseThrow(() -> new AssertionError("no trace " + id));
  }

  // ---- tests ----------------------------------------------------------------------------------

  @Test
  void theListenerGetsTheMatchedSpansTheirTracesExtentsAndEveryClosedWindow() throws Exception {
    RecordingListener listener = new RecordingListener(new TraceStoreReader.Limits(1 << 20, Duration.ofMinutes(5)));
    ConcurrencyConnector c = connector(ID, 3); // 3 groups, then overflow
    start(c, new Extension() {}, listener);

    assertThat(listener.attached).hasSize(1);
    ConcurrencyView view = listener.attached.get(0);
    TraceStore store = view.traceStore().orElseThrow();
    assertThat(store).isInstanceOf(RecentTraceStore.class);
    assertThat(store.stats().maxBytes()).isEqualTo(1 << 20);
    assertThat(store.stats().maxAgeNanos()).isEqualTo(Duration.ofMinutes(5).toNanos());
    assertThat(view.id()).isEqualTo(ID);
    assertThat(view.workerTypes()).containsExactly(
        new ConcurrencyView.WorkerTypeInfo("account_workers", 8.0, List.of("account worker*"), List.of()),
        new ConcurrencyView.WorkerTypeInfo("storage_workers", null, List.of("storage*", "blob write"), List.of()),
        new ConcurrencyView.WorkerTypeInfo("payment_workers", 2.0, List.of("pay*"), List.of("payments")));
    assertThat(view.dimensions()).containsExactly("service.name", "tenant");
    assertThat(view.resolution()).isEqualTo(Duration.ofSeconds(1));
    assertThat(view.allowedLateness()).isEqualTo(Duration.ofSeconds(2));
    assertThat(view.durationBoundsSeconds()).containsExactly(
        ConcurrencyConnectorConfig.DEFAULT_DURATION_BUCKETS.stream().mapToDouble(d -> d.toNanos() / 1e9).toArray());
    assertThat(view.classify("account worker 7", null)).isEqualTo(0);
    assertThat(view.classify("blob write", "x")).isEqualTo(1);
    assertThat(view.classify("pay card", "payments")).isEqualTo(2);
    assertThat(view.classify("pay card", "checkout")).isEqualTo(-1);
    assertThat(view.classify("GET /", "checkout")).isEqualTo(-1);

    c.consumeTraces(REQUESTS.get(0));
    assertThat(store.get(C.hi(), C.lo())).as("an unmatched root alone makes no trace").isEmpty();
    assertThat(get(store, A)).extracting(TraceSnapshot::startNanos, TraceSnapshot::endNanos)
        .containsExactly(T0 + 100 * MS, T0 + 400 * MS);
    c.consumeTraces(REQUESTS.get(1));
    assertThat(get(store, A)).extracting(TraceSnapshot::startNanos, TraceSnapshot::endNanos)
        .containsExactly(T0 + 100 * MS, T0 + 1700 * MS);
    assertThat(get(store, B)).extracting(TraceSnapshot::startNanos, TraceSnapshot::endNanos)
        .containsExactly(T0 + 300 * MS, T0 + 1300 * MS);
    c.consumeTraces(REQUESTS.get(2));
    c.consumeTraces(REQUESTS.get(3));
    assertThat(listener.calls).as("windows closed as the watermark passed them").isNotEmpty();
    int before = listener.calls.size();
    c.shutdown();
    assertThat(listener.calls.size()).as("the flush at shutdown").isGreaterThan(before);

    TraceSnapshot a = get(store, A);
    assertThat(a.traceIdHigh()).isEqualTo(A.hi());
    assertThat(a.traceIdLow()).isEqualTo(A.lo());
    assertThat(a.spans()).containsExactly(
        stored(11, 10, "account worker 1", "account_workers", T0 + 100 * MS, T0 + 400 * MS, SpanBatch.STATUS_OK),
        stored(12, 10, "storage write", "storage_workers", T0 + 200 * MS, T0 + 250 * MS, SpanBatch.STATUS_ERROR),
        stored(13, 10, "blob write", "storage_workers", T0 + 700 * MS, T0 + 1700 * MS, SpanBatch.STATUS_UNSET));
    assertThat(a.startNanos()).as("the root, arriving after its children, widens the trace").isEqualTo(T0);
    assertThat(a.endNanos()).isEqualTo(T0 + 2500 * MS);

    TraceSnapshot b = get(store, B);
    assertThat(b.spans()).containsExactly(
        stored(21, 20, "account worker 2", "account_workers", T0 + 300 * MS, T0 + 1300 * MS, SpanBatch.STATUS_UNSET),
        stored(22, 20, "pay card", "payment_workers", T0 + 400 * MS, T0 + 600 * MS, SpanBatch.STATUS_OK));
    assertThat(b.startNanos()).as("a span its service keeps from a worker type is unmatched").isEqualTo(T0 + 250 * MS);
    assertThat(b.endNanos()).isEqualTo(T0 + 1400 * MS);

    TraceSnapshot cc = get(store, C);
    assertThat(cc.spans()).containsExactly(
        stored(31, 30, "account worker 3", "account_workers", T0 + 500 * MS, T0 + 800 * MS, SpanBatch.STATUS_ERROR));
    assertThat(cc.startNanos()).as("its root came before any worker span: not remembered").isEqualTo(T0 + 500 * MS);
    assertThat(cc.endNanos()).isEqualTo(T0 + 800 * MS);

    TraceSnapshot d = get(store, D);
    assertThat(d.spans()).containsExactly(
        stored(41, 40, "account worker 4", "account_workers", T0 + 2 * S, T0 + 3500 * MS, SpanBatch.STATUS_OK),
        stored(42, 40, "storage read", "storage_workers", T0 + 2100 * MS, T0 + 2200 * MS, SpanBatch.STATUS_OK));
    assertThat(store.get(E.hi(), E.lo())).as("a trace of unmatched spans only").isEmpty();
    TraceStore.Stats st = store.stats();
    assertThat(st.traces()).isEqualTo(4);
    assertThat(st.spans()).isEqualTo(8);
    assertThat(st.droppedSpans()).as("the span without a trace id").isEqualTo(1);

    List<GroupWindow> windows = listener.windows();
    assertWindowsEqualExportedMetrics(windows);
    assertThat(windows).anyMatch(GroupWindow::overflow);
    assertThat(windows).anyMatch(w -> w.dimensions().equals(Map.of("service.name", "checkout", "tenant", "t1")));
    assertThat(windows).anyMatch(w -> w.dimensions().equals(Map.of("service.name", "payments", "tenant", "none")));
    // Every matched span, the one without a trace id too, is counted once.
    Map<String, Double> lastTotal = new HashMap<>();
    for (GroupWindow w : windows) {
      lastTotal.put(w.workerType() + w.dimensions() + w.overflow(), w.spansTotal());
    }
    assertThat(lastTotal.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(9.0);
    assertThat(telemetry.await("inflight_connector_concurrency_unmatched_spans_total", Map.of("connector", ID), UNMATCHED))
        .isEqualTo(UNMATCHED);

    assertThat(listener.detached).containsExactly(view);
    c.shutdown(); // idempotent: not told twice
    assertThat(listener.detached).hasSize(1);
  }

  @Test
  void aListenerWithoutAStoreStillGetsEveryClosedWindow() throws Exception {
    RecordingListener listener = new RecordingListener(null);
    ConcurrencyConnector c = connector(ID, 1000);
    start(c, listener);
    assertThat(c.concurrency().traceStore()).as("no reader asked for one").isEmpty();
    for (Traces t : REQUESTS) {
      c.consumeTraces(t);
    }
    c.shutdown();

    assertThat(listener.attached).hasSize(1);
    List<GroupWindow> windows = listener.windows();
    assertThat(windows).isNotEmpty().noneMatch(GroupWindow::overflow);
    // A resource without service.name: the dimension is absent, not null or empty.
    assertThat(windows).anyMatch(w -> w.workerType().equals("storage_workers") && w.dimensions().equals(Map.of("tenant", "none")));
    assertWindowsEqualExportedMetrics(windows);
    assertThat(listener.detached).hasSize(1);
  }

  /**
   * What a reader sees before the windows close: the open windows as the spans so far give them,
   * marked provisional, each equal to the window it closes as when no more spans arrive; nothing
   * read is exported.
   */
  @Test
  void openWindowsAreWhatTheWindowsCloseWithWhenNoMoreSpansArrive() throws Exception {
    RecordingListener listener = new RecordingListener(null);
    ConcurrencyConnector c = connector(ID, 1000);
    start(c, listener);
    assertThat(c.concurrency().openWindows().windows()).as("before any span").isEmpty();
    for (Traces t : REQUESTS) {
      c.consumeTraces(t);
    }
    int exported = points().size();
    ConcurrencyView.OpenWindows open = c.concurrency().openWindows();
    assertThat(open.windows()).isNotEmpty().noneMatch(GroupWindow::closed);
    assertThat(c.concurrency().openWindows().windows()).as("a second read").hasSameSizeAs(open.windows());
    assertThat(points()).as("reading open windows exports nothing").hasSize(exported);
    c.shutdown(); // closes every window with data: the final numbers

    Map<String, GroupWindow> finals = new HashMap<>();
    for (GroupWindow w : listener.windows()) {
      assertThat(w.closed()).isTrue();
      finals.put(w.workerType() + w.dimensions() + w.windowStartNanos(), w);
    }
    for (GroupWindow p : open.windows()) {
      assertThat(p.windowStartNanos()).as("open windows end after the closed boundary")
          .isGreaterThanOrEqualTo(open.closedUntilNanos());
      GroupWindow f = finals.get(p.workerType() + p.dimensions() + p.windowStartNanos());
      assertThat(f).as("the final window of %s", p).isNotNull();
      assertThat(p.active()).isEqualTo(f.active());
      assertThat(p.activeMax()).isEqualTo(f.activeMax());
      assertThat(p.spansTotal()).isEqualTo(f.spansTotal());
      assertThat(p.spansError()).isEqualTo(f.spansError());
      assertThat(p.busySeconds()).isEqualTo(f.busySeconds());
      assertThat(p.bucketCounts()).containsExactly(f.bucketCounts());
    }
  }

  @Test
  void aFailingListenerDoesNotStopTheMetrics() throws Exception {
    RecordingListener listener = new RecordingListener(new TraceStoreReader.Limits(1 << 20, Duration.ofSeconds(1)));
    listener.fail = true;
    ConcurrencyConnector c = connector(ID, 1000);
    start(c, listener);
    for (Traces t : REQUESTS) {
      c.consumeTraces(t);
    }
    c.shutdown();

    assertThat(listener.calls).isNotEmpty();
    assertWindowsEqualExportedMetrics(listener.windows());
    assertThat(listener.detached).hasSize(1);
  }

  /**
   * The default dimensions ({@code service.name}) with a worker type that filters on services: the
   * filter reads the resource's service.name too (it used to get a slot of its own that no
   * attribute ever filled, so such a type matched nothing).
   */
  @Test
  void aServiceFilterAppliesWhenServiceNameIsAlsoADimension() throws Exception {
    ConcurrencyConnectorConfig config = ConcurrencyConnectorConfig.of(List.of(PAYMENT, ACCOUNT))
        .withResolution(Duration.ofSeconds(1))
        .withAllowedLateness(Duration.ofSeconds(2))
        .withWatermark(Watermark.EVENT_TIME);

    assertThat(config.dimensions()).extracting(Dimension::name).containsExactly("service.name");
    ConcurrencyConnector c = new ConcurrencyConnector(
        ID, config, sink, telemetry.settings(ComponentKind.CONNECTOR, ID).telemetry(), LoggerFactory.getLogger("test"),
        new AtomicLong()::get);
    start(c);
    Span onSpanOnly = span(A, 3, 0, "pay later", T0, T0 + 100 * MS, OK).toBuilder()
        .addAttributes(attr("service.name", "payments")).build();
    c.consumeTraces(traces(
        resource("payments", null, span(A, 1, 0, "pay card", T0, T0 + 500 * MS, OK)),
        resource("checkout", null, span(A, 2, 0, "pay card", T0, T0 + 500 * MS, OK)),
        resource(null, null, onSpanOnly)));
    c.shutdown();

    List<Point> max = points().stream().filter(p -> p.metric().equals("workers.active.max")).toList();
    assertThat(max).extracting(Point::attributes).containsExactlyInAnyOrder(
        Map.of("worker.type", "payment_workers", "service.name", "payments"));
    // The filter reads the resource only; the span's own service.name still fills the dimension
    // where the resource has none, but does not make the span a payment worker.
    assertThat(telemetry.await("inflight_connector_concurrency_unmatched_spans_total", Map.of("connector", ID), 2))
        .isEqualTo(2);
  }

  /** Reading ids, names and extents changes nothing the connector counts. */
  @Test
  void decodingForTheStoreChangesNoMetric() throws Exception {
    ConcurrencyConnector with = connector("concurrency/with", 3);
    start(with, new RecordingListener(new TraceStoreReader.Limits(64 << 10, Duration.ofSeconds(1))));
    assertThat(with.concurrency().traceStore()).isPresent();
    for (Traces t : REQUESTS) {
      with.consumeTraces(t);
    }
    with.shutdown();
    List<Point> withPoints = points();
    received.clear();

    ConcurrencyConnector without = connector("concurrency/without", 3);
    start(without, new Extension() {});
    assertThat(without.concurrency().traceStore()).isEmpty();
    for (Traces t : REQUESTS) {
      without.consumeTraces(t);
    }
    without.shutdown();
    List<Point> withoutPoints = points();

    assertThat(withPoints).isNotEmpty().containsExactlyInAnyOrderElementsOf(withoutPoints);
    for (String id : List.of("concurrency/with", "concurrency/without")) {
      assertThat(telemetry.await("inflight_connector_concurrency_unmatched_spans_total", Map.of("connector", id), UNMATCHED))
          .as(id).isEqualTo(UNMATCHED);
    }
  }
}
