package dev.inflight.config.configtls;

import dev.inflight.component.config.ConfigProblems;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code tls} of a server (e.g. the otlp receiver's {@code protocols.grpc.tls} / {@code
 * protocols.http.tls}), as the Collector's {@code configtls.ServerConfig}. The PEM files are read
 * when the server starts ({@link ServerTls}), so
 * a missing or unreadable file (or a key that does not go with its certificate) fails the start
 * with the setting and the file named.
 *
 * @param certFile PEM certificate (chain, leaf first) the server presents; required
 * @param keyFile PEM private key of {@code cert_file}: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), not
 *     encrypted; required
 * @param clientCaFile PEM CA certificates; when set, every client must present a certificate
 *     signed by one of them (mutual TLS), or the handshake fails
 * @param minVersion the oldest TLS version accepted: {@code 1.0}, {@code 1.1}, {@code 1.2} or
 *     {@code 1.3}; default {@value #DEFAULT_MIN_VERSION}
 * @param maxVersion the newest TLS version accepted; default empty: the newest there is (1.3)
 */
public record TlsServerConfig(
    String certFile, String keyFile, String clientCaFile, String minVersion, String maxVersion) {
  public static final String DEFAULT_MIN_VERSION = "1.2";

  /** Collector spelling → JDK protocol name, oldest first. */
  private static final List<String> VERSIONS = List.of("1.0", "1.1", "1.2", "1.3");

  private static final List<String> JDK_NAMES = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  public TlsServerConfig {
    certFile = certFile == null ? "" : certFile;
    keyFile = keyFile == null ? "" : keyFile;
    clientCaFile = clientCaFile == null ? "" : clientCaFile;
    minVersion = minVersion == null || minVersion.isEmpty() ? DEFAULT_MIN_VERSION : minVersion;
    maxVersion = maxVersion == null ? "" : maxVersion;
  }

  /** A certificate and its key: TLS, no client certificates asked for. */
  public static TlsServerConfig of(String certFile, String keyFile) {
    return new TlsServerConfig(certFile, keyFile, null, null, null);
  }

  /** The same, requiring client certificates signed by {@code clientCaFile} (mutual TLS). */
  public TlsServerConfig withClientCa(String clientCaFile) {
    return new TlsServerConfig(certFile, keyFile, clientCaFile, minVersion, maxVersion);
  }

  /** True when clients must present a certificate. */
  public boolean requiresClientCertificate() {
    return !clientCaFile.isEmpty();
  }

  /** The JDK protocol names from {@code min_version} to {@code max_version}, newest first. */
  public List<String> jdkProtocols() {
    int min = VERSIONS.indexOf(minVersion);
    int max = maxVersion.isEmpty() ? VERSIONS.size() - 1 : VERSIONS.indexOf(maxVersion);
    List<String> out = new ArrayList<>();
    for (int i = max; i >= min && i >= 0; i--) {
      out.add(JDK_NAMES.get(i));
    }
    return out;
  }

  /** @param problems scoped at {@code tls} */
  public void validate(ConfigProblems problems) {
    if (certFile.isEmpty() && keyFile.isEmpty()) {
      problems.add("tls needs cert_file and key_file (the server's PEM certificate and its key);"
          + " remove tls: to serve plaintext");
    } else if (keyFile.isEmpty()) {
      problems.add("key_file", "key_file must be set when cert_file is (a certificate needs its key)");
    } else if (certFile.isEmpty()) {
      problems.add("cert_file", "cert_file must be set when key_file is (a key needs its certificate)");
    }
    boolean versionsOk = true;
    if (!VERSIONS.contains(minVersion)) {
      problems.add("min_version", "min_version \"" + minVersion + "\" must be one of " + VERSIONS);
      versionsOk = false;
    }
    if (!maxVersion.isEmpty() && !VERSIONS.contains(maxVersion)) {
      problems.add("max_version", "max_version \"" + maxVersion + "\" must be one of " + VERSIONS);
      versionsOk = false;
    }
    if (versionsOk && !maxVersion.isEmpty() && VERSIONS.indexOf(maxVersion) < VERSIONS.indexOf(minVersion)) {
      problems.add("max_version", "max_version " + maxVersion + " is older than min_version " + minVersion);
    }
  }
}
