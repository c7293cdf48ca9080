package dev.inflight.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What {@code inflight top} prints for snapshots that follow the contract. */
class TopScreenTest {
  private static final URI URL = URI.create("http://localhost:5050");
  private static final QueryClient CLIENT = new QueryClient(URL, Duration.ofSeconds(1));

  static WorkersSnapshot snapshot(String json) throws Exception {
    return CLIENT.read(QueryClient.JSON.readTree(json), WorkersSnapshot.class, "/api/v1/workers", "a workers snapshot");
  }

  @Test
  void knownSnapshotRendersHeaderTableAndLines() throws Exception {
    String screen = TopScreen.render(snapshot(QueryApiFixture.WORKERS), URL, ZoneOffset.UTC, false);

    assertThat(screen).isEqualTo(String.join("\n",
        "inflight http://localhost:5050 | 12:13:36 | up 2m 3s | window ending 12:13:21, 15 s behind",
        "",
        "WORKER TYPE      DIMENSIONS             ACTIVE  PEAK  CAPACITY   UTIL  TOTAL  FAILED     P50     P99  LATE  SO FAR",
        "account_workers  service.name=checkout     3.7     7        16  23.2%    256       3  12.5ms  48.0ms     0  -",
        "storage_workers  service.name=checkout     0.5     2         -      -     40       0       -       -     2  -",
        "",
        "[CONCURRENCY] account_workers{service.name=checkout} Active: 3.7/16 | Peak: 7 | Total: 256 | Failed: 3",
        "[CONCURRENCY] storage_workers{service.name=checkout} Active: 0.5 | Peak: 2 | Total: 40 | Failed: 0",
        "[SPANS] Accepted: 12345 | Refused: 0",
        "[SYSTEM] CPU: 3.2% | Memory: 180.5 MB | Threads: 31",
        ""));
  }

  @Test
  void nullCapacityHasNoSlashAndWholeNumbersHaveNoDecimals() throws Exception {
    ObjectNode doc = (ObjectNode) QueryClient.JSON.readTree(QueryApiFixture.WORKERS);
    ObjectNode group = (ObjectNode) doc.get("worker_types").get(0);
    group.putNull("capacity");
    group.putNull("utilization");
    group.put("active", 4.0);
    group.putObject("dimensions");
    WorkersSnapshot.Group g = snapshot(doc.toString()).workerTypes().get(0);

    assertThat(TopScreen.concurrencyLine(g, false))
        .isEqualTo("[CONCURRENCY] account_workers Active: 4 | Peak: 7 | Total: 256 | Failed: 3");
    assertThat(TopScreen.table(snapshot(doc.toString()).workerTypes(), false).get(1))
        .startsWith("account_workers  -                         4.0     7         -     -    256");
  }

  @Test
  void weightedCountsOverflowAndMissingNumbersAsTheServerMaySendThem() throws Exception {
    // Sampled spans are weighed, so counts may be fractional; the overflow group has no dimensions;
    // RSS is unknown off Linux; lateness is null without a concurrency connector.
    ObjectNode doc = (ObjectNode) QueryClient.JSON.readTree(QueryApiFixture.WORKERS);
    doc.putNull("allowed_lateness_ms");
    ((ObjectNode) doc.get("process")).putNull("memory_rss_mb");
    ObjectNode group = (ObjectNode) doc.get("worker_types").get(0);
    group.put("key", "account_workers{overflow}").put("overflow", true).put("capacity", 2.5)
        .put("peak", 7.5).put("spans_total", 255.25).put("spans_failed", 1234567890123L);
    group.putObject("dimensions");
    WorkersSnapshot s = snapshot(doc.toString());
    String screen = TopScreen.render(s, URL, ZoneOffset.UTC, false);

    assertThat(screen.lines()).contains(
        "inflight http://localhost:5050 | 12:13:36 | up 2m 3s | window ending 12:13:21",
        "[CONCURRENCY] account_workers{overflow} Active: 3.7/2.5 | Peak: 7.5 | Total: 255.3 | Failed: 1234567890123",
        "[SYSTEM] CPU: 3.2% | Memory: - | Threads: 31");
    assertThat(TopScreen.table(s.workerTypes(), false).get(1))
        .startsWith("account_workers  (overflow)                3.7   7.5       2.5  23.2%  255.3  1234567890123");
  }

