package dev.inflight.connector.concurrency;

import dev.inflight.bench.OtlpBenchmark;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.Watermark;
import dev.inflight.connector.concurrency.ConcurrencyConnectorConfig.WorkerType;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.concurrency.TraceStoreReader;
import dev.inflight.otlp.wire.OtlpWire;
import dev.inflight.otlp.wire.WireReader;
import dev.inflight.pdata.Traces;
import dev.inflight.service.config.TelemetryConfig;
import dev.inflight.service.telemetry.SelfTelemetry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.helpers.NOPLogger;

/**
 * The budget (ARCHITECTURE.md, "The data path"): OTLP bytes in → concurrency recorded must cost a small multiple of
 * {@code ExportTraceServiceRequest.parseFrom} on the same bytes. Each {@code consume} shifts every
 * span of the request forward by 512 ms in place (so span time advances like a live stream,
 * windows close and memory stays level), then hands the bytes to the connector, which decodes,
 * classifies, records and emits closed windows. {@code shiftOnly} is that shift alone, to subtract.
 * Results are per request of {@code spans} spans.
 *
 * <p>How the cost grows: the defaults of {@code spans}, {@code groups} and {@code workerTypes} give
 * the table of BENCHMARKS.md; other values are given on the command line, e.g. {@code -p
 * spans=64,512,4096}, {@code -p attributes=0,20,80}, {@code -p groups=1,8,64} or {@code -p
 * workerTypes=2,16,64}. Whatever {@code spans}, span {@code i} starts {@code i} ms after the first
 * and every call moves the request forward by {@code spans} ms, so span time advances at the same
 * 1000 spans per second of span time: each window sees the same spans, and a larger request closes
 * proportionally more windows per call.
 */
public class ConcurrencyConnectorBenchmark extends OtlpBenchmark {
  @Param({"512"})
  public int spans;

  @Param({"20"})
  public int attributes;

  /**
   * Resources per request, each with its own {@code service.name} (the default dimension), so each
   * brings its own groups (worker type × service): {@code groups} × the matched worker types
   * groups are open, and every closed window emits points for each. The spans are split evenly,
   * in contiguous runs, between the resources. Keep {@code 2 × groups} within {@code max_groups}
   * (default 1000): beyond it spans are counted in overflow groups instead.
   */
  @Param({"1"})
  public int groups;

  /**
   * Configured worker types: the two the span names match ({@code account worker*}, {@code
   * storage*}), then {@code workerTypes - 2} more whose globs match none of them (each span name is
   * matched against every type's patterns the first time it is seen; after that the connector's
   * name cache answers).
   */
  @Param({"2"})
  public int workerTypes;

  /** {@code mixed}: 2 of 3 spans belong to a worker type; {@code unmatched}: none do. */
  @Param({"mixed", "unmatched"})
  public String names;

  /**
   * {@code event_time}: the latest span end closes windows. {@code wall_clock}: a clock that runs
   * 100 ms behind each request's last span end, as live traffic does; arrival lag and clock skew
   * are measured per span, and windows close as the connector's timer would.
   */
  @Param({"event_time", "wall_clock"})
  public String watermark;

  /**
   * {@code on}: a query extension is attached, so the connector also reads ids and names and fills
   * a 64MiB recent-trace store (every request brings new trace ids, so the store fills, then
   * evicts oldest-first as it would live). {@code off}: no query extension.
   */
  @Param({"off", "on"})
  public String store;

  /** How far every call moves the request: {@code spans} ms, the span time one request covers. */
  private long step;
  /** The end of the first request's span time (its last span starts 1 ms before). */
  private long firstEnd;
  private long shifted;

  private byte[] encoded;
  private int[] timeOffsets;
  private int[] traceIdOffsets;
  private long requests;
  private ConcurrencyConnector connector;
  /** Real self-telemetry (the OTel SDK), so per-span arrival-lag recording costs what it costs. */
  private SelfTelemetry telemetry;

  @Setup
  public void setUp() throws Exception {
    if (workerTypes < 2) {
      throw new IllegalArgumentException("workerTypes must be at least 2 (the two the span names match)");
    }
    step = spans * 1_000_000L;
    firstEnd = 1_700_000_000_000_000_000L + step;
    boolean matched = names.equals("mixed");
    encoded = request(spans, attributes, groups, new Random(42),
        i -> !matched || i % 3 == 2 ? "GET /api/v1/jobs" : i % 3 == 0 ? "account worker" : "storage write")
        .toByteArray();
    timeOffsets = timeOffsets(encoded);
    traceIdOffsets = offsets(encoded, OtlpWire.Span.TRACE_ID);
    telemetry = SelfTelemetry.start(
        new TelemetryConfig(new TelemetryConfig.Metrics(TelemetryConfig.Level.NORMAL, "127.0.0.1:0"), null, Map.of()),
        "bench");
    ConcurrencyConnectorConfig config =
        new ConcurrencyConnectorConfig(
            workerTypes(workerTypes),
            Duration.ofSeconds(1), Duration.ofSeconds(2),
            watermark.equals("wall_clock") ? Watermark.WALL_CLOCK : Watermark.EVENT_TIME, null, null, null, null, null,
            null, null);
    connector =
        new ConcurrencyConnector(
            config, m -> {}, telemetry.forComponent(ComponentKind.CONNECTOR, ComponentId.of("concurrency")),
            NOPLogger.NOP_LOGGER, () -> firstEnd + shifted + 100_000_000L);
    if (store.equals("on")) {
      connector.concurrency().subscribe((c, w) -> {}); // the live view's share of each close
      connector.start(() -> Map.of(ComponentId.of("query"), new ReadingExtension()));
    } else {
      connector.start(Map::of);
    }
  }

