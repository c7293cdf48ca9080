package dev.inflight.component.telemetry;

import dev.inflight.component.Signal;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;

/**
 * A receiver's counts, as the Collector's receiverhelper keeps them: items pushed into the
 * pipeline ({@code otelcol_receiver_accepted_spans}) and items the pipeline refused ({@code
 * otelcol_receiver_refused_spans}), per transport. Alert on refused &gt; 0: senders are being told to
 * retry or that their data is bad.
 */
public final class ReceiverMetrics {
  private final SignalCounter accepted;
  private final SignalCounter refused;
  private final SpanTotals spanTotals;

  ReceiverMetrics(Meter meter, Attributes component, String transport, SpanTotals spanTotals) {
    this.spanTotals = spanTotals;
    Attributes attributes =
        component.toBuilder().put(AttributeKey.stringKey("transport"), transport).build();
    accepted =
        new SignalCounter(
            meter, "otelcol_receiver_accepted_", "successfully pushed into the pipeline", attributes);
    refused =
        new SignalCounter(
            meter, "otelcol_receiver_refused_", "that could not be pushed into the pipeline", attributes);
  }

  public void accepted(Signal signal, long items) {
    accepted.add(signal, items);
    if (signal == Signal.TRACES) {
      spanTotals.accepted(items);
    }
  }

  public void refused(Signal signal, long items) {
    refused.add(signal, items);
    if (signal == Signal.TRACES) {
      spanTotals.refused(items);
    }
  }
}
