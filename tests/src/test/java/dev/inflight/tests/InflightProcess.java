package dev.inflight.tests;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The built inflight jar (or the ./inflight launcher) running as a child process, its output captured. */
final class InflightProcess implements AutoCloseable {
  static final Path JAR = Path.of(System.getProperty("inflight.jar", "../app/target/inflight.jar")).toAbsolutePath().normalize();
  static final Path ROOT = Path.of(System.getProperty("inflight.root", "..")).toAbsolutePath().normalize();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final Process process;
  private final StringBuffer stdout = new StringBuffer();
  private final StringBuffer stderr = new StringBuffer();
  private final Thread stdoutPump;
  private final Thread stderrPump;

  private InflightProcess(Process process) {
    this.process = process;
    stdoutPump = pump(process.getInputStream(), stdout);
    stderrPump = pump(process.getErrorStream(), stderr);
  }

  /** {@code java -jar inflight.jar args...} */
  static InflightProcess start(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx128m", "-XX:+UseSerialGC", "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    return start(cmd, env);
  }

  /** {@code ./inflight args...}: the launcher, as a user runs it. */
  static InflightProcess launcher(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("inflight").toString()));
    cmd.addAll(List.of(args));
    return start(cmd, env);
  }

  private static InflightProcess start(List<String> cmd, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
    pb.environment().putAll(env);
    return new InflightProcess(pb.start());
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs to completion (at most {@code timeout}) and returns the exit code. */
  int waitFor(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("inflight did not exit within " + timeout + "\nstderr:\n" + stderr);
    }
    // The pumps end at end-of-stream: after them, everything the process wrote has been read.
    stdoutPump.join(5_000);
    stderrPump.join(5_000);
    return process.exitValue();
  }

  String stdout() {
    return stdout.toString();
  }

  String stderr() {
    return stderr.toString();
  }

  /** Waits until the process's stderr satisfies {@code condition}. */
  void awaitStderr(Predicate<String> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.test(stderr.toString())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("stderr never matched within " + timeout + ":\n" + stderr);
      }
      if (!process.isAlive()) {
        throw new AssertionError("inflight exited with " + process.exitValue() + ":\n" + stderr);
      }
      Thread.sleep(50);
    }
  }

  /** Polls {@code url} until it answers 200, failing if the process dies first. */
  HttpResponse<String> awaitHttp200(String url, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new AssertionError("inflight exited with " + process.exitValue() + " before " + url + " answered:\n" + stderr);
      }
      try {
        HttpResponse<String> r = get(url);
        if (r.statusCode() == 200) {
          return r;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(url + " did not answer 200 within " + timeout + "\nstderr:\n" + stderr);
      }
      Thread.sleep(100);
    }
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -" + name + " failed");
    }
  }

  /**
   * A port nothing listens on, for a process a test starts. Not from the kernel's ephemeral range
   * (Linux: 32768-60999), where {@code new ServerSocket(0)} would pick one: every outgoing
   * connection of the test JVM and its children takes a port from that range too, and one of them
   * took a port between our check and inflight's bind (seen: "address already in use" in CI). Below
   * it only listeners compete, and no port is handed out twice in one JVM.
   */
  static int freePort() throws IOException {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20_000 + random.nextInt(12_000);
      if (!HANDED_OUT.add(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new java.net.InetSocketAddress("0.0.0.0", port));
        return port;
      } catch (IOException taken) {
        // someone listens there: try another
      }
    }
    throw new IOException("no free port found in 20000-31999 after 200 attempts");
  }

  private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static Thread pump(InputStream in, StringBuffer into) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) > 0) {
          into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }, "inflight-output");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
