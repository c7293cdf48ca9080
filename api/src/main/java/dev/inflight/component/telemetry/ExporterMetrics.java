package dev.inflight.component.telemetry;

import dev.inflight.component.Signal;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;

/**
 * An exporter's counts, as the Collector's exporterhelper keeps them: items sent ({@code
 * otelcol_exporter_sent_spans}), items that failed to send ({@code
 * otelcol_exporter_send_failed_spans}) and items refused by a full queue ({@code
 * otelcol_exporter_enqueue_failed_spans}). Alert on the last two.
 */
public final class ExporterMetrics {
  private final SignalCounter sent;
  private final SignalCounter sendFailed;
  private final SignalCounter enqueueFailed;

  ExporterMetrics(Meter meter, Attributes attributes) {
    sent = new SignalCounter(meter, "otelcol_exporter_sent_", "successfully sent to destination", attributes);
    sendFailed =
        new SignalCounter(meter, "otelcol_exporter_send_failed_", "that failed to be sent to destination", attributes);
    enqueueFailed =
        new SignalCounter(
            meter, "otelcol_exporter_enqueue_failed_", "that failed to be added to the sending queue", attributes);
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
}
