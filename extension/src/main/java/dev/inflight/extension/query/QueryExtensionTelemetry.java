package dev.inflight.extension.query;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.component.telemetry.ObservedInstruments;
import dev.inflight.component.telemetry.ReasonAttributes;
import dev.inflight.connector.concurrency.RecentTraceStore;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;

/**
 * The {@code query} extension's self-metrics (ours, {@code inflight_query_store_*}): what its
 * recent-trace store holds and what it let go. {@link #EVICTED_TRACES} with {@code
 * reason="max_bytes"} rising means {@code store.max_bytes} holds less than {@code store.max_age}.
 */
final class QueryExtensionTelemetry {
  static final String STORE_BYTES = "inflight_query_store_bytes";
  static final String STORE_BYTES_DESCRIPTION =
      "Bytes the recent-trace store holds (budget: store.max_bytes)";
  static final String STORE_TRACES = "inflight_query_store_traces";
  static final String STORE_TRACES_DESCRIPTION = "Traces in the recent-trace store";
  static final String EVICTED_TRACES = "inflight_query_store_evicted_traces";
  static final String EVICTED_TRACES_DESCRIPTION =
      "Traces dropped from the recent-trace store, oldest first, by reason (max_bytes, max_age)";
  static final String DROPPED_SPANS = "inflight_query_store_dropped_spans";
  static final String DROPPED_SPANS_DESCRIPTION =
      "Worker spans not stored: their trace had no id, or already took an eighth of the budget";

  private final Meter meter;
  private final Attributes attributes;
  private final ReasonAttributes reasons;
  private final ObservedInstruments observed = new ObservedInstruments();

  QueryExtensionTelemetry(ComponentTelemetry telemetry) {
    meter = telemetry.meter();
    attributes = telemetry.attributes();
    reasons = new ReasonAttributes(attributes);
  }

  /** Records nothing: for tests that build the extension without a service. */
  static QueryExtensionTelemetry noop() {
    return new QueryExtensionTelemetry(
        ComponentTelemetry.noop(ComponentKind.EXTENSION, ComponentId.of("query")));
  }

  /** Starts reporting the store, read at each collection; until {@link #close}. */
  void observe(RecentTraceStore store) {
    Attributes maxBytes = reasons.of("max_bytes");
    Attributes maxAge = reasons.of("max_age");
    observed.add(meter.gaugeBuilder(STORE_BYTES).ofLongs().setUnit("By")
        .setDescription(STORE_BYTES_DESCRIPTION)
        .buildWithCallback(m -> m.record(store.stats().bytes(), attributes)));
    observed.add(meter.gaugeBuilder(STORE_TRACES).ofLongs().setUnit("{traces}")
        .setDescription(STORE_TRACES_DESCRIPTION)
        .buildWithCallback(m -> m.record(store.stats().traces(), attributes)));
    observed.add(meter.counterBuilder(EVICTED_TRACES).setUnit("{traces}")
        .setDescription(EVICTED_TRACES_DESCRIPTION)
        .buildWithCallback(m -> {
          RecentTraceStore.Stats st = store.stats();
          m.record(st.evictedForBytes(), maxBytes);
          m.record(st.evictedForAge(), maxAge);
        }));
    observed.add(meter.counterBuilder(DROPPED_SPANS).setUnit("{spans}")
        .setDescription(DROPPED_SPANS_DESCRIPTION)
        .buildWithCallback(m -> m.record(store.stats().droppedSpans(), attributes)));
  }

  void close() {
    observed.closeAll();
  }
}
