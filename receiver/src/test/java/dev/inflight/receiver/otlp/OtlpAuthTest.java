package dev.inflight.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.inflight.config.configauth.AuthConfig;
import dev.inflight.config.configgrpc.ServerAuthInterceptor;
import io.grpc.CallOptions;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code auth.bearer_token} on both protocols, with real clients. */
class OtlpAuthTest {
  private static final String TOKEN = "s3cret-token";
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @RegisterExtension
  static final TestReceiver server = TestReceiver.shared(OtlpReceiverConfig.of(
      OtlpReceiverConfig.Grpc.at("127.0.0.1:0").withAuth(AuthConfig.bearer(TOKEN)),
      OtlpReceiverConfig.Http.at("127.0.0.1:0").withAuth(AuthConfig.bearer(TOKEN))));

  private static HttpResponse<byte[]> post(String type, byte[] body, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.http("/v1/traces")).timeout(Duration.ofSeconds(20))
        .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static byte[] grpc(String authorization) {
    Metadata headers = new Metadata();
    if (authorization != null) {
      headers.put(ServerAuthInterceptor.AUTHORIZATION, authorization);
    }
    return ClientCalls.blockingUnaryCall(
        io.grpc.ClientInterceptors.intercept(server.grpcChannel(), MetadataUtils.newAttachHeadersInterceptor(headers)),
        OtlpGrpcServerTest.TRACES, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
        Requests.traces(2).toByteArray());
  }

  @Test
  void httpWithTheRightTokenIsAccepted() throws Exception {
    assertThat(post("application/x-protobuf", Requests.traces(2).toByteArray(), "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    assertThat(post("application/x-protobuf", Requests.traces(2).toByteArray(), "bearer " + TOKEN).statusCode()).isEqualTo(200);
    assertThat(server.traces).hasSize(2);
  }

  @Test
  void httpWithoutOrWithAWrongTokenGets401AndNothingReachesThePipeline() throws Exception {
    byte[] body = Requests.traces(2).toByteArray();
    for (String auth : new String[] {null, "", "Bearer", "Bearer wrong", "Bearer " + TOKEN + "x", "Basic " + TOKEN, TOKEN}) {
      HttpResponse<byte[]> r = post("application/x-protobuf", body, auth);
      assertThat(r.statusCode()).as("Authorization: %s", auth).isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
      assertThat(Status.parseFrom(r.body()).getCode()).isEqualTo(Code.UNAUTHENTICATED_VALUE);
    }
    HttpResponse<byte[]> json = post("application/json", "{}".getBytes(StandardCharsets.UTF_8), "Bearer nope");
    assertThat(json.statusCode()).isEqualTo(401);
    assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(new String(json.body(), StandardCharsets.UTF_8)).contains("\"code\":16");
    assertThat(server.traces).isEmpty();

    // The same keep-alive client goes on with a good request.
    assertThat(post("application/x-protobuf", body, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    assertThat(server.traces).hasSize(1);
  }

  @Test
  void grpcWithTheRightTokenIsAcceptedOthersAreUnauthenticated() {
    assertThat(grpc("Bearer " + TOKEN)).isEmpty();
    assertThat(server.traces).hasSize(1);
    for (String auth : new String[] {null, "Bearer wrong", "Basic " + TOKEN}) {
      assertThatThrownBy(() -> grpc(auth))
          .as("authorization: %s", auth)
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED));
    }
    assertThat(server.traces).hasSize(1);
    assertThat(grpc("Bearer " + TOKEN)).isEmpty();
    assertThat(server.traces).hasSize(2);
  }
}
