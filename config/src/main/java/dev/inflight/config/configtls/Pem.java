package dev.inflight.config.configtls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of {@code tls} settings, for clients (exporters) and servers (receivers)
 * alike, without extra libraries: X.509 certificates, and unencrypted private keys as PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}), the
 * forms openssl and the Collector's users have.
 *
 * <p>Every failure is an {@link IllegalArgumentException} whose message starts with the setting
 * and the file, e.g. {@code tls.key_file /etc/inflight/key.pem does not exist}; callers pass the
 * setting as they want it named ({@code tls.key_file}, or a full path such as {@code
 * receivers.otlp.protocols.grpc.tls.key_file}).
 */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private Pem() {}

  /**
   * The certificates in a PEM file, in file order (a chain: leaf first).
   *
   * @param setting how the file's setting is named in messages, e.g. {@code tls.cert_file}
   */
  public static List<X509Certificate> certificates(String setting, String file) {
    byte[] pem = read(setting, file);
    try {
      Collection<? extends Certificate> found =
          CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
      List<X509Certificate> out = new ArrayList<>();
      for (Certificate c : found) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException(setting + " " + file + " holds no PEM certificate");
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(setting + " " + file + " is not a PEM certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The first private key in a PEM file (certificates in the same file are skipped).
   *
   * @param setting how the file's setting is named in messages, e.g. {@code tls.key_file}
   */
  public static PrivateKey privateKey(String setting, String file) {
    String text = new String(read(setting, file), StandardCharsets.US_ASCII);
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      if (type.equals("ENCRYPTED PRIVATE KEY")) {
        throw new IllegalArgumentException(
            setting + " " + file + " is encrypted; decrypt it (openssl pkcs8 -topk8 -nocrypt)");
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
        throw new IllegalArgumentException(setting + " " + file + ": cannot read the " + type + ": " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException(
        setting + " " + file + " holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  /**
   * Checks that {@code key} is the private key of {@code cert} (signs a few bytes and verifies them
   * with the certificate), so a mismatch fails at start rather than at every handshake. Key types
   * other than RSA, EC and EdDSA are not checked.
   *
   * @throws IllegalArgumentException {@code <keySetting> <keyFile> does not go with <certSetting> <certFile>}
   */
  public static void checkPair(
      String certSetting, String certFile, X509Certificate cert, String keySetting, String keyFile, PrivateKey key) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
          default -> null;
        };
    if (algorithm == null) {
      return;
    }
    String mismatch = keySetting + " " + keyFile + " does not go with " + certSetting + " " + certFile;
    try {
      byte[] probe = "inflight".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new IllegalArgumentException(mismatch);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(mismatch + ": " + e.getMessage(), e);
    }
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

  /**
   * The bytes of a file named by a setting.
   *
   * @throws IllegalArgumentException {@code <setting> <file> does not exist} / {@code cannot be read}
   */
  public static byte[] read(String setting, String file) {
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(setting + " " + file + " does not exist", e);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(setting + " " + file + " cannot be read: " + e.getMessage(), e);
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
        curve = Arrays.copyOfRange(sec1, oid.start, oid.end);
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
      if (at + 2 > b.length) {
        throw new IllegalArgumentException("truncated DER");
      }
      start = at;
      tag = b[at] & 0xff;
      int len = b[at + 1] & 0xff;
      int p = at + 2;
      if (len >= 0x80) {
        int n = len & 0x7f;
        if (n > 3 || p + n > b.length) {
          throw new IllegalArgumentException("bad DER length");
        }
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
}
