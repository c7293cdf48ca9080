package dev.inflight.app;

import dev.inflight.tools.loadgen.LoadGenerator;
import dev.inflight.tools.loadgen.Protocol;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --endpoint}, {@code --protocol} and {@code --timeout}: where the commands that send OTLP send it. */
final class OtlpTargetOptions {
  @Option(names = "--endpoint", paramLabel = "HOST:PORT",
      description = "Where to send. Default: 127.0.0.1:4317 for grpc, 127.0.0.1:4318 for http/*.")
  String endpoint;

  @Option(names = "--protocol", paramLabel = "PROTOCOL", defaultValue = "grpc",
      description = "grpc, http/protobuf or http/json. Default: ${DEFAULT-VALUE}.")
  String protocol;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
      description = "How long to wait for an answer. Default: ${DEFAULT-VALUE}.")
  String timeout;

  /** The options checked and parsed; a bad one is a usage error of {@code command} naming it. */
  LoadGenerator.Target target(CommandLine command) {
    Protocol p;
    try {
      p = Protocol.parse(protocol);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command, "--protocol: " + e.getMessage());
    }
    Duration t = LoadgenCommand.nonNegativeDuration(command, "--timeout", timeout);
    if (t.isZero()) {
      throw new ParameterException(command, "--timeout must be longer than 0");
    }
    try {
      return target(p, endpoint, t);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command, e.getMessage());
    }
  }

  /**
   * Where to send, from {@code --endpoint}: {@code host:port}, {@code [v6]:port} or {@code
   * http://host:port[/path]} (the path is ignored); null: 127.0.0.1 and the protocol's default port.
   *
   * @throws IllegalArgumentException with the usage message, naming {@code --endpoint}
   */
  static LoadGenerator.Target target(Protocol p, String endpoint, Duration t) {
    if (endpoint == null) {
      return new LoadGenerator.Target(p, "127.0.0.1", p.defaultPort(), t);
    }
    String e = endpoint.strip();
    int scheme = e.indexOf("://");
    if (scheme >= 0) {
      if (!e.substring(0, scheme).equalsIgnoreCase("http")) {
        throw new IllegalArgumentException("--endpoint: only plaintext is supported (http:// or host:port), got " + endpoint);
      }
      e = e.substring(scheme + 3);
    }
    int slash = e.indexOf('/');
    if (slash >= 0) {
      e = e.substring(0, slash); // a path is ignored: OTLP/HTTP posts to /v1/traces
    }
    int colon = e.lastIndexOf(':');
    if (colon <= 0 || e.endsWith("]")) {
      throw new IllegalArgumentException(
          "--endpoint must be host:port, e.g. 127.0.0.1:" + p.defaultPort() + ", got " + endpoint);
    }
    String host = e.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      throw new IllegalArgumentException("--endpoint: write an IPv6 address in brackets with a port, e.g. [::1]:"
          + p.defaultPort() + ", got " + endpoint);
    }
    int port;
    try {
      port = Integer.parseInt(e.substring(colon + 1));
    } catch (NumberFormatException x) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("--endpoint: the port must be 1 to 65535, got " + endpoint);
    }
    return new LoadGenerator.Target(p, host, port, t);
  }
}
