package dev.inflight.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.config.configtls.TestPki;
import dev.inflight.config.configtls.TlsServerConfig;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS on both protocols, with real clients and certificates signed by a test CA. */
class OtlpTlsTest {
  private static TestPki pki;

  @BeforeAll
  static void certificates() throws Exception {
    pki = TestPki.get();
  }

  private static TestReceiver start(boolean mutual) throws Exception {
    return TestReceiver.start(OtlpReceiverConfig.of(
        OtlpReceiverConfig.Grpc.at("127.0.0.1:0").withTls(pki.serverTls(mutual)),
        OtlpReceiverConfig.Http.at("127.0.0.1:0").withTls(pki.serverTls(mutual))));
  }

  private static HttpClient client(SSLContext ctx, String... protocols) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(ctx);
    if (protocols.length > 0) {
      b.sslParameters(new SSLParameters(null, protocols));
    }
    return b.build();
  }

  private static HttpResponse<byte[]> post(HttpClient client, TestReceiver server) throws Exception {
    return client.send(
        HttpRequest.newBuilder(server.https("/v1/traces")).timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Requests.traces(2).toByteArray())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] grpcCall(TestReceiver server, boolean withCert) throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
        .sslContext(pki.grpcClient(withCert)).build();
    try {
      return ClientCalls.blockingUnaryCall(channel, OtlpGrpcServerTest.TRACES,
          CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), Requests.traces(3).toByteArray());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void httpsPostFromAClientTrustingTheCa() throws Exception {
    try (TestReceiver server = start(false)) {
      HttpResponse<byte[]> r = post(client(pki.clientContext(false)), server);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(server.traces).hasSize(1);
      assertThat(server.traces.get(0).encoded()).isEqualTo(Requests.traces(2).toByteArray());

      // Plaintext to the TLS port gets nowhere, and the server goes on serving.
      HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      assertThatThrownBy(() -> plain.send(
          HttpRequest.newBuilder(server.http("/v1/traces")).timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/x-protobuf")
              .POST(HttpRequest.BodyPublishers.ofByteArray(Requests.traces(1).toByteArray())).build(),
          HttpResponse.BodyHandlers.ofByteArray())).isInstanceOf(IOException.class);
      assertThat(post(client(pki.clientContext(false)), server).statusCode()).isEqualTo(200);
      assertThat(server.traces).hasSize(2);
    }
  }

  @Test
  void grpcOverTls() throws Exception {
    try (TestReceiver server = start(false)) {
      assertThat(grpcCall(server, false)).isEmpty();
      assertThat(server.traces).hasSize(1);
      assertThat(server.traces.get(0).spanCount()).isEqualTo(3);
    }
  }

  @Test
  void mutualTlsTakesAClientWithACertificateAndRejectsOneWithout() throws Exception {
    try (TestReceiver server = start(true)) {
      assertThatThrownBy(() -> post(client(pki.clientContext(false)), server)).isInstanceOf(IOException.class);
      assertThatThrownBy(() -> grpcCall(server, false))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
      assertThat(server.traces).isEmpty();

      assertThat(post(client(pki.clientContext(true)), server).statusCode()).isEqualTo(200);
      assertThat(grpcCall(server, true)).isEmpty();
      assertThat(server.traces).hasSize(2);
    }
  }

  @Test
  void minVersionRefusesOlderClients() throws Exception {
    TlsServerConfig tls13 = new TlsServerConfig(pki.serverCert.toString(), pki.serverKey.toString(), null, "1.3", null);
    try (TestReceiver server = TestReceiver.start(OtlpReceiverConfig.of(null, OtlpReceiverConfig.Http.at("127.0.0.1:0").withTls(tls13)))) {
      assertThatThrownBy(() -> post(client(pki.clientContext(false), "TLSv1.2"), server)).isInstanceOf(IOException.class);
      assertThat(post(client(pki.clientContext(false), "TLSv1.3"), server).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aMissingOrMismatchedFileFailsTheStartNamingTheSettingAndFile(@TempDir Path dir) {
    Path missing = dir.resolve("missing.crt");
    assertThatThrownBy(() -> TestReceiver.start(OtlpReceiverConfig.of(null,
        OtlpReceiverConfig.Http.at("127.0.0.1:0").withTls(TlsServerConfig.of(missing.toString(), pki.serverKey.toString())))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("receivers.otlp.protocols.http.tls.cert_file " + missing + " does not exist");

    assertThatThrownBy(() -> TestReceiver.start(OtlpReceiverConfig.of(OtlpReceiverConfig.Grpc.at("127.0.0.1:0")
        .withTls(pki.serverTls(false).withClientCa(missing.toString())), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("receivers.otlp.protocols.grpc.tls.client_ca_file " + missing + " does not exist");

    assertThatThrownBy(() -> TestReceiver.start(OtlpReceiverConfig.of(OtlpReceiverConfig.Grpc.at("127.0.0.1:0")
        .withTls(TlsServerConfig.of(pki.serverCert.toString(), pki.clientKey.toString())), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("receivers.otlp.protocols.grpc.tls.key_file " + pki.clientKey
            + " does not go with receivers.otlp.protocols.grpc.tls.cert_file " + pki.serverCert);
  }
}
