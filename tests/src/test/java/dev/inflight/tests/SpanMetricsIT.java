package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.tests.PrometheusServer.Sample;
import dev.inflight.tests.PrometheusServer.ScrapeTarget;
import dev.inflight.tests.SdkSpans.Transport;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code spanmetrics} connector end to end: the OpenTelemetry Java SDK sends spans over
 * OTLP/gRPC to a running inflight whose traces pipeline feeds {@code spanmetrics} and whose metrics
 * pipeline feeds the {@code prometheus} exporter, which a real Prometheus scrapes. The names a
 * Collector dashboard queries ({@code traces_span_metrics_calls_total}, {@code
 * traces_span_metrics_duration_milliseconds_bucket}) hold, per series, the calls and cumulative
 * bucket counts this test computes from the spans the SDK sent.
 */
class SpanMetricsIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final long MS = 1_000_000L;
  private static final String SERVICE = "spanm-it";
  /** contrib's default bounds, ms. */
  private static final double[] BOUNDS = {2, 4, 6, 8, 10, 50, 100, 200, 400, 800, 1000, 1400, 2000, 5000, 10_000, 15_000};

  @TempDir Path dir;

  private record Planned(String name, SpanKind kind, StatusCode status, String method, long durationNanos) {}

  /** Durations on bucket bounds (inclusive) and between them; one span without http.method. */
  private static final List<Planned> PLAN = List.of(
      new Planned("GET /cart", SpanKind.SERVER, StatusCode.UNSET, "GET", 1 * MS),
      new Planned("GET /cart", SpanKind.SERVER, StatusCode.UNSET, "GET", 2 * MS),
      new Planned("GET /cart", SpanKind.SERVER, StatusCode.UNSET, "GET", 2 * MS + 1),
      new Planned("GET /cart", SpanKind.SERVER, StatusCode.UNSET, "GET", 120 * MS),
      new Planned("GET /cart", SpanKind.SERVER, StatusCode.ERROR, "GET", 2_500 * MS),
      new Planned("POST /cart", SpanKind.SERVER, StatusCode.OK, "POST", 50 * MS),
      new Planned("SELECT cart", SpanKind.CLIENT, StatusCode.UNSET, null, 5 * MS),
      new Planned("SELECT cart", SpanKind.CLIENT, StatusCode.UNSET, null, 7 * MS + 500_000),
      new Planned("SELECT cart", SpanKind.CLIENT, StatusCode.UNSET, null, 20_000 * MS));

  @Test
  void prometheusScrapesCallsAndDurationsUnderContribsNames() throws Exception {
    Ports ports = Ports.free();
    Path config = dir.resolve("spanmetrics.yaml");
    Files.writeString(config, ports.otlpReceivers() + """
        connectors:
          span_metrics:
            metrics_flush_interval: 1s
            dimensions:
              - name: http.method
                default: NONE
        exporters:
          prometheus:
            endpoint: 127.0.0.1:%d
        """.formatted(ports.prometheus()) + ports.service("""
        traces:
          receivers: [otlp]
          exporters: [span_metrics]
        metrics:
          receivers: [span_metrics]
          exporters: [prometheus]
        """));
    try (InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString());
        PrometheusServer prometheus = PrometheusServer.start(
            List.of(ScrapeTarget.of("inflight", "127.0.0.1:" + ports.prometheus())))) {
      p.awaitHttp200(ports.healthUrl(), START);
      List<SpanData> sent = send(ports, p);
      assertThat(sent).hasSize(PLAN.size());

      // Expected, from what the SDK sent: calls and cumulative bucket counts per series.
      Map<String, Long> calls = new TreeMap<>();
      Map<String, long[]> buckets = new TreeMap<>();
      for (SpanData s : sent) {
        String key = key(s.getName(), "SPAN_KIND_" + s.getKind().name(), "STATUS_CODE_" + s.getStatus().getStatusCode().name(),
            s.getAttributes().asMap().entrySet().stream().filter(e -> e.getKey().getKey().equals("http.method"))
                .map(e -> e.getValue().toString()).findFirst().orElse("NONE"));
        calls.merge(key, 1L, Long::sum);
        double ms = (s.getEndEpochNanos() - s.getStartEpochNanos()) / 1e6;
        long[] b = buckets.computeIfAbsent(key, k -> new long[BOUNDS.length + 1]);
        for (int i = 0; i < BOUNDS.length; i++) {
          if (ms <= BOUNDS[i]) {
            b[i]++; // cumulative: every bound at or above the value
          }
        }
        b[BOUNDS.length]++; // +Inf
      }
      assertThat(calls).hasSize(4);

      String sel = "{service_name=\"" + SERVICE + "\"}";
      long total = calls.values().stream().mapToLong(Long::longValue).sum();
      prometheus.awaitVector("sum(traces_span_metrics_calls_total" + sel + ")",
          v -> v.size() == 1 && v.get(0).value() == total, Duration.ofSeconds(30));

      // The scrape endpoint itself, read with a plain HTTP client.
      String text = InflightProcess.get(ports.prometheusUrl()).body();
      assertThat(text).contains("# TYPE traces_span_metrics_calls_total counter")
          .contains("# TYPE traces_span_metrics_duration_milliseconds histogram");

      List<String> problems = new ArrayList<>();
      for (Sample s : prometheus.vector("traces_span_metrics_calls_total" + sel)) {
        Map<String, String> l = s.labels();
        String key = key(l.get("span_name"), l.get("span_kind"), l.get("status_code"), l.get("http_method"));
        if (!calls.containsKey(key) || calls.get(key) != s.value()) {
          problems.add("calls " + key + " = " + s.value() + ", expected " + calls.get(key));
        }
        assertThat(l).containsEntry("otel_scope_name", "spanmetricsconnector").doesNotContainKeys("span.name");
      }
      assertThat(prometheus.vector("traces_span_metrics_calls_total" + sel)).hasSize(calls.size());
      List<Sample> bucketSamples = prometheus.vector("traces_span_metrics_duration_milliseconds_bucket" + sel);
      assertThat(bucketSamples).hasSize(calls.size() * (BOUNDS.length + 1));
      for (Sample s : bucketSamples) {
        Map<String, String> l = s.labels();
        String key = key(l.get("span_name"), l.get("span_kind"), l.get("status_code"), l.get("http_method"));
        double le = PrometheusServer.parseValue(l.get("le"));
        int i = 0;
        while (i < BOUNDS.length && BOUNDS[i] != le) {
          i++;
        }
        long expected = buckets.get(key)[i];
        if (s.value() != expected) {
          problems.add("bucket " + key + " le=" + l.get("le") + " = " + s.value() + ", expected " + expected);
        }
      }
      for (Sample s : prometheus.vector("traces_span_metrics_duration_milliseconds_count" + sel)) {
        Map<String, String> l = s.labels();
        String key = key(l.get("span_name"), l.get("span_kind"), l.get("status_code"), l.get("http_method"));
        if (s.value() != calls.get(key)) {
          problems.add("count " + key + " = " + s.value());
        }
      }
      // A dashboard's error rate: the ERROR series of GET /cart.
      assertThat(prometheus.single("sum(traces_span_metrics_calls_total{service_name=\"" + SERVICE
          + "\",status_code=\"STATUS_CODE_ERROR\"})").orElseThrow()).isEqualTo(1);
      assertThat(problems).as("Prometheus vs the spans sent; Prometheus log:\n%s", prometheus.logTail()).isEmpty();
    }
  }

  /**
   * inflight's {@code timestamp: event_time}, into Prometheus by remote write: replayed spans that
   * ended 40s and 20s ago are stored at the latest span's end, not at the flush (contrib's stamp).
   */
  @Test
  void eventTimeStoresPointsAtTheirSpansEnd() throws Exception {
    try (PrometheusServer prometheus = PrometheusServer.start(List.of())) {
      Ports ports = Ports.free();
      Path config = dir.resolve("event-time.yaml");
      Files.writeString(config, ports.otlpReceivers() + """
          connectors:
            spanmetrics:
              metrics_flush_interval: 1s
              timestamp: event_time
          exporters:
            prometheusremotewrite:
              endpoint: %s
          """.formatted(prometheus.remoteWriteUrl()) + ports.service("""
          traces:
            receivers: [otlp]
            exporters: [spanmetrics]
          metrics:
            receivers: [spanmetrics]
            exporters: [prometheusremotewrite]
          """));
      try (InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString())) {
        p.awaitHttp200(ports.healthUrl(), START);
        long now = SdkSpans.nowNanos();
        long first = now - 40_000 * MS;
        long last = now - 20_000 * MS;
        CollectingSpanExporter collect = new CollectingSpanExporter();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
            .setResource(Resource.getDefault().merge(Resource.builder().put("service.name", SERVICE).build()))
            .addSpanProcessor(SimpleSpanProcessor.create(collect)).build()) {
          for (long end : new long[] {first, first, last}) {
            provider.get("dev.inflight.tests.spanmetrics").spanBuilder("replayed").setNoParent()
                .setStartTimestamp(end - 5 * MS, TimeUnit.NANOSECONDS).startSpan().end(end, TimeUnit.NANOSECONDS);
          }
        }
        SpanExporter exporter = SdkSpans.exporter(Transport.HTTP, ports);
        try {
          SdkSpans.export(exporter, collect.finished(), p);
        } finally {
          exporter.shutdown().join(5, TimeUnit.SECONDS);
        }
        String selector = "traces_span_metrics_calls_total{span_name=\"replayed\"}";
        prometheus.awaitVector("count_over_time(" + selector + "[5m])", v -> v.size() == 1, Duration.ofSeconds(30));
        List<PrometheusServer.Series> stored = prometheus.stored(selector, Duration.ofMinutes(5));
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).samples()).isNotEmpty().allSatisfy(s -> {
          assertThat(s.value()).isEqualTo(3);
          assertThat(s.timestamp().toEpochMilli()).isEqualTo(last / MS); // not the flush, 20s later
        });
      }
    }
  }

  private static String key(String name, String kind, String status, String method) {
    return name + "|" + kind + "|" + status + "|" + method;
  }

  /** The plan as the SDK records it, ending a second ago, exported over OTLP/gRPC. */
  private static List<SpanData> send(Ports ports, InflightProcess p) {
    CollectingSpanExporter collect = new CollectingSpanExporter();
    long end = SdkSpans.nowNanos() - 1_000 * MS;
    try (SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.builder().put("service.name", SERVICE).build()))
        .addSpanProcessor(SimpleSpanProcessor.create(collect)).build()) {
      for (Planned s : PLAN) {
        var builder = provider.get("dev.inflight.tests.spanmetrics").spanBuilder(s.name()).setNoParent()
            .setSpanKind(s.kind()).setStartTimestamp(end - s.durationNanos(), TimeUnit.NANOSECONDS);
        if (s.method() != null) {
          builder.setAttribute("http.method", s.method());
        }
        Span span = builder.startSpan();
        if (s.status() != StatusCode.UNSET) {
          span.setStatus(s.status());
        }
        span.end(end, TimeUnit.NANOSECONDS);
      }
    }
    SpanExporter exporter = SdkSpans.exporter(Transport.GRPC, ports);
    try {
      SdkSpans.export(exporter, collect.finished(), p);
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
    return collect.finished();
  }
}
