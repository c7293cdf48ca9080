package dev.inflight.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static List<Duration> waits(RetryConfig config, double random, int n) {
    Backoff b = new Backoff(config, () -> random);
    List<Duration> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(b.next());
    }
    return out;
  }

  @Test
  void growsByTheMultiplierUpToMaxInterval() {
    // random 0.5 is the middle of the jitter range: the waits are the intervals themselves.
    assertThat(waits(RetryConfig.defaults(), 0.5, 7))
        .containsExactly(
            Duration.ofMillis(5000),
            Duration.ofMillis(7500),
            Duration.ofMillis(11250),
            Duration.ofMillis(16875),
            Duration.ofNanos(25_312_500_000L),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30));
  }

  @Test
  void jitterSpansPlusMinusTheRandomizationFactor() {
    assertThat(waits(RetryConfig.defaults(), 0.0, 1)).containsExactly(Duration.ofMillis(2500));
    assertThat(waits(RetryConfig.defaults(), 0.999_999, 1).get(0)).isBetween(Duration.ofMillis(7499), Duration.ofMillis(7500));
  }

  @Test
  void noJitterWithFactorZero() {
    RetryConfig exact = new RetryConfig(true, Duration.ofMillis(100), 0.0, 2.0, Duration.ofMillis(350), null);
    assertThat(waits(exact, 0.9, 4))
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(350), Duration.ofMillis(350));
  }
}
