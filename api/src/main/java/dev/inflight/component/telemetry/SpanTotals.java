package dev.inflight.component.telemetry;

import java.util.concurrent.atomic.LongAdder;

/**
 * Spans accepted and refused by every receiver of the service since it started: the totals of
 * {@code otelcol_receiver_accepted_spans} and {@code otelcol_receiver_refused_spans}, kept even
 * with {@code telemetry.metrics.level: none}, for the query extension's live view ({@code inflight
 * top}).
 */
public final class SpanTotals {
  private final LongAdder accepted = new LongAdder();
  private final LongAdder refused = new LongAdder();

  void accepted(long spans) {
    accepted.add(spans);
  }

  void refused(long spans) {
    refused.add(spans);
  }

  public long accepted() {
    return accepted.sum();
  }

  public long refused() {
    return refused.sum();
  }
}
