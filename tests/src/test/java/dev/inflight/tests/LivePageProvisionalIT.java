package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The page at {@code /} while spans keep arriving: its live chart draws the open windows so far (the
 * provisional tail) next to the closed ones, and moves them into the final part once they close. The
 * OpenTelemetry Java SDK sends account workers that end "now", batch after batch, to an inflight
 * with the default config and a 3 s lateness; headless Chromium must see final and provisional
 * points in one screenshot, the provisional ones after the final ones, and later the first of them
 * final.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LivePageProvisionalIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofSeconds(30);
  private static final long MS = 1_000_000L;
  /** The sender stops on its own after this, should the test not stop it first. */
  private static final Duration SEND_AT_MOST = Duration.ofSeconds(90);
  private static final Path SCREENSHOTS = Path.of("target", "screenshots", "provisional").toAbsolutePath();
  private static final String KEY = "account_workers{service.name=checkout}";

  private Ports ports;
  private InflightProcess inflight;
  private final AtomicBoolean sending = new AtomicBoolean(true);
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicReference<String> traceId = new AtomicReference<>();
  private CompletableFuture<Void> sender;

  @BeforeAll
  void start() throws Exception {
    ports = Ports.free();
    inflight = InflightProcess.start(
        Map.of(), ports.defaultConfigArgs("connectors.concurrency.allowed_lateness=3s").toArray(String[]::new));
    inflight.awaitHttp200(ports.healthUrl(), START);
    inflight.awaitHttp200(ports.queryUrl() + "/health", START);
    sender = CompletableFuture.runAsync(this::send, r -> {
      Thread t = new Thread(r, "account-worker-sender");
      t.setDaemon(true);
      t.start();
    });
  }

  /**
   * Every 200 ms, a batch of four "account worker N" spans of 50 to 350 ms that end now, over gRPC:
   * the newest window always has spans, and each window closes 3 s after its end.
   */
  private void send() {
    SpanExporter exporter = SdkSpans.exporter(SdkSpans.Transport.GRPC, ports);
    long until = System.nanoTime() + SEND_AT_MOST.toNanos();
    try {
      int batch = 0;
      while (sending.get() && System.nanoTime() < until) {
        long now = SdkSpans.nowNanos();
        List<SdkSpans.Planned> planned = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
          long duration = (50 + 100L * ((batch + n) % 4)) * MS;
          planned.add(new SdkSpans.Planned("checkout", "account worker " + n, now - duration, now,
              StatusCode.OK, "account_workers"));
        }
        List<SpanData> spans = SdkSpans.build(planned);
        traceId.compareAndSet(null, spans.get(0).getTraceId());
        SdkSpans.export(exporter, spans, inflight);
        sent.addAndGet(spans.size());
        batch++;
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  void stop() throws Exception {
    sending.set(false);
    try {
      if (sender != null) {
        sender.get(20, TimeUnit.SECONDS); // an export that failed fails the test here
      }
    } finally {
      if (inflight != null) {
        inflight.close();
      }
    }
  }

  /**
   * A few windows have closed (so that the screenshot shows a final curve, not a lone point, before
   * the provisional tail), and the first spans reached the store, for the page's trace step.
   */
  private String awaitFinalWindows(int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String history = "";
    while (true) {
      assertThat(sender.isDone()).as("the sender stopped early: %s", sender).isFalse();
      history = InflightProcess.get(ports.queryUrl() + "/api/v1/history?minutes=1&provisional=true").body();
      for (JsonNode s : JSON.readTree(history).get("series")) {
        if (s.get("key").asText().equals(KEY) && s.get("points").size() >= count && traceId.get() != null) {
          return traceId.get();
        }
      }
      assertThat(System.nanoTime()).as("%d windows closed within 30 s: %s; stderr:\n%s", count, history, inflight.stderr())
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @Test
  void thePageDrawsTheProvisionalTailAndReplacesIt() throws Exception {
    String trace = awaitFinalWindows(4);
    Files.createDirectories(SCREENSHOTS);
    Files.deleteIfExists(SCREENSHOTS.resolve("live.png"));
    Files.deleteIfExists(SCREENSHOTS.resolve("live-later.png"));
    String out = BrowserCheck.run("check-page.mjs", Duration.ofSeconds(90), List.of("--url", ports.queryUrl(),
        "--trace-id", trace, "--bucket-ms", "5", "--screenshot-dir", SCREENSHOTS.toString(),
        "--expect-keys", KEY, "--expect-provisional", "--live-minutes", "1", "--timeout-ms", "30000"));
    Files.writeString(SCREENSHOTS.resolve("check-page.json"), out);
    assertThat(sender.isCompletedExceptionally()).as("the sender's exports succeeded: %s", sender).isFalse();
    JsonNode page = JSON.readTree(out);
    assertThat(page.get("console_errors")).as(out).isEmpty();
    assertThat(page.get("failed_requests")).as(out).isEmpty();
    assertThat(page.get("live_series").toString()).as(out).contains("\"" + KEY + "\"", "\"" + KEY + " so far\"");

    // live.png: both parts at once, the provisional one after the final one
    JsonNode chart = page.get("live_chart");
    assertThat(chart.get("final_points").asInt()).as(out).isPositive();
    assertThat(chart.get("provisional_points").asInt()).as(out).isPositive();
    assertThat(chart.get("last_final_ms").isNumber()).as(out).isTrue();
    assertThat(chart.get("first_provisional_ms").asLong()).as(out).isGreaterThan(chart.get("last_final_ms").asLong());

    // live-later.png: the first provisional window seen has closed and is drawn final
    assertThat(page.get("provisional_replaced").asBoolean()).as(out).isTrue();
    JsonNode later = page.get("live_chart_later");
    assertThat(later.get("last_final_ms").asLong()).as(out).isGreaterThanOrEqualTo(chart.get("first_provisional_ms").asLong());
    assertThat(later.get("final_points").asInt()).as(out).isGreaterThan(chart.get("final_points").asInt());

    JsonNode row = null;
    for (JsonNode r : page.get("workers")) {
      if (r.get("key").asText().equals(KEY)) {
        row = r;
      }
    }
    assertThat(row).as(out).isNotNull();
    assertThat(row.get("so_far").asText()).as("the table's so-far column; %s", out).matches("~\\d+\\.\\d / \\d+|—");
    assertThat(SCREENSHOTS.resolve("live.png")).isNotEmptyFile();
    assertThat(SCREENSHOTS.resolve("live-later.png")).isNotEmptyFile();
  }
}
