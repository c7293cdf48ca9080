package dev.inflight.processor.batch;

import dev.inflight.component.Signal;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;

/**
 * The batch processor's self-metrics, under the Collector's names: {@code
 * otelcol_processor_batch_batch_send_size} (items per request sent), {@code
 * otelcol_processor_batch_batch_size_trigger_send} and {@code
 * otelcol_processor_batch_timeout_trigger_send} (requests sent, by what triggered them; the
 * Collector counts the flush at shutdown as a timeout), recorded when the next consumer accepted
 * the request, as the Collector does. Plus {@code otelcol_processor_batch_dropped_items}: items
 * dropped because the next consumer refused a request that held other callers' data, with
 * attributes {@code otel_signal} and {@code reason}.
 */
final class BatchTelemetry {
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

  BatchTelemetry(Meter meter, Attributes component, Signal signal) {
    this.component = component;
    sendSize =
        meter
            .histogramBuilder("otelcol_processor_batch_batch_send_size")
            .ofLongs()
            .setUnit("{unit}")
            .setDescription("Number of units in the batch")
            .setExplicitBucketBoundariesAdvice(SEND_SIZE_BUCKETS)
            .build();
    sizeTrigger =
        meter
            .counterBuilder("otelcol_processor_batch_batch_size_trigger_send")
            .setUnit("{time}")
            .setDescription("Number of times the batch was sent due to a size trigger")
            .build();
    timeoutTrigger =
        meter
            .counterBuilder("otelcol_processor_batch_timeout_trigger_send")
            .setUnit("{time}")
            .setDescription("Number of times the batch was sent due to a timeout trigger")
            .build();
    dropped =
        meter
            .counterBuilder("otelcol_processor_batch_dropped_items")
            .setUnit("{items}")
            .setDescription(
                "Number of items dropped because the next consumer refused a batch that could not"
                    + " be handed back to its sender")
            .build();
    Attributes withSignal = component.toBuilder().put(SIGNAL, signal.key()).build();
    droppedRetryable = withSignal.toBuilder().put(REASON, REFUSED_RETRYABLE).build();
    droppedPermanent = withSignal.toBuilder().put(REASON, REFUSED_PERMANENT).build();
  }

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
