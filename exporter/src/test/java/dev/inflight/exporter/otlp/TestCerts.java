package dev.inflight.exporter.otlp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 / localhost, made with the JDK's own keytool (always
 * there, no extra library), as PEM files for the exporters and as key managers for test servers.
 */
public final class TestCerts {
  private static final char[] PASSWORD = "changeit".toCharArray();

  public final Path dir;
  public final Path certPem;
  public final Path keyPem;
  private final KeyStore keyStore;

  private TestCerts(Path dir, String name) throws Exception {
    this.dir = dir;
    Path p12 = dir.resolve(name + ".p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name, "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD)));
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!proc.waitFor(60, TimeUnit.SECONDS) || proc.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
    keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      keyStore.load(in, PASSWORD);
    }
    Certificate cert = keyStore.getCertificate(name);
    PrivateKey key = (PrivateKey) keyStore.getKey(name, PASSWORD);
    certPem = dir.resolve(name + ".crt");
    keyPem = dir.resolve(name + ".key");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
  }

  /** A fresh key pair and certificate named {@code name}, files in {@code dir}. */
  public static TestCerts create(Path dir, String name) throws Exception {
    return new TestCerts(dir, name);
  }

  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  public KeyManagerFactory keyManagerFactory() throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, PASSWORD);
    return kmf;
  }

  /** Trusts exactly this certificate. */
  public TrustManagerFactory trustManagerFactory() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("trusted", keyStore.getCertificate(keyStore.aliases().nextElement()));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return tmf;
  }

  /** A server context with this key, trusting {@code clients} for mutual TLS (may be null). */
  public SSLContext serverContext(TestCerts clients) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(keyManagerFactory().getKeyManagers(), clients == null ? null : clients.trustManagerFactory().getTrustManagers(), null);
    return ctx;
  }

  public String certPemText() throws IOException {
    return Files.readString(certPem);
  }
}
