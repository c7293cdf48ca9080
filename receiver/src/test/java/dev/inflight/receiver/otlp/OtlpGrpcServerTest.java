package dev.inflight.receiver.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.RetryInfo;
import dev.inflight.component.Refusal;
import dev.inflight.component.Signal;
import dev.inflight.pdata.testing.TestData;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OTLP/gRPC with a real grpc-java client sending raw bytes, so bad input can be sent too. */
class OtlpGrpcServerTest {
  static final MethodDescriptor<byte[], byte[]> TRACES = method(OtlpGrpcServer.TRACE_SERVICE);
  static final MethodDescriptor<byte[], byte[]> METRICS = method(OtlpGrpcServer.METRICS_SERVICE);
  static final MethodDescriptor<byte[], byte[]> LOGS = method(OtlpGrpcServer.LOGS_SERVICE);

  @RegisterExtension
  static final TestReceiver server =
      TestReceiver.shared(OtlpReceiverConfig.of(new OtlpReceiverConfig.Grpc("127.0.0.1:0", 1), null));

  static MethodDescriptor<byte[], byte[]> method(String service) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "Export"))
        .setRequestMarshaller(OtlpGrpcServer.BYTES)
        .setResponseMarshaller(OtlpGrpcServer.BYTES)
        .build();
  }

  static ManagedChannel channel(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  private static byte[] call(MethodDescriptor<byte[], byte[]> m, byte[] request, CallOptions options) {
    return ClientCalls.blockingUnaryCall(server.grpcChannel(), m, options.withDeadlineAfter(20, TimeUnit.SECONDS), request);
  }

  private static byte[] call(MethodDescriptor<byte[], byte[]> m, byte[] request) {
    return call(m, request, CallOptions.DEFAULT);
  }

  private static void goodRequestStillWorks() {
    int before = server.traces.size();
    call(TRACES, Requests.traces(1).toByteArray());
    assertThat(server.traces).hasSize(before + 1);
  }

  @Test
  void tracesArriveAsTheBytesSentAndTheAnswerIsTheEmptyResponse() {
    byte[] sent = Requests.traces(new int[][] {{2}, {2}}).toByteArray();
    assertThat(call(TRACES, sent)).isEmpty();
    assertThat(server.traces).hasSize(1);
    assertThat(server.traces.get(0).encoded()).isEqualTo(sent);
    assertThat(server.traces.get(0).spanCount()).isEqualTo(4);
  }

  @Test
  void gzipIsAccepted() {
    byte[] sent = Requests.traces(3).toByteArray();
    call(TRACES, sent, CallOptions.DEFAULT.withCompression("gzip"));
    assertThat(server.traces.get(0).encoded()).isEqualTo(sent);
  }

  @Test
  void metricsHaveTheirOwnService() {
    byte[] sent = Requests.metrics().toByteArray();
    assertThat(call(METRICS, sent)).isEmpty();
    assertThat(server.metrics).singleElement().satisfies(m -> assertThat(m.encoded()).isEqualTo(sent));
  }

  @Test
  void malformedIsInvalidArgument() {
    byte[] full = Requests.traces(2).toByteArray();
    assertThatThrownBy(() -> call(TRACES, Arrays.copyOf(full, full.length - 5)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).startsWith("not a valid ExportTraceServiceRequest");
        });
    assertThatThrownBy(() -> call(TRACES, Requests.metrics().toByteArray()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThatThrownBy(() -> call(METRICS, Requests.traces(1).toByteArray()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThat(server.traces).isEmpty();
    goodRequestStillWorks();
  }

  @Test
  void retryableRefusalIsUnavailableWithRetryInfo() {
    server.refuseWith = Refusal.retryable("queue is full", Duration.ofSeconds(2));
    assertThatThrownBy(() -> call(TRACES, Requests.traces(1).toByteArray()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> unavailableWithRetryInfo(e));
    server.refuseWith = Refusal.retryable("no hint");
    assertThatThrownBy(() -> call(TRACES, Requests.traces(1).toByteArray()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    server.refuseWith = Refusal.permanent("bad data");
    assertThatThrownBy(() -> call(TRACES, Requests.traces(1).toByteArray()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    server.refuseWith = null;
    goodRequestStillWorks();
  }

  private static void unavailableWithRetryInfo(StatusRuntimeException e) {
    try {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      com.google.rpc.Status details = StatusProto.fromThrowable(e);
      assertThat(details).isNotNull();
      assertThat(details.getMessage()).isEqualTo("queue is full");
      assertThat(details.getDetails(0).is(RetryInfo.class)).isTrue();
      RetryInfo info = RetryInfo.parseFrom(details.getDetails(0).getValue().toByteArray());
      assertThat(java.time.Duration.ofSeconds(info.getRetryDelay().getSeconds(), info.getRetryDelay().getNanos()).toMillis())
          .isEqualTo(2000);
    } catch (com.google.protobuf.InvalidProtocolBufferException x) {
      throw new AssertionError(x);
    }
  }

  @Test
  void overMaxRecvMsgSizeIsResourceExhaustedEvenWhenItArrivesCompressed() {
    var request = Requests.traces(1).toBuilder();
    request.getResourceSpansBuilder(0).getScopeSpansBuilder(0).getSpansBuilder(0)
        .addAttributes(Requests.attr("big", "x".repeat(1_100_000)));
    byte[] big = request.build().toByteArray();
    assertThatThrownBy(() -> call(TRACES, big, CallOptions.DEFAULT.withCompression("gzip")))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    goodRequestStillWorks();
  }

  @Test
  void aSignalWithoutPipelineIsUnimplemented() throws Exception {
    try (TestReceiver tracesOnly = TestReceiver.start(
        OtlpReceiverConfig.of(OtlpReceiverConfig.Grpc.at("127.0.0.1:0"), OtlpReceiverConfig.Http.at("127.0.0.1:0")),
        TestReceiver.noopTelemetry(), Signal.TRACES)) {
      ManagedChannel c = channel(tracesOnly.grpcPort());
      try {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(c, METRICS, CallOptions.DEFAULT, Requests.metrics().toByteArray()))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
        assertThat(ClientCalls.blockingUnaryCall(c, TRACES, CallOptions.DEFAULT, Requests.traces(1).toByteArray())).isEmpty();
      } finally {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      var http = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(tracesOnly.http("/v1/metrics")).header("Content-Type", "application/x-protobuf")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(Requests.metrics().toByteArray())).build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
      assertThat(http.statusCode()).isEqualTo(404);
    }
  }

  // ---- logs: the same service contract as traces ----

  private static StatusRuntimeException refused(MethodDescriptor<byte[], byte[]> m, byte[] request) {
    try {
      call(m, request);
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("accepted: " + m.getFullMethodName());
  }

  private static void goodLogsStillWork() {
    int before = server.logs.size();
    call(LOGS, TestData.logsRequest(new int[][] {{1}}).toByteArray());
    assertThat(server.logs).hasSize(before + 1);
  }

  @Test
  void logsArriveAsTheBytesSentAndTheAnswerIsTheEmptyExportLogsServiceResponse() throws Exception {
    ExportLogsServiceRequest request = TestData.logsRequest(new int[][] {{2, 3}, {0}, {1}});
    byte[] sent = request.toByteArray();
    byte[] answer = call(LOGS, sent);
    // As the Collector's receiver: success is the empty response, no partial_success (nothing is
    // accepted in part: a request is taken whole or refused whole).
    assertThat(ExportLogsServiceResponse.parseFrom(answer)).isEqualTo(ExportLogsServiceResponse.getDefaultInstance());
    assertThat(answer).isEmpty();
    assertThat(server.logs).singleElement().satisfies(l -> {
      assertThat(l.encoded()).isEqualTo(sent);
      assertThat(l.logRecordCount()).isEqualTo(6);
      assertThat(l.request()).isEqualTo(request);
    });
    assertThat(server.traces).isEmpty();
    assertThat(server.metrics).isEmpty();
  }

  @Test
  void gzipLogsAreAccepted() {
    byte[] sent = TestData.logsRequest(new int[][] {{8}}).toByteArray();
    assertThat(call(LOGS, sent, CallOptions.DEFAULT.withCompression("gzip"))).isEmpty();
    assertThat(server.logs).singleElement().satisfies(l -> assertThat(l.encoded()).isEqualTo(sent));
  }

  @Test
  void anEmptyLogsRequestIsAnsweredAndNotHandedOn() {
    assertThat(call(LOGS, new byte[0])).isEmpty();
    assertThat(call(LOGS, TestData.logsRequest(new int[][] {{0}, {}}).toByteArray())).isEmpty();
    assertThat(server.logs).isEmpty();
  }

  @Test
  void badLogsGetTheStatusBadTracesGet() {
    for (BadRequests.Kind bad : BadRequests.all()) {
      StatusRuntimeException traces = refused(TRACES, bad.of(Signal.TRACES));
      StatusRuntimeException logs = refused(LOGS, bad.of(Signal.LOGS));
      assertThat(traces.getStatus().getCode()).as("traces, %s", bad.what()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(logs.getStatus().getCode()).as("logs, %s", bad.what()).isEqualTo(traces.getStatus().getCode());
      assertThat(logs.getStatus().getDescription()).as(bad.what()).startsWith(bad.message());
    }
    assertThat(server.traces).isEmpty();
    assertThat(server.logs).isEmpty();
    goodLogsStillWork();
  }

  @Test
  void logsRefusedByThePipelineAreUnavailableOrInvalidArgumentAsTraces() {
    byte[] logs = TestData.logsRequest(new int[][] {{2}}).toByteArray();
    server.refuseWith = Refusal.retryable("queue is full", Duration.ofSeconds(2));
    assertThatThrownBy(() -> call(LOGS, logs))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> unavailableWithRetryInfo(e));
    server.refuseWith = Refusal.retryable("no hint");
    assertThat(refused(LOGS, logs).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(refused(TRACES, Requests.traces(1).toByteArray()).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    server.refuseWith = Refusal.permanent("bad data");
    StatusRuntimeException permanent = refused(LOGS, logs);
    assertThat(permanent.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(permanent.getStatus().getDescription()).isEqualTo("bad data");
    server.refuseWith = null;
    assertThat(server.logs).isEmpty();
    goodLogsStillWork();
  }

  @Test
  void logsOverMaxRecvMsgSizeAreResourceExhaustedEvenCompressed() {
    byte[] big = BadRequests.logsLargerThan(1 << 20).toByteArray();
    for (CallOptions options : new CallOptions[] {CallOptions.DEFAULT, CallOptions.DEFAULT.withCompression("gzip")}) {
      assertThatThrownBy(() -> call(LOGS, big, options))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }
    assertThat(server.logs).isEmpty();
    goodLogsStillWork();
  }

  @Test
  void withoutALogsPipelineTheLogsServiceIsUnimplementedAndWithOnlyOneTheOthersAre() throws Exception {
    OtlpReceiverConfig both =
        OtlpReceiverConfig.of(OtlpReceiverConfig.Grpc.at("127.0.0.1:0"), OtlpReceiverConfig.Http.at("127.0.0.1:0"));
    byte[] logs = TestData.logsRequest(new int[][] {{1}}).toByteArray();
    try (TestReceiver tracesOnly = TestReceiver.start(both, TestReceiver.noopTelemetry(), Signal.TRACES)) {
      assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(tracesOnly.grpcChannel(), LOGS, CallOptions.DEFAULT, logs))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
      assertThat(httpPost(tracesOnly, "/v1/logs", logs)).isEqualTo(404);
      assertThat(httpPost(tracesOnly, "/v1/traces", Requests.traces(1).toByteArray())).isEqualTo(200);
    }
    try (TestReceiver logsOnly = TestReceiver.start(both, TestReceiver.noopTelemetry(), Signal.LOGS)) {
      assertThat(ClientCalls.blockingUnaryCall(logsOnly.grpcChannel(), LOGS, CallOptions.DEFAULT, logs)).isEmpty();
      assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(
              logsOnly.grpcChannel(), TRACES, CallOptions.DEFAULT, Requests.traces(1).toByteArray()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
      assertThat(httpPost(logsOnly, "/v1/logs", logs)).isEqualTo(200);
      assertThat(httpPost(logsOnly, "/v1/traces", Requests.traces(1).toByteArray())).isEqualTo(404);
      assertThat(logsOnly.logs).hasSize(2);
      assertThat(logsOnly.traces).isEmpty();
    }
  }

  private static int httpPost(TestReceiver receiver, String path, byte[] body) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(receiver.http(path)).header("Content-Type", "application/x-protobuf")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
