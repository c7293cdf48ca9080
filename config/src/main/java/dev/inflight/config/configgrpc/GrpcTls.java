package dev.inflight.config.configgrpc;

import dev.inflight.config.configtls.ClientTls;
import dev.inflight.config.configtls.ServerTls;
import dev.inflight.config.configtls.TlsClientConfig;
import dev.inflight.config.configtls.TlsServerConfig;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * The {@code tls} settings as grpc-netty's {@link SslContext}s: the same certificates and checks as
 * the HTTP transports ({@link ServerTls}, {@link ClientTls}), configured by {@link GrpcSslContexts}
 * for HTTP/2 (ALPN, ciphers).
 */
public final class GrpcTls {
  private GrpcTls() {}

  /**
   * A gRPC server's context.
   *
   * @param setting the {@code tls} block's full name for messages, e.g. {@code
   *     receivers.otlp.protocols.grpc.tls}
   * @throws IllegalArgumentException naming the setting and file that cannot be used
   */
  public static SslContext server(TlsServerConfig tls, String setting) {
    return ServerTls.build(GrpcSslContexts.configure(ServerTls.builder(tls, setting), SslProvider.JDK), tls, setting);
  }

  /**
   * A gRPC client's context: its CA (or the system's trust), its client key.
   *
   * @throws IllegalArgumentException naming the setting and file that could not be used
   */
  public static SslContext client(TlsClientConfig tls) {
    SslContextBuilder b = GrpcSslContexts.forClient();
    TrustManager tm = ClientTls.trustManager(tls);
    if (tm != null) {
      b.trustManager(tm);
    }
    KeyManager km = ClientTls.keyManager(tls);
    if (km != null) {
      b.keyManager(km);
    }
    try {
      return b.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("tls: cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
