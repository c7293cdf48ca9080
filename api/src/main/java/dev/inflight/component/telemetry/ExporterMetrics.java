package dev.inflight.component.telemetry;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.Signal;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import java.util.function.LongSupplier;

/**
 * An exporter's counts, as the Collector's exporterhelper keeps them: items sent ({@code
 * otelcol_exporter_sent_spans}), items that failed to send ({@code
 * otelcol_exporter_send_failed_spans}) and items refused by a full queue ({@code
 * otelcol_exporter_enqueue_failed_spans}); and its sending queue's size and capacity. Alert on the
 * failures, and on a queue size near its capacity.
 */
public final class ExporterMetrics {
  public static final String SENT_SPANS = "otelcol_exporter_sent_spans";
  public static final String SENT_METRIC_POINTS = "otelcol_exporter_sent_metric_points";
  public static final String SENT_LOG_RECORDS = "otelcol_exporter_sent_log_records";
  public static final String SEND_FAILED_SPANS = "otelcol_exporter_send_failed_spans";
  public static final String SEND_FAILED_METRIC_POINTS = "otelcol_exporter_send_failed_metric_points";
  public static final String SEND_FAILED_LOG_RECORDS = "otelcol_exporter_send_failed_log_records";
  public static final String ENQUEUE_FAILED_SPANS = "otelcol_exporter_enqueue_failed_spans";
  public static final String ENQUEUE_FAILED_METRIC_POINTS =
      "otelcol_exporter_enqueue_failed_metric_points";
  public static final String ENQUEUE_FAILED_LOG_RECORDS = "otelcol_exporter_enqueue_failed_log_records";
  public static final SelfMetric QUEUE_SIZE =
      new SelfMetric("otelcol_exporter_queue_size", "{batches}", "Current size of the retry queue (in batches)");
  public static final SelfMetric QUEUE_CAPACITY =
      new SelfMetric("otelcol_exporter_queue_capacity", "{batches}", "Fixed capacity of the retry queue (in batches)");

  private static final AttributeKey<String> DATA_TYPE = AttributeKey.stringKey("data_type");

  private final Meter meter;
  private final Attributes attributes;
  private final SignalCounter sent;
  private final SignalCounter sendFailed;
  private final SignalCounter enqueueFailed;

  ExporterMetrics(Meter meter, Attributes attributes) {
    this.meter = meter;
    this.attributes = attributes;
    sent =
        new SignalCounter(
            meter, SENT_SPANS, SENT_METRIC_POINTS, SENT_LOG_RECORDS,
            "successfully sent to destination", attributes);
    sendFailed =
        new SignalCounter(
            meter, SEND_FAILED_SPANS, SEND_FAILED_METRIC_POINTS, SEND_FAILED_LOG_RECORDS,
            "that failed to be sent to destination", attributes);
    enqueueFailed =
        new SignalCounter(
            meter, ENQUEUE_FAILED_SPANS, ENQUEUE_FAILED_METRIC_POINTS, ENQUEUE_FAILED_LOG_RECORDS,
            "that failed to be added to the sending queue", attributes);
  }

  /** Records nothing: for tests that build an exporter's parts without a service. */
  public static ExporterMetrics noop() {
    return ComponentTelemetry.noop(ComponentKind.EXPORTER, ComponentId.of("otlp")).exporterMetrics();
  }

  public void sent(Signal signal, long items) {
    sent.add(signal, items);
  }

  public void sendFailed(Signal signal, long items) {
    sendFailed.add(signal, items);
  }

  public void enqueueFailed(Signal signal, long items) {
    enqueueFailed.add(signal, items);
  }

  /**
   * Starts reporting one signal's sending queue ({@code data_type} attribute), read at each
   * collection; close what this adds to {@code into} when the queue stops.
   */
  public void observeQueue(
      Signal signal, LongSupplier size, LongSupplier capacity, ObservedInstruments into) {
    Attributes queue = attributes.toBuilder().put(DATA_TYPE, signal.key()).build();
    into.add(QUEUE_SIZE.gauge(meter, m -> m.record(size.getAsLong(), queue)));
    into.add(QUEUE_CAPACITY.gauge(meter, m -> m.record(capacity.getAsLong(), queue)));
  }
}
