package dev.inflight.extension.query;

import dev.inflight.component.ComponentId;
import dev.inflight.component.ComponentKind;
import dev.inflight.component.telemetry.ComponentTelemetry;
import dev.inflight.component.telemetry.SelfMetric;
import dev.inflight.component.telemetry.ObservedInstruments;
import dev.inflight.component.telemetry.ReasonAttributes;
import dev.inflight.component.concurrency.TraceStore;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;

/**
 * The {@code query} extension's self-metrics (ours, {@code inflight_query_store_*}): what its
 * recent-trace store holds and what it let go. {@link #EVICTED_TRACES} with {@code
 * reason="max_bytes"} rising means {@code store.max_bytes} holds less than {@code store.max_age}.
 */
final class QueryExtensionTelemetry {
  static final SelfMetric STORE_BYTES =
      new SelfMetric("inflight_query_store_bytes", "By",
          "Bytes the recent-trace store holds (budget: store.max_bytes)");
  static final SelfMetric STORE_TRACES =
      new SelfMetric("inflight_query_store_traces", "{traces}", "Traces in the recent-trace store");
  static final SelfMetric EVICTED_TRACES =
      new SelfMetric("inflight_query_store_evicted_traces", "{traces}",
          "Traces dropped from the recent-trace store, oldest first, by reason (max_bytes, max_age)");
  static final SelfMetric DROPPED_SPANS =
      new SelfMetric("inflight_query_store_dropped_spans", "{spans}",
          "Worker spans not stored: their trace had no id, or already took an eighth of the budget");

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
  void observe(TraceStore store) {
    Attributes maxBytes = reasons.of("max_bytes");
    Attributes maxAge = reasons.of("max_age");
    observed.add(STORE_BYTES.gauge(meter, m -> m.record(store.stats().bytes(), attributes)));
    observed.add(STORE_TRACES.gauge(meter, m -> m.record(store.stats().traces(), attributes)));
    observed.add(EVICTED_TRACES.observedCounter(meter, m -> {
      TraceStore.Stats st = store.stats();
      m.record(st.evictedForBytes(), maxBytes);
      m.record(st.evictedForAge(), maxAge);
    }));
    observed.add(DROPPED_SPANS.observedCounter(meter, m -> m.record(store.stats().droppedSpans(), attributes)));
  }

  void close() {
    observed.closeAll();
  }
}
