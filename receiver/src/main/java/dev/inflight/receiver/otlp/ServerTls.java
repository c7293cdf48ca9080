package dev.inflight.receiver.otlp;

import dev.inflight.config.configtls.Pem;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Turns a {@link TlsServerConfig} into Netty's {@link SslContext}: plain for the HTTP server,
 * through grpc-netty's {@link GrpcSslContexts} (HTTP/2 ALPN and ciphers) for the gRPC server. The
 * JDK's TLS provider; PEM files read by the shared {@link Pem}.
 */
final class ServerTls {
  private ServerTls() {}

  /**
   * @param setting the {@code tls} block's full name for messages, e.g. {@code
   *     receivers.otlp.protocols.http.tls}
   * @throws IllegalArgumentException naming the setting and file that cannot be used
   */
  static SslContext http(TlsServerConfig tls, String setting) {
    return build(builder(tls, setting).sslProvider(SslProvider.JDK), tls, setting);
  }

  /** As {@link #http}, for grpc-java (HTTP/2 over TLS with ALPN). */
  static SslContext grpc(TlsServerConfig tls, String setting) {
    return build(GrpcSslContexts.configure(builder(tls, setting), SslProvider.JDK), tls, setting);
  }

  private static SslContextBuilder builder(TlsServerConfig tls, String setting) {
    String certSetting = setting + ".cert_file";
    String keySetting = setting + ".key_file";
    List<X509Certificate> chain = Pem.certificates(certSetting, tls.certFile());
    PrivateKey key = Pem.privateKey(keySetting, tls.keyFile());
    Pem.checkPair(certSetting, tls.certFile(), chain.get(0), keySetting, tls.keyFile(), key);
    SslContextBuilder b = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]));
    if (tls.requiresClientCertificate()) {
      List<X509Certificate> cas = Pem.certificates(setting + ".client_ca_file", tls.clientCaFile());
      b.trustManager(cas.toArray(new X509Certificate[0])).clientAuth(ClientAuth.REQUIRE);
    } else {
      b.clientAuth(ClientAuth.NONE);
    }
    return b;
  }

  private static SslContext build(SslContextBuilder b, TlsServerConfig tls, String setting) {
    try {
      return b.protocols(tls.jdkProtocols()).build();
    } catch (SSLException | RuntimeException e) {
      throw new IllegalArgumentException(setting + ": cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