  @Test
  void emptyWorkerListSaysSoAndStillShowsSpansAndSystem() throws Exception {
    String screen = TopScreen.render(snapshot(QueryApiFixture.NO_WORKERS), URL, ZoneOffset.UTC, false);

    assertThat(screen).isEqualTo(String.join("\n",
        "inflight http://localhost:5050 | 12:13:36 | up 4s",
        "",
        "no worker spans have been seen yet",
        "[SPANS] Accepted: 0 | Refused: 0",
        "[SYSTEM] CPU: 0.0% | Memory: 96.0 MB | Threads: 22",
        ""));
  }

  @Test
  void colourOffHasNoEscapesAndColourOnShowsTheSameText() throws Exception {
    WorkersSnapshot s = snapshot(QueryApiFixture.WORKERS);
    String plain = TopScreen.render(s, URL, ZoneOffset.UTC, false);
    String coloured = TopScreen.render(s, URL, ZoneOffset.UTC, true);

    assertThat(plain).doesNotContain("\u001b");
    assertThat(coloured).contains(Ansi.CYAN.code() + "[CONCURRENCY]" + Ansi.RESET)
        .contains(Ansi.GREEN.code() + "23.2%" + Ansi.RESET)   // 23% of capacity: fine
        .contains("Failed: " + Ansi.RED.code() + "3" + Ansi.RESET);
    // Columns are padded before painting, so they line up on screen exactly as without colour.
    assertThat(Ansi.strip(coloured)).isEqualTo(plain);
  }

  @Test
  void openWindowsShowSoFarNextToTheLastClosedWindow() throws Exception {
    String screen = TopScreen.render(snapshot(QueryApiFixture.PROVISIONAL_WORKERS), URL, ZoneOffset.UTC, false);

    // The closed window's numbers as before; SO FAR the newest six open windows' mean active,
    // oldest first, one slot per window (payments_workers has the last three); a group seen only in
    // open windows has "-" for every closed number; an idle one "-" for SO FAR.
    assertThat(screen).isEqualTo(String.join("\n",
        "inflight http://localhost:5050 | 12:13:36 | up 2m 3s | final to 12:13:21, 15 s behind | so far to 12:13:37",
        "",
        "WORKER TYPE       DIMENSIONS             ACTIVE  PEAK  CAPACITY   UTIL  TOTAL  FAILED     P50     P99  LATE  SO FAR",
        "account_workers   service.name=checkout     3.7     7        16  23.2%    256       3  12.5ms  48.0ms     0  ~4.1 ~4.0 ~3.2 ~4.4  ~2.5 ~0.8",
        "payments_workers  service.name=checkout       -     -         8      -      -       -       -       -     -                 ~1.5 ~12.2 ~0.3",
        "storage_workers   service.name=checkout     0.5     2         -      -     40       0       -       -     2  -",
        "",
        "[CONCURRENCY] account_workers{service.name=checkout} Active: 3.7/16 | Peak: 7 | Total: 256 | Failed: 3 | So far: ~0.8 (peak ~2)",
        "[CONCURRENCY] payments_workers{service.name=checkout} Active: - | Peak: - | Total: - | Failed: - | So far: ~0.3 (peak ~1)",
        "[CONCURRENCY] storage_workers{service.name=checkout} Active: 0.5 | Peak: 2 | Total: 40 | Failed: 0",
        "[SPANS] Accepted: 12345 | Refused: 0",
        "[SYSTEM] CPU: 3.2% | Memory: 180.5 MB | Threads: 31",
        ""));
  }

  @Test
  void aGroupWithOnlyOpenWindowsIsARowNotNoWorkers() throws Exception {
    // The first spans of a load: nothing has closed since they arrived, but they are there.
    ObjectNode doc = (ObjectNode) QueryClient.JSON.readTree(QueryApiFixture.PROVISIONAL_WORKERS);
    ArrayNode groups = (ArrayNode) doc.get("worker_types");
    groups.remove(2);
    groups.remove(0);
    String screen = TopScreen.render(snapshot(doc.toString()), URL, ZoneOffset.UTC, false);

    assertThat(screen).doesNotContain(TopScreen.NO_WORKERS);
    assertThat(screen.lines()).contains(
        "payments_workers  service.name=checkout       -     -         8     -      -       -    -    -     -  ~1.5 ~12.2 ~0.3",
        "[CONCURRENCY] payments_workers{service.name=checkout} Active: - | Peak: - | Total: - | Failed: - | So far: ~0.3 (peak ~1)");
  }

