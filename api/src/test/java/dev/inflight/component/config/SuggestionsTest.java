package dev.inflight.component.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
  private static final List<String> KEYS = List.of("endpoint", "timeout", "headers", "compression", "tls");

  @Test
  void findsTheClosestPlausibleTypo() {
    assertThat(Suggestions.closest("endpiont", KEYS)).contains("endpoint"); // swapped letters: one edit
    assertThat(Suggestions.closest("endpoit", KEYS)).contains("endpoint");
    assertThat(Suggestions.closest("timeou", KEYS)).contains("timeout");
    assertThat(Suggestions.closest("Endpoint", KEYS)).contains("endpoint");
    assertThat(Suggestions.closest("TLS", KEYS)).contains("tls");
    assertThat(Suggestions.closest("otlpp", List.of("otlp", "otlphttp", "zipkin"))).contains("otlp");
    assertThat(Suggestions.closest("tl", KEYS)).contains("tls");
  }

  @Test
  void suggestsNothingWhenNothingIsClose() {
    assertThat(Suggestions.closest("retry_on_failure", KEYS)).isEmpty();
    assertThat(Suggestions.closest("port", KEYS)).isEmpty();
    assertThat(Suggestions.closest("endpoint", List.of())).isEmpty();
    // At most a third of the length in edits: "compresn" (8 letters) allows 2 but needs 3.
    assertThat(Suggestions.closest("compresion", KEYS)).contains("compression");
    assertThat(Suggestions.closest("compresn", KEYS)).isEmpty();
    assertThat(Suggestions.closest("tmt", KEYS)).isEmpty();
  }

  @Test
  void prefersTheNearestCandidate() {
    assertThat(Suggestions.closest("otlphtp", List.of("otlp", "otlphttp"))).contains("otlphttp");
    assertThat(Suggestions.closest("otlq", List.of("otlp", "otlphttp"))).contains("otlp");
  }

  @Test
  void distanceCountsASwapAsOneEdit() {
    assertThat(Suggestions.distance("abcd", "abdc")).isEqualTo(1);
    assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    assertThat(Suggestions.distance("same", "same")).isZero();
  }

  @Test
  void didYouMeanReadsAsTheEndOfAMessage() {
    assertThat(Suggestions.didYouMean("endpiont", KEYS)).isEqualTo("; did you mean `endpoint`?");
    assertThat(Suggestions.didYouMean("xyz", KEYS)).isEmpty();
  }
}
