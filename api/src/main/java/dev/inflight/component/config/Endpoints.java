package dev.inflight.component.config;

import java.net.InetSocketAddress;

/** {@code host:port} endpoints as the Collector writes them ({@code 0.0.0.0:4317}, {@code :8888}). */
public final class Endpoints {
  private Endpoints() {}

  /** Why {@code endpoint} is not a usable {@code host:port}, or null if it is. */
  public static String checkHostPort(String endpoint) {
    if (endpoint == null || endpoint.isBlank()) {
      return "must not be empty";
    }
    int colon = endpoint.lastIndexOf(':');
    if (colon < 0) {
      return "\"" + endpoint + "\" must be host:port (e.g. 0.0.0.0:4317)";
    }
    String port = endpoint.substring(colon + 1);
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      return "\"" + endpoint + "\" has an invalid port \"" + port + "\"";
    }
    if (p < 0 || p > 65535) {
      return "\"" + endpoint + "\" has a port out of range 0-65535";
    }
    return null;
  }

  /**
   * The socket address to listen on. An empty host ({@code :8888}) means every interface, as in
   * Go; {@code [::1]:4317} is IPv6. Call {@link #checkHostPort} first.
   */
  public static InetSocketAddress listenAddress(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    String host = endpoint.substring(0, colon);
    int port = Integer.parseInt(endpoint.substring(colon + 1));
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }
}
