package dev.inflight.exporter.otlp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * #sslContext}) and the gRPC client ({@link #trustManager}, {@link #keyManager}). Reads PEM
 * without extra libraries: certificates, and PKCS#8, PKCS#1 (RSA) or SEC1 (EC) private keys.
 */
public final class ClientTls {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

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

  static List<X509Certificate> certificates(String key, String file) {
    byte[] pem = read(key, file);
    try {
      Collection<? extends Certificate> found =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : found) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("tls." + key + " " + file + " holds no PEM certificate");
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("tls." + key + " " + file + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  static PrivateKey privateKey(String key, String file) {
    String text = new String(read(key, file), StandardCharsets.US_ASCII);
    Matcher m = PEM.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      if (type.equals("ENCRYPTED PRIVATE KEY")) {
        throw new IllegalArgumentException(
            "tls." + key + " " + file + " is encrypted; decrypt it (openssl pkcs8 -topk8 -nocrypt)");
      }
      if (!type.endsWith("PRIVATE KEY")) {
        continue; // a certificate in the same file
      }
      try {
        byte[] der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
        return switch (type) {
          case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(rsaPkcs8(der)));
          case "EC PRIVATE KEY" -> KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(ecPkcs8(der)));
          default -> pkcs8(der);
        };
      } catch (GeneralSecurityException | RuntimeException e) {
        throw new IllegalArgumentException("tls." + key + " " + file + ": cannot read the " + type + ": " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException(
        "tls." + key + " " + file + " holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }

  private static byte[] read(String key, String file) {
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("tls." + key + " " + file + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("tls." + key + " " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  // DER, just enough to wrap PKCS#1 and SEC1 keys into PKCS#8.

  private static final byte[] RSA_ALGORITHM = {
    0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };
  private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

  /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING pkcs1 }. */
  static byte[] rsaPkcs8(byte[] pkcs1) {
    return sequence(VERSION_0, RSA_ALGORITHM, tlv(0x04, pkcs1));
  }

  /**
   * PrivateKeyInfo { version 0, { ecPublicKey, curve }, OCTET STRING sec1 }, the curve taken from
   * the SEC1 key's {@code [0] parameters}.
   */
  static byte[] ecPkcs8(byte[] sec1) {
    Der outer = new Der(sec1, 0);
    if (outer.tag != 0x30) {
      throw new IllegalArgumentException("not a DER sequence");
    }
    byte[] curve = null;
    int at = outer.contentStart;
    while (at < outer.end) {
      Der field = new Der(sec1, at);
      if (field.tag == 0xa0) {
        Der oid = new Der(sec1, field.contentStart);
        curve = java.util.Arrays.copyOfRange(sec1, oid.start, oid.end);
      }
      at = field.end;
    }
    if (curve == null) {
      throw new IllegalArgumentException("the EC key does not name its curve");
    }
    return sequence(VERSION_0, sequence(EC_PUBLIC_KEY_OID, curve), tlv(0x04, sec1));
  }

  /** One DER element: tag, where its content starts, where it ends. */
  private static final class Der {
    final int start;
    final int tag;
    final int contentStart;
    final int end;

    Der(byte[] b, int at) {
      start = at;
      tag = b[at] & 0xff;
      int len = b[at + 1] & 0xff;
      int p = at + 2;
      if (len >= 0x80) {
        int n = len & 0x7f;
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (b[p++] & 0xff);
        }
      }
      contentStart = p;
      end = p + len;
      if (end > b.length || len < 0) {
        throw new IllegalArgumentException("truncated DER");
      }
    }
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      content.writeBytes(p);
    }
    return tlv(0x30, content.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else if (len < 0x10000) {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len);
    } else {
      out.write(0x83);
      out.write(len >> 16);
      out.write(len >> 8);
      out.write(len);
    }
    out.writeBytes(content);
    return out.toByteArray();
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
