package dev.inflight.extension.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.inflight.component.auth.ServerAuthenticator;
import dev.inflight.component.concurrency.GroupWindow;
import dev.inflight.component.concurrency.ConcurrencySource;
import dev.inflight.component.concurrency.TraceStore;
import dev.inflight.component.concurrency.TraceStoreReader;
import dev.inflight.component.concurrency.WindowListener;
import dev.inflight.component.concurrency.ConcurrencyView;
import dev.inflight.extension.internal.http.ExtensionHttpServer;
import dev.inflight.component.Extension;
import dev.inflight.component.Host;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.component.telemetry.SpanTotals;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The {@code query} extension (default :5050): what the concurrency connectors see, live and per
 * trace, over HTTP. It reads what the connectors publish ({@link
 * dev.inflight.component.concurrency}, found through the host; no extra pipeline): every window
 * they close (the live view), and the recent-trace store each keeps, with this extension's {@code
 * store} settings, because this extension asks for one ({@link TraceStoreReader}).
 *
 * <ul>
 *   <li>{@code GET /trace/{id}?bucket_ms=5}: seed 000's per-trace concurrency, from the store or,
 *       when the trace is not there, from Tempo ({@code tempo_url});
 *   <li>{@code GET /api/v1/workers}, {@code /api/v1/history}, {@code /api/v1/traces}: the live
 *       view {@code inflight top} and the page read;
 *   <li>{@code GET /api/v1/spans?start=&end=&limit=}, {@code /api/v1/worker_types}: the store's
 *       worker spans in a time range and the configured worker types, for the timeline viewer;
 *   <li>{@code GET /}, {@code POST /search}, {@code /query}, ...: the Grafana JSON datasource;
 *   <li>{@code GET /} in a browser, {@code /ui/...}: the web page; {@code GET /viewer}: the
 *       timeline viewer;
 *   <li>{@code GET /health}.
 * </ul>
 *
 * Served by the JDK's HTTP server on a few daemon threads; nothing here is on the span path.
 */
public final class QueryExtension implements Extension, TraceStoreReader {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();
  private static final int MAX_BODY = 1 << 20;
  private static final long STARTED_NANOS = System.nanoTime();
  private static final int DEFAULT_SPAN_LIMIT = 20_000;
  private static final int MAX_SPAN_LIMIT = 200_000;
  private static final Duration DEFAULT_SPAN_RANGE = Duration.ofMinutes(15);
  /** Clients polling together (a page in several tabs, top) share one read of the open windows. */
  private static final long OPEN_READ_REUSE_NANOS = Duration.ofMillis(250).toNanos();

  private final String who;
  private final QueryExtensionConfig config;
  private final Logger log;
  private final SpanTotals spanTotals;
  /** Null when the store is off ({@code store.max_bytes: 0}). */
  private final TraceStore store;
  private final LiveWorkers live;
  private final TempoClient tempo;
  private final ProcessStats process = new ProcessStats();
  private final List<ConcurrencyView> connectors = new CopyOnWriteArrayList<>();
  private final GrafanaJsonDatasource grafana;
  private final WebAssets web = new WebAssets();
  private final QueryExtensionTelemetry telemetry;
  private volatile boolean ready;
  private ExtensionHttpServer server;
  private ScheduledExecutorService ticker;
  private boolean shutDown;
  private final Object openLock = new Object();
  private LiveWorkers.Open lastOpen;
  private long lastOpenAt;

