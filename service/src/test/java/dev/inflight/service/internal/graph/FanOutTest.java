package dev.inflight.service.internal.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.MetricsConsumer;
import dev.inflight.component.Refusal;
import dev.inflight.component.TracesConsumer;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import dev.inflight.pdata.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FanOutTest {
  private final List<Traces> a = new ArrayList<>();
  private final List<Traces> b = new ArrayList<>();
  private final Traces batch = TestData.traces(3);

  private static TracesConsumer refusing(Refusal r) {
    return t -> {
      throw r;
    };
  }

  @Test
  void everyConsumerGetsTheSameBatch() throws Refusal {
    TracesConsumer fan = FanOut.traces(List.of(a::add, b::add), "pipeline \"traces\"");

    fan.consumeTraces(batch);

    assertThat(a).singleElement().isSameAs(batch);
    assertThat(b).singleElement().isSameAs(batch);
  }

  @Test
  void whenOneConsumerRefusesTheOthersStillGetTheBatchAndTheCallerSeesTheRefusal() {
    Refusal full = Refusal.retryable("queue is full");
    TracesConsumer fan = FanOut.traces(List.of(a::add, refusing(full), b::add), "pipeline \"traces\"");

    assertThatThrownBy(() -> fan.consumeTraces(batch)).isSameAs(full);
    assertThat(a).hasSize(1);
    assertThat(b).hasSize(1);
  }

  @Test
  void theRefusalIsRetryableOnlyIfEveryRefusalWas() {
    Refusal full = Refusal.retryable("queue is full");
    Refusal bad = Refusal.permanent("bad data");

    TracesConsumer retryableFirst = FanOut.traces(List.of(refusing(full), refusing(bad), a::add), "p");
    assertThatThrownBy(() -> retryableFirst.consumeTraces(batch))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isFalse();
          assertThat(r.getMessage()).isEqualTo("queue is full");
        });

    TracesConsumer permanentFirst = FanOut.traces(List.of(refusing(bad), refusing(full)), "p");
    assertThatThrownBy(() -> permanentFirst.consumeTraces(batch)).isSameAs(bad);

    Refusal otherFull = Refusal.retryable("backend is down");
    TracesConsumer allRetryable = FanOut.traces(List.of(refusing(full), refusing(otherFull)), "p");
    assertThatThrownBy(() -> allRetryable.consumeTraces(batch))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.isRetryable()).isTrue());
    assertThat(a).hasSize(1);
  }

  @Test
  void aRuntimeExceptionBecomesAPermanentRefusalAndTheOthersStillGetTheBatch() {
    TracesConsumer fan =
        FanOut.traces(
            List.of(
                t -> {
                  throw new IllegalStateException("boom");
                },
                a::add),
            "exporter \"x\"");

    assertThatThrownBy(() -> fan.consumeTraces(batch))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isFalse();
          assertThat(r.getMessage()).isEqualTo("internal error: java.lang.IllegalStateException: boom");
          assertThat(r.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        });
    assertThat(a).hasSize(1);
  }

  @Test
  void aRuntimeExceptionMakesEvenARetryableRefusalPermanent() {
    TracesConsumer fan =
        FanOut.traces(
            List.of(
                refusing(Refusal.retryable("queue is full")),
                t -> {
                  throw new IllegalStateException("boom");
                }),
            "p");

    assertThatThrownBy(() -> fan.consumeTraces(batch))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.isRetryable()).isFalse());
  }

  @Test
  void aConsumerFailingOnBytesThatDoNotDecodeIsStillARefusal() {
    Traces broken = Traces.ofEncoded(new byte[] {0x0A, 0x05});
    TracesConsumer fan = FanOut.traces(List.of(Traces::spanCount, a::add), "p");

    assertThatThrownBy(() -> fan.consumeTraces(broken))
        .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.isRetryable()).isFalse());
    assertThat(a).singleElement().isSameAs(broken);
  }

  @Test
  void noConsumersAcceptsEverything() {
    TracesConsumer fan = FanOut.traces(List.of(), "p");
    assertThatCode(() -> fan.consumeTraces(batch)).doesNotThrowAnyException();
  }

  @Test
  void metricsBehaveTheSame() {
    List<Metrics> got = new ArrayList<>();
    Metrics m = TestData.metrics(2);
    MetricsConsumer fan =
        FanOut.metrics(
            List.of(
                x -> {
                  throw Refusal.retryable("queue is full");
                },
                got::add,
                x -> {
                  throw new IllegalArgumentException("oops");
                }),
            "p");

    assertThatThrownBy(() -> fan.consumeMetrics(m))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isFalse();
          assertThat(r.getMessage()).isEqualTo("queue is full");
        });
    assertThat(got).singleElement().isSameAs(m);

    MetricsConsumer bug = FanOut.metrics(List.of(x -> {
      throw new IllegalArgumentException("oops");
    }), "p");
    assertThatThrownBy(() -> bug.consumeMetrics(m))
        .isInstanceOfSatisfying(Refusal.class, r -> {
          assertThat(r.isRetryable()).isFalse();
          assertThat(r.getMessage()).isEqualTo("internal error: java.lang.IllegalArgumentException: oops");
        });
  }
}
