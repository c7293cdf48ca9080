package dev.inflight.service.telemetry;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.service.config.TelemetryConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real self-telemetry on a free 127.0.0.1 port, read back the way Prometheus reads it. Shared with
 * other modules' tests through this module's test-jar.
 */
public final class ScrapedTelemetry implements AutoCloseable {
  private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)(?: \\S+)?$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private final SelfTelemetry telemetry;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  public ScrapedTelemetry() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    telemetry =
        SelfTelemetry.start(
            new TelemetryConfig(new TelemetryConfig.Metrics(TelemetryConfig.Level.NORMAL, "127.0.0.1:" + port), null, Map.of()),
            "test");
  }

  public CreateSettings settings(String exporterId) {
    return settings(ComponentKind.EXPORTER, exporterId);
  }

  /** Settings for a component of any kind, its self-metrics labelled {@code <kind>="<id>"}. */
  public CreateSettings settings(ComponentKind kind, String componentId) {
    ComponentId id = ComponentId.parse(componentId);
    return new CreateSettings(id, kind, telemetry.forComponent(kind, id), new HashMap<>());
  }

  /** The sum of the samples named {@code name} whose labels include {@code labels}; 0 when none. */
  public double value(String name, Map<String, String> labels) throws IOException, InterruptedException {
    String body =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double sum = 0;
    for (String line : body.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches() || !m.group(1).equals(name)) {
        continue;
      }
      Map<String, String> found = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          found.put(l.group(1), l.group(2));
        }
      }
      if (found.entrySet().containsAll(labels.entrySet())) {
        sum += Double.parseDouble(m.group(3));
      }
    }
    return sum;
  }

  /** Waits up to 10s for {@code name} to reach {@code expected}; returns the last value read. */
  public double await(String name, Map<String, String> labels, double expected) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    double v;
    while ((v = value(name, labels)) != expected && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    return v;
  }

  @Override
  public void close() {
    telemetry.close();
  }
}
