package dev.inflight.config.confighttp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpPostTest {
  @Test
  void retryAfterIsSecondsOrAnHttpDateInTheFuture() {
    assertThat(HttpPost.retryAfter("7")).isEqualTo(Duration.ofSeconds(7));
    assertThat(HttpPost.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isNull(); // in the past
    assertThat(HttpPost.retryAfter("soon")).isNull();
    assertThat(HttpPost.retryAfter(
            java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(60))))
        .isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60));
  }
}
