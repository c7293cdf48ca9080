package dev.inflight.config.configgrpc;

import dev.inflight.config.configauth.BearerToken;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import org.slf4j.Logger;

/**
 * {@code auth} of a gRPC server: closes calls that do not authenticate with UNAUTHENTICATED before
 * any message is read.
 */
public final class BearerTokenInterceptor implements ServerInterceptor {
  /** The {@code authorization} metadata a client sends the token in. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final BearerToken token;
  private final Logger log;
  private final String who;

  /** @param who the server, for the debug line about a refused call */
  public BearerTokenInterceptor(BearerToken token, Logger log, String who) {
    this.token = token;
    this.log = log;
    this.who = who;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String why = token.reject(headers.get(AUTHORIZATION));
    if (why == null) {
      return next.startCall(call, headers);
    }
    log.debug("{}: unauthenticated call to {} from {}: {}", who, call.getMethodDescriptor().getFullMethodName(),
        call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR), why);
    call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
