package dev.inflight.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * Documents shaped exactly as the query extension's API contract gives them (the fields and
 * example values of /api/v1/workers and /trace/{id}), and a JDK HTTP server on 127.0.0.1 that
 * answers with them.
 */
final class QueryApiFixture implements AutoCloseable {
  /** GET /api/v1/workers: two groups of one service, one with capacity, one without. */
  static final String WORKERS = """
      {
        "time_unix_ms": 1763900016123,
        "uptime_s": 123.4,
        "resolution_ms": 1000,
        "allowed_lateness_ms": 15000,
        "process": {"cpu_percent": 3.2, "cpu_seconds": 12.3, "memory_rss_mb": 180.5, "heap_used_mb": 40.1, "threads": 31},
        "spans": {"accepted": 12345, "refused": 0},
        "store": {"traces": 120, "spans": 5400, "bytes": 1234567, "max_bytes": 67108864, "max_age_s": 1800, "evicted_traces": 0},
        "worker_types": [
          {
            "connector": "concurrency",
            "worker_type": "account_workers",
            "dimensions": {"service.name": "checkout"},
            "capacity": 16,
            "active": 3.71,
            "peak": 7,
            "peak_15m": 9,
            "utilization": 0.2319,
            "spans_total": 256,
            "spans_failed": 3,
            "late_spans": 0,
            "p50_ms": 12.5, "p99_ms": 48.0,
            "window_start_unix_ms": 1763900000000, "window_end_unix_ms": 1763900001000
          },
          {
            "connector": "concurrency",
            "worker_type": "storage_workers",
            "dimensions": {"service.name": "checkout"},
            "capacity": null,
            "active": 0.5,
            "peak": 2,
            "peak_15m": 4,
            "utilization": null,
            "spans_total": 40,
            "spans_failed": 0,
            "late_spans": 2,
            "p50_ms": null, "p99_ms": null,
            "window_start_unix_ms": 1763900000000, "window_end_unix_ms": 1763900001000
          }
        ]
      }
      """;

  /**
   * GET /api/v1/workers?provisional=true: account_workers with a closed window and seven open ones
   * after it, payments_workers seen only in open windows so far (its row is its newest), and
   * storage_workers idle since its last closed window.
   */
  static final String PROVISIONAL_WORKERS = """
      {
        "time_unix_ms": 1763900016123,
        "uptime_s": 123.4,
        "resolution_ms": 1000,
        "allowed_lateness_ms": 15000,
        "provisional": true,
        "final_until_unix_ms": 1763900001000,
        "provisional_until_unix_ms": 1763900017000,
        "process": {"cpu_percent": 3.2, "cpu_seconds": 12.3, "memory_rss_mb": 180.5, "heap_used_mb": 40.1, "threads": 31},
        "spans": {"accepted": 12345, "refused": 0},
        "store": {"traces": 120, "spans": 5400, "bytes": 1234567, "max_bytes": 67108864, "max_age_s": 1800, "evicted_traces": 0},
        "worker_types": [
          {
            "connector": "concurrency", "key": "account_workers{service.name=checkout}",
            "worker_type": "account_workers", "dimensions": {"service.name": "checkout"}, "capacity": 16,
            "final": true, "active": 3.71, "peak": 7, "peak_15m": 9, "utilization": 0.2319,
            "spans_total": 256, "spans_failed": 3, "late_spans": 0, "p50_ms": 12.5, "p99_ms": 48.0,
            "window_start_unix_ms": 1763900000000, "window_end_unix_ms": 1763900001000,
            "provisional_windows": [
              {"window_start_unix_ms": 1763900010000, "window_end_unix_ms": 1763900011000, "active": 3.9, "peak": 8, "utilization": 0.2437, "spans_total": 276, "spans_failed": 3, "late_spans": 0, "final": false},
              {"window_start_unix_ms": 1763900011000, "window_end_unix_ms": 1763900012000, "active": 4.1, "peak": 8, "utilization": 0.2562, "spans_total": 296, "spans_failed": 3, "late_spans": 0, "final": false},
              {"window_start_unix_ms": 1763900012000, "window_end_unix_ms": 1763900013000, "active": 4.0, "peak": 7, "utilization": 0.25, "spans_total": 316, "spans_failed": 3, "late_spans": 0, "final": false},
              {"window_start_unix_ms": 1763900013000, "window_end_unix_ms": 1763900014000, "active": 3.2, "peak": 6, "utilization": 0.2, "spans_total": 336, "spans_failed": 3, "late_spans": 0, "final": false},
              {"window_start_unix_ms": 1763900014000, "window_end_unix_ms": 1763900015000, "active": 4.4, "peak": 9, "utilization": 0.275, "spans_total": 356, "spans_failed": 3, "late_spans": 0, "final": false},
              {"window_start_unix_ms": 1763900015000, "window_end_unix_ms": 1763900016000, "active": 2.5, "peak": 5, "utilization": 0.1562, "spans_total": 376, "spans_failed": 3, "late_spans": 0, "final": false},
              {"window_start_unix_ms": 1763900016000, "window_end_unix_ms": 1763900017000, "active": 0.8, "peak": 2, "utilization": 0.05, "spans_total": 396, "spans_failed": 3, "late_spans": 0, "final": false}
            ]
          },
          {
            "connector": "concurrency", "key": "payments_workers{service.name=checkout}",
            "worker_type": "payments_workers", "dimensions": {"service.name": "checkout"}, "capacity": 8,
            "final": false, "active": 0.3, "peak": 1, "peak_15m": 1, "utilization": 0.0375,
            "spans_total": 21, "spans_failed": 0, "late_spans": 0, "p50_ms": null, "p99_ms": null,
            "window_start_unix_ms": 1763900016000, "window_end_unix_ms": 1763900017000,
            "provisional_windows": [
              {"window_start_unix_ms": 1763900014000, "window_end_unix_ms": 1763900015000, "active": 1.5, "peak": 3, "utilization": 0.1875, "spans_total": 7, "spans_failed": 0, "late_spans": 0, "final": false},
              {"window_start_unix_ms": 1763900015000, "window_end_unix_ms": 1763900016000, "active": 12.2, "peak": 14, "utilization": 1.525, "spans_total": 14, "spans_failed": 0, "late_spans": 0, "final": false},
              {"window_start_unix_ms": 1763900016000, "window_end_unix_ms": 1763900017000, "active": 0.3, "peak": 1, "utilization": 0.0375, "spans_total": 21, "spans_failed": 0, "late_spans": 0, "final": false}
            ]
          },
          {
            "connector": "concurrency", "key": "storage_workers{service.name=checkout}",
            "worker_type": "storage_workers", "dimensions": {"service.name": "checkout"}, "capacity": null,
            "final": true, "active": 0.5, "peak": 2, "peak_15m": 4, "utilization": null,
            "spans_total": 40, "spans_failed": 0, "late_spans": 2, "p50_ms": null, "p99_ms": null,
            "window_start_unix_ms": 1763900000000, "window_end_unix_ms": 1763900001000,
            "provisional_windows": []
          }
        ]
      }
      """;

