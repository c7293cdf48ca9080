package dev.inflight.config.configauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BearerTokenTest {
  @Test
  void tokenCheck() {
    BearerToken t = new BearerToken("abc");
    assertThat(t.rejectValue("Bearer abc")).isNull();
    assertThat(t.rejectValue("  BEARER   abc  ")).isNull();
    assertThat(t.rejectValue(null)).startsWith("missing or empty authorization header");
    assertThat(t.rejectValue("Bearer abcd")).isEqualTo("scheme or token does not match");
    assertThat(t.rejectValue("Token abc")).isEqualTo("scheme or token does not match");
    assertThatThrownBy(() -> new BearerToken("")).isInstanceOf(IllegalArgumentException.class);
    assertThat(t.challenge()).isEqualTo("Bearer");
  }

  @Test
  void anyOfSeveralTokensInAnotherHeaderAndScheme() {
    BearerToken t = new BearerToken("X-Api-Key", "Token", List.of("one", "two"));
    Map<String, String> sent = Map.of("x-api-key", "Token two");
    assertThat(t.reject(name -> sent.get(name.toLowerCase()))).isNull();
    assertThat(t.rejectValue("Token one")).isNull();
    assertThat(t.rejectValue("Token three")).isEqualTo("scheme or token does not match");
    assertThat(t.rejectValue("Bearer one")).isEqualTo("scheme or token does not match");
    // The token is looked for in the configured header only.
    assertThat(t.reject(name -> name.equalsIgnoreCase("authorization") ? "Token one" : null))
        .isEqualTo("missing or empty authorization header: send X-Api-Key: Token <token>");
    assertThat(t.challenge()).isEqualTo("Token");
  }

  @Test
  void anEmptySchemeMeansTheWholeValueIsTheToken() {
    BearerToken t = new BearerToken("Authorization", "", List.of("s3cret"));
    assertThat(t.rejectValue("s3cret")).isNull();
    assertThat(t.rejectValue("Bearer s3cret")).isEqualTo("scheme or token does not match");
  }
}
