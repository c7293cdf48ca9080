package dev.inflight.processor.batch;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.Signal;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.component.telemetry.SelfMetric;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;

/**
 * The batch processor's self-metrics, under the Collector's names: {@link #SEND_SIZE} (items per
 * request sent), {@link #SIZE_TRIGGER} and {@link #TIMEOUT_TRIGGER} (requests sent, by what
 * triggered them; the Collector counts the flush at shutdown as a timeout), recorded when the next
 * consumer accepted the request, as the Collector does. Plus one of ours, {@link #DROPPED_ITEMS}:
 * items dropped because the next consumer refused a request that held other callers' data, with
 * attributes {@code otel_signal} and {@code reason}.
 */
final class BatchProcessorTelemetry {
  static final SelfMetric SEND_SIZE =
      new SelfMetric("otelcol_processor_batch_batch_send_size", "{unit}", "Number of units in the batch");
  static final SelfMetric SIZE_TRIGGER =
      new SelfMetric("otelcol_processor_batch_batch_size_trigger_send", "{time}",
          "Number of times the batch was sent due to a size trigger");
  static final SelfMetric TIMEOUT_TRIGGER =
      new SelfMetric("otelcol_processor_batch_timeout_trigger_send", "{time}",
          "Number of times the batch was sent due to a timeout trigger");
  /** Ours: the Collector's batch processor hands every refusal back and has no such counter. */
  static final SelfMetric DROPPED_ITEMS =
      new SelfMetric("inflight_processor_batch_dropped_items", "{items}",
          "Number of items dropped because the next consumer refused a batch that could not be"
              + " handed back to its sender");

  /** The next consumer refused and said the data may be sent again. */
  static final String REFUSED_RETRYABLE = "refused_retryable";

  /** The next consumer refused for good (bad data), or failed unexpectedly. */
  static final String REFUSED_PERMANENT = "refused_permanent";

  /** The Collector's buckets for {@code processor_batch_batch_send_size}. */
  private static final List<Long> SEND_SIZE_BUCKETS =
      List.of(
          10L, 25L, 50L, 75L, 100L, 250L, 500L, 750L, 1000L, 2000L, 3000L, 4000L, 5000L, 6000L,
          7000L, 8000L, 9000L, 10000L, 20000L, 30000L, 50000L, 100000L);

  private static final AttributeKey<String> SIGNAL = AttributeKey.stringKey("otel_signal");
  private static final AttributeKey<String> REASON = AttributeKey.stringKey("reason");

  enum Trigger {
    SIZE,
    TIMEOUT
  }

  private final LongHistogram sendSize;
  private final LongCounter sizeTrigger;
  private final LongCounter timeoutTrigger;
  private final LongCounter dropped;
  private final Attributes component;
  private final Attributes droppedRetryable;
  private final Attributes droppedPermanent;

  /** One per signal: {@link #DROPPED_ITEMS} says which signal lost data. */
  BatchProcessorTelemetry(ComponentTelemetry telemetry, Signal signal) {
    Meter meter = telemetry.meter();
    this.component = telemetry.attributes();
    sendSize = SEND_SIZE.longHistogram(meter, SEND_SIZE_BUCKETS);
    sizeTrigger = SIZE_TRIGGER.counter(meter);
    timeoutTrigger = TIMEOUT_TRIGGER.counter(meter);
    dropped = DROPPED_ITEMS.counter(meter);
    Attributes withSignal = component.toBuilder().put(SIGNAL, signal.key()).build();
    droppedRetryable = withSignal.toBuilder().put(REASON, REFUSED_RETRYABLE).build();
    droppedPermanent = withSignal.toBuilder().put(REASON, REFUSED_PERMANENT).build();
  }

  /** Records nothing: for tests that build a {@link Batcher} without a service. */
  static BatchProcessorTelemetry noop(Signal signal) {
    return new BatchProcessorTelemetry(
        ComponentTelemetry.noop(ComponentKind.PROCESSOR, ComponentId.of("batch")), signal);
  }

  /** A request the next consumer accepted: its size, and what sent it. */
  void sent(Trigger trigger, int items) {
    sendSize.record(items, component);
    (trigger == Trigger.SIZE ? sizeTrigger : timeoutTrigger).add(1, component);
  }

  void dropped(int items, boolean retryable) {
    if (items > 0) {
      dropped.add(items, retryable ? droppedRetryable : droppedPermanent);
    }
  }
}
