package dev.inflight.config.configtls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Turns a {@link TlsClientConfig} into the JDK's TLS objects, for the HTTP client ({@link
 * #sslContext}) and the gRPC client ({@link #trustManager}, {@link #keyManager}). PEM files are
 * read by the shared {@link Pem} (also used by the receivers' server TLS): certificates, and
 * PKCS#8, PKCS#1 (RSA) or SEC1 (EC) private keys.
 */
public final class ClientTls {
  private ClientTls() {}

  /**
   * An SSL context for {@code tls}: its CA (or the system's trust), its client key, or trust in
   * anything with {@code insecure_skip_verify}.
   *
   * @throws IllegalArgumentException naming the setting and file that could not be used
   */
  public static SSLContext sslContext(TlsClientConfig tls) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      KeyManager km = keyManager(tls);
      TrustManager tm = trustManager(tls);
      context.init(km == null ? null : new KeyManager[] {km}, tm == null ? null : new TrustManager[] {tm}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("tls: cannot set up TLS: " + e.getMessage(), e);
    }
  }

  /** The trust manager for {@code tls}, or null for the system's. */
  public static TrustManager trustManager(TlsClientConfig tls) {
    if (tls.insecureSkipVerify()) {
      return TrustEverything.INSTANCE;
    }
    if (tls.caFile().isEmpty()) {
      return null;
    }
    List<X509Certificate> cas = certificates("ca_file", tls.caFile());
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager) {
          return tm;
        }
      }
      throw new IllegalStateException("the JDK offers no X.509 trust manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("tls.ca_file " + tls.caFile() + ": " + e.getMessage(), e);
    }
  }

  /** The key manager with the client certificate and key, or null when there is none. */
  public static KeyManager keyManager(TlsClientConfig tls) {
    if (tls.certFile().isEmpty() || tls.keyFile().isEmpty()) {
      return null;
    }
    List<X509Certificate> chain = certificates("cert_file", tls.certFile());
    PrivateKey key = privateKey("key_file", tls.keyFile());
    try {
      char[] password = new char[0];
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, password);
      return kmf.getKeyManagers()[0];
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "tls.key_file " + tls.keyFile() + " does not go with tls.cert_file " + tls.certFile() + ": " + e.getMessage(), e);
    }
  }

  /** The certificates of {@code tls.<key>} (shared PEM reading: {@link Pem}). */
  static List<X509Certificate> certificates(String key, String file) {
    return Pem.certificates("tls." + key, file);
  }

  /** The private key of {@code tls.<key>}: PKCS#8, PKCS#1 (RSA) or SEC1 (EC); see {@link Pem}. */
  static PrivateKey privateKey(String key, String file) {
    return Pem.privateKey("tls." + key, file);
  }

  /**
   * {@code insecure_skip_verify}: accepts every certificate and, being an extended trust manager,
   * skips the host name check too (the JDK checks names inside the trust manager).
   */
  private static final class TrustEverything extends X509ExtendedTrustManager {
    static final TrustEverything INSTANCE = new TrustEverything();

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
