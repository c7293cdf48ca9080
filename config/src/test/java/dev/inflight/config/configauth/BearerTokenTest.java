package dev.inflight.config.configauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BearerTokenTest {
  @Test
  void tokenCheck() {
    BearerToken t = new BearerToken("abc");
    assertThat(t.reject("Bearer abc")).isNull();
    assertThat(t.reject("  BEARER   abc  ")).isNull();
    assertThat(t.reject(null)).startsWith("missing or empty authorization header");
    assertThat(t.reject("Bearer abcd")).isEqualTo("scheme or token does not match");
    assertThat(t.reject("Token abc")).isEqualTo("scheme or token does not match");
    assertThatThrownBy(() -> new BearerToken("")).isInstanceOf(IllegalArgumentException.class);
  }
}
