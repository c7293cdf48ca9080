package dev.inflight.exporter.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GrpcEndpointTest {
  @Test
  void readsTheThreeFormsAsTheCollectorsGrpcClient() {
    assertThat(GrpcEndpoint.parse("ingress.eu-west-1.aws.dash0.com:4317", false))
        .isEqualTo(new GrpcEndpoint("ingress.eu-west-1.aws.dash0.com", 4317, true));
    assertThat(GrpcEndpoint.parse("collector:4317", true)).isEqualTo(new GrpcEndpoint("collector", 4317, false));
    assertThat(GrpcEndpoint.parse("http://collector:4317", false)).isEqualTo(new GrpcEndpoint("collector", 4317, false));
    assertThat(GrpcEndpoint.parse("https://collector:4317", true)).isEqualTo(new GrpcEndpoint("collector", 4317, true));
    assertThat(GrpcEndpoint.parse("HTTPS://collector:4317/", false)).isEqualTo(new GrpcEndpoint("collector", 4317, true));
    assertThat(GrpcEndpoint.parse("[::1]:4317", true)).isEqualTo(new GrpcEndpoint("::1", 4317, false));
    assertThat(GrpcEndpoint.parse("[::1]:4317", true).authority()).isEqualTo("[::1]:4317");
  }

  @Test
  void aPathPointsToOtlpHttp() {
    assertThatThrownBy(() -> GrpcEndpoint.parse("https://ingress.dash0.com/v1/traces", false))
        .hasMessage("endpoint must be host:port for gRPC (got a URL with path \"/v1/traces\"); use the otlphttp exporter for URLs");
    assertThatThrownBy(() -> GrpcEndpoint.parse("collector:4317/v1/traces", false))
        .hasMessageContaining("(got a URL with path \"/v1/traces\")");
  }

  @Test
  void refusesWhatGrpcCannotDial() {
    assertThatThrownBy(() -> GrpcEndpoint.parse("", false))
        .hasMessage("endpoint must be set to host:port (e.g. ingress.eu-west-1.aws.dash0.com:4317)");
    assertThatThrownBy(() -> GrpcEndpoint.parse("https://ingress.dash0.com", false))
        .hasMessage("endpoint \"https://ingress.dash0.com\" has no port: gRPC needs host:port (e.g. ingress.eu-west-1.aws.dash0.com:4317)");
    assertThatThrownBy(() -> GrpcEndpoint.parse("collector:otlp", false))
        .hasMessage("endpoint \"collector:otlp\" has an invalid port \"otlp\"");
    assertThatThrownBy(() -> GrpcEndpoint.parse("collector:0", false))
        .hasMessage("endpoint \"collector:0\" has a port out of range 1-65535");
    assertThatThrownBy(() -> GrpcEndpoint.parse(":4317", false)).hasMessageContaining("has no host");
    assertThatThrownBy(() -> GrpcEndpoint.parse("ftp://collector:4317", false))
        .hasMessage("endpoint has unsupported scheme \"ftp\": write host:port, http://host:port (plaintext) or https://host:port (TLS)");
    assertThatThrownBy(() -> GrpcEndpoint.parse("::1:4317", false)).hasMessageContaining("IPv6 address in brackets");
  }
}