  public QueryExtension(String who, QueryExtensionConfig config, ComponentTelemetry telemetry, Logger log) {
    this.who = who;
    this.config = config;
    this.log = log;
    this.spanTotals = telemetry.spanTotals();
    this.store = config.store().enabled()
        ? new ConnectorTraceStores(connectors, config.store().maxBytes().bytes(), config.store().maxAge().toNanos())
        : null;
    this.live = new LiveWorkers(config.history());
    this.tempo = config.tempoUrl().isEmpty()
        ? null
        : new TempoClient(URI.create(config.tempoUrl()), config.tempoHeaders(), config.tempoTimeout());
    this.grafana = new GrafanaJsonDatasource(new GrafanaJsonDatasource.Backend() {
      @Override
      public List<String> workerTypes() {
        return workerTypeNames();
      }

      @Override
      public TraceReport.TraceData trace(String traceId) throws QueryException {
        return findTrace(TraceReport.parseTraceId(traceId)).data();
      }

      @Override
      public LiveWorkers live() {
        return live;
      }

      @Override
      public LiveWorkers.Open open() {
        return openWindows();
      }
    });
    this.telemetry = new QueryExtensionTelemetry(telemetry);
  }

  // --- what the connectors publish ---

  /** The connectors keep a recent-trace store with this extension's {@code store} settings. */
  @Override
  public Optional<Limits> traceStoreLimits() {
    QueryExtensionConfig.Store s = config.store();
    return s.enabled() ? Optional.of(new Limits(s.maxBytes().bytes(), s.maxAge())) : Optional.empty();
  }

  /** Feeds the live view with every window a connector closes. */
  private final class LiveFeed implements WindowListener {
    @Override
    public void windowsClosed(ConcurrencyView connector, List<GroupWindow> windows) {
      live.add(connector, windows);
    }

    @Override
    public void detached(ConcurrencyView connector) {
      connectors.remove(connector);
    }
  }

  // --- lifecycle ---

  /** {@code auth}, resolved at start; null when off. */
  private volatile @Nullable ServerAuthenticator authenticator;

