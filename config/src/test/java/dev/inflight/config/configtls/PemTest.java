package dev.inflight.config.configtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {
  @TempDir Path dir;

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private PrivateKey read(String type, byte[] der) throws Exception {
    Path f = dir.resolve("key.pem");
    Files.writeString(f, pem(type, der));
    return Pem.privateKey("tls.key_file", f.toString());
  }

  @Test
  void readsPkcs8AndPkcs1RsaKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    byte[] pkcs8 = g.generateKeyPair().getPrivate().getEncoded();
    // PKCS#8 for RSA ends with the PKCS#1 key as its OCTET STRING: 26 bytes of header before it.
    byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);

    assertThat(read("PRIVATE KEY", pkcs8).getEncoded()).isEqualTo(pkcs8);
    assertThat(read("RSA PRIVATE KEY", pkcs1).getEncoded()).isEqualTo(pkcs8);
  }

  @Test
  void readsSec1EcKeysNamingTheirCurve() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = g.generateKeyPair();
    assertThat(read("PRIVATE KEY", pair.getPrivate().getEncoded()).getAlgorithm()).isEqualTo("EC");

    // SEC1 as openssl writes it: SEQUENCE { 1, OCTET STRING d, [0] { OID prime256v1 } }.
    byte[] d = ((ECPrivateKey) pair.getPrivate()).getS().toByteArray();
    byte[] d32 = new byte[32];
    System.arraycopy(d, Math.max(0, d.length - 32), d32, Math.max(0, 32 - d.length), Math.min(32, d.length));
    byte[] oid = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
    ByteArrayOutputStream sec1 = new ByteArrayOutputStream();
    sec1.writeBytes(new byte[] {0x30, (byte) (3 + 34 + 2 + oid.length), 0x02, 0x01, 0x01, 0x04, 0x20});
    sec1.writeBytes(d32);
    sec1.writeBytes(new byte[] {(byte) 0xa0, (byte) oid.length});
    sec1.writeBytes(oid);

    PrivateKey viaSec1 = read("EC PRIVATE KEY", sec1.toByteArray());
    assertThat(((ECPrivateKey) viaSec1).getS()).isEqualTo(((ECPrivateKey) pair.getPrivate()).getS());
  }

  @Test
  void skipsCertificatesBeforeTheKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    byte[] pkcs8 = g.generateKeyPair().getPrivate().getEncoded();
    Path f = dir.resolve("both.pem");
    Files.writeString(f, pem("CERTIFICATE", new byte[] {1, 2, 3}) + pem("PRIVATE KEY", pkcs8));
    assertThat(Pem.privateKey("key_file", f.toString()).getEncoded()).isEqualTo(pkcs8);
  }

  @Test
  void messagesNameTheSettingAndTheFile() throws Exception {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> Pem.certificates("receivers.otlp.protocols.http.tls.cert_file", missing.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("receivers.otlp.protocols.http.tls.cert_file " + missing + " does not exist");

    Path notPem = dir.resolve("cert.pem");
    Files.writeString(notPem, "hello");
    assertThatThrownBy(() -> Pem.certificates("tls.cert_file", notPem.toString()))
        .hasMessageStartingWith("tls.cert_file " + notPem);
    assertThatThrownBy(() -> Pem.privateKey("tls.key_file", notPem.toString()))
        .hasMessage("tls.key_file " + notPem
            + " holds no PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");

    Path encrypted = dir.resolve("enc.pem");
    Files.writeString(encrypted, pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));
    assertThatThrownBy(() -> Pem.privateKey("tls.key_file", encrypted.toString()))
        .hasMessage("tls.key_file " + encrypted + " is encrypted; decrypt it (openssl pkcs8 -topk8 -nocrypt)");

    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, pem("EC PRIVATE KEY", new byte[] {0x30, 0x7f, 1}));
    assertThatThrownBy(() -> Pem.privateKey("tls.key_file", garbage.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tls.key_file " + garbage + ": cannot read the EC PRIVATE KEY");
  }
}
