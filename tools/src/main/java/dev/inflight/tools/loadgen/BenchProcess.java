package dev.inflight.tools.loadgen;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * inflight under test: its own process (so its CPU and memory are its own), output to a log file,
 * ready when its {@code health_check} answers 200.
 */
public final class BenchProcess implements AutoCloseable {
  /** The ports a benchmark run gives inflight, all free when chosen. */
  public record Ports(int grpc, int http, int health, int telemetry, int prometheus, int query) {
    public static Ports free() throws IOException {
      return new Ports(freePort(), freePort(), freePort(), freePort(), freePort(), freePort());
    }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final Ports ports;
  private final Path log;
  private final double secondsToHealthy;

  private BenchProcess(Process process, Ports ports, Path log, double secondsToHealthy) {
    this.process = process;
    this.ports = ports;
    this.log = log;
    this.secondsToHealthy = secondsToHealthy;
  }

  /**
   * Starts {@code command} and waits until its health check answers 200.
   *
   * @throws IOException when it exits or is not healthy within {@code timeout}; the message points
   *     at the log
   */
  public static BenchProcess start(List<String> command, Map<String, String> env, Ports ports, Path log,
      Duration timeout) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    long started = System.nanoTime();
    Process process = pb.start();
    URI health = URI.create("http://127.0.0.1:" + ports.health() + "/");
    long deadline = started + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("inflight exited with code " + process.exitValue() + " before it was healthy; see " + log);
      }
      try {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(1)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return new BenchProcess(process, ports, log, (System.nanoTime() - started) / 1e9);
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(5);
    }
    process.destroyForcibly();
    throw new IOException("inflight was not healthy within " + timeout.toSeconds() + "s; see " + log);
  }

  public long pid() {
    return process.pid();
  }

  public Ports ports() {
    return ports;
  }

  public Path log() {
    return log;
  }

  /** From starting the process to its first 200 from the health check. */
  public double secondsToHealthy() {
    return secondsToHealthy;
  }

  public ProcSample sample() throws IOException {
    return ProcSample.read(process.pid());
  }

  /** The sum of every series of one self-metric ({@code otelcol_receiver_refused_spans_total}). */
  public double selfMetric(String name) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.telemetry() + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    double sum = 0;
    for (String line : r.body().split("\n")) {
      if (line.startsWith(name) && (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ')) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** SIGTERM (inflight drains and stops), then SIGKILL if it takes longer than 20 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  /**
   * A port free now, from 20000–31999: below Linux's ephemeral range (32768–60999), so an outgoing
   * connection (the load generator's, the forwarder's) cannot take it before inflight binds it.
   */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = 20000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12000);
      if (TAKEN.add(port)) {
        try (ServerSocket s = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
          return s.getLocalPort();
        } catch (IOException inUse) {
          // try another
        }
      }
    }
    throw new IOException("no free port found in 20000-31999");
  }

  /** Ports handed out by this process, never handed out twice. */
  private static final java.util.Set<Integer> TAKEN = java.util.concurrent.ConcurrentHashMap.newKeySet();
}
