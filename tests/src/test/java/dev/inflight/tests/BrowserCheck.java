package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the {@code tests/browser} scripts: Node.js driving the Debian {@code chromium} headless
 * through playwright-core. A missing node, chromium or {@code npm ci} is a failure, never a skip,
 * whatever {@code CI} says: {@code ./test} installs all three.
 */
final class BrowserCheck {
  private BrowserCheck() {}

  /**
   * Runs {@code tests/browser/<script> args...}, fails (with its output) unless it exits 0 within
   * {@code timeout}, and returns what it printed on stdout.
   */
  static String run(String script, Duration timeout, List<String> args) throws Exception {
    Path path = InflightProcess.ROOT.resolve("tests/browser").resolve(script);
    Path modules = InflightProcess.ROOT.resolve("tests/browser/node_modules/playwright-core");
    if (!Files.isDirectory(modules)) {
      fail(modules + " is missing (CI=" + System.getenv("CI") + "): run ./test, or `npm ci` in tests/browser");
    }
    String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
    if (!Files.isExecutable(Path.of(chromium))) {
      fail(chromium + " is missing (CI=" + System.getenv("CI") + "): ./test installs the Debian package chromium");
    }
    List<String> command = new ArrayList<>(List.of(node(), path.toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(path.getParent().toFile());
    pb.environment().put("CHROMIUM", chromium);
    Process p = pb.start();
    // stderr on its own thread: a full pipe must not stall the browser while stdout is read.
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    });
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as("%s finished within %s", script, timeout).isTrue();
    assertThat(p.exitValue()).as("%s failed:\n%s\n%s", script, out, err.get()).isZero();
    return out;
  }

  private static String node() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(d.isEmpty() ? "." : d, "node");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail("no `node` on the PATH (CI=" + System.getenv("CI") + "): ./test installs nodejs");
  }
}
