package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inflight loadgen} and {@code inflight bench} as users run them: real processes of the built
 * jar. Loadgen drives a running inflight (the default config; only ports and the lateness moved) over
 * each protocol, and inflight's own counters must account for exactly the spans loadgen says were
 * taken; the bench's sidecar profile runs once, briefly, and prints its table.
 */
class LoadgenIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofSeconds(30);
  private static final String ACCEPTED = "otelcol_receiver_accepted_spans_total";
  private static final String REFUSED = "otelcol_receiver_refused_spans_total";
  private static final Set<String> WORKER_TYPES = Set.of("account_workers", "storage_workers", "task_queue");

  /** {@code java -jar inflight.jar loadgen args... --json}: its report, after checking it exited 0. */
  private static JsonNode loadgen(String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = "loadgen";
    System.arraycopy(args, 0, all, 1, args.length);
    all[all.length - 1] = "--json";
    try (InflightProcess p = InflightProcess.start(Map.of(), all)) {
      int code = p.waitFor(Duration.ofSeconds(60));
      assertThat(code).as("loadgen %s exit code\nstdout:\n%s\nstderr:\n%s", List.of(args), p.stdout(), p.stderr())
          .isZero();
      assertThat(p.stdout().lines()).as("one JSON line").hasSize(1);
      return JSON.readTree(p.stdout());
    }
  }

  @Test
  void everySpanLoadgenReportsIsAcceptedByInflightOverEveryProtocol() throws Exception {
    Ports ports = Ports.free();
    try (InflightProcess inflight = InflightProcess.start(Map.of(),
        ports.defaultConfigArgs("connectors.concurrency.allowed_lateness=5s").toArray(String[]::new))) {
      inflight.awaitHttp200(ports.healthUrl(), START);
      inflight.awaitHttp200(ports.queryUrl() + "/health", START);
      assertThat(EdgeSupport.metric(ports, ACCEPTED, Map.of())).isZero();

      long total = 0;
      Map<String, Long> spansByProtocol = new TreeMap<>();
      for (String protocol : List.of("grpc", "http/protobuf", "http/json")) {
        int port = protocol.equals("grpc") ? ports.grpc() : ports.http();
        JsonNode report = loadgen("--endpoint", "127.0.0.1:" + port, "--protocol", protocol,
            "--rate", "10000", "--duration", "2s", "--connections", "2");

        assertThat(report.get("protocol").asText()).isEqualTo(protocol);
        assertThat(report.get("errors").size()).as("%s errors: %s", protocol, report).isZero();
        assertThat(report.get("rejected_spans").asLong()).isZero();
        long spans = report.get("spans").asLong();
        long requests = report.get("requests").asLong();
        assertThat(spans).as(protocol).isPositive().isEqualTo(requests * 512);
        total += spans;
        spansByProtocol.put(protocol, spans);
        // Exactly what loadgen was told was taken, no more, no less.
        EdgeSupport.awaitMetric(inflight, ports, ACCEPTED, Map.of(), total, Duration.ofSeconds(10));
        assertThat(EdgeSupport.metric(ports, REFUSED, Map.of())).as("refused after %s", protocol).isZero();
      }
      assertThat(spansByProtocol).hasSize(3);

      // The connector saw them all: each span matched a worker type (one arrival-lag observation each)
      // or none (roots and database calls), and the worker spans are 30-50% of them.
      String self = InflightProcess.get(ports.metricsUrl()).body();
      double matched = EdgeSupport.metric(self, "inflight_connector_concurrency_arrival_lag_seconds_count", Map.of());
      double unmatched = EdgeSupport.metric(self, "inflight_connector_concurrency_unmatched_spans_total", Map.of());
      assertThat(EdgeSupport.metric(self, "inflight_connector_concurrency_dropped_spans_total", Map.of())).isZero();
      assertThat(EdgeSupport.metric(self, "inflight_connector_concurrency_future_spans_total", Map.of())).isZero();
      assertThat(matched + unmatched).as("matched + unmatched spans").isEqualTo(total);
      assertThat(matched / total).as("share of worker spans").isBetween(0.30, 0.50);

      // The query extension's live view: every worker type, for the generated services, with spans
      // in the windows that closed (after the 5s lateness).
      Map<String, Long> seen = new HashMap<>();
      JsonNode workers = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (!seen.keySet().equals(WORKER_TYPES)) {
        if (System.nanoTime() > deadline) {
          fail("worker types with spans seen: " + seen + "; last /api/v1/workers: " + workers
              + "\ninflight stderr (tail):\n" + tail(inflight.stderr()));
        }
        workers = JSON.readTree(InflightProcess.get(ports.queryUrl() + "/api/v1/workers").body());
        for (JsonNode row : workers.get("worker_types")) {
          assertThat(row.get("worker_type").asText()).isIn(WORKER_TYPES);
          assertThat(row.get("dimensions").get("service.name").asText()).isIn("checkout", "accounts", "payments");
          if (row.get("spans_total").asLong() > 0) {
            seen.merge(row.get("worker_type").asText(), row.get("spans_total").asLong(), Long::sum);
          }
        }
        Thread.sleep(200);
      }
      assertThat(workers.get("spans").get("accepted").asLong()).isEqualTo(total);
      assertThat(workers.get("spans").get("refused").asLong()).isZero();
      assertThat(workers.get("store").get("traces").asLong()).as("traces in the store").isPositive();
    }
  }

  @Test
  void benchSidecarProfilePrintsItsTable(@TempDir Path work) throws Exception {
    String launcher = InflightProcess.javaBin() + " -jar " + InflightProcess.JAR;
    try (InflightProcess bench = InflightProcess.start(Map.of(), "bench", "--profiles", "sidecar",
        "--warmup", "1s", "--duration", "2s", "--process-warmup", "2s", "--launcher", launcher, "--work-dir", work.toString())) {
      int code = bench.waitFor(Duration.ofSeconds(90));
      String out = bench.stdout();
      assertThat(code).as("bench exit code\nstdout:\n%s\nstderr:\n%s", out, bench.stderr()).isZero();

      assertThat(out).contains("parseFrom floor: ")
          .contains("| profile | protocol | offered spans/s | achieved spans/s | CPU µs/span | × parseFrom"
              + " | CPU % of a core | RSS MB | p99 ack ms | refused spans |");
      List<String> rows = out.lines().filter(l -> l.startsWith("| sidecar | grpc |")).toList();
      assertThat(rows).as(out).hasSize(1);
      String[] cells = rows.get(0).split("\\|");
      // "", profile, protocol, offered, achieved, CPU µs/span, × parseFrom, CPU %, RSS, p99, refused
      assertThat(cells).hasSize(11);
      assertThat(cells[3].strip()).isEqualTo("10,000");
      double achieved = Double.parseDouble(cells[4].strip().replace(",", ""));
      assertThat(achieved).as(rows.get(0)).isPositive();
      assertThat(Double.parseDouble(cells[5].strip())).as("CPU µs per span").isPositive();
      assertThat(Double.parseDouble(cells[8].strip())).as("RSS MB").isPositive();
      assertThat(cells[10].strip()).as("refused spans").isEqualTo("0");
      assertThat(out).containsPattern("sidecar \\(default config\\): start to healthy [0-9]+\\.[0-9]{2} s");
      // The sidecar ran where we said, and was stopped.
      assertThat(work.resolve("inflight-sidecar.log")).exists();
      assertThat(bench.stderr()).contains("sidecar: inflight pid ");
    }
  }

  private static String tail(String s) {
    return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
  }
}
