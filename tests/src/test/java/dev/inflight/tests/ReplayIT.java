package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inflight.connector.concurrency.SweepOracle;
import dev.inflight.tests.OtlpMetricsBackend.Point;
import dev.inflight.tests.SdkSpans.Planned;
import dev.inflight.tests.SdkSpans.Transport;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Record, then replay, as real processes: (a) inflight A takes spans from the OpenTelemetry Java
 * SDK over OTLP/gRPC and records them with the {@code file} exporter (proto, zstd); it is stopped
 * with SIGTERM. (b) inflight B reads that recording with the {@code file} receiver at {@code speed:
 * max} into the {@code concurrency} connector ({@code watermark: event_time}): every window's
 * {@code workers.active.max}, {@code workers.active}, {@code workers.busy_time} and {@code
 * workers.spans} must equal the sweep oracle over the spans the SDK sent. (c) {@code inflight replay
 * --speed max} sends the same recording to B's otlp receiver, and B accepts exactly as many spans
 * as were recorded.
 *
 * <p>The spans lie an hour in the past, beyond the connector's allowed lateness (10m), so only event
 * time puts them in windows: with {@code watermark: wall_clock} they would all be late.
 */
class ReplayIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final long MS = 1_000_000L;
  private static final long RES = 1_000 * MS;
  private static final String SERVICE = "replay-svc";
  private static final String ACCOUNT = "account_workers";
  private static final String STORAGE = "storage_workers";
  private static final List<String> STATUSES = List.of("unset", "ok", "error");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void aRecordingReplayedByTheFileReceiverGivesTheOracleNumbersAndReplaySendsEverySpan() throws Exception {
    Path recording = Files.createDirectories(dir.resolve("recording"));

    // (a) Record: otlp -> file exporter (proto, zstd), spans from the SDK in a few batches.
    List<Planned> planned = schedule();
    Ports a = Ports.free();
    Path configA = dir.resolve("record.yaml");
    Files.writeString(configA, recordConfig(a, recording.resolve("spans.binpb")));
    try (InflightProcess p = InflightProcess.start(Map.of(), "--config", configA.toString())) {
      p.awaitHttp200(a.healthUrl(), START);
      SpanExporter exporter = SdkSpans.exporter(Transport.GRPC, a);
      try {
        List<Planned> byEnd = new ArrayList<>(planned);
        byEnd.sort(Comparator.comparingLong(Planned::end));
        int batches = 4;
        List<SpanData> sent = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
          List<Planned> batch = byEnd.subList(i * byEnd.size() / batches, (i + 1) * byEnd.size() / batches);
          List<SpanData> spans = SdkSpans.build(batch);
          SdkSpans.export(exporter, spans, p);
          SdkSpans.assertSentExactly(batch, spans);
          sent.addAll(spans);
          Thread.sleep(150);
        }
        assertThat(sent).hasSize(planned.size());
      } finally {
        exporter.shutdown().join(5, TimeUnit.SECONDS);
      }
      EdgeSupport.awaitMetric(p, a, "otelcol_receiver_accepted_spans_total", Map.of(), planned.size(),
          Duration.ofSeconds(20));
      p.signal("TERM");
      assertThat(p.waitFor(Duration.ofSeconds(20))).as("A's exit code after SIGTERM; stderr:\n%s", p.stderr()).isZero();
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(recording)) {
      files = s.toList();
    }
    assertThat(files).as("the recording").isNotEmpty();
    assertThat(Files.readAllBytes(files.get(0))).as("a zstd file").startsWith(0x28, 0xB5, 0x2F, 0xFD);

    // (b) Replay with the file receiver into the concurrency connector, event time.
    try (OtlpMetricsBackend backend = new OtlpMetricsBackend()) {
      Ports b = Ports.free();
      Path configB = dir.resolve("replay.yaml");
      Files.writeString(configB, replayConfig(b, recording + "/*", backend.port()));
      try (InflightProcess p = InflightProcess.start(Map.of(), "--config", configB.toString())) {
        p.awaitHttp200(b.healthUrl(), START);
        p.awaitStderr(err -> err.contains("idle until shutdown"), Duration.ofSeconds(60));
        EdgeSupport.awaitMetric(p, b, "otelcol_receiver_accepted_spans_total",
            Map.of("receiver", "file", "transport", "file"), planned.size(), Duration.ofSeconds(10));
        assertThat(EdgeSupport.metric(b, "otelcol_receiver_refused_spans_total", Map.of())).isZero();
        assertThat(p.stderr()).contains("records, " + planned.size() + " spans");

        // (c) inflight replay of the same files (the glob unexpanded: replay resolves it) to B's otlp receiver.
        try (InflightProcess replay = InflightProcess.start(Map.of(), "replay", recording + "/*",
            "--endpoint", "127.0.0.1:" + b.grpc(), "--speed", "max", "--json")) {
          int code = replay.waitFor(Duration.ofSeconds(60));
          assertThat(code).as("replay exit code; stdout:\n%s\nstderr:\n%s", replay.stdout(), replay.stderr()).isZero();
          JsonNode report = JSON.readTree(replay.stdout().strip());
          assertThat(report.path("spans_sent").asLong()).as(replay.stdout()).isEqualTo(planned.size());
          assertThat(report.path("spans_failed").asLong()).isZero();
          assertThat(report.path("records_failed").asLong()).isZero();
          assertThat(report.path("files").asInt()).isEqualTo(files.size());
        }
        EdgeSupport.awaitMetric(p, b, "otelcol_receiver_accepted_spans_total",
            Map.of("receiver", "otlp", "transport", "grpc"), planned.size(), Duration.ofSeconds(10));

        assertThat(EdgeSupport.metric(b, "inflight_connector_concurrency_late_spans_total", Map.of()))
            .as("late spans (event time: none)").isZero();

        // Windows close at shutdown (the allowed lateness is long): SIGTERM flushes them all.
        p.signal("TERM");
        assertThat(p.waitFor(Duration.ofSeconds(20))).as("B's exit code after SIGTERM; stderr:\n%s", p.stderr()).isZero();
      }

      Map<String, List<SweepOracle.Span>> oracle = new LinkedHashMap<>();
      for (Planned s : planned) {
        oracle.computeIfAbsent(s.workerType(), k -> new ArrayList<>()).add(s.oracleSpan());
      }
      List<Point> points = backend.points();
      List<String> problems = new ArrayList<>();
      int windows = 0;
      for (Map.Entry<String, List<SweepOracle.Span>> e : oracle.entrySet()) {
        windows += checkGroup(e.getKey(), e.getValue(), points, problems);
      }
      assertThat(problems).as("differences from the sweep oracle; points received:\n%s", backend.summary()).isEmpty();
      assertThat(windows).as("windows checked").isGreaterThanOrEqualTo(2 * 4);
      System.out.printf("ReplayIT: %d spans recorded in %d file(s); %d points received; %d windows equal to the oracle%n",
          planned.size(), files.size(), points.size(), windows);
    }
  }

  /**
   * Two worker types over about four seconds, each with 40 spans from 5ms to 900ms long, so several
   * overlap at once (and some cross window edges); statuses mixed. An hour in the past: far beyond
   * the allowed lateness, so with a wall clock every span would be late.
   */
  private static List<Planned> schedule() {
    Random random = new Random(20261123L);
    long base = Math.floorDiv(SdkSpans.nowNanos(), RES) * RES - 3_600 * RES;
    List<Planned> out = new ArrayList<>();
    for (String type : List.of(ACCOUNT, STORAGE)) {
      for (int i = 0; i < 40; i++) {
        long start = base + (long) (random.nextDouble() * 3_500 * MS) + random.nextInt(1000);
        long end = start + 5 * MS + (long) (random.nextDouble() * 895 * MS);
        StatusCode status = switch (random.nextInt(5)) {
          case 0 -> StatusCode.ERROR;
          case 1 -> StatusCode.OK;
          default -> StatusCode.UNSET;
        };
        String name = (type.equals(ACCOUNT) ? "account worker #" : "storage write #") + i;
        out.add(new Planned(SERVICE, name, start, end, status, type));
      }
    }
    return out;
  }

  /** One group's windows against the oracle; returns how many windows were checked. */
  private static int checkGroup(String workerType, List<SweepOracle.Span> spans, List<Point> points, List<String> problems) {
    Map<String, String> attrs = Map.of("worker.type", workerType, "service.name", SERVICE);
    TreeSet<Long> ends = new TreeSet<>();
    for (Point x : points) {
      if (x.metric().equals("workers.active.max") && x.attrs().equals(attrs)) {
        ends.add(x.time());
      }
    }
    if (ends.isEmpty()) {
      problems.add(workerType + ": no workers.active.max points");
      return 0;
    }
    long firstIdx = ends.first() / RES - 1;
    long lastIdx = ends.last() / RES - 1;
    long dataFirst = spans.stream().mapToLong(s -> Math.floorDiv(s.start(), RES)).min().orElseThrow();
    long dataLast = spans.stream().mapToLong(s -> Math.floorDiv(s.end() - 1, RES)).max().orElseThrow();
    if (firstIdx != dataFirst) {
      problems.add(workerType + ": first window " + firstIdx + ", expected " + dataFirst + " (the first span's)");
    }
    if (lastIdx < dataLast) {
      problems.add(workerType + ": last window " + lastIdx + ", expected at least " + dataLast + " (the last span's)");
    }
    if (ends.size() != lastIdx - firstIdx + 1) {
      problems.add(workerType + ": windows not contiguous: " + ends);
    }
    long groupStart = firstIdx * RES;
    List<SweepOracle.Window> expected = SweepOracle.windows(spans, RES, firstIdx, lastIdx + 1, new long[0]);
    for (SweepOracle.Window w : expected) {
      String at = workerType + " window [" + w.start() + ", " + w.end() + "): ";
      one(points, "workers.active.max", attrs, w.end(), at, problems)
          .ifPresent(v -> exact(v, w.activeMax(), at + "workers.active.max", problems));
      one(points, "workers.active", attrs, w.end(), at, problems)
          .ifPresent(v -> relative(v, w.active(), at + "workers.active", problems));
      one(points, "workers.busy_time", attrs, w.end(), at, problems)
          .ifPresent(v -> relative(v, w.busySeconds(), at + "workers.busy_time", problems));
      for (int s = 0; s < 3; s++) {
        Map<String, String> withStatus = new TreeMap<>(attrs);
        withStatus.put("status", STATUSES.get(s));
        double want = w.spans()[s];
        String what = at + "workers.spans{status=" + STATUSES.get(s) + "}";
        one(points, "workers.spans", withStatus, w.end(), at, problems).ifPresent(v -> exact(v, want, what, problems));
      }
      for (Point x : points) {
        if (x.time() == w.end() && x.attrs().equals(attrs) && x.metric().equals("workers.busy_time")
            && x.start() != groupStart) {
          problems.add(at + "workers.busy_time starts at " + x.start() + ", expected " + groupStart);
        }
      }
    }
    SweepOracle.Window last = expected.get(expected.size() - 1);
    if (last.spanCount() != spans.size()) {
      problems.add(workerType + ": the last window counts " + last.spanCount() + " spans, expected all " + spans.size());
    }
    if (SweepOracle.windows(spans, RES, dataFirst, dataLast + 1, new long[0]).stream()
        .mapToDouble(SweepOracle.Window::activeMax).max().orElse(0) < 3) {
      problems.add(workerType + ": fixture: the spans should overlap at least 3 deep somewhere");
    }
    return expected.size();
  }

  private static java.util.Optional<Double> one(List<Point> points, String metric, Map<String, String> attrs, long time,
      String at, List<String> problems) {
    List<Point> found = new ArrayList<>();
    for (Point x : points) {
      if (x.metric().equals(metric) && x.time() == time && x.attrs().equals(attrs)) {
        found.add(x);
      }
    }
    if (found.size() != 1) {
      problems.add(at + metric + attrs + ": " + found.size() + " points, expected 1");
      return java.util.Optional.empty();
    }
    NumberDataPoint n = found.get(0).number();
    return java.util.Optional.of(n.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? (double) n.getAsInt() : n.getAsDouble());
  }

  private static void exact(double actual, double expected, String what, List<String> problems) {
    if (actual != expected) {
      problems.add(what + " = " + actual + ", expected exactly " + expected);
    }
  }

  private static void relative(double actual, double expected, String what, List<String> problems) {
    if (!(Math.abs(actual - expected) <= 1e-9 * Math.max(1e-9, Math.abs(expected)))) {
      problems.add(what + " = " + actual + ", expected " + expected + " (within 1e-9 relative)");
    }
  }

  private static String recordConfig(Ports ports, Path file) {
    return """
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:%d
        exporters:
          file:
            path: %s
            format: proto
            compression: zstd
            flush_interval: 100ms
        """.formatted(ports.grpc(), file) + ports.service("""
        traces:
          receivers: [otlp]
          exporters: [file]
        """);
  }

  private static String replayConfig(Ports ports, String include, int metricsPort) {
    return """
        receivers:
          file:
            include: ["%s"]
            replay:
              speed: max
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:%d
        connectors:
          concurrency:
            worker_types:
              - name: account_workers
                match: "account worker*"
              - name: storage_workers
                match: "storage*"
            dimensions: [service.name]
            resolution: 1s
            allowed_lateness: 10m
            idle_expiration: 10m
            watermark: event_time
        exporters:
          otlp:
            endpoint: 127.0.0.1:%d
            tls:
              insecure: true
          debug:
        """.formatted(include, ports.grpc(), metricsPort) + ports.service("""
        traces:
          receivers: [file]
          exporters: [concurrency]
        traces/replayed:
          receivers: [otlp]
          exporters: [debug]
        metrics:
          receivers: [concurrency]
          exporters: [otlp]
        """);
  }
}
