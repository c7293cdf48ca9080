package dev.inflight.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code inflight top}: the busy workers of a running inflight, from its query extension's
 * {@code /api/v1/workers}, once or every {@code --interval} seconds.
 */
@Command(
    name = "top",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Show how many workers of each type are busy in a running inflight (its query extension):"
          + " mean active, peak, capacity, utilization, span counts and duration quantiles of the"
          + " last closed window, and what the open windows show so far (provisional, marked ~).",
      "Exit code 0; 3 when nothing answers at --url; 1 when the server answers with an error."
    })
final class TopCommand implements Callable<Integer> {
  static final String PATH = "/api/v1/workers";
  /** With the open windows; a server that predates them ignores the parameter and sends final rows only. */
  static final String REQUEST = PATH + "?provisional=true";
  /** Long enough for a busy JVM's pause, short enough that a watch notices a hung server. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  @Spec CommandSpec spec;

  @Mixin QueryOptions query;

  @Option(names = {"-w", "--watch"}, description = "Redraw every --interval seconds until Ctrl-C.")
  boolean watch;

  @Option(
      names = {"-i", "--interval"},
      paramLabel = "SECONDS",
      defaultValue = "1",
      description = "Seconds between snapshots with --watch; decimals allowed. Default: ${DEFAULT-VALUE}.")
  double interval;

  @Option(
      names = "--json",
      description = "Print the server's JSON instead, one line per snapshot (JSON lines with --watch).")
  boolean json;

  /** Where stdout goes: detected when the command runs, unless a test set it. */
  Terminal terminal;
  ZoneId zone = ZoneId.systemDefault();
  /** Tests stop a watch after this many snapshots; 0 watches until interrupted. */
  int maxSnapshots;

  @Override
  public Integer call() {
    if (!(interval > 0) || Double.isInfinite(interval)) {
      throw new ParameterException(spec.commandLine(),
          "--interval must be a number of seconds greater than 0, got " + seconds(interval));
    }
    if (!watch && spec.commandLine().getParseResult().hasMatchedOption("--interval")) {
      throw new ParameterException(spec.commandLine(), "--interval needs --watch");
    }
    if (terminal == null) {
      terminal = Terminal.detect(false);
    }
    QueryClient client = new QueryClient(query.url, REQUEST_TIMEOUT);
    boolean colour = terminal.colour(query.noColor);
    return watch ? watch(client, colour) : once(client, colour);
  }

  /** One snapshot; a failed fetch is the exit code. */
  private int once(QueryClient client, boolean colour) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      out.print(frame(client, colour));
      out.flush();
      return ExitCodes.OK;
    } catch (QueryFailedException e) {
      err.println("inflight top: " + e.getMessage());
      err.flush();
      return e.exitCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCodes.FAILED;
    }
  }

  /** A snapshot every interval, on a fixed schedule, until interrupted (Ctrl-C ends the JVM). */
  private int watch(QueryClient client, boolean colour) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Redraw in place on a terminal; a pipe or file gets every snapshot, a blank line between.
    boolean redraw = !json && terminal.interactive();
    Screen screen = redraw ? Screen.take(out) : null;
    try {
      long periodNanos = (long) (interval * 1e9);
      long next = System.nanoTime();
      for (int n = 1; ; n++) {
        try {
          String frame = frame(client, colour);
          if (screen != null) {
            screen.draw(Ansi.redraw(frame));
          } else {
            out.print((!json && n > 1 ? "\n" : "") + frame);
          }
        } catch (QueryFailedException e) {
          // A watch outlives restarts of the server: say why this snapshot is missing and keep going.
          if (screen != null) {
            screen.draw(Ansi.HOME + Ansi.ERASE_BELOW);
          }
          err.println("inflight top: " + e.getMessage() + " (retrying every " + seconds(interval) + " s)");
        } catch (InterruptedException e) {
          return ExitCodes.OK;
        }
        out.flush();
        err.flush();
        if (maxSnapshots > 0 && n >= maxSnapshots) {
          return ExitCodes.OK;
        }
        next += periodNanos;
        long now = System.nanoTime();
        if (next < now) {
          next = now; // fell behind (a slow answer): start again from now rather than burst
        }
        try {
          Thread.sleep(Duration.ofNanos(next - now).toMillis());
        } catch (InterruptedException e) {
          return ExitCodes.OK;
        }
      }
    } finally {
      if (screen != null) {
        screen.release();
      }
    }
  }

  /**
   * The terminal while a watch redraws it, as htop has it: the alternate screen with the cursor
   * hidden, and back to the shell's screen and cursor when the watch ends, also by Ctrl-C (a
   * shutdown hook). Once given back, nothing more is drawn: a frame after the hook ran would land on
   * the shell's screen.
   */
  static final class Screen {
    private final PrintWriter out;
    private final Thread hook;
    private boolean released;

    private Screen(PrintWriter out) {
      this.out = out;
      this.hook = new Thread(this::giveBack, "inflight-top-screen");
    }

    static Screen take(PrintWriter out) {
      Screen screen = new Screen(out);
      screen.draw(Ansi.ALTERNATE_SCREEN + Ansi.HIDE_CURSOR);
      Runtime.getRuntime().addShutdownHook(screen.hook);
      return screen;
    }

    synchronized void draw(String text) {
      if (!released) {
        out.print(text);
        out.flush();
      }
    }

    /** Ends a watch that returned by itself (tests, an interrupt). */
    void release() {
      giveBack();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs or ran already
      }
    }

    private synchronized void giveBack() {
      if (!released) {
        // The cursor shown once back: leaving the alternate screen may restore the modes it was entered with.
        out.print(Ansi.MAIN_SCREEN + Ansi.SHOW_CURSOR);
        out.flush();
        released = true;
      }
    }
  }

  /** As typed: {@code 0.25}, {@code 2}. */
  private static String seconds(double s) {
    return Double.isFinite(s) ? BigDecimal.valueOf(s).stripTrailingZeros().toPlainString() : Double.toString(s);
  }

  private String frame(QueryClient client, boolean colour) throws QueryFailedException, InterruptedException {
    JsonNode document = client.get(REQUEST);
    if (json) {
      // Passed on whole, fields this CLI does not know included; only its shape is checked.
      client.requireObject(document, PATH, "a workers snapshot");
      return QueryClient.compact(document) + "\n";
    }
    WorkersSnapshot snapshot = client.read(document, WorkersSnapshot.class, PATH, "a workers snapshot");
    return TopScreen.render(snapshot, client.base(), zone, colour);
  }
}
