package dev.inflight.extension.zpages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.ComponentId;
import dev.inflight.component.Extension;
import dev.inflight.component.Host;
import dev.inflight.component.PipelineId;
import dev.inflight.component.ServiceView;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pages against a real HTTP client, over a service view made here. */
class ZPagesExtensionTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final ZPagesExtension ext = new ZPagesExtension("zpages", new ZPagesConfig("127.0.0.1:0"));

  private final ServiceView view = new ServiceView() {
    @Override
    public BuildInfo build() {
      return new BuildInfo("inflight", "inflight test", "9.8.7");
    }

    @Override
    public Instant startTime() {
      return Instant.parse("2026-01-02T03:04:05Z");
    }

    @Override
    public List<Pipeline> pipelines() {
      return List.of(
          new Pipeline(PipelineId.parse("traces"), List.of(ComponentId.parse("otlp")),
              List.of(ComponentId.parse("batch/x")), List.of(ComponentId.parse("concurrency")),
              List.of(ComponentId.parse("concurrency"))),
          new Pipeline(PipelineId.parse("metrics/concurrency"), List.of(ComponentId.parse("concurrency")),
              List.of(), List.of(ComponentId.parse("prometheus")), List.of(ComponentId.parse("concurrency"))));
    }

    @Override
    public Map<ComponentId, Status> extensionStatus() {
      Map<ComponentId, Status> m = new LinkedHashMap<>();
      m.put(ComponentId.parse("zpages"), Status.OK);
      m.put(ComponentId.parse("health_check"), Status.STOPPING);
      return m;
    }
  };

  @AfterEach
  void stop() {
    ext.shutdown();
  }

  private String base() throws Exception {
    ext.start(new Host() {
      @Override
      public Map<ComponentId, Extension> extensions() {
        return Map.of();
      }

      @Override
      public Optional<ServiceView> service() {
        return Optional.of(view);
      }
    });
    return "http://127.0.0.1:" + ext.address().getPort();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void pipelinezListsEachPipelinesComponents() throws Exception {
    HttpResponse<String> r = get(base() + "/debug/pipelinez");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(r.body())
        .contains("<tr><td>traces</td><td>traces</td><td>otlp</td><td>batch/x</td><td>concurrency (connector)</td><td>concurrency</td></tr>")
        .contains("<tr><td>metrics/concurrency</td><td>metrics</td><td>concurrency (connector)</td><td></td><td>prometheus</td><td>concurrency</td></tr>");
  }

  @Test
  void servicezShowsBuildStartAndConfigSummary() throws Exception {
    String body = get(base() + "/debug/servicez").body();

    assertThat(body).contains("<td>Version</td><td>9.8.7</td>", "<td>Description</td><td>inflight test</td>",
        "<td>StartTimestamp</td><td>2026-01-02T03:04:05Z</td>", "<td>Uptime</td>",
        "<tr><td>traces</td><td>1</td><td>1</td><td>1</td></tr>", "2 extensions: zpages, health_check");
  }

  @Test
  void extensionzShowsEachExtensionsStatus() throws Exception {
    String body = get(base() + "/debug/extensionz").body();

    assertThat(body).contains("<tr><td>zpages</td><td>StatusOK</td></tr>", "<tr><td>health_check</td><td>StatusStopping</td></tr>");
  }

  @Test
  void tracezAndRpczSayWhyTheyAreEmpty() throws Exception {
    String b = base();
    for (String page : List.of("/debug/tracez", "/debug/rpcz")) {
      HttpResponse<String> r = get(b + page);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("inflight does not record spans of its own");
    }
  }

  @Test
  void unknownPathIs404AndOtherMethods405() throws Exception {
    String b = base();
    assertThat(get(b + "/debug/nothing").statusCode()).isEqualTo(404);
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(b + "/debug/servicez"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void refusesAForeignHostName() throws Exception {
    base();
    // java.net.http will not send a Host header of our choosing: speak HTTP/1.1 by hand.
    String reply = raw("GET /debug/pipelinez HTTP/1.1\r\nHost: evil.example:55679\r\nConnection: close\r\n\r\n");
    assertThat(reply).startsWith("HTTP/1.1 403").contains("Host \"evil.example:55679\" is not this server's name")
        .doesNotContain("otlp");
    assertThat(raw("GET /debug/pipelinez HTTP/1.1\r\nHost: localhost:55679\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 200");
  }

  @Test
  void allowedHosts() {
    assertThat(ZPagesExtension.allowedHost("localhost:55679", "localhost")).isTrue();
    assertThat(ZPagesExtension.allowedHost("127.0.0.1:55679", "localhost")).isTrue();
    assertThat(ZPagesExtension.allowedHost("[::1]:55679", "localhost")).isTrue();
    assertThat(ZPagesExtension.allowedHost("10.1.2.3", "0.0.0.0")).isTrue();
    assertThat(ZPagesExtension.allowedHost("collector.internal:55679", "collector.internal")).isTrue();
    assertThat(ZPagesExtension.allowedHost("collector.internal:55679", "0.0.0.0")).isFalse();
    assertThat(ZPagesExtension.allowedHost("attacker.example", "localhost")).isFalse();
    assertThat(ZPagesExtension.allowedHost("999.1.1.1", "localhost")).isFalse();
  }

  private String raw(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", ext.address().getPort())) {
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