  /** GET /api/v1/workers right after start: nothing seen yet. */
  static final String NO_WORKERS = """
      {
        "time_unix_ms": 1763900016123.5,
        "uptime_s": 4.2,
        "resolution_ms": 1000,
        "allowed_lateness_ms": 15000,
        "process": {"cpu_percent": 0.0, "cpu_seconds": 1.1, "memory_rss_mb": 96.0, "heap_used_mb": 12.0, "threads": 22},
        "spans": {"accepted": 0, "refused": 0},
        "store": {"traces": 0, "spans": 0, "bytes": 0, "max_bytes": 67108864, "max_age_s": 1800, "evicted_traces": 0},
        "worker_types": []
      }
      """;

  static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  /** GET /trace/{id}?bucket_ms=5: 32 buckets of two worker types. */
  static final String TRACE = trace(
      new int[] {0, 4, 12, 12, 12, 13, 16, 16, 16, 16, 14, 12, 12, 12, 12, 12,
                 10, 8, 8, 9, 12, 12, 12, 12, 10, 9, 8, 8, 8, 4, 2, 1},
      new int[] {1, 2, 4, 4, 4, 4, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
                 6, 6, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 2});

  static String trace(int[] accountWorkers, int[] storageWorkers) {
    return """
        {
          "trace_id": "%s",
          "duration_ms": 156.2,
          "start_time_unix_ms": 1763900000000.5,
          "bucket_ms": 5,
          "source": "store",
          "worker_types": {
            "account_workers": {"span_count": 48, "max_concurrent": 16, "utilization_pct": 72.3, "series": [%s]},
            "storage_workers": {"span_count": 12, "max_concurrent": 6, "utilization_pct": 30.0, "series": [%s]}
          }
        }
        """.formatted(TRACE_ID, series(accountWorkers, 5), series(storageWorkers, 5));
  }

  static String series(int[] active, int bucketMs) {
    List<String> points = new ArrayList<>();
    for (int i = 0; i < active.length; i++) {
      points.add("{\"time_ms\": " + i * bucketMs + ", \"active\": " + active[i] + "}");
    }
    return String.join(", ", points);
  }

  record Answer(int status, String contentType, String body) {
    static Answer json(int status, String body) {
      return new Answer(status, "application/json", body);
    }
  }

  private final HttpServer server;
  /** Path and query of every request, in order. */
  final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  private QueryApiFixture(Function<URI, Answer> answers) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestURI().toString());
      Answer answer = answers.apply(exchange.getRequestURI());
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", answer.contentType());
      exchange.sendResponseHeaders(answer.status(), body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  static QueryApiFixture serve(Function<URI, Answer> answers) throws IOException {
    return new QueryApiFixture(answers);
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** A URL nothing listens on: a port that was free a moment ago. */
  static String refusingUrl() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  /** A command's exit code, stdout and stderr. */
  record Run(int exitCode, String out, String err) {}

  static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(command)
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
