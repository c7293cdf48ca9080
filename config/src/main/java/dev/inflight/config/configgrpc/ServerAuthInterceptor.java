package dev.inflight.config.configgrpc;

import dev.inflight.component.auth.ServerAuthenticator;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Locale;
import org.slf4j.Logger;

/**
 * {@code auth} of a gRPC server: closes calls that do not authenticate with UNAUTHENTICATED before
 * any message is read.
 */
public final class ServerAuthInterceptor implements ServerInterceptor {
  /** The {@code authorization} metadata a client sends the token in. */
  public static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final ServerAuthenticator authenticator;
  private final Logger log;
  private final String who;
  private final Runnable refused;

  /**
   * @param who the server, for the debug line about a refused call
   * @param refused counts a refused call
   */
  public ServerAuthInterceptor(ServerAuthenticator authenticator, Logger log, String who, Runnable refused) {
    this.authenticator = authenticator;
    this.log = log;
    this.who = who;
    this.refused = refused;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    // gRPC metadata keys are lowercase on the wire; binary (-bin) keys never carry credentials.
    String why = authenticator.reject(name -> {
      String key = name.toLowerCase(Locale.ROOT);
      if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        return null;
      }
      try {
        return headers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
      } catch (IllegalArgumentException notAMetadataKey) {
        return null; // a header name gRPC cannot carry: never sent, so absent
      }
    });
    if (why == null) {
      return next.startCall(call, headers);
    }
    refused.run();
    log.debug("{}: unauthenticated call to {} from {}: {}", who, call.getMethodDescriptor().getFullMethodName(),
        call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR), why);
    call.close(Status.UNAUTHENTICATED.withDescription(why), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
