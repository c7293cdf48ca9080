package dev.inflight.config.configtls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Turns a {@link TlsServerConfig} into Netty's {@link SslContext}: {@link #http} for an HTTP
 * server; gRPC servers configure the same {@link #builder} for HTTP/2 ({@code
 * configgrpc.GrpcTls}). The JDK's TLS provider; PEM files read by the shared {@link Pem}.
 */
public final class ServerTls {
  private ServerTls() {}

  /**
   * @param setting the {@code tls} block's full name for messages, e.g. {@code
   *     receivers.otlp.protocols.http.tls}
   * @throws IllegalArgumentException naming the setting and file that cannot be used
   */
  public static SslContext http(TlsServerConfig tls, String setting) {
    return build(builder(tls, setting).sslProvider(SslProvider.JDK), tls, setting);
  }

  /**
   * The server's certificate, key and client-certificate policy, checked; for transports that
   * configure the builder further before {@link #build}.
   */
  public static SslContextBuilder builder(TlsServerConfig tls, String setting) {
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

  /** Builds {@code b} with the TLS versions of {@code tls}. */
  public static SslContext build(SslContextBuilder b, TlsServerConfig tls, String setting) {
    try {
      return b.protocols(tls.jdkProtocols()).build();
    } catch (SSLException | RuntimeException e) {
      throw new IllegalArgumentException(setting + ": cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
