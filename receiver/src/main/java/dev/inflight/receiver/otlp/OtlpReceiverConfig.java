package dev.inflight.receiver.otlp;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.inflight.component.Signal;
import dev.inflight.component.config.ByteSize;
import dev.inflight.component.config.ComponentConfig;
import dev.inflight.component.config.ConfigProblems;
import dev.inflight.component.config.Endpoints;
import dev.inflight.config.configauth.AuthConfig;
import dev.inflight.config.confighttp.CorsConfig;
import dev.inflight.config.configtls.TlsServerConfig;
import java.util.Objects;

/**
 * {@code receivers.otlp}: which protocols to serve, and where.
 *
 * <p>As in the Collector, a protocol is on when its key is present: {@code protocols: {grpc: }}
 * serves gRPC only, with every gRPC default; {@code http:} likewise; an {@code otlp:} with neither
 * is a config error. (The defaults this factory hands the loader therefore name no protocol; a key
 * written without a value, {@code grpc:}, becomes the protocol with all its defaults.)
 *
 * <p>Each protocol may add {@code tls} ({@link TlsServerConfig}) and {@code auth} ({@link
 * AuthConfig}); HTTP also {@code cors} ({@link CorsConfig}).
 *
 * @param protocols {@code grpc} and/or {@code http}
 */
public record OtlpReceiverConfig(Protocols protocols) implements ComponentConfig {
  public OtlpReceiverConfig {
    protocols = protocols == null ? new Protocols(null, null) : protocols;
  }

  /** What the loader merges the user's settings over: no protocol until one is named. */
  public static final OtlpReceiverConfig DEFAULT = new OtlpReceiverConfig(null);

  /** Both protocols with their defaults: {@code localhost:4317} and {@code localhost:4318}. */
  public static OtlpReceiverConfig withBothProtocols() {
    return new OtlpReceiverConfig(new Protocols(Grpc.defaults(), Http.defaults()));
  }

  public static OtlpReceiverConfig of(Grpc grpc, Http http) {
    return new OtlpReceiverConfig(new Protocols(grpc, http));
  }

  /**
   * {@code protocols}. A null member is a protocol that is off. A key present without a value
   * ({@code grpc:}) binds to the protocol's defaults.
   *
   * @param grpc OTLP/gRPC, or null when off
   * @param http OTLP/HTTP, or null when off
   */
  public record Protocols(
      @JsonDeserialize(using = KeyPresence.GrpcWhenPresent.class) Grpc grpc,
      @JsonDeserialize(using = KeyPresence.HttpWhenPresent.class) Http http) {}

  /**
   * {@code protocols.grpc}.
   *
   * @param endpoint {@code host:port} to listen on; default {@value #DEFAULT_ENDPOINT}
   * @param maxRecvMsgSizeMib the largest request accepted, in MiB, after decompression; default
   *     {@value #DEFAULT_MAX_RECV_MSG_SIZE_MIB}; 0 means the default, as in the Collector
   * @param tls serve over TLS (and mutual TLS with {@code client_ca_file}); null: plaintext
   * @param auth require a bearer token; null: no authentication
   */
  public record Grpc(String endpoint, Integer maxRecvMsgSizeMib, TlsServerConfig tls, AuthConfig auth) {
    /** The Collector's default: only this host. Use {@code 0.0.0.0:4317} in a container. */
    public static final String DEFAULT_ENDPOINT = "localhost:4317";

    /** grpc-go's and grpc-java's default limit. */
    public static final int DEFAULT_MAX_RECV_MSG_SIZE_MIB = 4;

    /** A MiB count whose byte count still fits an int (grpc-java's limit is an int). */
    static final int MAX_MAX_RECV_MSG_SIZE_MIB = 2047;

    public Grpc {
      endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
      maxRecvMsgSizeMib =
          maxRecvMsgSizeMib == null || maxRecvMsgSizeMib == 0
              ? DEFAULT_MAX_RECV_MSG_SIZE_MIB
              : maxRecvMsgSizeMib;
    }

