package dev.inflight.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inflight.component.config.ConfigProblems;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendingOptionsTest {
  private static List<String> problems(SendingOptions options) {
    ConfigProblems problems = ConfigProblems.root();
    options.validate(problems.at("exporters").at("otlp"));
    return problems.all().stream().map(p -> p.path() + ": " + p.message()).toList();
  }

  @Test
  void defaultsAreTheCollectors() {
    SendingOptions d = SendingOptions.defaults();
    assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.retryOnFailure())
        .isEqualTo(new RetryConfig(true, Duration.ofSeconds(5), 0.5, 1.5, Duration.ofSeconds(30), Duration.ofSeconds(300)));
    assertThat(d.sendingQueue()).isEqualTo(new QueueConfig(true, 10, 1000));
    assertThat(problems(d)).isEmpty();
  }

  @Test
  void everyBadValueNamesItsKey() {
    SendingOptions bad =
        new SendingOptions(
            Duration.ZERO,
            new RetryConfig(true, Duration.ZERO, 1.5, 0.5, Duration.ofSeconds(-1), Duration.ofSeconds(-1)),
            new QueueConfig(true, 0, 0));
    assertThat(problems(bad))
        .containsExactly(
            "exporters.otlp.timeout: timeout must be greater than 0",
            "exporters.otlp.retry_on_failure.initial_interval: initial_interval must be greater than 0",
            "exporters.otlp.retry_on_failure.max_interval: max_interval must be greater than 0",
            "exporters.otlp.retry_on_failure.max_elapsed_time: max_elapsed_time must not be negative (0 retries without a time limit)",
            "exporters.otlp.retry_on_failure.randomization_factor: randomization_factor must be between 0 and 1",
            "exporters.otlp.retry_on_failure.multiplier: multiplier must be at least 1",
            "exporters.otlp.sending_queue.num_consumers: num_consumers must be at least 1",
            "exporters.otlp.sending_queue.queue_size: queue_size must be at least 1");
  }

  @Test
  void maxIntervalMustNotBeBelowInitial() {
    SendingOptions o = SendingOptions.defaults().withRetry(new RetryConfig(true, Duration.ofSeconds(10), null, null, Duration.ofSeconds(2), null));
    assertThat(problems(o))
        .containsExactly("exporters.otlp.retry_on_failure.max_interval: max_interval (2s) must not be less than initial_interval (10s)");
  }

  @Test
  void disabledBlocksAreNotChecked() {
    SendingOptions o =
        new SendingOptions(
            null,
            new RetryConfig(false, Duration.ZERO, 7.0, 0.0, Duration.ZERO, Duration.ofSeconds(-1)),
            new QueueConfig(false, 0, -3));
    assertThat(problems(o)).isEmpty();
    assertThat(o.retryOnFailure().enabled()).isFalse();
  }

  @Test
  void nullsBecomeDefaults() {
    assertThat(new RetryConfig(null, null, null, null, null, null)).isEqualTo(RetryConfig.defaults());
    assertThat(new QueueConfig(null, 2, null)).isEqualTo(new QueueConfig(true, 2, 1000));
    assertThat(SendingOptions.synchronous().sendingQueue().enabled()).isFalse();
    assertThat(SendingOptions.synchronous().retryOnFailure().enabled()).isFalse();
  }
}
