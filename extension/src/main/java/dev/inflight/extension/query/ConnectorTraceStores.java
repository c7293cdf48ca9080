package dev.inflight.extension.query;

import dev.inflight.component.concurrency.ConcurrencyView;
import dev.inflight.component.concurrency.TraceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The recent-trace stores of every connector the extension reads, as one: each connector keeps its
 * own (sized by this extension's {@code store} settings), and with one connector, the usual case,
 * every call goes to its store unchanged. Before a connector has started it holds nothing.
 */
final class ConnectorTraceStores implements TraceStore {
  private final List<ConcurrencyView> connectors;
  private final long maxBytes;
  private final long maxAgeNanos;

  /** @param connectors read at each call, so connectors that come and go are followed */
  ConnectorTraceStores(List<ConcurrencyView> connectors, long maxBytes, long maxAgeNanos) {
    this.connectors = connectors;
    this.maxBytes = maxBytes;
    this.maxAgeNanos = maxAgeNanos;
  }

  private List<TraceStore> stores() {
    List<TraceStore> out = new ArrayList<>(1);
    for (ConcurrencyView c : connectors) {
      c.traceStore().ifPresent(out::add);
    }
    return out;
  }

  @Override
  public Optional<TraceSnapshot> get(long traceIdHigh, long traceIdLow) {
    for (TraceStore s : stores()) {
      Optional<TraceSnapshot> t = s.get(traceIdHigh, traceIdLow);
      if (t.isPresent()) {
        return t;
      }
    }
    return Optional.empty();
  }

  @Override
  public List<TraceSnapshot> newest(int limit) {
    List<TraceStore> stores = stores();
    if (stores.size() == 1) {
      return stores.get(0).newest(limit);
    }
    List<TraceSnapshot> out = new ArrayList<>();
    for (TraceStore s : stores) {
      out.addAll(s.newest(limit - out.size()));
      if (out.size() >= limit) {
        break;
      }
    }
    return out;
  }

  @Override
  public SpansInRange overlapping(long fromNanos, long toNanos, int maxSpans) {
    List<TraceStore> stores = stores();
    if (stores.size() == 1) {
      return stores.get(0).overlapping(fromNanos, toNanos, maxSpans);
    }
    List<TraceSnapshot> out = new ArrayList<>();
    int left = maxSpans;
    boolean truncated = false;
    for (TraceStore s : stores) {
      SpansInRange r = s.overlapping(fromNanos, toNanos, left);
      out.addAll(r.traces());
      left -= r.traces().stream().mapToInt(t -> t.spans().size()).sum();
      truncated |= r.truncated();
      if (left <= 0) {
        truncated |= left < 0;
        break;
      }
    }
    return new SpansInRange(out, truncated);
  }

  @Override
  public Stats stats() {
    List<TraceStore> stores = stores();
    if (stores.size() == 1) {
      return stores.get(0).stats();
    }
    long traces = 0, spans = 0, bytes = 0, budget = 0, forBytes = 0, forAge = 0, dropped = 0;
    for (TraceStore s : stores) {
      Stats st = s.stats();
      traces += st.traces();
      spans += st.spans();
      bytes += st.bytes();
      budget += st.maxBytes();
      forBytes += st.evictedForBytes();
      forAge += st.evictedForAge();
      dropped += st.droppedSpans();
    }
    return new Stats(traces, spans, bytes, stores.isEmpty() ? maxBytes : budget, maxAgeNanos, forBytes, forAge, dropped);
  }

  @Override
  public void expire() {
    stores().forEach(TraceStore::expire);
  }
}
