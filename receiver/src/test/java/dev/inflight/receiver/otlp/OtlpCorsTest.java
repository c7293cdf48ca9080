package dev.inflight.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.config.configauth.AuthConfig;
import dev.inflight.config.confighttp.CorsConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code protocols.http.cors}: preflights and the headers of actual requests, with a real client. */
class OtlpCorsTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static TestReceiver server;
  private static TestReceiver plain;

  @BeforeAll
  static void start() throws Exception {
    server = TestReceiver.start(OtlpReceiverConfig.of(null, OtlpReceiverConfig.Http.at("127.0.0.1:0")
        .withCors(new CorsConfig(List.of("https://app.example.org", "https://*.example.com"), List.of("X-Custom", "Authorization"), 600))
        .withAuth(AuthConfig.bearer("t0ken"))));
    plain = TestReceiver.start(OtlpReceiverConfig.of(null, OtlpReceiverConfig.Http.at("127.0.0.1:0")));
  }

  @AfterAll
  static void stop() {
    server.close();
    plain.close();
  }

  private static HttpResponse<byte[]> preflight(TestReceiver to, String origin, String headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(to.http("/v1/traces")).timeout(Duration.ofSeconds(20))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST");
    if (headers != null) {
      b.header("Access-Control-Request-Headers", headers);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<byte[]> post(String origin, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.http("/v1/traces")).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Requests.traces(1).toByteArray()));
    if (origin != null) {
      b.header("Origin", origin);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void preflightFromAnAllowedOriginIsAnsweredWithoutAToken() throws Exception {
    HttpResponse<byte[]> r = preflight(server, "https://ui.example.com", "content-type, authorization, x-custom");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://ui.example.com");
    assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).hasValue("content-type, authorization, x-custom");
    assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(r.headers().firstValue("Access-Control-Max-Age")).hasValue("600");
    assertThat(r.body()).isEmpty();

    assertThat(preflight(server, "https://app.example.org", null).headers().firstValue("Access-Control-Allow-Origin"))
        .hasValue("https://app.example.org");
    assertThat(server.traces).isEmpty();
  }

  @Test
  void preflightFromAnotherOriginOrAskingForOtherHeadersGetsNoCorsHeaders() throws Exception {
    for (HttpResponse<byte[]> r : List.of(
        preflight(server, "https://evil.example.net", "content-type"),
        preflight(server, "https://example.com", null), // the wildcard needs a subdomain
        preflight(server, "https://ui.example.com", "x-not-allowed"))) {
      assertThat(r.statusCode()).isEqualTo(204);
      assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control-allow"));
    }
  }

  @Test
  void actualRequestsFromAnAllowedOriginGetAllowOrigin() throws Exception {
    HttpResponse<byte[]> ok = post("https://app.example.org", "t0ken");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.org");
    assertThat(ok.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    assertThat(ok.headers().allValues("Vary")).contains("Origin");

    // A browser can read the 401 too.
    HttpResponse<byte[]> unauthenticated = post("https://a.example.com", null);
    assertThat(unauthenticated.statusCode()).isEqualTo(401);
    assertThat(unauthenticated.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://a.example.com");

    HttpResponse<byte[]> other = post("https://evil.example.net", "t0ken");
    assertThat(other.statusCode()).isEqualTo(200);
    assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    HttpResponse<byte[]> none = post(null, "t0ken");
    assertThat(none.statusCode()).isEqualTo(200);
    assertThat(none.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
  }

  @Test
  void withoutCorsThereAreNoCorsHeadersAndOptionsIsNotAllowed() throws Exception {
    HttpResponse<byte[]> r = preflight(plain, "https://app.example.org", null);
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control"));
  }
}
