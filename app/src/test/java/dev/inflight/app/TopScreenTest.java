package dev.inflight.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        "WORKER TYPE      DIMENSIONS             ACTIVE  PEAK  CAPACITY   UTIL  TOTAL  FAILED     P50     P99  LATE",
        "account_workers  service.name=checkout     3.7     7        16  23.2%    256       3  12.5ms  48.0ms     0",
        "storage_workers  service.name=checkout     0.5     2         -      -     40       0       -       -     2",
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