    public Grpc(String endpoint, Integer maxRecvMsgSizeMib) {
      this(endpoint, maxRecvMsgSizeMib, null, null);
    }

    public static Grpc defaults() {
      return new Grpc(null, null);
    }

    public static Grpc at(String endpoint) {
      return new Grpc(endpoint, null);
    }

    public Grpc withTls(TlsServerConfig tls) {
      return new Grpc(endpoint, maxRecvMsgSizeMib, tls, auth);
    }

    public Grpc withAuth(AuthConfig auth) {
      return new Grpc(endpoint, maxRecvMsgSizeMib, tls, auth);
    }

    /** The limit in bytes. */
    public int maxRecvMsgSizeBytes() {
      return maxRecvMsgSizeMib << 20;
    }

    void validate(ConfigProblems problems) {
      String problem = Endpoints.checkHostPort(endpoint);
      if (problem != null) {
        problems.add("endpoint", "endpoint " + problem);
      }
      if (maxRecvMsgSizeMib < 0) {
        problems.add("max_recv_msg_size_mib", "max_recv_msg_size_mib must not be negative");
      } else if (maxRecvMsgSizeMib > MAX_MAX_RECV_MSG_SIZE_MIB) {
        problems.add(
            "max_recv_msg_size_mib",
            "max_recv_msg_size_mib must be at most " + MAX_MAX_RECV_MSG_SIZE_MIB);
      }
      if (tls != null) {
        tls.validate(problems.at("tls"));
      }
      if (auth != null) {
        auth.validate(problems.at("auth"));
      }
    }
  }

