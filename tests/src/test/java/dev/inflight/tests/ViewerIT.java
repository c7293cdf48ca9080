package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.inflight.connector.concurrency.SweepOracle;
import dev.inflight.otlp.json.OtlpJson;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timeline viewer in headless Chromium, live and from disk. A running inflight (the default
 * config: account_workers, storage_workers, task_queue) gets overlapping worker spans from the
 * OpenTelemetry Java SDK, account and storage spans on named threads ({@code thread.name}), queue
 * waits on none; the viewer served at {@code /viewer} loads them through its live range picker. The
 * same spans, written by this test as a length-prefixed protobuf recording (one metrics record
 * inside, the last record cut in half), OTLP/JSON lines and {@code inflight convert}-style JSONL,
 * are opened in the viewer file from the source tree. What the viewer computed (span counts, worker
 * types, lanes, per-type peaks) must equal the brute-force sweep over the spans sent. Screenshots go
 * to {@code tests/target/viewer-*.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ViewerIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofSeconds(30);
  private static final long MS = 1_000_000L;
  private static final Path SCREENSHOTS = Path.of("target").toAbsolutePath();
  private static final Path VIEWER = InflightProcess.ROOT.resolve("extension/src/main/resources/dev/inflight/extension/query/web/viewer.html");
  private static final AttributeKey<String> THREAD = AttributeKey.stringKey("thread.name");
  private static final List<String> TYPES = List.of("account_workers", "storage_workers", "task_queue");
  /** The default config's worker types, as typed into the viewer opened from disk. */
  private static final String TYPES_FIELD = "account_workers=account worker*; storage_workers=storage worker*,storage write*;"
      + " task_queue=queue wait*";

  /** One span to send; {@code workerType} null for spans no worker type matches, {@code thread} null for none. */
  private record Planned(String name, String workerType, String thread, long start, long end, boolean failed) {}

  private Ports ports;
  private InflightProcess inflight;
  private final List<Planned> planned = new ArrayList<>();
  private List<SpanData> sent;
  @TempDir Path recordings;

  @BeforeAll
  void start() throws Exception {
    ports = Ports.free();
    inflight = InflightProcess.start(Map.of(), ports.defaultConfigArgs().toArray(String[]::new));
    inflight.awaitHttp200(ports.healthUrl(), START);
    inflight.awaitHttp200(ports.queryUrl() + "/health", START);

    // A minute ago, well inside the picker's "last 5 min". Threads run one span at a time, some
    // back to back (one ends where the next starts: never counted together); queue waits overlap freely.
    long base = (SdkSpans.nowNanos() / MS - 60_000) * MS;
    Random random = new Random(9);
    for (int thread = 1; thread <= 4; thread++) {
      long t = base + random.nextInt(200) * MS;
      for (int k = 0; k < 6; k++) {
        long end = t + (100 + random.nextInt(800)) * MS;
        planned.add(new Planned("account worker " + thread, "account_workers", "account-pool-" + thread, t, end, k == 2 && thread == 3));
        t = end + (random.nextInt(3) == 0 ? 0 : random.nextInt(300) * MS);
      }
    }
    for (int thread = 1; thread <= 2; thread++) {
      long t = base + random.nextInt(500) * MS;
      for (int k = 0; k < 5; k++) {
        long end = t + (50 + random.nextInt(400)) * MS;
        planned.add(new Planned(k % 2 == 0 ? "storage write" : "storage worker flush", "storage_workers", "storage-io-" + thread, t, end, false));
        t = end + random.nextInt(200) * MS;
      }
    }
    for (int k = 0; k < 12; k++) {
      long t = base + random.nextInt(3000) * MS;
      planned.add(new Planned("queue wait", "task_queue", null, t, t + (random.nextInt(5) == 0 ? 0 : random.nextInt(900) * MS), false));
    }
    planned.add(new Planned("GET /health", null, "http-1", base + 100 * MS, base + 120 * MS, false));
    sent = send(base);
  }

  /** Records the plan with the SDK under three roots (unmatched, like the health checks) and exports it over gRPC. */
  private List<SpanData> send(long base) {
    CollectingSpanExporter collect = new CollectingSpanExporter();
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(io.opentelemetry.sdk.resources.Resource.empty().merge(
            io.opentelemetry.sdk.resources.Resource.builder().put("service.name", "checkout").build()))
        .addSpanProcessor(SimpleSpanProcessor.create(collect))
        .build()) {
      Tracer tracer = provider.get("dev.inflight.tests.viewer");
      List<Span> roots = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        roots.add(tracer.spanBuilder("POST /checkout").setNoParent().setStartTimestamp(base, TimeUnit.NANOSECONDS).startSpan());
      }
      for (int i = 0; i < planned.size(); i++) {
        Planned p = planned.get(i);
        var builder = tracer.spanBuilder(p.name()).setParent(Context.root().with(roots.get(i % 3)))
            .setStartTimestamp(p.start(), TimeUnit.NANOSECONDS).setAttribute("attempt", 1 + i % 3);
        if (p.thread() != null) {
          builder.setAttribute(THREAD, p.thread());
        }
        Span span = builder.startSpan();
        span.setStatus(p.failed() ? StatusCode.ERROR : StatusCode.OK);
        span.end(p.end(), TimeUnit.NANOSECONDS);
      }
      long rootEnd = planned.stream().mapToLong(Planned::end).max().orElseThrow() + MS;
      roots.forEach(root -> root.end(rootEnd, TimeUnit.NANOSECONDS));
    }
    List<SpanData> spans = new ArrayList<>(collect.finished());
    assertThat(spans).hasSize(planned.size() + 3);
    SpanExporter exporter = SdkSpans.exporter(SdkSpans.Transport.GRPC, ports);
    try {
      SdkSpans.export(exporter, spans, inflight);
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
    return spans;
  }

  @AfterAll
  void stop() {
    if (inflight != null) {
      inflight.close();
    }
  }

  // ---- what the viewer must show, from the plan ----

  private List<Planned> ofType(String type) {
    return planned.stream().filter(p -> type.equals(p.workerType())).toList();
  }

  private long workerSpans() {
    return planned.stream().filter(p -> p.workerType() != null).count();
  }

  private long peak(String type) {
    return (long) SweepOracle.peak(ofType(type).stream().map(p -> SweepOracle.Span.of(p.start(), p.end())).toList());
  }

  private Map<String, Long> peaks() {
    Map<String, Long> out = new LinkedHashMap<>();
    TYPES.forEach(t -> out.put(t, peak(t)));
    return out;
  }

  private static Map<String, Long> peakByType(JsonNode state) {
    Map<String, Long> out = new LinkedHashMap<>();
    state.get("peakByType").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asLong()));
    return out;
  }

  /** Lanes of a type: instance names, with "#n" for each packed lane. */
  private static List<String> lanes(JsonNode state, String type) {
    List<String> out = new ArrayList<>();
    for (JsonNode lane : state.get("lanes")) {
      if (lane.get("workerType").asText().equals(type)) {
        out.add(lane.get("instance").isNull() ? lane.get("label").asText() : lane.get("instance").asText());
      }
    }
    return out;
  }

  private static List<String> packed(long count) {
    List<String> out = new ArrayList<>();
    for (int k = 1; k <= count; k++) {
      out.add("#" + k);
    }
    return out;
  }

  private Set<String> threads(String type) {
    return ofType(type).stream().map(Planned::thread).collect(Collectors.toCollection(TreeSet::new));
  }

  private void assertNumbers(JsonNode state) {
    assertThat(state.get("error").isNull()).as("error: %s", state.get("error")).isTrue();
    assertThat(state.get("workerTypes")).extracting(JsonNode::asText).containsExactlyElementsOf(TYPES);
    for (String type : TYPES) {
      assertThat(state.get("spansByType").get(type).asLong()).as(type).isEqualTo(ofType(type).size());
    }
    assertThat(peakByType(state)).isEqualTo(peaks());
    assertThat(peaks().values()).as("the plan overlaps").allSatisfy(p -> assertThat(p).isGreaterThan(1));
    assertThat(state.get("drawn").get("bars").asInt()).as("bars drawn").isPositive();
  }

  // ---- the tests ----

  @Test
  void theLiveRangePickerLoadsTheStoresWorkerSpans() throws Exception {
    JsonNode result = runViewerCheck("--live-url", ports.queryUrl() + "/viewer", "--live-range", "5");
    JsonNode live = result.get("live");
    assertNumbers(live);
    assertThat(live.get("source").asText()).isEqualTo("live");
    assertThat(live.get("spans").asLong()).as("the store holds worker spans only").isEqualTo(workerSpans());
    assertThat(live.get("truncated").asBoolean()).isFalse();
    // The store keeps no attributes: every type is packed into as many lanes as its peak.
    for (String type : TYPES) {
      assertThat(lanes(live, type)).as(type).isEqualTo(packed(peak(type)));
    }
    JsonNode zoom = result.get("zoom");
    assertThat(zoom.get("after").get("toMs").asDouble() - zoom.get("after").get("fromMs").asDouble())
        .isLessThan(zoom.get("before").get("toMs").asDouble() - zoom.get("before").get("fromMs").asDouble());
    assertThat(result.get("tooltip").asText()).as("a bar's tooltip")
        .contains("account_workers", "account worker", "trace id", "span id", "duration", " ms", "UTC");
  }

  @Test
  void recordingsOpenedFromDiskShowInstanceLanesPackedLanesAndPeaks() throws Exception {
    Path proto = writeProtoRecording(recordings.resolve("spans.bin"));
    Path otlpJson = writeOtlpJson(recordings.resolve("spans.otlp.json"));
    Path jsonl = writeJsonl(recordings.resolve("spans.jsonl"));
    JsonNode result = runViewerCheck("--file-url", VIEWER.toUri().toString(), "--worker-types", TYPES_FIELD,
        "--recording", proto.toString(), "--recording", otlpJson.toString(), "--recording", jsonl.toString());

    for (String name : List.of("spans.bin", "spans.otlp.json", "spans.jsonl")) {
      JsonNode state = result.get("recordings").get(name);
      assertThat(state).as(name).isNotNull();
      assertThat(state.get("source").asText()).isEqualTo("file");
      assertNumbers(state);
      assertThat(state.get("spans").asLong()).as("%s: every span, roots included", name).isEqualTo(sent.size());
      assertThat(state.get("unmatchedSpans").asLong()).as("%s: roots and health checks, hidden", name).isEqualTo(4);
      assertThat(state.get("shownSpans").asLong()).isEqualTo(workerSpans());
      // A lane per thread for the types that have one; queue waits packed, as many lanes as their peak.
      assertThat(lanes(state, "account_workers")).as(name).containsExactlyElementsOf(threads("account_workers"));
      assertThat(lanes(state, "storage_workers")).as(name).containsExactlyElementsOf(threads("storage_workers"));
      assertThat(lanes(state, "task_queue")).as(name).isEqualTo(packed(peak("task_queue")));
    }
    JsonNode bin = result.get("recordings").get("spans.bin");
    assertThat(bin.get("skippedRecords").asInt()).as("the metrics record").isEqualTo(1);
    assertThat(bin.get("truncated").asBoolean()).isTrue();
    assertThat(bin.get("warnings")).extracting(JsonNode::asText)
        .anySatisfy(w -> assertThat(w).startsWith("record 5 at byte ").contains("is cut off"))
        .anySatisfy(w -> assertThat(w).contains("1 record(s) hold metrics or logs, not traces"));
    JsonNode json = result.get("recordings").get("spans.otlp.json");
    assertThat(json.get("skippedRecords").asInt()).as("the resourceMetrics line").isEqualTo(1);
    assertThat(json.get("truncated").asBoolean()).isFalse();
    assertThat(result.get("recordings").get("spans.jsonl").get("warnings")).isEmpty();
  }

  // ---- recordings ----

  private static AnyValue value(Object v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v instanceof Long l) {
      b.setIntValue(l);
    } else if (v instanceof Boolean x) {
      b.setBoolValue(x);
    } else if (v instanceof Double d) {
      b.setDoubleValue(d);
    } else {
      b.setStringValue(String.valueOf(v));
    }
    return b.build();
  }

  private static KeyValue attribute(String key, Object v) {
    return KeyValue.newBuilder().setKey(key).setValue(value(v)).build();
  }

  /** OTLP's request for these spans, as the SDK's exporter sends it (one resource, one scope). */
  private static ExportTraceServiceRequest request(List<SpanData> spans) {
    HexFormat hex = HexFormat.of();
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    for (SpanData d : spans) {
      io.opentelemetry.proto.trace.v1.Span.Builder s = io.opentelemetry.proto.trace.v1.Span.newBuilder()
          .setTraceId(ByteString.copyFrom(hex.parseHex(d.getTraceId())))
          .setSpanId(ByteString.copyFrom(hex.parseHex(d.getSpanId())))
          .setName(d.getName())
          .setKind(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL)
          .setStartTimeUnixNano(d.getStartEpochNanos())
          .setEndTimeUnixNano(d.getEndEpochNanos())
          .setStatus(Status.newBuilder().setCodeValue(d.getStatus().getStatusCode() == StatusCode.ERROR ? 2 : 1));
      if (d.getParentSpanContext().isValid()) {
        s.setParentSpanId(ByteString.copyFrom(hex.parseHex(d.getParentSpanId())));
      }
      d.getAttributes().forEach((k, v) -> s.addAttributes(attribute(k.getKey(), v)));
      scope.addSpans(s);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(attribute("service.name", "checkout")))
            .addScopeSpans(scope))
        .build();
  }

  /** A metrics request: in a recording it must be skipped, not read as spans. */
  private static ExportMetricsServiceRequest metrics() {
    NumberDataPoint point = NumberDataPoint.newBuilder().setTimeUnixNano(1).setAsDouble(3).build();
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("workers.busy_time").setUnit("s")
                .setSum(Sum.newBuilder().setIsMonotonic(true).addDataPoints(point)))
            .addMetrics(Metric.newBuilder().setName("workers.active").setGauge(Gauge.newBuilder().addDataPoints(point)))))
        .build();
  }

  private List<List<SpanData>> thirds() {
    int third = sent.size() / 3;
    return List.of(sent.subList(0, third), sent.subList(third, 2 * third), sent.subList(2 * third, sent.size()));
  }

  /**
   * The file exporter's records (4-byte big-endian length, then the request): three trace records
   * with a metrics record after the first, then a trace record cut in half, as a crash leaves it.
   */
  private Path writeProtoRecording(Path file) throws IOException {
    List<List<SpanData>> parts = thirds();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    List<byte[]> records = List.of(request(parts.get(0)).toByteArray(), metrics().toByteArray(),
        request(parts.get(1)).toByteArray(), request(parts.get(2)).toByteArray());
    for (byte[] r : records) {
      out.writeInt(r.length);
      out.write(r);
    }
    byte[] cut = request(sent.subList(0, 5)).toByteArray();
    out.writeInt(cut.length);
    out.write(cut, 0, cut.length / 2);
    out.flush();
    return Files.write(file, bytes.toByteArray());
  }

  /** The file exporter's {@code format: json}: one OTLP/JSON request a line; a metrics line among them. */
  private Path writeOtlpJson(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    for (List<SpanData> part : thirds()) {
      lines.add(OtlpJson.print(request(part)));
    }
    lines.add(1, OtlpJson.print(metrics()));
    return Files.write(file, lines, StandardCharsets.UTF_8);
  }

  /** {@code inflight convert --to jsonl}: one span a line, its worker type named. */
  private Path writeJsonl(Path file) throws IOException {
    Map<String, String> typeBySpanName = new LinkedHashMap<>();
    planned.forEach(p -> typeBySpanName.put(p.name(), p.workerType()));
    List<String> lines = new ArrayList<>();
    for (SpanData d : sent) {
      ObjectNode o = JSON.createObjectNode()
          .put("trace_id", d.getTraceId())
          .put("span_id", d.getSpanId())
          .put("parent_span_id", d.getParentSpanContext().isValid() ? d.getParentSpanId() : "")
          .put("name", d.getName())
          .put("service", "checkout")
          .put("worker_type", typeBySpanName.get(d.getName()))
          .put("start_ns", d.getStartEpochNanos())
          .put("end_ns", d.getEndEpochNanos())
          .put("duration_ms", (d.getEndEpochNanos() - d.getStartEpochNanos()) / 1e6)
          .put("status", d.getStatus().getStatusCode() == StatusCode.ERROR ? "error" : "ok");
      ObjectNode attributes = o.putObject("attributes");
      d.getAttributes().forEach((k, v) -> attributes.set(k.getKey(), JSON.valueToTree(v)));
      o.putObject("resource").put("service.name", "checkout");
      lines.add(JSON.writeValueAsString(o));
    }
    return Files.write(file, lines, StandardCharsets.UTF_8);
  }

  // ---- the browser ----

  /** Runs tests/browser/check-viewer.mjs; fails on its failure and on any console or page error. */
  private JsonNode runViewerCheck(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("--screenshot-dir", SCREENSHOTS.toString()));
    command.addAll(List.of(args));
    String out = BrowserCheck.run("check-viewer.mjs", Duration.ofSeconds(180), command);
    JsonNode result = JSON.readTree(out);
    assertThat(result.get("console_errors")).as(out).isEmpty();
    assertThat(result.get("page_errors")).as(out).isEmpty();
    Set<String> shots = new LinkedHashSet<>();
    result.get("screenshots").forEach(s -> shots.add(s.asText()));
    assertThat(shots).isNotEmpty().allSatisfy(s -> assertThat(Path.of(s)).isNotEmptyFile());
    System.out.println("ViewerIT screenshots: " + String.join(", ", shots));
    return result;
  }
}
