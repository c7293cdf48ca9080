package dev.inflight.tests;

import java.io.IOException;

/** Free loopback ports for one inflight instance, and a config that uses them. */
record Ports(int grpc, int http, int health, int telemetry) {
  static Ports free() throws IOException {
    return new Ports(
        InflightProcess.freePort(), InflightProcess.freePort(), InflightProcess.freePort(), InflightProcess.freePort());
  }

  String healthUrl() {
    return "http://127.0.0.1:" + health + "/";
  }

  String metricsUrl() {
    return "http://127.0.0.1:" + telemetry + "/metrics";
  }

  /** A minimal pipeline on these ports: OTLP in, debug out, health and self-metrics. */
  String config() {
    return """
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:%d
              http:
                endpoint: 127.0.0.1:%d
        exporters:
          debug:
        extensions:
          health_check:
            endpoint: 127.0.0.1:%d
        service:
          extensions: [health_check]
          pipelines:
            traces:
              receivers: [otlp]
              exporters: [debug]
          telemetry:
            metrics:
              address: 127.0.0.1:%d
        """.formatted(grpc, http, health, telemetry);
  }
}
