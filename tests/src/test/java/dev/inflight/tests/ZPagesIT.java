package dev.inflight.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zpages extension of a running inflight, read with a real HTTP client: the pages list the
 * configured pipelines' components (a connector between two pipelines included), the running
 * extensions, and the build.
 */
class ZPagesIT {
  @TempDir Path dir;

  @Test
  void pagesDescribeTheRunningService() throws Exception {
    int otlp = InflightProcess.freePort();
    int zpages = InflightProcess.freePort();
    int health = InflightProcess.freePort();
    int metrics = InflightProcess.freePort();
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        receivers:
          otlp:
            protocols:
              http:
                endpoint: 127.0.0.1:%d
        processors:
          batch/small:
        connectors:
          forward/hop:
        exporters:
          debug:
          nop/end:
        extensions:
          health_check:
            endpoint: 127.0.0.1:%d
          zpages:
            endpoint: localhost:%d
        service:
          extensions: [health_check, zpages]
          telemetry:
            metrics:
              address: 127.0.0.1:%d
          pipelines:
            traces:
              receivers: [otlp]
              processors: [batch/small]
              exporters: [forward/hop]
            traces/after:
              receivers: [forward/hop]
              exporters: [debug, nop/end]
        """.formatted(otlp, health, zpages, metrics));
    try (InflightProcess p = InflightProcess.start(Map.of(), "--config", config.toString())) {
      String base = "http://localhost:" + zpages;
      p.awaitHttp200("http://127.0.0.1:" + health + "/", Duration.ofSeconds(30));

      HttpResponse<String> pipelinez = InflightProcess.get(base + "/debug/pipelinez");
      assertThat(pipelinez.statusCode()).isEqualTo(200);
      assertThat(pipelinez.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(pipelinez.body())
          .contains("<tr><td>traces</td><td>traces</td><td>otlp</td><td>batch/small</td>"
              + "<td>forward/hop (connector)</td><td>forward/hop</td></tr>")
          .contains("<tr><td>traces/after</td><td>traces</td><td>forward/hop (connector)</td><td></td>"
              + "<td>debug, nop/end</td><td>forward/hop</td></tr>");

      String extensionz = InflightProcess.get(base + "/debug/extensionz").body();
      assertThat(extensionz)
          .contains("<tr><td>health_check</td><td>StatusOK</td></tr>", "<tr><td>zpages</td><td>StatusOK</td></tr>");

      String servicez = InflightProcess.get(base + "/debug/servicez").body();
      assertThat(servicez)
          .contains("<td>Command</td><td>inflight</td>", "<td>StartTimestamp</td><td>20", "<td>Uptime</td><td>")
          .contains("<tr><td>traces</td><td>1</td><td>1</td><td>1</td></tr>",
              "<tr><td>traces/after</td><td>1</td><td>0</td><td>2</td></tr>", "2 extensions: health_check, zpages")
          .containsPattern("<td>Version</td><td>[0-9][^<]*</td>");

      assertThat(InflightProcess.get(base + "/debug/tracez").body()).contains("inflight does not record spans of its own");

      p.signal("TERM");
      assertThat(p.waitFor(Duration.ofSeconds(15))).as("stderr:\n%s", p.stderr()).isZero();
    }
  }
}
