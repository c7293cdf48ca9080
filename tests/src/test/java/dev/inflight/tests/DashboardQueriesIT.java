package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inflight.tests.ComposeStackTest.Expr;
import dev.inflight.tests.PrometheusServer.Sample;
import dev.inflight.tests.PrometheusServer.ScrapeTarget;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose stack's Grafana dashboards show data: inflight runs the default config (otel-collector.yaml,
 * ports and lateness moved with --set), a real Prometheus scrapes its {@code prometheus} exporter (job
 * inflight-workers) and its self-telemetry (job inflight-self) as docker/prometheus/prometheus.yml does,
 * and the compose stack's demo service (docker/demo/demo.mjs, the Node.js OpenTelemetry SDK) sends it
 * spans. While the demo runs, every query of every panel of every dashboard in
 * docker/grafana/dashboards/ — Grafana's variables replaced as Grafana would, "All" selected — must
 * return at least one sample with a value, and every template variable must offer values. The failure
 * lists every query that did not.
 *
 * <p>This checks names and labels end to end (connector → exporter → Prometheus' translation →
 * dashboard) with the Prometheus this machine has (2.42); the stack's Prometheus 3 reads the same
 * names. A missing {@code node}, {@code prometheus} or docker/demo/node_modules is a failure ({@code ./test}
 * installs them).
 */
class DashboardQueriesIT {
  private static final Path DEMO = InflightProcess.ROOT.resolve("docker/demo");
  private static final Path DASHBOARDS = InflightProcess.ROOT.resolve("docker/grafana/dashboards");
  private static final Duration START = Duration.ofSeconds(60);
  /** How long the demo runs; the queries are evaluated while it does. */
  private static final int DEMO_SECONDS = 25;
  private static final String SERVICE = "demo-accounts";

  /** What Grafana puts for its own variables, for a Prometheus scraped every second. */
  private static final Map<String, String> GRAFANA_BUILTINS = Map.of(
      "__rate_interval", "15s", "__interval", "5s", "__interval_ms", "5000", "__range", "5m", "__range_s", "300",
      "__range_ms", "300000");

  @TempDir Path dir;

  @Test
  void everyPanelOfEveryDashboardHasDataWhileTheDemoRuns() throws Exception {
    Path node = findNode();
    if (!Files.isDirectory(DEMO.resolve("node_modules/@opentelemetry/sdk-trace-base"))
        || !Files.isDirectory(DEMO.resolve("node_modules/@opentelemetry/exporter-trace-otlp-proto"))
        || !Files.isDirectory(DEMO.resolve("node_modules/@opentelemetry/exporter-logs-otlp-proto"))) {
      fail(DEMO.resolve("node_modules") + " lacks the OpenTelemetry packages (CI=" + System.getenv("CI")
          + "): run ./test, or `npm ci` in docker/demo");
    }
    List<Path> dashboards = ComposeStackTest.dashboardFiles(DASHBOARDS);
    assertThat(dashboards).as("dashboards in %s", DASHBOARDS).isNotEmpty();

    Ports ports = Ports.free();
    try (InflightProcess inflight = InflightProcess.start(Map.of(),
            ports.defaultConfigArgs("connectors.concurrency.allowed_lateness=2s").toArray(String[]::new));
        PrometheusServer prometheus = PrometheusServer.start(List.of(
            ScrapeTarget.of("inflight-workers", "127.0.0.1:" + ports.prometheus()),
            ScrapeTarget.of("inflight-self", "127.0.0.1:" + ports.telemetry())))) {
      inflight.awaitHttp200(ports.healthUrl(), START);
      prometheus.awaitVector("up{job=~\"inflight-workers|inflight-self\"} == 1", s -> s.size() == 2, Duration.ofSeconds(40));

      Path out = dir.resolve("demo.out");
      Path err = dir.resolve("demo.err");
      ProcessBuilder pb = new ProcessBuilder(node.toString(), "demo.mjs").directory(DEMO.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().putAll(Map.of(
          "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + ports.http(),
          "DEMO_RATE", "80",
          "DEMO_DURATION_SECONDS", Integer.toString(DEMO_SECONDS),
          "OTEL_BSP_SCHEDULE_DELAY", "200",
          "OTEL_BLRP_SCHEDULE_DELAY", "200"));
      Process demo = pb.start();
      long demoEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEMO_SECONDS);
      try {
        // The first windows close 2s after they end; wait for all three worker types of the demo.
        prometheus.awaitVector("count by (worker_type) (workers_spans_total{service_name=\"" + SERVICE + "\"})",
            s -> s.size() == 3, Duration.ofSeconds(20));

        // Every query, until all have data; rate() over 15s needs a few scrapes first, so retry while the demo runs.
        Map<String, String> unanswered = new LinkedHashMap<>();
        do {
          unanswered = unansweredQueries(prometheus, dashboards);
          if (unanswered.isEmpty()) {
            break;
          }
          Thread.sleep(1000);
        } while (System.nanoTime() < demoEnds - TimeUnit.SECONDS.toNanos(2) && demo.isAlive());
        assertThat(unanswered)
            .as("dashboard queries that returned no sample with a value while the demo ran (the demo's output:\n%s\n%s)",
                Files.readString(out), Files.readString(err))
            .isEmpty();

        // The variables offer the demo's service and its three worker types.
        Map<String, Set<String>> offered = variableValues(prometheus, dashboards);
        assertThat(offered.get("service_name")).as("service_name offers").contains(SERVICE);
        assertThat(offered.get("worker_type")).as("worker_type offers")
            .contains("account_workers", "storage_workers", "task_queue");
      } finally {
        if (!demo.waitFor(DEMO_SECONDS + 30, TimeUnit.SECONDS)) {
          demo.destroyForcibly();
          fail("node demo.mjs did not stop after DEMO_DURATION_SECONDS=" + DEMO_SECONDS + "\n" + Files.readString(out));
        }
      }
      // It finished its jobs, flushed, and inflight took every span and every log record (the default
      // config's logs pipeline).
      assertThat(demo.exitValue()).as("node demo.mjs exit code; its output:\n%s\n%s", Files.readString(out),
          Files.readString(err)).isZero();
      assertThat(Files.readString(out)).contains("demo: done:").contains(" 0 failed to export")
          .contains(" 0 log records failed to export");
    }
  }

