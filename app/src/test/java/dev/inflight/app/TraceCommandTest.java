package dev.inflight.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.app.QueryApiFixture.Answer;
import dev.inflight.app.QueryApiFixture.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code inflight trace} against a JDK HTTP server that answers like the query extension. */
class TraceCommandTest {
  private static final String ID = QueryApiFixture.TRACE_ID;

  private static TraceCommand trace() {
    TraceCommand command = new TraceCommand();
    command.terminal = Terminal.PLAIN;
    return command;
  }

  @Test
  void summaryThenChart() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> Answer.json(200, QueryApiFixture.TRACE))) {
      Run run = QueryApiFixture.run(trace(), "--url", server.url(), ID);

      assertThat(run.exitCode()).isZero();
      assertThat(run.err()).isEmpty();
      assertThat(server.requests).containsExactly("/trace/" + ID + "?bucket_ms=5");
      assertThat(run.out()).startsWith(String.join("\n",
          "trace 4bf92f3577b34da6a3ce929d0e0e4736: 156.2 ms, 5 ms buckets, from the store",
          "account_workers: 48 spans, max 16 concurrent, utilization 72.3%",
          "storage_workers: 12 spans, max 6 concurrent, utilization 30%",
          "",
          "Active Workers",
          "16 ┤"));
      String[] rows = run.out().substring(run.out().indexOf("Active Workers")).split("\n");
      assertThat(rows).allSatisfy(row -> assertThat(row.length()).isLessThanOrEqualTo(TraceCommand.DEFAULT_WIDTH))
          .anySatisfy(row -> assertThat(row).endsWith("  ← account_workers"))
          .anySatisfy(row -> assertThat(row).endsWith("  ← storage_workers"))
          .anySatisfy(row -> assertThat(row).startsWith(" 0 ┼").endsWith("► ms"));
      // 32 buckets of 5 ms: ticks every 20 ms, as in seed 000.
      assertThat(rows[rows.length - 1]).isEqualTo("    0     20    40    60    80   100   120   140");
    }
  }

  @Test
  void widthAndBucketGoToTheChartAndTheRequest() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> Answer.json(200, QueryApiFixture.TRACE))) {
      Run run = QueryApiFixture.run(trace(), "--url", server.url(), "--width", "40", "--bucket-ms", "5", ID);

      assertThat(run.exitCode()).isZero();
      assertThat(run.out().substring(run.out().indexOf("Active Workers")).split("\n"))
          .allSatisfy(row -> assertThat(row.length()).isLessThanOrEqualTo(40));
      assertThat(run.out()).contains("► ms");
    }
  }

  @Test
  void jsonIsTheServersDocumentOnOneLine() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> Answer.json(200, QueryApiFixture.TRACE))) {
      Run run = QueryApiFixture.run(trace(), "--url", server.url(), "--json", "--bucket-ms", "20", ID);

      assertThat(server.requests).containsExactly("/trace/" + ID + "?bucket_ms=20");
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).hasLineCount(1).contains("\"start_time_unix_ms\":1763900000000.5");
      assertThat(QueryClient.JSON.readTree(run.out())).isEqualTo(QueryClient.JSON.readTree(QueryApiFixture.TRACE));
    }
  }

  @Test
  void unknownTracePrintsTheServersMessage() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> Answer.json(404,
        "{\"error\": \"trace 00000000000000000000000000abc123 not found in the store (kept for 30m)\"}"))) {
      Run run = QueryApiFixture.run(trace(), "--url", server.url(), "abc123");

      assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).isEqualTo("inflight trace: trace 00000000000000000000000000abc123 not found"
          + " in the store (kept for 30m) (HTTP 404)\n");
    }
  }

  @Test
  void badRequestPrintsTheServersMessage() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> Answer.json(400,
        "{\"error\": \"bucket_ms 1 gives 156200 buckets, more than 10000: use bucket_ms 16 or more\"}"))) {
      Run run = QueryApiFixture.run(trace(), "--url", server.url(), "--bucket-ms", "1", ID);

      assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(run.err()).isEqualTo("inflight trace: bucket_ms 1 gives 156200 buckets, more than 10000:"
          + " use bucket_ms 16 or more (HTTP 400)\n");
    }
  }

  @Test
  void theTraceIdStaysOnePathSegment() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(
        uri -> Answer.json(400, "{\"error\": \"trace id must be 1 to 32 hex digits\"}"))) {
      Run run = QueryApiFixture.run(trace(), "--url", server.url(), "../api/v1/workers");

      assertThat(server.requests).containsExactly("/trace/..%2Fapi%2Fv1%2Fworkers?bucket_ms=5");
      assertThat(run.err()).isEqualTo("inflight trace: trace id must be 1 to 32 hex digits (HTTP 400)\n");
    }
  }

  @Test
  void connectionRefusedSaysWhatToCheck() throws Exception {
    String url = QueryApiFixture.refusingUrl();
    Run run = QueryApiFixture.run(trace(), "--url", url, ID);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.err()).isEqualTo("inflight trace: cannot reach " + url
        + " (connection refused): is inflight running with the query extension?\n");
  }

  @Test
  void aBodyThatIsNotJsonIsReportedAsSuch() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> new Answer(200, "text/plain", "ok"))) {
      Run run = QueryApiFixture.run(trace(), "--url", server.url(), ID);

      assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(run.err()).isEqualTo("inflight trace: " + server.url() + "/trace/" + ID
          + "?bucket_ms=5 answered 200 with something that is not JSON (text/plain):"
          + " is --url the address of inflight's query extension?\n");
    }
  }

  @Test
  void aTraceWithoutWorkerSpansSaysSo() throws Exception {
    String empty = "{\"trace_id\": \"" + ID + "\", \"duration_ms\": 12.0, \"start_time_unix_ms\": 1763900000000,"
        + " \"bucket_ms\": 5, \"source\": \"tempo\", \"worker_types\": {}}";
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> Answer.json(200, empty))) {
      Run run = QueryApiFixture.run(trace(), "--url", server.url(), ID);

      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).isEqualTo("trace " + ID + ": 12 ms, 5 ms buckets, from tempo\n"
          + "no worker spans in this trace\n");
    }
  }

  @Test
  void bucketMustBeInRangeAndNothingIsAsked() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> Answer.json(200, QueryApiFixture.TRACE))) {
      for (String bucket : new String[] {"0", "60001", "-5"}) {
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setErr(new PrintWriter(err, true))
            .execute("trace", "--url", server.url(), "--bucket-ms=" + bucket, ID);

        assertThat(code).as(bucket).isEqualTo(2);
        assertThat(err.toString()).as(bucket)
            .startsWith("--bucket-ms must be between 1 and 60000, got " + bucket + "\n")
            .contains("Usage: inflight trace");
      }
      assertThat(server.requests).isEmpty();
    }
  }

  @Test
  void widthMustBeInRange() {
    Run run = QueryApiFixture.run(trace(), "--width", "10", ID);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("--width must be between 20 and 1000, got 10\n");
  }
}
