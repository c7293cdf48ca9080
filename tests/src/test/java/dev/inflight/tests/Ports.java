package dev.inflight.tests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Free loopback ports for one inflight instance, and a config that uses them. */
record Ports(int grpc, int http, int health, int telemetry, int prometheus, int query) {
  static Ports free() throws IOException {
    return new Ports(
        InflightProcess.freePort(), InflightProcess.freePort(), InflightProcess.freePort(), InflightProcess.freePort(),
        InflightProcess.freePort(), InflightProcess.freePort());
  }

  /**
   * The {@code --set} arguments that move the default config (otel-collector.yaml) onto these
   * ports, followed by {@code extra} more {@code --set} assignments: the default config as a user
   * runs it, minus the fixed ports that would collide between tests.
   */
  /** The {@code --set} value that moves the self-metrics' pull reader to 127.0.0.1:{@code port}. */
  static String telemetryReader(int port) {
    return "service.telemetry.metrics.readers=[{pull: {exporter: {prometheus: {host: 127.0.0.1, port: " + port + "}}}}]";
  }

  List<String> defaultConfigArgs(String... extra) {
    List<String> args = new ArrayList<>(List.of(
        "--set", "receivers.otlp.protocols.grpc.endpoint=127.0.0.1:" + grpc,
        "--set", "receivers.otlp.protocols.http.endpoint=127.0.0.1:" + http,
        "--set", "extensions.health_check.endpoint=127.0.0.1:" + health,
        "--set", telemetryReader(telemetry),
        "--set", "exporters.prometheus.endpoint=127.0.0.1:" + prometheus,
        "--set", "extensions.query.endpoint=127.0.0.1:" + query));
    for (String e : extra) {
      args.add("--set");
      args.add(e);
    }
    return args;
  }

  /** The default config's Prometheus scrape endpoint. */
  String prometheusUrl() {
    return "http://127.0.0.1:" + prometheus + "/metrics";
  }

  /** The default config's query extension: API, Grafana JSON datasource and page. */
  String queryUrl() {
    return "http://127.0.0.1:" + query;
  }

  /** The OTLP/gRPC receiver on these ports, for an SDK exporter: {@code http://127.0.0.1:PORT}. */
  String grpcUrl() {
    return "http://127.0.0.1:" + grpc;
  }

  /** The OTLP/HTTP receiver's {@code path} ({@code /v1/logs}, ...) on these ports. */
  String httpUrl(String path) {
    return "http://127.0.0.1:" + http + path;
  }

  String healthUrl() {
    return "http://127.0.0.1:" + health + "/";
  }

  /** POSTs OTLP/JSON traces {@code body} to the OTLP/HTTP receiver on these ports; the answer as text. */
  HttpResponse<String> postOtlpJson(String body) throws IOException, InterruptedException {
    return postOtlpJson("/v1/traces", body);
  }

  /** POSTs OTLP/JSON {@code body} to {@code path} ({@code /v1/logs}, ...) of the OTLP/HTTP receiver; the answer as text. */
  HttpResponse<String> postOtlpJson(String path, String body) throws IOException, InterruptedException {
    return InflightProcess.HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  String metricsUrl() {
    return "http://127.0.0.1:" + telemetry + "/metrics";
  }

  /** A minimal pipeline on these ports: OTLP in, debug out, health and self-metrics. */
  String config() {
    return otlpReceivers() + """
        exporters:
          debug:
        """ + service("""
        traces:
          receivers: [otlp]
          exporters: [debug]
        """);
  }

  /** The {@code receivers:} block every test config starts with: OTLP over gRPC and HTTP on these ports. */
  String otlpReceivers() {
    return """
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:%d
              http:
                endpoint: 127.0.0.1:%d
        """.formatted(grpc, http);
  }

  /**
   * The end every test config shares: the health_check extension on these ports, and the
   * {@code service:} block with it, the given {@code pipelines} (written unindented, the keys
   * under {@code service.pipelines}) and the self-metrics pull reader on these ports.
   */
  String service(String pipelines) {
    return """
        extensions:
          health_check:
            endpoint: 127.0.0.1:%d
        service:
          extensions: [health_check]
          pipelines:
        %s  telemetry:
            metrics:
              readers:
                - pull:
                    exporter:
                      prometheus:
                        host: 127.0.0.1
                        port: %d
        """.formatted(health, pipelines.indent(4), telemetry);
  }
}