  /** The queries of every panel of {@code dashboards} that return no sample with a value now, with what they returned. */
  private static Map<String, String> unansweredQueries(PrometheusServer prometheus, List<Path> dashboards) {
    Map<String, String> unanswered = new LinkedHashMap<>();
    for (Path d : dashboards) {
      Map<String, String> values = variableSubstitutions(ComposeStackTest.readJson(d));
      for (Expr e : ComposeStackTest.dashboardExprs(d)) {
        String promql = ComposeStackTest.substitute(e.expr(), values);
        String where = d.getFileName() + " \"" + e.panel() + "\" " + e.refId() + ": " + promql;
        try {
          List<Sample> samples = prometheus.vector(promql);
          if (samples.isEmpty()) {
            unanswered.put(where, "no samples");
          } else if (samples.stream().noneMatch(s -> Double.isFinite(s.value()))) {
            unanswered.put(where, "only " + samples);
          }
        } catch (IllegalStateException rejected) {
          unanswered.put(where, rejected.getMessage());
        }
      }
    }
    return unanswered;
  }

  /** What Grafana substitutes for each variable of the dashboard with "All" selected (its allValue), and its own. */
  static Map<String, String> variableSubstitutions(JsonNode dashboard) {
    Map<String, String> values = new LinkedHashMap<>(GRAFANA_BUILTINS);
    for (JsonNode v : dashboard.path("templating").path("list")) {
      String name = v.path("name").asText();
      if (v.path("includeAll").asBoolean()) {
        String all = v.path("allValue").asText("");
        values.put(name, all.isEmpty() ? ".*" : all);
      } else {
        JsonNode current = v.path("current").path("value");
        values.put(name, current.isArray() ? current.path(0).asText(".*") : current.asText(".*"));
      }
    }
    return values;
  }

  private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\s*\\)");

  /** The values each {@code label_values(metric{...}, label)} variable offers, from the same query in PromQL. */
  private static Map<String, Set<String>> variableValues(PrometheusServer prometheus, List<Path> dashboards) {
    Map<String, Set<String>> offered = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (Path d : dashboards) {
      JsonNode dashboard = ComposeStackTest.readJson(d);
      Map<String, String> values = variableSubstitutions(dashboard);
      for (JsonNode v : dashboard.path("templating").path("list")) {
        if (!"query".equals(v.path("type").asText())) {
          continue;
        }
        String query = ComposeStackTest.substitute(ComposeStackTest.variableQuery(v), values);
        Matcher m = LABEL_VALUES.matcher(query);
        if (!m.matches()) {
          problems.add(d.getFileName() + " variable " + v.path("name").asText() + ": not label_values(series, label): " + query);
          continue;
        }
        String promql = "count by (" + m.group(2) + ") (" + m.group(1) + ")";
        Set<String> labelValues = new TreeSet<>();
        for (Sample s : prometheus.vector(promql)) {
          labelValues.add(s.labels().getOrDefault(m.group(2), ""));
        }
        if (labelValues.isEmpty()) {
          problems.add(d.getFileName() + " variable " + v.path("name").asText() + " offers nothing: " + promql);
        }
        offered.computeIfAbsent(v.path("name").asText(), k -> new TreeSet<>()).addAll(labelValues);
      }
    }
    assertThat(problems).as("template variables").isEmpty();
    return offered;
  }

  /** {@code node} on the PATH; missing, the test fails (./test installs Debian's nodejs). */
  private static Path findNode() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "node")) && Files.isRegularFile(Path.of(d, "node"))) {
        return Path.of(d, "node");
      }
    }
    return fail("no `node` on the PATH (CI=" + System.getenv("CI") + "): DashboardQueriesIT runs docker/demo/demo.mjs; "
        + "./test installs the Debian packages nodejs and npm. PATH=" + path);
  }
}
