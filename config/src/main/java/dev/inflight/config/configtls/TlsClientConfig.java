package dev.inflight.config.configtls;

import dev.inflight.component.config.ConfigProblems;

/**
 * {@code tls} of a client (the OTLP and remote write exporters): how the client verifies the server and, for mutual TLS,
 * identifies itself, as the Collector's {@code configtls.ClientConfig}. PEM files are read when
 * the exporter starts, so a missing or unreadable file fails the start with its name.
 *
 * @param insecure gRPC only: with a {@code host:port} endpoint, connect without TLS; default
 *     false. An {@code http://} / {@code https://} endpoint decides by its scheme instead
 * @param caFile PEM certificates to trust instead of the system's; default empty (system trust)
 * @param certFile PEM client certificate (chain) for mutual TLS; needs {@code key_file}
 * @param keyFile PEM private key of {@code cert_file}: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), not
 *     encrypted
 * @param insecureSkipVerify accept any server certificate and host name; default false. For
 *     testing only: it gives up what TLS is for
 * @param serverNameOverride gRPC only: the name the server's certificate is checked against (and
 *     sent as SNI and {@code :authority}) instead of the endpoint's host, for a server reached by an
 *     address its certificate does not name (a headless Kubernetes service); default empty
 */
public record TlsClientConfig(
    Boolean insecure, String caFile, String certFile, String keyFile, Boolean insecureSkipVerify,
    String serverNameOverride) {
  public TlsClientConfig {
    insecure = insecure != null && insecure;
    caFile = caFile == null ? "" : caFile;
    certFile = certFile == null ? "" : certFile;
    keyFile = keyFile == null ? "" : keyFile;
    insecureSkipVerify = insecureSkipVerify != null && insecureSkipVerify;
    serverNameOverride = serverNameOverride == null ? "" : serverNameOverride.strip();
  }

  public TlsClientConfig(
      Boolean insecure, String caFile, String certFile, String keyFile, Boolean insecureSkipVerify) {
    this(insecure, caFile, certFile, keyFile, insecureSkipVerify, null);
  }

  public static TlsClientConfig defaults() {
    return new TlsClientConfig(null, null, null, null, null);
  }

  /** Only a CA to trust: a server with a private CA. */
  public static TlsClientConfig withCa(String caFile) {
    return new TlsClientConfig(null, caFile, null, null, null);
  }

  /** @param problems scoped at {@code tls} */
  public void validate(ConfigProblems problems) {
    if (!certFile.isEmpty() && keyFile.isEmpty()) {
      problems.add("key_file", "key_file must be set when cert_file is (a client certificate needs its key)");
    }
    if (certFile.isEmpty() && !keyFile.isEmpty()) {
      problems.add("cert_file", "cert_file must be set when key_file is (a client key needs its certificate)");
    }
  }

  /**
   * For HTTP clients, whose JDK client checks the URL's host: {@code server_name_override} is
   * refused with what to do instead, rather than silently not applied.
   *
   * @param problems scoped at {@code tls}
   */
  public void refuseServerNameOverride(ConfigProblems problems) {
    if (!serverNameOverride.isEmpty()) {
      problems.add("server_name_override", "server_name_override is supported by the otlp_grpc exporter only;"
          + " here, use an endpoint URL whose host the server's certificate names");
    }
  }
}
