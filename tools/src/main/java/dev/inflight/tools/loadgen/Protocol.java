package dev.inflight.tools.loadgen;

import java.util.Locale;

/** How the load generator sends: the OTLP exporter protocols, spelled as OTEL_EXPORTER_OTLP_PROTOCOL. */
public enum Protocol {
  GRPC("grpc", 4317),
  HTTP_PROTOBUF("http/protobuf", 4318),
  HTTP_JSON("http/json", 4318);

  private final String spelling;
  private final int defaultPort;

  Protocol(String spelling, int defaultPort) {
    this.spelling = spelling;
    this.defaultPort = defaultPort;
  }

  public int defaultPort() {
    return defaultPort;
  }

  public boolean json() {
    return this == HTTP_JSON;
  }

  @Override
  public String toString() {
    return spelling;
  }

  /** {@code grpc}, {@code http/protobuf} or {@code http/json} (any case). */
  public static Protocol parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (Protocol p : values()) {
      if (p.spelling.equals(t)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown protocol \"" + text + "\": use grpc, http/protobuf or http/json");
  }
}
