package dev.inflight.exporter.otlp;

import java.util.Locale;

/**
 * Where the {@code otlp} exporter connects, read from {@code endpoint} as the Collector's gRPC
 * client reads it: {@code host:port} (TLS unless {@code tls.insecure: true}), {@code
 * http://host:port} (plaintext) or {@code https://host:port} (TLS). gRPC has no paths: a URL with
 * one (an OTLP/HTTP URL such as {@code https://ingress.dash0.com/v1/traces}) is refused with a
 * pointer to the {@code otlphttp} exporter.
 *
 * @param host a name, an IPv4 address, or an IPv6 address without brackets
 * @param port 1 to 65535
 * @param tls whether to connect with TLS
 */
public record GrpcEndpoint(String host, int port, boolean tls) {
  /** An example for messages: Dash0's OTLP/gRPC ingress. */
  static final String EXAMPLE = "ingress.eu-west-1.aws.dash0.com:4317";

  /** {@code host:port} as gRPC targets write it (IPv6 in brackets). */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Reads {@code endpoint}.
   *
   * @param insecure {@code tls.insecure}: plaintext for an endpoint without a scheme
   * @throws IllegalArgumentException with a message that starts with {@code endpoint}
   */
  public static GrpcEndpoint parse(String endpoint, boolean insecure) {
    String e = endpoint == null ? "" : endpoint.strip();
    if (e.isEmpty()) {
      throw new IllegalArgumentException("endpoint must be set to host:port (e.g. " + EXAMPLE + ")");
    }
    boolean tls = !insecure;
    int scheme = e.indexOf("://");
    if (scheme >= 0) {
      String name = e.substring(0, scheme).toLowerCase(Locale.ROOT);
      switch (name) {
        case "http" -> tls = false;
        case "https" -> tls = true;
        default ->
            throw new IllegalArgumentException(
                "endpoint has unsupported scheme \"" + e.substring(0, scheme)
                    + "\": write host:port, http://host:port (plaintext) or https://host:port (TLS)");
      }
      e = e.substring(scheme + 3);
    }
    int rest = indexOfAny(e, "/?#");
    if (rest >= 0) {
      String path = e.substring(rest);
      if (!path.equals("/")) {
        throw new IllegalArgumentException(
            "endpoint must be host:port for gRPC (got a URL with path \"" + path
                + "\"); use the otlphttp exporter for URLs");
      }
      e = e.substring(0, rest);
    }
    String host;
    String port;
    if (e.startsWith("[")) {
      int close = e.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("endpoint \"" + endpoint + "\" has an unclosed [ in its IPv6 address");
      }
      host = e.substring(1, close);
      String after = e.substring(close + 1);
      if (!after.startsWith(":")) {
        throw noPort(endpoint);
      }
      port = after.substring(1);
    } else {
      int colon = e.lastIndexOf(':');
      if (colon < 0) {
        throw noPort(endpoint);
      }
      if (e.indexOf(':') != colon) {
        throw new IllegalArgumentException(
            "endpoint \"" + endpoint + "\": write an IPv6 address in brackets, e.g. [::1]:4317");
      }
      host = e.substring(0, colon);
      port = e.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("endpoint \"" + endpoint + "\" has no host (e.g. " + EXAMPLE + ")");
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException("endpoint \"" + endpoint + "\" has an invalid port \"" + port + "\"");
    }
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("endpoint \"" + endpoint + "\" has a port out of range 1-65535");
    }
    return new GrpcEndpoint(host, p, tls);
  }

  private static IllegalArgumentException noPort(String endpoint) {
    return new IllegalArgumentException(
        "endpoint \"" + endpoint + "\" has no port: gRPC needs host:port (e.g. " + EXAMPLE + ")");
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }
}
