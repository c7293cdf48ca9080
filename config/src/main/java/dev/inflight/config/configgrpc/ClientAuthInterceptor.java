package dev.inflight.config.configgrpc;

import dev.inflight.component.auth.ClientAuthenticator;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.Locale;
import java.util.Map;

/**
 * {@code auth} of a gRPC client: the authenticator's headers as metadata on every call, asked for
 * per call so changed credentials are sent from the next call on.
 */
public final class ClientAuthInterceptor implements ClientInterceptor {
  private final ClientAuthenticator authenticator;

  public ClientAuthInterceptor(ClientAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        for (Map.Entry<String, String> h : authenticator.headers().entrySet()) {
          Metadata.Key<String> key = Metadata.Key.of(h.getKey().toLowerCase(Locale.ROOT), Metadata.ASCII_STRING_MARSHALLER);
          headers.discardAll(key); // the authenticator's value wins over a configured header
          headers.put(key, h.getValue());
        }
        super.start(listener, headers);
      }
    };
  }
}
