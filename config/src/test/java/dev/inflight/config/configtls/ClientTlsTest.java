package dev.inflight.config.configtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientTlsTest {
  @TempDir Path dir;

  private PrivateKey read(String type, byte[] der) throws Exception {
    Path f = dir.resolve("key.pem");
    Files.writeString(f, TestPki.pem(type, der));
    return ClientTls.privateKey("key_file", f.toString());
  }

  @Test
  void readsPkcs8AndPkcs1RsaKeys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    PrivateKey key = g.generateKeyPair().getPrivate();
    byte[] pkcs8 = key.getEncoded();
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
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    PrivateKey viaPkcs8 = read("PRIVATE KEY", pkcs8);
    assertThat(viaPkcs8.getAlgorithm()).isEqualTo("EC");

    // SEC1 as openssl writes it: SEQUENCE { 1, OCTET STRING d, [0] { OID prime256v1 } }.
    byte[] d = ((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS().toByteArray();
    byte[] d32 = new byte[32];
    System.arraycopy(d, Math.max(0, d.length - 32), d32, Math.max(0, 32 - d.length), Math.min(32, d.length));
    byte[] oid = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
    byte[] sec1 = concat(new byte[] {0x30, (byte) (3 + 34 + 2 + oid.length), 0x02, 0x01, 0x01, 0x04, 0x20}, d32,
        new byte[] {(byte) 0xa0, (byte) oid.length}, oid);

    PrivateKey viaSec1 = read("EC PRIVATE KEY", sec1);
    assertThat(((java.security.interfaces.ECPrivateKey) viaSec1).getS())
        .isEqualTo(((java.security.interfaces.ECPrivateKey) pair.getPrivate()).getS());
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void namesTheSettingAndFileThatCannotBeUsed() throws Exception {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> ClientTls.trustManager(TlsClientConfig.withCa(missing.toString())))
        .hasMessage("tls.ca_file " + missing + " does not exist");

    Path notPem = dir.resolve("ca.pem");
    Files.writeString(notPem, "hello");
    assertThatThrownBy(() -> ClientTls.trustManager(TlsClientConfig.withCa(notPem.toString())))
        .hasMessageStartingWith("tls.ca_file " + notPem);

    Path encrypted = dir.resolve("enc.pem");
    Files.writeString(encrypted, TestPki.pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));
    assertThatThrownBy(() -> ClientTls.privateKey("key_file", encrypted.toString()))
        .hasMessage("tls.key_file " + encrypted + " is encrypted; decrypt it (openssl pkcs8 -topk8 -nocrypt)");
  }

  @Test
  void systemTrustWhenNothingIsSet() {
    assertThat(ClientTls.trustManager(TlsClientConfig.defaults())).isNull();
    assertThat(ClientTls.keyManager(TlsClientConfig.defaults())).isNull();
    assertThat(ClientTls.sslContext(TlsClientConfig.defaults())).isNotNull();
  }
}
