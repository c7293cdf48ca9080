package dev.inflight.extension.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inflight.service.config.ConfigFixture;
import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.CreateSettings;
import dev.inflight.component.Extension;
import dev.inflight.component.FactoryRegistry;
import dev.inflight.component.Host;
import dev.inflight.service.config.CollectorConfig;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.service.config.PipelineConfig;
import dev.inflight.service.config.ServiceConfig;
import dev.inflight.service.Service;
import dev.inflight.service.telemetry.SelfTelemetry;
import dev.inflight.component.config.DurationFormat;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.component.telemetry.ListenException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthCheckExtensionTest {
  private static final Host HOST = Map::of;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private HealthCheckExtension extension;

  @AfterEach
  void stop() {
    if (extension != null) {
      extension.shutdown();
    }
  }

  /** Started on a free port of 127.0.0.1 (port 0: the kernel picks, so no race with other tests). */
  private HealthCheckExtension start(HealthCheckConfig config) throws IOException {
    extension = new HealthCheckExtension("health_check", config);
    extension.start(HOST);
    return extension;
  }

  private static HealthCheckConfig local(String path) {
    return new HealthCheckConfig("127.0.0.1:0", path);
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + extension.address().getPort() + path);
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5))
            .build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send("GET", path);
  }

  @Test
  void notAvailableBeforePipelinesAreReady() throws Exception {
    start(local("/"));

    HttpResponse<String> response = get("/");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(response.body())
        .isEqualTo("{\"status\":\"Server not available\",\"upSince\":\"0001-01-01T00:00:00Z\",\"uptime\":\"\"}");
  }

  @Test
  void availableWhilePipelinesAreReady() throws Exception {
    start(local("/"));
    Instant before = Instant.now();
    extension.pipelinesReady();
    Instant after = Instant.now();

    HttpResponse<String> response = get("/");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.size()).isEqualTo(3);
    assertThat(body.get("status").asText()).isEqualTo("Server available");
    assertThat(body.get("upSince").asText()).endsWith("Z");
    assertThat(Instant.parse(body.get("upSince").asText())).isBetween(before, after);
    String uptime = body.get("uptime").asText();
    assertThat(uptime).matches("([0-9]+h)?([0-9]+m)?[0-9]+(\\.[0-9]+)?(ns|us|ms|s)");
    assertThat(DurationFormat.parse(uptime)).isPositive().isLessThan(Duration.ofMinutes(1));
  }

  @Test
  void bodyHasTheCollectorsShape() throws Exception {
    AtomicLong nanos = new AtomicLong(1_000);
    Clock clock = Clock.fixed(Instant.parse("2020-11-11T04:12:31.684717400Z"), ZoneOffset.UTC);
    extension = new HealthCheckExtension("health_check", local("/"), clock, nanos::get);
    extension.start(HOST);
    extension.pipelinesReady();
    nanos.addAndGet(49_013_251_800L);

    HttpResponse<String> response = get("/");

    assertThat(response.body())
        .isEqualTo(
            "{\"status\":\"Server available\",\"upSince\":\"2020-11-11T04:12:31.6847174Z\","
                + "\"uptime\":\"49.0132518s\"}");
  }

  @Test
  void notAvailableAgainOnceThePipelinesStop() throws Exception {
    start(local("/"));
    extension.pipelinesReady();
    assertThat(get("/").statusCode()).isEqualTo(200);

    extension.pipelinesNotReady();
    HttpResponse<String> response = get("/");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("Server not available");
    assertThat(JSON.readTree(response.body()).get("upSince").asText()).isEqualTo("0001-01-01T00:00:00Z");
  }

  @Test
  void refusesOtherMethods() throws Exception {
    start(local("/"));
    extension.pipelinesReady();

    HttpResponse<String> post = send("POST", "/");
    HttpResponse<String> delete = send("DELETE", "/");

    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    assertThat(delete.statusCode()).isEqualTo(405);
  }

  @Test
  void headAnswersLikeGetWithoutABody() throws Exception {
    start(local("/"));
    extension.pipelinesReady();

    HttpResponse<String> head = send("HEAD", "/");

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void answersOnlyOnItsPath() throws Exception {
    start(local("/health/status"));
    extension.pipelinesReady();

    assertThat(get("/health/status").statusCode()).isEqualTo(200);
    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/health/status/more").statusCode()).isEqualTo(404);
  }

  @Test
  void rootPathAnswersEverywhereAsInTheCollector() throws Exception {
    start(local("/"));
    extension.pipelinesReady();

    assertThat(get("/anything").statusCode()).isEqualTo(200);
  }

  @Test
  void portInUseFailsStartWithOneClearLine() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String endpoint = "127.0.0.1:" + taken.getLocalPort();
      extension = new HealthCheckExtension("health_check", new HealthCheckConfig(endpoint, "/"));

      assertThatThrownBy(() -> extension.start(HOST))
          .isInstanceOf(ListenException.class)
          .hasMessage("health_check cannot listen on " + endpoint + ": address already in use");
    }
  }

  @Test
  void unknownHostFailsStartWithOneClearLine() {
    extension = new HealthCheckExtension("health_check", new HealthCheckConfig("no-such-host.invalid:13133", "/"));

    assertThatThrownBy(() -> extension.start(HOST))
        .isInstanceOf(ListenException.class)
        .hasMessage("health_check cannot listen on no-such-host.invalid:13133: cannot resolve host no-such-host.invalid");
  }

  @Test
  void factoryNamesTheComponentIdInTheMessage() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      String endpoint = "127.0.0.1:" + taken.getLocalPort();
      ComponentId id = ComponentId.parse("health_check/probe");
      CreateSettings settings =
          new CreateSettings(
              id, ComponentKind.EXTENSION, ComponentTelemetry.noop(ComponentKind.EXTENSION, id), new HashMap<>());
      Extension created =
          new HealthCheckExtensionFactory().create(settings, new HealthCheckConfig(endpoint, "/"));
      try {
        assertThatThrownBy(() -> created.start(HOST))
            .hasMessage("health_check/probe cannot listen on " + endpoint + ": address already in use");
      } finally {
        created.shutdown();
      }
    }
  }

  @Test
  void shutdownStopsServingAndRunsOnce() throws Exception {
    start(local("/"));
    int port = extension.address().getPort();
    assertThat(get("/").statusCode()).isEqualTo(503);

    extension.shutdown();
    extension.shutdown();

    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
    assertThatThrownBy(() -> CLIENT.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
    // The port is free again: a new instance can take it.
    HealthCheckExtension again = new HealthCheckExtension("health_check", new HealthCheckConfig("127.0.0.1:" + port, "/"));
    try {
      again.start(HOST);
    } finally {
      again.shutdown();
    }
  }

  @Test
  void followsTheServiceLifecycle() throws Exception {
    ComponentId id = ComponentId.of("health_check");
    Map<ComponentKind, Map<ComponentId, ComponentConfig>> components = new EnumMap<>(ComponentKind.class);
    components.put(ComponentKind.RECEIVER, Map.of(ComponentId.of("nop"), new ConfigFixture.NopConfig()));
    components.put(ComponentKind.EXPORTER, Map.of(ComponentId.of("nop"), new ConfigFixture.NopConfig()));
    components.put(ComponentKind.EXTENSION, Map.of(id, local("/")));
    CollectorConfig config =
        new CollectorConfig(
            components,
            new ServiceConfig(
                List.of("health_check"),
                Map.of("traces", new PipelineConfig(List.of("nop"), null, List.of("nop"))),
                null,
                null));
    FactoryRegistry registry =
        FactoryRegistry.of(
            List.of(
                new ConfigFixture.NopReceiverFactory(),
                new ConfigFixture.NopExporterFactory(),
                new HealthCheckExtensionFactory()));
    Service service = Service.build(config, registry, SelfTelemetry.noop());
    extension =
        (HealthCheckExtension)
            service.instances().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow().component();

    service.start();
    int port = extension.address().getPort();
    assertThat(get("/").statusCode()).isEqualTo(200);

    assertThat(service.shutdown()).isEmpty();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
    assertThatThrownBy(() -> CLIENT.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void shutdownWithoutStartIsFine() {
    new HealthCheckExtension("health_check", HealthCheckConfig.DEFAULT).shutdown();
  }

  @Test
  void servesOnDaemonThreads() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    start(local("/"));
    get("/");

    // The JDK server's dispatcher and our handler thread: neither may keep the JVM alive.
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> !before.contains(t))
        .filteredOn(t -> t.getName().startsWith("health_check") || t.getName().equals("HTTP-Dispatcher"))
        .hasSize(2)
        .allMatch(Thread::isDaemon);
  }

  @Test
  void formatsTimesAsGoDoes() {
    assertThat(HealthCheckExtension.rfc3339(Instant.parse("2020-11-11T04:12:31Z"))).isEqualTo("2020-11-11T04:12:31Z");
    assertThat(HealthCheckExtension.rfc3339(Instant.parse("2020-11-11T04:12:31.500Z")))
        .isEqualTo("2020-11-11T04:12:31.5Z");
    assertThat(HealthCheckExtension.rfc3339(Instant.parse("2020-11-11T04:12:31.000000001Z")))
        .isEqualTo("2020-11-11T04:12:31.000000001Z");
  }
}
