package dev.inflight.component.telemetry;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
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
  public static final String ACCEPTED_SPANS = "otelcol_receiver_accepted_spans";
  public static final String ACCEPTED_METRIC_POINTS = "otelcol_receiver_accepted_metric_points";
  public static final String ACCEPTED_LOG_RECORDS = "otelcol_receiver_accepted_log_records";
  public static final String REFUSED_SPANS = "otelcol_receiver_refused_spans";
  public static final String REFUSED_METRIC_POINTS = "otelcol_receiver_refused_metric_points";
  public static final String REFUSED_LOG_RECORDS = "otelcol_receiver_refused_log_records";

  /**
   * Requests refused before their data was read (no items are known), by reason: {@code
   * unauthenticated} when {@code auth} refused the credentials. Not a Collector metric.
   */
  public static final SelfMetric REFUSED_REQUESTS = new SelfMetric("inflight_receiver_refused_requests",
      "{requests}", "Requests refused before their data was read, by reason (unauthenticated)");

  private final SignalCounter accepted;
  private final io.opentelemetry.api.metrics.LongCounter refusedRequests;
  private final ReasonAttributes reasons;
  private final SignalCounter refused;
  private final SpanTotals spanTotals;

  ReceiverMetrics(Meter meter, Attributes component, String transport, SpanTotals spanTotals) {
    this.spanTotals = spanTotals;
    Attributes attributes =
        component.toBuilder().put(AttributeKey.stringKey("transport"), transport).build();
    accepted =
        new SignalCounter(
            meter, ACCEPTED_SPANS, ACCEPTED_METRIC_POINTS, ACCEPTED_LOG_RECORDS,
            "successfully pushed into the pipeline", attributes);
    refused =
        new SignalCounter(
            meter, REFUSED_SPANS, REFUSED_METRIC_POINTS, REFUSED_LOG_RECORDS,
            "that could not be pushed into the pipeline", attributes);
    refusedRequests = REFUSED_REQUESTS.counter(meter);
    reasons = new ReasonAttributes(attributes);
  }

  /** Records nothing: for tests that build a receiver's parts without a service. */
  public static ReceiverMetrics noop(String transport) {
    return ComponentTelemetry.noop(ComponentKind.RECEIVER, ComponentId.of("otlp"))
        .receiverMetrics(transport);
  }

  public void accepted(Signal signal, long items) {
    accepted.add(signal, items);
    if (signal == Signal.TRACES) {
      spanTotals.accepted(items);
    }
  }

  /** A request refused before anything of it was read, e.g. {@code unauthenticated}. */
  public void refusedRequest(String reason) {
    refusedRequests.add(1, reasons.of(reason));
  }

  public void refused(Signal signal, long items) {
    refused.add(signal, items);
    if (signal == Signal.TRACES) {
      spanTotals.refused(items);
    }
  }
}
