package dev.inflight.config.configtls;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A test CA, a server certificate (127.0.0.1 / localhost) and a client certificate, both signed by
 * the CA, made once per JVM with the JDK's own {@code keytool} (no extra library), written as PEM
 * files as a user would have them: {@code ca.crt}, {@code server.crt} + {@code server.key}, {@code
 * client.crt} + {@code client.key} (keys PKCS#8, EC P-256). The one test PKI of every module's
 * TLS tests (this module's test-jar): servers and clients under test read the files, test peers
 * use the contexts made here.
 */
public final class TestPki {
  private static final String PASSWORD = "changeit";
  private static TestPki instance;

  public final Path dir;
  public final Path caCert;
  public final Path serverCert;
  public final Path serverKey;
  public final Path clientCert;
  public final Path clientKey;
  public final X509Certificate ca;
  public final X509Certificate server;
  public final PrivateKey serverPrivateKey;
  public final X509Certificate client;
  public final PrivateKey clientPrivateKey;

  public static synchronized TestPki get() throws Exception {
    if (instance == null) {
      Path dir = Files.createTempDirectory("inflight-pki");
      dir.toFile().deleteOnExit();
      instance = new TestPki(dir);
    }
    return instance;
  }

  private TestPki(Path dir) throws Exception {
    this.dir = dir;
    Path caStore = dir.resolve("ca.p12");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=inflight test CA",
        "-ext", "bc:c", "-validity", "2", "-keystore", caStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    ca = (X509Certificate) load(caStore).getCertificate("ca");
    caCert = write("ca.crt", pem("CERTIFICATE", ca.getEncoded()));

    serverCert = dir.resolve("server.crt");
    serverPrivateKey = signed(caStore, "server", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost", "EKU=serverAuth", serverCert);
    serverKey = write("server.key", pem("PRIVATE KEY", serverPrivateKey.getEncoded()));
    server = read(serverCert);

    clientCert = dir.resolve("client.crt");
    clientPrivateKey = signed(caStore, "client", "CN=inflight test client", null, "EKU=clientAuth", clientCert);
    clientKey = write("client.key", pem("PRIVATE KEY", clientPrivateKey.getEncoded()));
    client = read(clientCert);
  }

  private static X509Certificate read(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  /** A key pair in its own store, its certificate signed by the CA into {@code certOut}; the key. */
  private PrivateKey signed(Path caStore, String alias, String dname, String san, String eku, Path certOut) throws Exception {
    Path store = dir.resolve(alias + ".p12");
    Path csr = dir.resolve(alias + ".csr");
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
        "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    keytool("-certreq", "-alias", alias, "-keystore", store.toString(), "-storepass", PASSWORD, "-file", csr.toString());
    List<String> gencert = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", caStore.toString(),
        "-storepass", PASSWORD, "-infile", csr.toString(), "-outfile", certOut.toString(), "-rfc", "-validity", "2",
        "-ext", eku));
    if (san != null) {
      gencert.addAll(List.of("-ext", san));
    }
    keytool(gencert.toArray(new String[0]));
    return (PrivateKey) load(store).getKey(alias, PASSWORD.toCharArray());
  }

  private static KeyStore load(Path p12) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    return ks;
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!proc.waitFor(60, TimeUnit.SECONDS) || proc.exitValue() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
    }
  }

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  public static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** The server's TLS settings; {@code mutual}: clients must present a certificate from the CA. */
  public TlsServerConfig serverTls(boolean mutual) {
    TlsServerConfig tls = TlsServerConfig.of(serverCert.toString(), serverKey.toString());
    return mutual ? tls.withClientCa(caCert.toString()) : tls;
  }

  /** A JDK client context trusting the CA, presenting the client certificate when {@code withCert}. */
  public SSLContext clientContext(boolean withCert, String... protocols) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(withCert ? keyManagers(client, clientPrivateKey).getKeyManagers() : null, trustingCa().getTrustManagers(), null);
    return ctx;
  }

  /** A JDK server context with the server certificate; {@code mutual}: trusting client certificates from the CA. */
  public SSLContext serverContext(boolean mutual) throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(serverKeyManagerFactory().getKeyManagers(), mutual ? trustingCa().getTrustManagers() : null, null);
    return ctx;
  }

  /** The server certificate and key, for test servers built on Netty or grpc-java. */
  public KeyManagerFactory serverKeyManagerFactory() throws Exception {
    return keyManagers(server, serverPrivateKey);
  }

  private static KeyManagerFactory keyManagers(X509Certificate cert, PrivateKey key) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("key", key, new char[0], new Certificate[] {cert});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    return kmf;
  }

  private TrustManagerFactory trustingCa() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return tmf;
  }

  /** A grpc-netty client context trusting the CA, presenting the client certificate when {@code withCert}. */
  public SslContext grpcClient(boolean withCert) throws Exception {
    SslContextBuilder b = GrpcSslContexts.forClient().trustManager(ca);
    if (withCert) {
      b.keyManager(clientPrivateKey, client);
    }
    return b.build();
  }
}
