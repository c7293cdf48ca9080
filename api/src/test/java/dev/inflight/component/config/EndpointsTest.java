package dev.inflight.component.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class EndpointsTest {
  @Test
  void acceptsHostPort() {
    assertThat(Endpoints.checkHostPort("0.0.0.0:4317")).isNull();
    assertThat(Endpoints.checkHostPort("localhost:4318")).isNull();
    assertThat(Endpoints.checkHostPort(":8888")).isNull();
    assertThat(Endpoints.checkHostPort("[::1]:4317")).isNull();
    assertThat(Endpoints.checkHostPort("127.0.0.1:0")).isNull();
    assertThat(Endpoints.checkHostPort("127.0.0.1:65535")).isNull();
  }

  @Test
  void saysWhatIsWrong() {
    assertThat(Endpoints.checkHostPort(null)).isEqualTo("must not be empty");
    assertThat(Endpoints.checkHostPort(" ")).isEqualTo("must not be empty");
    assertThat(Endpoints.checkHostPort("localhost")).isEqualTo("\"localhost\" must be host:port (e.g. 0.0.0.0:4317)");
    assertThat(Endpoints.checkHostPort("localhost:http")).isEqualTo("\"localhost:http\" has an invalid port \"http\"");
    assertThat(Endpoints.checkHostPort("localhost:")).isEqualTo("\"localhost:\" has an invalid port \"\"");
    assertThat(Endpoints.checkHostPort("localhost:65536")).isEqualTo("\"localhost:65536\" has a port out of range 0-65535");
    assertThat(Endpoints.checkHostPort("localhost:-1")).isEqualTo("\"localhost:-1\" has a port out of range 0-65535");
  }

  @Test
  void listenAddress() throws Exception {
    assertThat(Endpoints.listenAddress("127.0.0.1:4317")).isEqualTo(new InetSocketAddress("127.0.0.1", 4317));
    assertThat(Endpoints.listenAddress(":8888")).isEqualTo(new InetSocketAddress(8888));
    assertThat(Endpoints.listenAddress("[::1]:4317").getAddress()).isEqualTo(java.net.InetAddress.getByName("::1"));
    assertThat(Endpoints.listenAddress("[::1]:4317").getPort()).isEqualTo(4317);
  }
}
