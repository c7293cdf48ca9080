package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code prometheus} receiver end to end, as a Collector config uses it: a running inflight
 * scrapes a real Prometheus server's {@code /metrics}, its own self-telemetry endpoint (the
 * Collector's self-scrape on :8888) and a port nobody listens on, and writes what it reads with the
 * {@code file} exporter as OTLP/JSON. Values are checked against what the scraped processes say
 * themselves: Prometheus's build version from its API, inflight's own count of the points this
 * receiver handed on.
 */
class PrometheusReceiverIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void scrapesPrometheusItselfAndADownTargetIntoOtlpMetrics() throws Exception {
    int telemetry = InflightProcess.freePort();
    int health = InflightProcess.freePort();
    int down = InflightProcess.freePort(); // handed out, never bound: connection refused
    Path out = dir.resolve("metrics.jsonl");
    try (PrometheusServer prometheus = PrometheusServer.start(List.of())) {
      String prometheusTarget = URI.create(prometheus.baseUrl()).getAuthority();
      Path config = dir.resolve("scrape.yaml");
      Files.writeString(config, """
          receivers:
            prometheus:
              config:
                global:
                  scrape_interval: 1s
                  external_labels: {cluster: it}
                scrape_configs:
                  - job_name: prom
                    static_configs:
                      - targets: ['%s']
                        labels: {env: test}
                  - job_name: otel-collector
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                    metric_relabel_configs:
                      - source_labels: [__name__]
                        regex: 'otelcol_process_.*'
                        action: drop
                  - job_name: down
                    scrape_timeout: 500ms
                    static_configs:
                      - targets: ['127.0.0.1:%d']
          exporters:
            file:
              path: %s
              format: json
              flush_interval: 200ms
          extensions:
            health_check:
              endpoint: 127.0.0.1:%d
          service:
            extensions: [health_check]
            telemetry:
              metrics:
                readers:
                  - pull: {exporter: {prometheus: {host: 127.0.0.1, port: %d}}}
            pipelines:
              metrics:
                receivers: [prometheus]
                exporters: [file]
          """.formatted(prometheusTarget, telemetry, down, out, health, telemetry));
      try (InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString())) {
        p.awaitHttp200("http://127.0.0.1:" + health + "/", Duration.ofSeconds(60));

        // Two scrapes of inflight itself that saw points accepted: the counter has grown between them.
        List<Point> accepted = awaitPoints(out, p, "otel-collector", "otelcol_receiver_accepted_metric_points",
            pts -> pts.stream().filter(pt -> "prometheus".equals(pt.attributes.get("receiver"))
                && pt.value > 0).map(pt -> pt.value).distinct().count() >= 2);
        Point first = accepted.stream().filter(pt -> "prometheus".equals(pt.attributes.get("receiver")))
            .filter(pt -> pt.value > 0).findFirst().orElseThrow();
        assertThat(first.kind).isEqualTo("sum");
        assertThat(first.metric.path("sum").path("isMonotonic").asBoolean()).isTrue();
        assertThat(first.metric.path("sum").path("aggregationTemporality").asText())
            .isEqualTo("2"); // OTLP/JSON writes enums as integers: CUMULATIVE
        assertThat(first.resource).containsEntry("service.name", "otel-collector")
            .containsEntry("service.instance.id", "127.0.0.1:" + telemetry)
            .containsEntry("server.port", String.valueOf(telemetry))
            .containsEntry("url.scheme", "http")
            .doesNotContainKey("server.address"); // the contrib receiver leaves out loopback hosts
        assertThat(first.attributes).containsEntry("cluster", "it").containsEntry("transport", "http");

        // metric_relabel_configs dropped the process metrics inflight exposes, and only those.
        assertThat(InflightProcess.get("http://127.0.0.1:" + telemetry + "/metrics").body()).contains("otelcol_process_uptime");
        assertThat(metricNames(out, "otel-collector")).contains("otelcol_receiver_accepted_metric_points")
            .noneMatch(n -> n.startsWith("otelcol_process_"));
        assertThat(metricNames(out, "prom")).anyMatch(n -> n.startsWith("process_")); // only that job's rule
        double scraped = awaitPoints(out, p, "otel-collector", "scrape_samples_scraped", pts -> !pts.isEmpty()).get(0).value;
        double kept = awaitPoints(out, p, "otel-collector", "scrape_samples_post_metric_relabeling", pts -> !pts.isEmpty())
            .get(0).value;
        assertThat(kept).isPositive().isLessThan(scraped);

        // Prometheus's own build info, the version its API reports.
        String version = JSON.readTree(InflightProcess.get(prometheus.baseUrl() + "/api/v1/status/buildinfo").body())
            .path("data").path("version").asText();
        assertThat(version).isNotEmpty();
        List<Point> build = awaitPoints(out, p, "prom", "prometheus_build_info", pts -> !pts.isEmpty());
        assertThat(build.get(0).kind).isEqualTo("gauge");
        assertThat(build.get(0).value).isEqualTo(1.0);
        assertThat(build.get(0).attributes).containsEntry("version", version).containsEntry("env", "test")
            .doesNotContainKeys("job", "instance");
        assertThat(build.get(0).resource).containsEntry("service.instance.id", prometheusTarget);

        // A histogram Prometheus exposes: explicit bounds from `le`, bucket counts that add up to the count.
        List<Point> durations = awaitPoints(out, p, "prom", "prometheus_http_request_duration_seconds",
            pts -> pts.stream().anyMatch(pt -> pt.count > 0));
        Point h = durations.stream().filter(pt -> pt.count > 0).findFirst().orElseThrow();
        assertThat(h.kind).isEqualTo("histogram");
        JsonNode dp = h.point;
        long sum = 0;
        for (JsonNode c : dp.path("bucketCounts")) {
          sum += c.asLong();
        }
        assertThat(sum).isEqualTo(h.count);
        assertThat(dp.path("bucketCounts").size()).isEqualTo(dp.path("explicitBounds").size() + 1);

        // up: 1 for the targets that answer, 0 for the one that does not.
        assertThat(awaitPoints(out, p, "prom", "up", pts -> !pts.isEmpty()).get(0).value).isEqualTo(1.0);
        assertThat(awaitPoints(out, p, "otel-collector", "up", pts -> !pts.isEmpty()).get(0).value).isEqualTo(1.0);
        List<Point> downUp = awaitPoints(out, p, "down", "up", pts -> pts.size() >= 3);
        assertThat(downUp).allSatisfy(pt -> assertThat(pt.value).isEqualTo(0.0));
        String warn = "scrape of http://127.0.0.1:" + down + "/metrics (job down) failed: connection refused";
        assertThat(p.stderr()).contains(warn);
        // One WARN line while it keeps failing the same way, not one per scrape.
        assertThat(p.stderr().split(java.util.regex.Pattern.quote(warn), -1).length - 1).isEqualTo(1);
      }
    }
  }

  /** One data point as the file exporter wrote it, with its metric, resource and point attributes. */
  private record Point(String kind, JsonNode metric, JsonNode point, Map<String, String> resource,
      Map<String, String> attributes, double value, long count) {}

  /** Waits until the points of {@code metric} scraped by {@code job} satisfy {@code done}; returns them in file order. */
  private static List<Point> awaitPoints(Path file, InflightProcess p, String job, String metric,
      Predicate<List<Point>> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<Point> points = List.of();
    while (System.nanoTime() < deadline) {
      points = read(file, job, metric);
      if (done.test(points)) {
        return points;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no satisfying points of " + metric + " from job " + job + " within 60s; got "
        + points.size() + " points; inflight's stderr:\n" + p.stderr());
  }

  private static List<Point> read(Path file, String job, String metric) throws IOException {
    List<Point> points = new ArrayList<>();
    for (Scraped s : metrics(file, job)) {
      if (!metric.equals(s.metric.path("name").asText())) {
        continue;
      }
      for (String kind : List.of("gauge", "sum", "histogram")) {
        for (JsonNode dp : s.metric.path(kind).path("dataPoints")) {
          double value = dp.has("asDouble") ? dp.path("asDouble").asDouble() : dp.path("asInt").asDouble();
          points.add(new Point(kind, s.metric, dp, s.resource, attributes(dp.path("attributes")), value,
              dp.path("count").asLong()));
        }
      }
    }
    return points;
  }

  /** Every metric name the file holds from {@code job}. */
  private static Set<String> metricNames(Path file, String job) throws IOException {
    Set<String> names = new TreeSet<>();
    for (Scraped s : metrics(file, job)) {
      names.add(s.metric.path("name").asText());
    }
    return names;
  }

  /** One metric the file exporter wrote, with its resource's attributes. */
  private record Scraped(Map<String, String> resource, JsonNode metric) {}

  /** The metrics of every OTLP/JSON line in {@code file} (a line still being flushed is skipped) from {@code job}. */
  private static List<Scraped> metrics(Path file, String job) throws IOException {
    List<Scraped> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode req;
      try {
        req = JSON.readTree(line);
      } catch (IOException partial) {
        continue;
      }
      for (JsonNode rm : req.path("resourceMetrics")) {
        Map<String, String> resource = attributes(rm.path("resource").path("attributes"));
        if (!job.equals(resource.get("service.name"))) {
          continue;
        }
        for (JsonNode sm : rm.path("scopeMetrics")) {
          for (JsonNode m : sm.path("metrics")) {
            out.add(new Scraped(resource, m));
          }
        }
      }
    }
    return out;
  }

  private static Map<String, String> attributes(JsonNode kvs) {
    Map<String, String> out = new HashMap<>();
    for (JsonNode kv : kvs) {
      JsonNode v = kv.path("value");
      out.put(kv.path("key").asText(), v.has("stringValue") ? v.path("stringValue").asText() : v.toString());
    }
    return out;
  }
}
