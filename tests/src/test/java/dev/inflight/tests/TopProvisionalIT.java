package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code inflight top} during a load, against inflight with the default config as a user runs it
 * (allowed_lateness 15 s, so no window closes while the test looks): the open windows show at once,
 * marked provisional, in {@code --json} and on a terminal, where {@code --watch} redraws every
 * second without ever showing a blank or half-drawn screen (checked in tmux, as a person sees it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopProvisionalIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START = Duration.ofSeconds(30);
  /** The bound: from the first spans arriving to {@code top --json} showing them. */
  private static final Duration SHOWN_WITHIN = Duration.ofSeconds(2);
  private static final long MS = 1_000_000L;

  private Ports ports;
  private InflightProcess inflight;
  private Sender sender;

  @BeforeAll
  void start() throws Exception {
    ports = Ports.free();
    inflight = InflightProcess.start(Map.of(), ports.defaultConfigArgs().toArray(String[]::new));
    inflight.awaitHttp200(ports.healthUrl(), START);
    inflight.awaitHttp200(ports.queryUrl() + "/health", START);
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (sender != null) {
      sender.close();
    }
    if (inflight != null) {
      inflight.close();
    }
  }

  /**
   * Checkout's account workers, as an SDK sends them while a load runs: every 100 ms four spans
   * that started 50 to 350 ms ago end now and are exported over OTLP/gRPC. First, one span of no
   * worker type warms the SDK and its gRPC channel up (a few seconds of CPU on a small host that
   * would otherwise slow the top runs being timed); the load starts with {@link #go()}.
   */
  private final class Sender implements Runnable, AutoCloseable {
    final AtomicLong firstAckNanos = new AtomicLong();
    final AtomicLong exports = new AtomicLong();
    private final CountDownLatch warm = new CountDownLatch(1);
    private final CountDownLatch go = new CountDownLatch(1);
    private final Thread thread = new Thread(this, "top-it-sender");
    private volatile boolean running = true;
    private volatile Throwable failure;

    Sender begin() {
      thread.setDaemon(true);
      thread.start();
      return this;
    }

    void awaitWarm() throws InterruptedException {
      if (!warm.await(30, TimeUnit.SECONDS)) {
        check();
        fail("the sender's warm-up export did not finish within 30 s");
      }
      check();
    }

    void go() {
      go.countDown();
    }

    @Override
    public void run() {
      SpanExporter exporter = SdkSpans.exporter(SdkSpans.Transport.GRPC, ports);
      try {
        long started = SdkSpans.nowNanos();
        CompletableResultCode warmUp = exporter.export(SdkSpans.build(List.of(new SdkSpans.Planned(
            "checkout", "GET /health", started - 5 * MS, started, StatusCode.OK, null)))).join(20, TimeUnit.SECONDS);
        if (!warmUp.isSuccess()) {
          throw new AssertionError("the warm-up export failed; inflight stderr:\n" + inflight.stderr());
        }
        warm.countDown();
        go.await();
        for (int tick = 0; running; tick++) {
          long now = SdkSpans.nowNanos();
          List<SdkSpans.Planned> planned = new ArrayList<>();
          for (int k = 0; k < 4; k++) {
            planned.add(new SdkSpans.Planned("checkout", "account worker " + k,
                now - (50 + 100L * k) * MS, now, k == 3 && tick % 10 == 0 ? StatusCode.ERROR : StatusCode.OK,
                "account_workers"));
          }
          CompletableResultCode r = exporter.export(SdkSpans.build(planned)).join(10, TimeUnit.SECONDS);
          if (!r.isSuccess()) {
            throw new AssertionError("an export failed; inflight stderr:\n" + inflight.stderr());
          }
          firstAckNanos.compareAndSet(0, System.nanoTime());
          exports.incrementAndGet();
          Thread.sleep(100);
        }
      } catch (InterruptedException e) {
        // closed
      } catch (Throwable t) {
        failure = t;
        warm.countDown();
      } finally {
        exporter.shutdown().join(5, TimeUnit.SECONDS);
      }
    }

    void check() {
      if (failure != null) {
        throw new AssertionError("the sender failed", failure);
      }
    }

    long awaitFirstAck() throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (firstAckNanos.get() == 0) {
        check();
        if (System.nanoTime() > deadline) {
          fail("no export was acknowledged within 20 s; inflight stderr:\n" + inflight.stderr());
        }
        Thread.sleep(5);
      }
      return firstAckNanos.get();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      go.countDown();
      thread.join(5_000); // the export under way finishes (interrupting it would log a cancelled export)
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(5_000);
      }
    }
  }

  /** The sender, warmed up; not yet sending worker spans unless an earlier test started it. */
  private synchronized Sender warmSender() throws InterruptedException {
    if (sender == null) {
      sender = new Sender().begin();
    }
    sender.awaitWarm();
    return sender;
  }

  /** One {@code inflight top --json} run and the moment its answer was complete (it exited). */
  private record Poll(InflightProcess process, long startedNanos, CompletableFuture<Long> answeredNanos) {
    static Poll start(String url) throws IOException {
      long started = System.nanoTime();
      InflightProcess p = InflightProcess.start(Map.of(), "top", "--url", url, "--json");
      return new Poll(p, started, p.process.onExit().thenApply(x -> System.nanoTime()));
    }
  }

  /** The account_workers row with an open window that has active > 0 and final false, or null. */
  private static JsonNode provisionalAccountRow(JsonNode doc) {
    for (JsonNode row : doc.path("worker_types")) {
      if (!row.path("worker_type").asText().equals("account_workers")) {
        continue;
      }
      for (JsonNode w : row.path("provisional_windows")) {
        if (w.path("active").asDouble() > 0 && w.path("final").isBoolean() && !w.path("final").asBoolean()) {
          return row;
        }
      }
    }
    return null;
  }

  @Test
  @Order(1)
  void topJsonShowsTheFirstSpansWithinTwoSecondsAsProvisional() throws Exception {
    // top runs from before the load starts, a JVM each as a user or a script runs it: about a second
    // from start to answer, so two at a time, half a run apart (more would swamp a small host's
    // CPUs), give an answer every half second or so; the delay is then how fresh what top shows is,
    // not one JVM's start.
    Sender s = warmSender();
    List<Poll> polls = new ArrayList<>();
    long nextLaunch = System.nanoTime();
    long deadline = nextLaunch + Duration.ofSeconds(20).toNanos();
    JsonNode shown = null;
    long shownAt = 0;
    String lastAnswer = "";
    List<long[]> timeline = new ArrayList<>();
    try {
      while (shown == null) {
        s.check();
        long now = System.nanoTime();
        if (now > deadline) {
          fail("top --json never showed account_workers with a provisional window; last answer:\n"
              + lastAnswer + "\ninflight stderr:\n" + inflight.stderr());
        }
        if (now >= nextLaunch && polls.size() < 2) {
          polls.add(Poll.start(ports.queryUrl()));
          nextLaunch = now + 600 * MS;
        }
        for (Poll p : List.copyOf(polls)) {
          if (!p.answeredNanos().isDone()) {
            continue;
          }
          polls.remove(p);
          s.go(); // the load starts once top runs one after the other
          assertThat(p.process().waitFor(Duration.ofSeconds(5))).as("top's exit code; stderr:\n%s",
              p.process().stderr()).isZero();
          lastAnswer = p.process().stdout();
          JsonNode doc = JSON.readTree(lastAnswer);
          assertThat(doc.path("provisional").asBoolean()).as("top asks for provisional windows: %s", lastAnswer).isTrue();
          JsonNode row = provisionalAccountRow(doc);
          timeline.add(new long[] {p.startedNanos(), p.answeredNanos().get(), row == null ? 0 : 1});
          if (row != null && shown == null) {
            shown = row;
            shownAt = p.answeredNanos().get();
          }
        }
        Thread.sleep(5);
      }
    } finally {
      polls.forEach(p -> p.process().close());
    }
    long firstAck = s.awaitFirstAck();
    Duration delay = Duration.ofNanos(shownAt - firstAck);
    System.out.printf("TopProvisionalIT: top --json showed account_workers %d ms after the first export was"
        + " acknowledged%n", delay.toMillis());
    StringBuilder runs = new StringBuilder();
    for (long[] t : timeline) {
      runs.append(String.format("%n  started %+d ms, answered %+d ms: %s", (t[0] - firstAck) / MS, (t[1] - firstAck) / MS,
          t[2] == 1 ? "shows account_workers" : "not yet"));
    }
    System.out.println("TopProvisionalIT: the top runs, relative to the first acknowledged export:" + runs);
    assertThat(delay).as("from the first acknowledged export to top's answer showing it").isLessThanOrEqualTo(SHOWN_WITHIN);
    // Default lateness 15 s: nothing has closed, so the group is known from its open windows only.
    assertThat(shown.get("final").asBoolean()).as("%s", shown).isFalse();
    assertThat(shown.get("key").asText()).isEqualTo("account_workers{service.name=checkout}");
    assertThat(shown.get("spans_total").asDouble()).isPositive();
    assertThat(shown.get("p50_ms").isNull()).isTrue();
  }

  // --- the terminal, as a person sees it ---

  private static final Pattern HEADER = Pattern.compile(
      "inflight http://127\\.0\\.0\\.1:\\d+ \\| \\d\\d:\\d\\d:\\d\\d \\| up (\\d+h )?(\\d+m )?\\d+s"
          + " \\| final to \\d\\d:\\d\\d:\\d\\d, \\d+ s behind( \\| so far to \\d\\d:\\d\\d:\\d\\d)?");
  private static final Pattern ACCOUNT_ROW = Pattern.compile(
      "account_workers +service\\.name=checkout +(-|[\\d.]+) .* +(-|~[\\d.]+( +~[\\d.]+)*)");
  private static final Pattern CONCURRENCY = Pattern.compile(
      "\\[CONCURRENCY] account_workers\\{service\\.name=checkout} Active: .* \\| Failed: [-\\d.]+"
          + "( \\| So far: ~[\\d.]+ \\(peak ~[\\d.]+\\))?");
  private static final Pattern SPANS = Pattern.compile("\\[SPANS] Accepted: \\d+ \\| Refused: \\d+");
  private static final Pattern SYSTEM = Pattern.compile(
      "\\[SYSTEM] CPU: [\\d.]+% \\| Memory: ([\\d.]+ MB|-) \\| Threads: \\d+");

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  private static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /**
   * What is wrong with one capture of the pane, or null when it is one complete frame: the header
   * first, the table, the account_workers row and line, [SPANS] and [SYSTEM] last, each line whole
   * (nothing left over at its end from a longer line of an earlier frame) and nothing below.
   */
  static String problem(String capture) {
    List<String> lines = capture.lines().toList();
    if (lines.isEmpty() || !HEADER.matcher(lines.get(0)).matches()) {
      return "the first line is not the header";
    }
    int system = -1;
    boolean table = false;
    boolean row = false;
    boolean concurrency = false;
    boolean spans = false;
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("WORKER TYPE ")) {
        table = line.endsWith("  SO FAR");
      } else if (line.startsWith("account_workers ")) {
        row = ACCOUNT_ROW.matcher(line).matches();
      } else if (line.startsWith("[CONCURRENCY] account_workers")) {
        concurrency = CONCURRENCY.matcher(line).matches();
      } else if (line.startsWith("[SPANS]")) {
        spans = SPANS.matcher(line).matches();
      } else if (line.startsWith("[SYSTEM]")) {
        if (!SYSTEM.matcher(line).matches()) {
          return "the [SYSTEM] line is not whole: " + line;
        }
        system = i;
        break;
      }
    }
    if (!table) {
      return "no whole WORKER TYPE heading";
    }
    if (!row) {
      return "no whole account_workers row";
    }
    if (!concurrency) {
      return "no whole [CONCURRENCY] account_workers line";
    }
    if (!spans) {
      return "no whole [SPANS] line";
    }
    if (system < 0) {
      return "no [SYSTEM] line";
    }
    for (int i = system + 1; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        return "a stray line below the frame: " + lines.get(i);
      }
    }
    return null;
  }

  @Test
  @Order(2)
  void watchRedrawsEverySecondInTmuxAndNeverShowsAnIncompleteFrame() throws Exception {
    try {
      run(List.of("tmux", "-V"));
    } catch (IOException missing) {
      fail("tmux is needed for this test (the ./test script installs it): " + missing.getMessage());
    }
    Sender s = warmSender();
    s.go();
    s.awaitFirstAck();
    String socket = "inflight-top-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    String top = String.join(" ", InflightProcess.javaBin(), "-Xmx128m", "-XX:+UseSerialGC", "-jar",
        shellQuote(InflightProcess.JAR.toString()), "top", "--watch", "--url", ports.queryUrl());
    List<String> tmux = List.of("tmux", "-L", socket, "-f", "/dev/null");
    List<String> captures = new ArrayList<>();
    try {
      // The shell stays after top, to show how it ended and the screen it left behind.
      run(concat(tmux, "new-session", "-d", "-s", "top", "-x", "140", "-y", "40",
          top + "; echo \"top exited with $?\"; sleep 120"));
      List<String> capture = concat(tmux, "capture-pane", "-p", "-t", "top");
      // The JVM starting: the pane is blank until top draws its first frame.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      String first = run(capture);
      while (!first.startsWith("inflight http")) {
        if (System.nanoTime() > deadline) {
          fail("top --watch drew nothing within 30 s; the pane:\n" + first);
        }
        Thread.sleep(50);
        first = run(capture);
      }
      // From its first frame on, every capture over 4 s is a complete frame.
      long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
      while (System.nanoTime() < end) {
        captures.add(run(capture));
        Thread.sleep(50);
      }
      // As htop: the alternate screen, no cursor; Ctrl-C gives back the shell's screen and cursor.
      List<String> screen = concat(tmux, "display-message", "-p", "-t", "top", "#{alternate_on} #{cursor_flag}");
      assertThat(run(screen).strip()).as("alternate screen on, cursor hidden").isEqualTo("1 0");
      run(concat(tmux, "send-keys", "-t", "top", "C-c"));
      long exitDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      String after = run(capture);
      while (!after.contains("top exited with ")) {
        if (System.nanoTime() > exitDeadline) {
          fail("top --watch did not end on Ctrl-C within 10 s; the pane:\n" + after);
        }
        Thread.sleep(50);
        after = run(capture);
      }
      assertThat(after).as("the shell's screen after Ctrl-C, no frame drawn on it").contains("top exited with 130")
          .doesNotContain("inflight http").doesNotContain("[SPANS]");
      assertThat(run(screen).strip()).as("after Ctrl-C: alternate screen off, cursor shown").isEqualTo("0 1");
    } finally {
      try {
        run(concat(tmux, "kill-server"));
      } catch (AssertionError | IOException alreadyGone) {
        // the server ended with its session
      }
    }
    s.check();
    assertThat(captures).hasSizeGreaterThan(20);
    for (int i = 0; i < captures.size(); i++) {
      String problem = problem(captures.get(i));
      assertThat(problem).as("capture %d of %d:\n%s", i + 1, captures.size(), captures.get(i)).isNull();
    }
    // The open windows, marked ~ (no colour in a capture: the mark is what is left).
    assertThat(captures).anySatisfy(c -> assertThat(c.lines())
        .anySatisfy(l -> assertThat(l).startsWith("account_workers ").containsPattern("  ~[\\d.]+( |$)"))
        .anySatisfy(l -> assertThat(l).startsWith("[CONCURRENCY] account_workers").contains(" | So far: ~")));
    // Every second a new frame: the header's clock changes, 4 s give 4 or 5 distinct frames.
    Set<String> headers = new LinkedHashSet<>();
    captures.forEach(c -> headers.add(c.lines().findFirst().orElse("")));
    assertThat(headers).as("distinct headers in 4 s").hasSizeBetween(3, 6);
    System.out.printf("TopProvisionalIT: %d captures in 4 s, %d distinct frames, all complete%n",
        captures.size(), new LinkedHashSet<>(captures).size());
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> out = new ArrayList<>(head);
    out.addAll(List.of(tail));
    return out;
  }
}
