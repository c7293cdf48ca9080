package dev.inflight.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.app.QueryApiFixture.Answer;
import dev.inflight.app.QueryApiFixture.Run;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code inflight top} against a JDK HTTP server that answers like the query extension. */
class TopCommandTest {
  private static TopCommand top() {
    TopCommand command = new TopCommand();
    command.terminal = Terminal.PLAIN;
    command.zone = ZoneOffset.UTC;
    return command;
  }

  @Test
  void snapshotPrintsTheScreenOfWhatTheServerSays() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> Answer.json(200, QueryApiFixture.WORKERS))) {
      Run run = QueryApiFixture.run(top(), "--url", server.url() + "/");

      assertThat(run.exitCode()).isZero();
      assertThat(run.err()).isEmpty();
      // Always asks for the open windows; this server predates them, ignores it, and top shows what it sent.
      assertThat(server.requests).containsExactly("/api/v1/workers?provisional=true");
      assertThat(run.out())
          .startsWith("inflight " + server.url() + " | 12:13:36 | up 2m 3s | window ending 12:13:21, 15 s behind\n")
          .contains("\n[CONCURRENCY] account_workers{service.name=checkout} Active: 3.7/16 | Peak: 7 | Total: 256 | Failed: 3\n")
          .endsWith("[SYSTEM] CPU: 3.2% | Memory: 180.5 MB | Threads: 31\n")
          .doesNotContain("\u001b");
    }
  }

  @Test
  void jsonIsTheServersDocumentOnOneLine() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> Answer.json(200, QueryApiFixture.WORKERS))) {
      Run run = QueryApiFixture.run(top(), "--url", server.url(), "--json");

      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).endsWith("}\n").hasLineCount(1)
          // Numbers pass through as written, fields the CLI does not show included.
          .contains("\"p99_ms\":48.0", "\"time_unix_ms\":1763900016123", "\"store\":{\"traces\":120");
      assertThat(QueryClient.JSON.readTree(run.out())).isEqualTo(QueryClient.JSON.readTree(QueryApiFixture.WORKERS));
    }
  }

  @Test
  void openWindowsShowAsProvisionalAndJsonCarriesTheirFinalFlags() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> "provisional=true".equals(uri.getQuery())
        ? Answer.json(200, QueryApiFixture.PROVISIONAL_WORKERS)
        : Answer.json(400, "{\"error\": \"top must ask for provisional windows\"}"))) {
      Run screen = QueryApiFixture.run(top(), "--url", server.url());
      Run json = QueryApiFixture.run(top(), "--url", server.url(), "--json");

      assertThat(screen.exitCode()).as(screen.err()).isZero();
      assertThat(screen.out()).contains("| final to 12:13:21, 15 s behind | so far to 12:13:37\n")
          .contains("  ~4.1 ~4.0 ~3.2 ~4.4  ~2.5 ~0.8\n")
          .contains("[CONCURRENCY] payments_workers{service.name=checkout} Active: - |")
          .doesNotContain(TopScreen.NO_WORKERS);
      assertThat(json.exitCode()).as(json.err()).isZero();
      var doc = QueryClient.JSON.readTree(json.out());
      assertThat(doc).isEqualTo(QueryClient.JSON.readTree(QueryApiFixture.PROVISIONAL_WORKERS));
      assertThat(doc.get("worker_types").get(0).get("final").asBoolean()).isTrue();
      assertThat(doc.get("worker_types").get(1).get("final").asBoolean()).isFalse();
      assertThat(doc.get("worker_types").get(0).get("provisional_windows").get(0).get("final").asBoolean()).isFalse();
    }
  }

  @Test
  void watchPrintsSnapshotsAndKeepsGoingWhenAFetchFails() throws Exception {
    AtomicInteger n = new AtomicInteger();
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> n.incrementAndGet() == 2
        ? Answer.json(503, "{\"error\": \"the pipelines are not running\"}")
        : Answer.json(200, QueryApiFixture.NO_WORKERS))) {
      TopCommand command = top();
      command.maxSnapshots = 3;
      Run run = QueryApiFixture.run(command, "--url", server.url(), "--watch", "--interval", "0.05");

      assertThat(run.exitCode()).isZero();
      assertThat(server.requests).hasSize(3);
      assertThat(run.err()).isEqualTo(
          "inflight top: the pipelines are not running (HTTP 503) (retrying every 0.05 s)\n");
      // Not a terminal: no escape codes, successive snapshots with a blank line between.
      String screen = TopScreen.render(
          TopScreenTest.snapshot(QueryApiFixture.NO_WORKERS), command.query.url, ZoneOffset.UTC, false);
      assertThat(run.out()).isEqualTo(screen + "\n" + screen);
    }
  }

  @Test
  void watchOnATerminalRedrawsInPlaceAndColoursUnlessTold() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> Answer.json(200, QueryApiFixture.WORKERS))) {
      for (boolean noColorOption : new boolean[] {false, true}) {
        TopCommand command = top();
        command.terminal = new Terminal(true, false, 80, StandardCharsets.UTF_8);
        command.maxSnapshots = 2;
        Run run = noColorOption
            ? QueryApiFixture.run(command, "--url", server.url(), "-w", "-i", "0.01", "--no-color")
            : QueryApiFixture.run(command, "--url", server.url(), "-w", "-i", "0.01");

        String screen = TopScreen.render(TopScreenTest.snapshot(QueryApiFixture.WORKERS),
            command.query.url, ZoneOffset.UTC, !noColorOption);
        // The alternate screen without a cursor; each frame drawn over the last (no blank screen
        // between them); the shell's screen and cursor given back at the end.
        assertThat(run.out()).isEqualTo("\u001b[?1049h\u001b[?25l"
            + Ansi.redraw(screen) + Ansi.redraw(screen)
            + "\u001b[?1049l\u001b[?25h");
        assertThat(screen.contains("\u001b[")).isEqualTo(!noColorOption);
      }
    }
  }

  @Test
  void colourOnlyOnATerminalWithoutNoColor() {
    Charset utf8 = StandardCharsets.UTF_8;
    assertThat(new Terminal(true, false, 0, utf8).colour(false)).isTrue();
    assertThat(new Terminal(true, false, 0, utf8).colour(true)).as("--no-color").isFalse();
    assertThat(new Terminal(true, true, 0, utf8).colour(false)).as("NO_COLOR").isFalse();
    assertThat(new Terminal(false, false, 0, utf8).colour(false)).as("a pipe").isFalse();
    assertThat(new Terminal(false, false, 0, StandardCharsets.US_ASCII).unicode()).isFalse();
    assertThat(new Terminal(false, false, 0, utf8).unicode()).isTrue();
  }

  @Test
  void watchJsonIsJsonLines() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> Answer.json(200, QueryApiFixture.NO_WORKERS))) {
      TopCommand command = top();
      command.maxSnapshots = 2;
      Run run = QueryApiFixture.run(command, "--url", server.url(), "--watch", "--interval", "0.01", "--json");

      assertThat(run.exitCode()).isZero();
      assertThat(run.out().split("\n")).hasSize(2)
          .allSatisfy(line -> assertThat(line).startsWith("{\"time_unix_ms\":1763900016123.5,"));
    }
  }

  @Test
  void connectionRefusedSaysWhatToCheck() throws Exception {
    String url = QueryApiFixture.refusingUrl();
    Run run = QueryApiFixture.run(top(), "--url", url);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE).isEqualTo(3);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("inflight top: cannot reach " + url
        + " (connection refused): is inflight running with the query extension?\n");
  }

  @Test
  void anErrorAnswerPrintsTheServersMessageAndStatus() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(
        uri -> Answer.json(503, "{\"error\": \"the query extension is starting\"}"))) {
      Run run = QueryApiFixture.run(top(), "--url", server.url());

      assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(run.err()).isEqualTo("inflight top: the query extension is starting (HTTP 503)\n");
    }
  }

  @Test
  void somethingElseAtTheUrlIsReportedAsSuch() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> uri.getPath().equals("/api/v1/workers")
        ? new Answer(200, "text/html", "<html><body>Grafana</body></html>")
        : new Answer(404, "text/plain", "404 page not found"))) {
      Run html = QueryApiFixture.run(top(), "--url", server.url());
      Run notFound = QueryApiFixture.run(top(), "--url", server.url() + "/grafana");

      assertThat(html.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(html.err()).isEqualTo("inflight top: " + server.url()
          + "/api/v1/workers?provisional=true answered 200 with something that is not JSON (text/html):"
          + " is --url the address of inflight's query extension?\n");
      assertThat(notFound.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(notFound.err()).isEqualTo("inflight top: " + server.url()
          + "/grafana/api/v1/workers?provisional=true answered HTTP 404 without an error message:"
          + " is --url the address of inflight's query extension?\n");
    }
  }

  @Test
  void jsonThatIsNotASnapshotIsRejected() throws Exception {
    try (QueryApiFixture server = QueryApiFixture.serve(uri -> Answer.json(200, "{\"status\": \"ok\"}"))) {
      Run run = QueryApiFixture.run(top(), "--url", server.url());

      assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
      assertThat(run.err()).startsWith("inflight top: " + server.url()
          + "/api/v1/workers answered JSON that is not a workers snapshot (");
    }
  }

  @Test
  void intervalMustBePositive() {
    for (String interval : new String[] {"0", "-1", "0.0", "NaN"}) {
      StringWriter err = new StringWriter();
      int code = Main.commandLine().setErr(new PrintWriter(err, true))
          .execute("top", "--watch", "--interval=" + interval);

      assertThat(code).as(interval).isEqualTo(2);
      assertThat(err.toString()).as(interval)
          .startsWith("--interval must be a number of seconds greater than 0, got ")
          .contains("Usage: inflight top");
    }
  }

  @Test
  void intervalNeedsWatch() {
    Run run = QueryApiFixture.run(top(), "--interval", "1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("--interval needs --watch\n");
  }

  @Test
  void urlMustBeAnHttpBaseUrl() {
    Run run = QueryApiFixture.run(top(), "--url", "localhost:5050");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("Invalid value for option '--url': --url must be an http:// or https://"
        + " base URL such as http://localhost:5050, got 'localhost:5050'");
  }
}