  @Override
  public synchronized void start(Host host) throws IOException {
    if (server != null || shutDown) {
      return;
    }
    // Resolved before binding: a missing auth extension fails the start with nothing open.
    authenticator = config.auth() == null ? null : config.auth().server(host, "extensions." + who + ".auth");
    server = ExtensionHttpServer.start(who, config.endpoint(), 4, this::handle);
    // Every component is built before any starts, so the connectors are all here already.
    LiveFeed feed = new LiveFeed();
    for (ConcurrencySource source : host.components(ConcurrencySource.class)) {
      ConcurrencyView connector = source.concurrency();
      connectors.add(connector);
      connector.subscribe(feed);
      log.debug("{} reads {}", who, connector.id());
    }
    ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, who + "-ticker"));
    ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    registerInstruments();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private void tick() {
    try {
      process.sample();
      if (store != null) {
        store.expire();
      }
    } catch (RuntimeException e) {
      log.warn("{}: sampling failed", who, e);
    }
  }

  private void registerInstruments() {
    if (store == null) {
      return;
    }
    telemetry.observe(store);
  }

  @Override
  public void pipelinesReady() {
    ready = true;
  }

  @Override
  public void pipelinesNotReady() {
    ready = false;
  }

  @Override
  public synchronized void shutdown() {
    if (shutDown) {
      return;
    }
    shutDown = true;
    ready = false;
    if (server != null) {
      server.stop();
      ticker.shutdownNow();
    }
    telemetry.close();
  }

  /** The address actually bound; null before start. */
  public synchronized InetSocketAddress address() {
    return server == null ? null : server.address();
  }

  TraceStore store() {
    return store;
  }

  // --- HTTP ---

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      ServerAuthenticator auth = authenticator;
      if (auth != null) {
        String why = auth.reject(exchange.getRequestHeaders()::getFirst);
        if (why != null) {
          log.debug("{}: unauthenticated {} {} from {}: {}", who, method, path, exchange.getRemoteAddress(), why);
          exchange.getResponseHeaders().set("WWW-Authenticate", auth.challenge());
          sendJson(exchange, 401, JSON.objectNode().put("error", why));
          return;
        }
      }
      try {
        route(exchange, method, path);
      } catch (QueryException e) {
        sendJson(exchange, e.status, JSON.objectNode().put("error", e.getMessage()));
      } catch (RuntimeException e) {
        log.error("{}: {} {} failed", who, method, path, e);
        sendJson(exchange, 500, JSON.objectNode().put("error", "internal error: " + e));
      }
    }
  }

  private void route(HttpExchange ex, String method, String path) throws IOException, QueryException {
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    if (path.startsWith("/trace/")) {
      allow(ex, method, "GET");
      sendJson(ex, 200, trace(path.substring("/trace/".length()), query));
      return;
    }
    switch (path) {
      case "/" -> {
        allow(ex, method, "GET");
        sendBytes(ex, 200, "text/html; charset=utf-8", web.index());
      }
      case "/viewer", "/viewer/" -> {
        allow(ex, method, "GET");
        sendBytes(ex, 200, "text/html; charset=utf-8", web.viewer());
      }
      case "/health" -> {
        allow(ex, method, "GET");
        ObjectNode h = JSON.objectNode().put("status", ready ? "ok" : "unavailable");
        ArrayNode ids = h.putArray("connectors");
        connectors.forEach(c -> ids.add(c.id()));
        if (store != null) {
          h.set("store", storeJson());
        }
        sendJson(ex, ready ? 200 : 503, h);
      }
      case "/api/v1/workers" -> {
        allow(ex, method, "GET");
        sendJson(ex, 200, workers(provisional(query)));
      }
      case "/api/v1/history" -> {
        allow(ex, method, "GET");
        sendJson(ex, 200, history(query.get("minutes"), provisional(query)));
      }
      case "/api/v1/traces" -> {
        allow(ex, method, "GET");
        sendJson(ex, 200, traces(query.get("limit")));
      }
      case "/api/v1/spans" -> {
        allow(ex, method, "GET");
        sendJson(ex, 200, spans(query));
      }
      case "/api/v1/worker_types" -> {
        allow(ex, method, "GET");
        sendJson(ex, 200, workerTypes());
      }
      case "/search" -> sendJson(ex, 200, grafana.search(post(ex, method)));
      case "/metrics" -> sendJson(ex, 200, grafana.metrics(post(ex, method)));
      case "/variable" -> {
        post(ex, method);
        sendJson(ex, 200, grafana.variable());
      }
      case "/query" -> sendJson(ex, 200, grafana.query(post(ex, method), provisional(query)));
      case "/metric-payload-options", "/annotations", "/tag-keys", "/tag-values" -> {
        post(ex, method);
        sendJson(ex, 200, JSON.arrayNode());
      }
      default -> {
        if (path.startsWith("/ui/")) {
          allow(ex, method, "GET");
          WebAssets.Asset a = web.asset(path.substring("/ui/".length()));
          if (a == null) {
            throw new QueryException(404, "no such file: " + path);
          }
          sendBytes(ex, 200, a.contentType(), a.bytes());
          return;
        }
        throw new QueryException(404, "no such endpoint: " + path
            + " (try /trace/{traceId}?bucket_ms=5, /api/v1/workers, /health, or / in a browser)");
      }
    }
  }

  private static void allow(HttpExchange ex, String method, String allowed) throws QueryException {
    if (method.equals(allowed) || (allowed.equals("GET") && method.equals("HEAD"))) {
      return;
    }
    ex.getResponseHeaders().set("Allow", allowed.equals("GET") ? "GET, HEAD" : allowed);
    throw new QueryException(405, "method " + method + " not allowed here: use " + allowed);
  }

  private static JsonNode post(HttpExchange ex, String method) throws QueryException, IOException {
    allow(ex, method, "POST");
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      throw new QueryException(413, "the request body is larger than 1MiB");
    }
    return GrafanaJsonDatasource.body(body);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.putIfAbsent(k, v);
    }
    return out;
  }

  /** {@code provisional=true|false}: whether open windows are included; false when absent. */
  static boolean provisional(Map<String, String> query) throws QueryException {
    String v = query.get("provisional");
    if (v == null) {
      return false;
    }
    if (v.equalsIgnoreCase("true") || v.isEmpty()) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new QueryException(400, "provisional \"" + TraceReport.shorten(v) + "\" must be true or false");
  }

  /** The connectors' open windows, read at most every 250 ms whoever asks. */
  private LiveWorkers.Open openWindows() {
    synchronized (openLock) {
      long now = System.nanoTime();
      if (lastOpen == null || now - lastOpenAt >= OPEN_READ_REUSE_NANOS) {
        lastOpen = LiveWorkers.Open.read(connectors);
        lastOpenAt = now;
      }
      return lastOpen;
    }
  }

  // --- /trace ---

  /** A trace found, where from, and the first connector's worker type order. */
  private record Found(TraceReport.TraceData data, String source) {}

  private Found findTrace(TraceReport.TraceId id) throws QueryException {
    if (store != null) {
      Optional<TraceStore.TraceSnapshot> s = store.get(id.hi(), id.lo());
      if (s.isPresent()) {
        return new Found(TraceReport.fromStore(s.get()), "store");
      }
    }
    if (tempo != null) {
      Optional<ExportTraceServiceRequest> fetched;
      try {
        fetched = tempo.fetch(id.hex());
      } catch (TempoException e) {
        throw new QueryException(502, e.getMessage());
      }
      if (fetched.isPresent()) {
        ConcurrencyView classifier = connectors.isEmpty() ? null : connectors.get(0);
        TraceReport.TraceData data = TraceReport.fromOtlp(id, fetched.get(), classifier);
        if (data != null) {
          return new Found(data, "tempo");
        }
      }
    }
    throw new QueryException(404, notFound(id));
  }

  private String notFound(TraceReport.TraceId id) {
    StringBuilder sb = new StringBuilder("trace ").append(id.hex()).append(" not found");
    if (store != null) {
      TraceStore.Stats st = store.stats();
      sb.append(" in the recent-trace store (it holds ").append(st.traces()).append(" traces with worker spans from the last ")
          .append(dev.inflight.component.config.DurationFormat.format(config.store().maxAge())).append(')');
    } else {
      sb.append(": the recent-trace store is off (store.max_bytes: 0)");
    }
    sb.append(tempo != null ? " nor in Tempo at " + config.tempoUrl() : "; set tempo_url to look in Tempo too");
    return sb.toString();
  }

  private ObjectNode trace(String rawId, Map<String, String> query) throws QueryException {
    String idText = URLDecoder.decode(rawId, StandardCharsets.UTF_8);
    TraceReport.TraceId id = TraceReport.parseTraceId(idText);
    long bucketMs = TraceReport.parseBucketMs(query.get("bucket_ms"), "bucket_ms");
    boolean withSpans = "true".equalsIgnoreCase(query.getOrDefault("spans", "false"));
    Found f = findTrace(id);
    TraceConcurrency.Result result = TraceReport.analyze(f.data(), bucketMs, workerTypeNames());
    return TraceReport.toJson(f.data(), result, bucketMs, f.source(), withSpans);
  }

  /** Worker type names of every attached connector, in config order, without repeats. */
  private List<String> workerTypeNames() {
    LinkedHashSet<String> names = new LinkedHashSet<>();
    for (ConcurrencyView c : connectors) {
      c.workerTypes().forEach(t -> names.add(t.name()));
    }
    return new ArrayList<>(names);
  }

  // --- live view ---

  private ObjectNode storeJson() {
    ObjectNode o = JSON.objectNode();
    if (store == null) {
      return o.put("enabled", false);
    }
    TraceStore.Stats st = store.stats();
    return o.put("traces", st.traces()).put("spans", st.spans()).put("bytes", st.bytes())
        .put("max_bytes", st.maxBytes()).put("max_age_s", st.maxAgeNanos() / 1e9)
        .put("evicted_traces", st.evictedForBytes() + st.evictedForAge())
        .put("dropped_spans", st.droppedSpans());
  }

  private ObjectNode workers(boolean provisional) {
    LiveWorkers.Open open = provisional ? openWindows() : LiveWorkers.Open.NONE;
    ObjectNode root = JSON.objectNode();
    root.put("time_unix_ms", System.currentTimeMillis());
    root.put("uptime_s", Math.round((System.nanoTime() - STARTED_NANOS) / 1e6) / 1e3);
    ConcurrencyView first = connectors.isEmpty() ? null : connectors.get(0);
    if (first != null) {
      root.put("resolution_ms", first.resolution().toMillis());
      root.put("allowed_lateness_ms", first.allowedLateness().toMillis());
    } else {
      root.putNull("resolution_ms");
      root.putNull("allowed_lateness_ms");
    }
    if (provisional) {
      root.put("provisional", true);
      putEpochMs(root, "final_until_unix_ms", open.closedUntilNanos());
      putEpochMs(root, "provisional_until_unix_ms", open.untilNanos());
    }
    long rss = process.rssBytes();
    ObjectNode p = root.putObject("process");
    p.put("cpu_percent", round(process.cpuPercent(), 1));
    long cpu = process.cpuNanos();
    p.put("cpu_seconds", cpu < 0 ? 0 : round(cpu / 1e9, 3));
    if (rss >= 0) {
      p.put("memory_rss_mb", round(rss / 1048576.0, 1));
    } else {
      p.putNull("memory_rss_mb");
    }
    p.put("heap_used_mb", round(process.heapUsedBytes() / 1048576.0, 1));
    p.put("threads", process.threads());
    root.putObject("spans").put("accepted", spanTotals.accepted()).put("refused", spanTotals.refused());
    root.set("store", storeJson());
    ArrayNode rows = root.putArray("worker_types");
    for (LiveWorkers.Row r : live.rows(open)) {
      // A group only open windows know yet shows its newest one, marked not final.
      GroupWindow w = r.last() != null ? r.last() : r.provisional().get(r.provisional().size() - 1);
      ObjectNode o = rows.addObject();
      o.put("connector", r.connector());
      o.put("key", r.key());
      o.put("worker_type", r.workerType());
      ObjectNode dims = o.putObject("dimensions");
      r.dimensions().forEach(dims::put);
      if (r.overflow()) {
        o.put("overflow", true);
      }
      if (r.capacity() != null) {
        o.put("capacity", r.capacity());
      } else {
        o.putNull("capacity");
      }
      o.put("final", w.closed());
      putWindow(o, w, r.capacity());
      if (r.last() != null) {
        putCount(o, "peak_15m", r.peakInHistory());
      } else {
        putCount(o, "peak_15m", w.activeMax());
      }
      putMs(o, "p50_ms", r.p50Seconds());
      putMs(o, "p99_ms", r.p99Seconds());
      if (provisional) {
        ArrayNode windows = o.putArray("provisional_windows");
        for (GroupWindow pw : r.provisional()) {
          ObjectNode x = windows.addObject();
          putWindow(x, pw, r.capacity());
          x.put("final", false);
        }
      }
    }
    return root;
  }

  /** One window's numbers, as a row and each of its provisional windows show them. */
  private static void putWindow(ObjectNode o, GroupWindow w, Double capacity) {
    o.put("active", round(w.active(), 4));
    putCount(o, "peak", w.activeMax());
    if (capacity != null && capacity > 0) {
      o.put("utilization", round(w.active() / capacity, 4));
    } else {
      o.putNull("utilization");
    }
    putCount(o, "spans_total", w.spansTotal());
    putCount(o, "spans_failed", w.spansError());
    putCount(o, "late_spans", w.lateSpans());
    o.put("window_start_unix_ms", w.windowStartNanos() / 1_000_000L);
    o.put("window_end_unix_ms", w.windowEndNanos() / 1_000_000L);
  }

  private static void putEpochMs(ObjectNode o, String name, long nanos) {
    if (nanos == Long.MIN_VALUE || nanos == Long.MAX_VALUE) {
      o.putNull(name);
    } else {
      o.put(name, Math.floorDiv(nanos, 1_000_000L));
    }
  }

  /** Counts are weighted (sampling), so doubles; whole ones print as integers. */
  private static void putCount(ObjectNode o, String name, double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      o.put(name, (long) v);
    } else {
      o.put(name, round(v, 4));
    }
  }

  private static void putMs(ObjectNode o, String name, double seconds) {
    if (Double.isNaN(seconds)) {
      o.putNull(name);
    } else {
      o.put(name, round(seconds * 1000, 3));
    }
  }

  private static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }

  private ObjectNode history(String minutesText, boolean provisional) throws QueryException {
    long max = Math.max(1, config.history().toMinutes());
    long minutes = Math.min(15, max);
    if (minutesText != null && !minutesText.isEmpty()) {
      try {
        minutes = Long.parseLong(minutesText.strip());
      } catch (NumberFormatException e) {
        throw new QueryException(400, "minutes \"" + TraceReport.shorten(minutesText) + "\" must be a whole number from 1 to 60");
      }
      if (minutes < 1 || minutes > 60) {
        throw new QueryException(400, "minutes " + minutes + " is out of range: it must be from 1 to 60");
      }
      minutes = Math.min(minutes, max);
    }
    long from = System.currentTimeMillis() * 1_000_000L - Duration.ofMinutes(minutes).toNanos();
    ObjectNode root = JSON.objectNode();
    ConcurrencyView first = connectors.isEmpty() ? null : connectors.get(0);
    if (first != null) {
      root.put("resolution_ms", first.resolution().toMillis());
    } else {
      root.putNull("resolution_ms");
    }
    ArrayNode series = root.putArray("series");
    LiveWorkers.Open open = provisional ? openWindows() : LiveWorkers.Open.NONE;
    if (provisional) {
      root.put("provisional", true);
      putEpochMs(root, "final_until_unix_ms", open.closedUntilNanos());
    }
    for (LiveWorkers.Series s : live.history(from, open)) {
      ObjectNode o = series.addObject();
      o.put("connector", s.connector());
      o.put("key", s.key());
      o.put("worker_type", s.workerType());
      ObjectNode dims = o.putObject("dimensions");
      s.dimensions().forEach(dims::put);
      ArrayNode points = o.putArray("points");
      for (int i = 0; i < s.ends().length; i++) {
        addPoint(points, s.ends()[i], s.means()[i], s.peaks()[i]);
      }
      if (provisional) {
        ArrayNode tail = o.putArray("provisional_points");
        for (GroupWindow w : s.provisional()) {
          addPoint(tail, w.windowEndNanos(), w.active(), w.activeMax());
        }
      }
    }
    return root;
  }

  /** {@code [window_end_unix_ms, mean, peak]}. */
  private static void addPoint(ArrayNode points, long endNanos, double mean, double peak) {
    ArrayNode point = points.addArray().add(endNanos / 1_000_000L).add(round(mean, 4));
    if (peak == Math.rint(peak)) {
      point.add((long) peak);
    } else {
      point.add(round(peak, 4));
    }
  }

  private ObjectNode traces(String limitText) throws QueryException {
    int limit = 20;
    if (limitText != null && !limitText.isEmpty()) {
      try {
        limit = Integer.parseInt(limitText.strip());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 1000) {
        throw new QueryException(400, "limit \"" + TraceReport.shorten(limitText) + "\" must be a whole number from 1 to 1000");
      }
    }
    ObjectNode root = JSON.objectNode();
    ArrayNode out = root.putArray("traces");
    if (store == null) {
      return root;
    }
    for (TraceStore.TraceSnapshot s : store.newest(limit)) {
      TraceReport.TraceData d = TraceReport.fromStore(s);
      ObjectNode o = out.addObject();
      o.put("trace_id", d.id().hex());
      o.put("start_time_unix_ms", TraceReport.epochMs(d.start()));
      o.put("duration_ms", TraceReport.ms(d.end() - d.start()));
      o.put("span_count", d.spans().size());
      ArrayNode types = o.putArray("worker_types");
      LinkedHashSet<String> seen = new LinkedHashSet<>();
      d.spans().forEach(x -> seen.add(x.workerType()));
      seen.forEach(types::add);
    }
    return root;
  }

  // --- the timeline viewer's data ---

  /**
   * The store's worker spans overlapping {@code [start, end)} (ms since the epoch; default the last
   * 15 minutes), newest traces first, at most {@code limit}; one object per span in the shape of
   * {@code inflight convert --to jsonl} (the store keeps no service or attributes).
   */
  private ObjectNode spans(Map<String, String> query) throws QueryException {
    long now = System.currentTimeMillis();
    long endMs = epochMsParam(query.get("end"), "end", now);
    long startMs = epochMsParam(query.get("start"), "start", endMs - DEFAULT_SPAN_RANGE.toMillis());
    if (endMs <= startMs) {
      throw new QueryException(400, "end " + endMs + " must be after start " + startMs);
    }
    int limit = DEFAULT_SPAN_LIMIT;
    String limitText = query.get("limit");
    if (limitText != null && !limitText.isEmpty()) {
      try {
        limit = Integer.parseInt(limitText.strip());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_SPAN_LIMIT) {
        throw new QueryException(400, "limit \"" + TraceReport.shorten(limitText) + "\" must be a whole number from 1 to " + MAX_SPAN_LIMIT);
      }
    }
    ObjectNode root = JSON.objectNode();
    ArrayNode out = root.putArray("spans");
    if (store == null) {
      return root.put("truncated", false);
    }
    // Copied under the store's lock; the JSON is built after it is released.
    TraceStore.SpansInRange found = store.overlapping(startMs * 1_000_000L, endMs * 1_000_000L, limit);
    for (TraceStore.TraceSnapshot t : found.traces()) {
      String traceId = new TraceReport.TraceId(t.traceIdHigh(), t.traceIdLow()).hex();
      for (TraceStore.StoredSpan s : t.spans()) {
        out.addObject()
            .put("trace_id", traceId)
            .put("span_id", HEX.toHexDigits(s.spanId()))
            .put("parent_span_id", s.parentSpanId() == 0 ? "" : HEX.toHexDigits(s.parentSpanId()))
            .put("name", s.name() != null ? s.name() : s.workerType())
            .put("worker_type", s.workerType())
            .put("start_ns", s.startNanos())
            .put("end_ns", s.endNanos())
            .put("duration_ms", TraceReport.ms(s.endNanos() - s.startNanos()))
            .put("status", s.status() == 1 ? "ok" : s.status() == 2 ? "error" : "unset");
      }
    }
    return root.put("truncated", found.truncated());
  }

  private static long epochMsParam(String text, String name, long otherwise) throws QueryException {
    if (text == null || text.isEmpty()) {
      return otherwise;
    }
    long v;
    try {
      v = Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new QueryException(400, name + " \"" + TraceReport.shorten(text) + "\" must be whole milliseconds since the epoch");
    }
    // Beyond it, ms → ns overflows a long (year 2262).
    if (v < 0 || v > Long.MAX_VALUE / 1_000_000L) {
      throw new QueryException(400, name + " " + v + " is out of range: it must be from 0 to " + Long.MAX_VALUE / 1_000_000L);
    }
    return v;
  }

  /** Every attached connector's worker types with their patterns, in config order. */
  private ObjectNode workerTypes() {
    ObjectNode root = JSON.objectNode();
    ArrayNode out = root.putArray("worker_types");
    for (ConcurrencyView c : connectors) {
      for (ConcurrencyView.WorkerTypeInfo t : c.workerTypes()) {
        ObjectNode o = out.addObject().put("connector", c.id()).put("name", t.name());
        t.match().forEach(o.putArray("match")::add);
        t.services().forEach(o.putArray("services")::add);
        if (t.capacity() != null) {
          o.put("capacity", t.capacity());
        } else {
          o.putNull("capacity");
        }
      }
    }
    return root;
  }

  // --- responses ---

  private static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
    sendBytes(ex, status, "application/json", MAPPER.writeValueAsBytes(body));
  }

  private static void sendBytes(HttpExchange ex, int status, String contentType, byte[] bytes) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