  /**
   * {@code protocols.http}.
   *
   * @param endpoint {@code host:port} to listen on; default {@value #DEFAULT_ENDPOINT}
   * @param maxRequestBodySize the largest body accepted, both as received and after
   *     decompression; default 20MiB; 0 means the default, as in the Collector
   * @param tracesUrlPath where traces are posted; default {@value #DEFAULT_TRACES_URL_PATH}; a
   *     missing leading {@code /} is added
   * @param metricsUrlPath where metrics are posted; default {@value #DEFAULT_METRICS_URL_PATH}
   * @param logsUrlPath where logs are posted; default {@value #DEFAULT_LOGS_URL_PATH}
   * @param tls serve HTTPS (and mutual TLS with {@code client_ca_file}); null: plaintext
   * @param auth require a bearer token; null: no authentication
   * @param cors answer browsers' CORS preflights and add {@code Access-Control-Allow-Origin} for
   *     the origins listed; null or no origins: no CORS headers
   */
  public record Http(
      String endpoint,
      ByteSize maxRequestBodySize,
      String tracesUrlPath,
      String metricsUrlPath,
      String logsUrlPath,
      TlsServerConfig tls,
      AuthConfig auth,
      CorsConfig cors) {
    /** The Collector's default: only this host. Use {@code 0.0.0.0:4318} in a container. */
    public static final String DEFAULT_ENDPOINT = "localhost:4318";

    /** The Collector's default body limit (20MiB). */
    public static final ByteSize DEFAULT_MAX_REQUEST_BODY_SIZE = ByteSize.ofMebibytes(20);

    public static final String DEFAULT_TRACES_URL_PATH = "/v1/traces";
    public static final String DEFAULT_METRICS_URL_PATH = "/v1/metrics";
    public static final String DEFAULT_LOGS_URL_PATH = "/v1/logs";

    /** Bodies are held in one array: stay clear of the JVM's array size limit. */
    static final ByteSize MAX_MAX_REQUEST_BODY_SIZE = ByteSize.ofMebibytes(2047);

    public Http {
      endpoint = endpoint == null ? DEFAULT_ENDPOINT : endpoint;
      maxRequestBodySize =
          maxRequestBodySize == null || maxRequestBodySize.bytes() == 0
              ? DEFAULT_MAX_REQUEST_BODY_SIZE
              : maxRequestBodySize;
      tracesUrlPath = path(tracesUrlPath, DEFAULT_TRACES_URL_PATH);
      metricsUrlPath = path(metricsUrlPath, DEFAULT_METRICS_URL_PATH);
      logsUrlPath = path(logsUrlPath, DEFAULT_LOGS_URL_PATH);
    }

    private static String path(String p, String def) {
      if (p == null) {
        return def;
      }
      return p.isEmpty() || p.startsWith("/") ? p : "/" + p;
    }

    public Http(
        String endpoint, ByteSize maxRequestBodySize, String tracesUrlPath, String metricsUrlPath, String logsUrlPath) {
      this(endpoint, maxRequestBodySize, tracesUrlPath, metricsUrlPath, logsUrlPath, null, null, null);
    }

    public static Http defaults() {
      return new Http(null, null, null, null, null);
    }

    public static Http at(String endpoint) {
      return new Http(endpoint, null, null, null, null);
    }

    /** Where a signal is posted: {@code traces_url_path}, {@code metrics_url_path} or {@code logs_url_path}. */
    public String urlPath(Signal signal) {
      return switch (signal) {
        case TRACES -> tracesUrlPath;
        case METRICS -> metricsUrlPath;
        case LOGS -> logsUrlPath;
      };
    }

    public Http withMaxRequestBodySize(ByteSize size) {
      return new Http(
          endpoint, Objects.requireNonNull(size, "size"), tracesUrlPath, metricsUrlPath, logsUrlPath, tls, auth, cors);
    }

    public Http withTls(TlsServerConfig tls) {
      return new Http(endpoint, maxRequestBodySize, tracesUrlPath, metricsUrlPath, logsUrlPath, tls, auth, cors);
    }

    public Http withAuth(AuthConfig auth) {
      return new Http(endpoint, maxRequestBodySize, tracesUrlPath, metricsUrlPath, logsUrlPath, tls, auth, cors);
    }

    public Http withCors(CorsConfig cors) {
      return new Http(endpoint, maxRequestBodySize, tracesUrlPath, metricsUrlPath, logsUrlPath, tls, auth, cors);
    }

    void validate(ConfigProblems problems) {
      String problem = Endpoints.checkHostPort(endpoint);
      if (problem != null) {
        problems.add("endpoint", "endpoint " + problem);
      }
      if (maxRequestBodySize.compareTo(MAX_MAX_REQUEST_BODY_SIZE) > 0) {
        problems.add(
            "max_request_body_size",
            "max_request_body_size must be at most " + MAX_MAX_REQUEST_BODY_SIZE);
      }
      // Each signal's path, in the order of Signal: empty is an error, and so is a path an
      // earlier signal already has (the request would not say which signal it carries).
      Signal[] signals = Signal.values();
      for (int i = 0; i < signals.length; i++) {
        String key = signals[i].key() + "_url_path";
        String path = urlPath(signals[i]);
        if (path.isEmpty()) {
          problems.add(key, key + " must not be empty");
          continue;
        }
        for (int j = 0; j < i; j++) {
          if (path.equals(urlPath(signals[j]))) {
            String other = signals[j].key() + "_url_path";
            problems.add(key, key + " must differ from " + other + " (both are " + path + ")");
            break;
          }
        }
      }
      if (tls != null) {
        tls.validate(problems.at("tls"));
      }
      if (auth != null) {
        auth.validate(problems.at("auth"));
      }
      if (cors != null) {
        cors.validate(problems.at("cors"));
      }
    }
  }

  @Override
  public void validate(ConfigProblems problems) {
    ConfigProblems at = problems.at("protocols");
    if (protocols.grpc() == null && protocols.http() == null) {
      at.add(
          "protocols must enable at least one protocol: add grpc: and/or http: under protocols");
      return;
    }
    if (protocols.grpc() != null) {
      protocols.grpc().validate(at.at("grpc"));
    }
    if (protocols.http() != null) {
      protocols.http().validate(at.at("http"));
      if (protocols.grpc() != null && protocols.grpc().endpoint().equals(protocols.http().endpoint())) {
        at.at("http")
            .add(
                "endpoint",
                "endpoint " + protocols.http().endpoint() + " is already the grpc endpoint;"
                    + " each protocol needs its own port");
      }
    }
  }
}
