package dev.inflight.component.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationFormatTest {
  private static final String HINT = " (use a number with a unit: 200ms, 5s, 1m, 1h30m; units ns, us, ms, s, m, h)";

  @ParameterizedTest
  @CsvSource({
    "5s, PT5S",
    "200ms, PT0.2S",
    "1m30s, PT1M30S",
    "1.5h, PT1H30M",
    "100us, PT0.0001S",
    "100µs, PT0.0001S",
    "250ns, PT0.00000025S",
    "0, PT0S",
    "-0, PT0S",
    "0s, PT0S",
    "2h45m, PT2H45M",
    "1h1m1s1ms1us1ns, PT1H1M1.001001001S",
    ".5s, PT0.5S",
    "1.s, PT1S",
    "' 10s ', PT10S",
    "-1.5s, PT-1.5S",
    "+3m, PT3M",
  })
  void parsesGoDurations(String text, String expected) {
    assertThat(DurationFormat.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "5         | it has no unit",
        "1.5       | it has no unit",
        "''        | it is empty",
        "-         | it is empty",
        "5x        | cannot read \"5x\"",
        "5 s       | cannot read \"5 s\"",
        "1h30      | cannot read \"30\"",
        "ms        | cannot read \"ms\"",
        "1d        | cannot read \"1d\"",
        "5S        | cannot read \"5S\"",
        "3000000h  | it is too long",
      })
  void refusesWhatGoRefusesSayingWhy(String text, String why) {
    assertThatThrownBy(() -> DurationFormat.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid duration \"" + text + "\": " + why + HINT);
  }

  @ParameterizedTest
  @CsvSource({
    "PT5S, 5s",
    "PT0.2S, 200ms",
    "PT1M30S, 1m30s",
    "PT1H30M, 1h30m",
    "PT1H, 1h0m",
    "PT1M, 1m",
    "PT0.0001S, 100us",
    "PT0.0015S, 1.5ms",
    "PT0.00000025S, 250ns",
    "PT0S, 0s",
    "PT1.5S, 1.5s",
    "PT-5S, -5s",
    "PT2H0M0.5S, 2h0m0.5s",
    "PT26H, 26h0m",
  })
  void formatsTheGoWay(String duration, String expected) {
    assertThat(DurationFormat.format(Duration.parse(duration))).isEqualTo(expected);
  }

  @Test
  void formatThenParseGivesTheSameDuration() {
    long[] nanos = {1, 999, 1_000, 1_500, 999_999, 1_000_000, 123_456_789, 1_000_000_000L, 59_999_999_999L,
        60_000_000_000L, 61_500_000_000L, 3_600_000_000_000L, 3_661_000_000_001L, 86_400_000_000_000L};
    for (long n : nanos) {
      Duration d = Duration.ofNanos(n);
      assertThat(DurationFormat.parse(DurationFormat.format(d))).as(DurationFormat.format(d)).isEqualTo(d);
    }
  }
}