  @Test
  void colourDimsTheProvisionalValuesAndWithoutColourTheTildeMarksThem() throws Exception {
    WorkersSnapshot s = snapshot(QueryApiFixture.PROVISIONAL_WORKERS);
    String plain = TopScreen.render(s, URL, ZoneOffset.UTC, false);
    String coloured = TopScreen.render(s, URL, ZoneOffset.UTC, true);

    assertThat(plain).doesNotContain("\u001b").contains(" ~4.1 ~4.0 ~3.2 ~4.4  ~2.5 ~0.8\n");
    assertThat(coloured)
        .contains(Ansi.DIM.code() + "~4.1" + Ansi.RESET + " " + Ansi.DIM.code() + "~4.0" + Ansi.RESET)
        .contains(Ansi.DIM.code() + "~12.2" + Ansi.RESET)
        .contains("So far: " + Ansi.DIM.code() + "~0.8 (peak ~2)" + Ansi.RESET);
    // Every ~ value is dimmed; the final numbers are not.
    assertThat(coloured.split("~", -1).length).isEqualTo(plain.split("~", -1).length);
    assertThat(coloured).doesNotContain(Ansi.DIM.code() + "3.7");
    assertThat(Ansi.strip(coloured)).isEqualTo(plain);
  }

  @Test
  void theHeaderSaysHowFarBehindTheFinalNumbersAre() throws Exception {
    ObjectNode doc = (ObjectNode) QueryClient.JSON.readTree(QueryApiFixture.PROVISIONAL_WORKERS);
    // The server's clock against the end of the last final window, not the configured lateness.
    doc.put("final_until_unix_ms", 1763899999000L);
    assertThat(TopScreen.header(snapshot(doc.toString()), URL, ZoneOffset.UTC))
        .isEqualTo("inflight http://localhost:5050 | 12:13:36 | up 2m 3s | final to 12:13:19, 17 s behind"
            + " | so far to 12:13:37");
    // Just started: nothing closed yet, nothing open.
    doc.putNull("final_until_unix_ms");
    doc.putNull("provisional_until_unix_ms");
    assertThat(TopScreen.header(snapshot(doc.toString()), URL, ZoneOffset.UTC))
        .isEqualTo("inflight http://localhost:5050 | 12:13:36 | up 2m 3s | nothing final yet");
  }

  @Test
  void anOlderServerWithoutProvisionalWindowsShowsFinalRowsAsBefore() throws Exception {
    WorkersSnapshot s = snapshot(QueryApiFixture.WORKERS);

    assertThat(s.provisional()).isFalse();
    assertThat(s.workerTypes()).allSatisfy(g -> {
      assertThat(g.closed()).isTrue();
      assertThat(g.provisionalWindows()).isEmpty();
    });
    assertThat(TopScreen.render(s, URL, ZoneOffset.UTC, false)).doesNotContain("~").doesNotContain("So far");
  }

  @Test
  void aRedrawWritesOverTheLastFrameWithoutBlankingTheScreen() {
    assertThat(Ansi.redraw("one\ntwo\n"))
        .isEqualTo("\u001b[H" + "one\u001b[K\n" + "two\u001b[K" + "\u001b[J")
        .doesNotContain("\u001b[2J");
  }

  @Test
  void uptimeReadsLikeTheSeed() {
    assertThat(TopScreen.uptime(5025.9)).isEqualTo("1h 23m 45s");
    assertThat(TopScreen.uptime(123.4)).isEqualTo("2m 3s");
    assertThat(TopScreen.uptime(45)).isEqualTo("45s");
  }

  @Test
  void aSnapshotWithoutARequiredFieldIsRejectedNamingIt() throws Exception {
    ObjectNode doc = (ObjectNode) QueryClient.JSON.readTree(QueryApiFixture.WORKERS);
    ((ObjectNode) doc.get("worker_types").get(1)).remove("peak");

    assertThatThrownBy(() -> snapshot(doc.toString()))
        .isInstanceOf(QueryFailedException.class)
        .hasMessage("http://localhost:5050/api/v1/workers answered JSON that is not a workers snapshot"
            + " (worker_types[1].peak is missing)")
        .satisfies(e -> assertThat(((QueryFailedException) e).exitCode()).isEqualTo(ExitCodes.FAILED));
  }

  @Test
  void aRequiredNumberThatIsNullIsRejected() throws Exception {
    ObjectNode doc = (ObjectNode) QueryClient.JSON.readTree(QueryApiFixture.WORKERS);
    ((ObjectNode) doc.get("worker_types").get(0)).putNull("spans_total");

    assertThatThrownBy(() -> snapshot(doc.toString()))
        .isInstanceOf(QueryFailedException.class)
        .hasMessageEndingWith(" (worker_types[0].spans_total is null)");
  }
}