  /**
   * {@code account_workers} and {@code storage_workers}, then {@code n - 2} types named {@code
   * extra_workers_<k>} matching {@code queue consumer <k> *}, which no span name here matches.
   */
  static List<WorkerType> workerTypes(int n) {
    List<WorkerType> types = new ArrayList<>(n);
    types.add(WorkerType.of("account_workers", "account worker*"));
    types.add(WorkerType.of("storage_workers", "storage*"));
    for (int k = 2; k < n; k++) {
      types.add(WorkerType.of("extra_workers_" + k, "queue consumer " + k + " *"));
    }
    return types;
  }

  /** An extension that asks for a 64MiB store, as the query extension does by default. */
  private record ReadingExtension() implements dev.inflight.component.Extension, TraceStoreReader {
    @Override
    public Optional<Limits> traceStoreLimits() {
      return Optional.of(new Limits(RecentTraceStore.DEFAULT_MAX_BYTES, Duration.ofNanos(Long.MAX_VALUE)));
    }
  }

  @TearDown
  public void tearDown() {
    connector.shutdown();
    telemetry.close();
  }

  /** Where every span's start and end (fixed64) sit in the encoded request. */
  static int[] timeOffsets(byte[] encoded) throws IOException {
    List<Integer> offsets = new ArrayList<>();
    WireReader in = new WireReader(encoded);
    walk(in, 0, offsets);
    return offsets.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Where the content of every span's length-delimited field {@code tag} sits. */
  static int[] offsets(byte[] encoded, int spanTag) throws IOException {
    List<Integer> offsets = new ArrayList<>();
    WireReader in = new WireReader(encoded);
    walkFor(in, 0, spanTag, offsets);
    return offsets.stream().mapToInt(Integer::intValue).toArray();
  }

  /** request → resource_spans → scope_spans → spans. */
  private static boolean descends(int depth, int tag) {
    return (depth == 0 && tag == OtlpWire.TraceRequest.RESOURCE_SPANS)
        || (depth == 1 && tag == OtlpWire.ResourceSpans.SCOPE_SPANS)
        || (depth == 2 && tag == OtlpWire.ScopeSpans.SPANS);
  }

  private static void walkFor(WireReader in, int depth, int spanTag, List<Integer> offsets) throws IOException {
    int tag;
    while ((tag = in.readTag()) != 0) {
      boolean descend = descends(depth, tag);
      if (descend) {
        int limit = in.enter();
        walkFor(in, depth + 1, spanTag, offsets);
        in.popLimit(limit);
      } else if (depth == 3 && tag == spanTag) {
        int len = in.readLength();
        offsets.add(in.position());
        in.skip(len);
      } else {
        in.skipField(tag);
      }
    }
  }

  private static void walk(WireReader in, int depth, List<Integer> offsets) throws IOException {
    int tag;
    while ((tag = in.readTag()) != 0) {
      boolean descend = descends(depth, tag);
      if (descend) {
        int limit = in.enter();
        walk(in, depth + 1, offsets);
        in.popLimit(limit);
      } else if (depth == 3
          && (tag == OtlpWire.Span.START_TIME_UNIX_NANO || tag == OtlpWire.Span.END_TIME_UNIX_NANO)) {
        offsets.add(in.position());
        in.readFixed64();
      } else {
        in.skipField(tag);
      }
    }
  }

  @Benchmark
  public ExportTraceServiceRequest parseFrom() throws Exception {
    return ExportTraceServiceRequest.parseFrom(encoded);
  }

  @Benchmark
  public byte[] shiftOnly() {
    shift();
    return encoded;
  }

  @Benchmark
  public void consume() throws Exception {
    shift();
    connector.consumeTraces(Traces.ofEncoded(encoded));
    if (watermark.equals("wall_clock")) {
      connector.closeDue(); // the timer's job, due about every other request here
    }
  }

  /** Adds {@link #step} to every start and end, in place (little-endian fixed64). */
  private void shift() {
    shifted += step;
    byte[] b = encoded;
    if (store.equals("on")) {
      // New traces every request: the request number in the first half of each trace id.
      requests++;
      for (int off : traceIdOffsets) {
        for (int i = 0; i < 8; i++) {
          b[off + i] = (byte) (requests >>> (56 - 8 * i));
        }
      }
    }
    for (int off : timeOffsets) {
      long v = 0;
      for (int i = 7; i >= 0; i--) {
        v = (v << 8) | (b[off + i] & 0xff);
      }
      v += step;
      for (int i = 0; i < 8; i++) {
        b[off + i] = (byte) (v >>> (8 * i));
      }
    }
  }
}
