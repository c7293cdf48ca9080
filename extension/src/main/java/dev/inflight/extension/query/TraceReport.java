package dev.inflight.extension.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.inflight.component.concurrency.ConcurrencyView;
import dev.inflight.component.concurrency.TraceStore.StoredSpan;
import dev.inflight.component.concurrency.TraceStore.TraceSnapshot;
import dev.inflight.extension.query.TraceConcurrency.Interval;
import dev.inflight.extension.query.TraceConcurrency.WorkerTypeSeries;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One trace's worker concurrency in seed 000's JSON shape ({@code trace_id}, {@code duration_ms},
 * {@code worker_types → span_count, max_concurrent, utilization_pct, series[{time_ms, active}]}),
 * from the recent-trace store or from a trace fetched from Tempo.
 */
final class TraceReport {
  static final int MAX_BUCKETS = 10_000;
  static final long DEFAULT_BUCKET_MS = 5;
  static final long MAX_BUCKET_MS = 60_000;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** A trace id as two longs (big-endian halves) and its 32-digit lowercase hex form. */
  record TraceId(long hi, long lo) {
    String hex() {
      return String.format(Locale.ROOT, "%016x%016x", hi, lo);
    }
  }

  /** A span of the trace, with its worker type (null: not a worker span). */
  record TraceSpan(long spanId, long parentSpanId, String name, String workerType, long start, long end, int status) {}

  /** The trace's extent, ns since the epoch, and its worker spans. */
  record TraceData(TraceId id, long start, long end, List<TraceSpan> spans) {}

  private TraceReport() {}

  /**
   * 1 to 32 hex digits, left-padded with zeros as Tempo and Jaeger do for 64-bit ids; not all zero
   * (the W3C invalid id).
   */
  static TraceId parseTraceId(String text) throws QueryException {
    String s = text == null ? "" : text.strip();
    if (s.isEmpty() || s.length() > 32) {
      throw new QueryException(400, "trace id \"" + shorten(s) + "\" must be 1 to 32 hex digits, e.g. 4bf92f3577b34da6a3ce929d0e0e4736");
    }
    long hi = 0;
    long lo = 0;
    String padded = "0".repeat(32 - s.length()) + s;
    for (int i = 0; i < 32; i++) {
      int d = Character.digit(padded.charAt(i), 16);
      if (d < 0) {
        throw new QueryException(400, "trace id \"" + shorten(s) + "\" is not hex: '" + padded.charAt(i) + "' is not a hex digit");
      }
      if (i < 16) {
        hi = hi << 4 | d;
      } else {
        lo = lo << 4 | d;
      }
    }
    if (hi == 0 && lo == 0) {
      throw new QueryException(400, "trace id " + s + " is all zeros, which is not a valid trace id");
    }
    return new TraceId(hi, lo);
  }

  /** {@code bucket_ms}: a whole number of milliseconds, 1 to 60000; default 5. */
  static long parseBucketMs(String text, String name) throws QueryException {
    if (text == null || text.isEmpty()) {
      return DEFAULT_BUCKET_MS;
    }
    long v;
    try {
      v = Long.parseLong(text.strip());
    } catch (NumberFormatException e) {
      throw new QueryException(400, name + " \"" + shorten(text) + "\" must be a whole number of milliseconds between 1 and " + MAX_BUCKET_MS);
    }
    if (v < 1 || v > MAX_BUCKET_MS) {
      throw new QueryException(400, name + " " + v + " is out of range: it must be between 1 and " + MAX_BUCKET_MS + " ms");
    }
    return v;
  }

  static TraceData fromStore(TraceSnapshot s) {
    List<TraceSpan> spans = new ArrayList<>(s.spans().size());
    for (StoredSpan x : s.spans()) {
      spans.add(new TraceSpan(x.spanId(), x.parentSpanId(), x.name() != null ? x.name() : x.workerType(),
          x.workerType(), x.startNanos(), x.endNanos(), x.status()));
    }
    return new TraceData(new TraceId(s.traceIdHigh(), s.traceIdLow()), s.startNanos(), s.endNanos(), spans);
  }

  /**
   * A trace fetched from elsewhere (Tempo), its spans classified by the connector's worker types as
   * live spans are. Its extent covers every span with valid times, worker span or not.
   *
   * @return null when it holds no span of this trace
   */
  static TraceData fromOtlp(TraceId id, ExportTraceServiceRequest request, ConcurrencyView classifier) {
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    boolean any = false;
    List<TraceSpan> spans = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      String service = null;
      for (KeyValue kv : rs.getResource().getAttributesList()) {
        if (kv.getKey().equals("service.name") && kv.getValue().hasStringValue()) {
          service = kv.getValue().getStringValue();
        }
      }
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          ByteString tid = span.getTraceId();
          if (tid.size() == 16 && (longAt(tid, 0) != id.hi() || longAt(tid, 8) != id.lo())) {
            continue;
          }
          long s = span.getStartTimeUnixNano();
          long e = span.getEndTimeUnixNano();
          if (s <= 0 || e < s) {
            continue;
          }
          any = true;
          start = Math.min(start, s);
          end = Math.max(end, e);
          int type = classifier == null ? -1 : classifier.classify(span.getName(), service);
          if (type >= 0) {
            int status = switch (span.getStatus().getCode()) {
              case STATUS_CODE_OK -> 1;
              case STATUS_CODE_ERROR -> 2;
              default -> 0;
            };
            spans.add(new TraceSpan(
                span.getSpanId().size() == 8 ? longAt(span.getSpanId(), 0) : 0,
                span.getParentSpanId().size() == 8 ? longAt(span.getParentSpanId(), 0) : 0,
                span.getName(), classifier.workerTypes().get(type).name(), s, e, status));
          }
        }
      }
    }
    if (!any) {
      return null;
    }
    spans.sort((a, b) -> a.start() != b.start() ? Long.compare(a.start(), b.start()) : Long.compare(a.end(), b.end()));
    return new TraceData(id, start, end, spans);
  }

  private static long longAt(ByteString b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b.byteAt(off + i) & 0xff);
    }
    return v;
  }

  /** The concurrency of the trace's worker types. */
  static TraceConcurrency.Result analyze(TraceData data, long bucketMs, List<String> order) throws QueryException {
    List<Interval> intervals = new ArrayList<>(data.spans().size());
    for (TraceSpan s : data.spans()) {
      if (s.workerType() != null) {
        intervals.add(new Interval(s.workerType(), s.start(), s.end()));
      }
    }
    long bucketNanos = bucketMs * 1_000_000L;
    long buckets = TraceConcurrency.bucketCount(data.start(), data.end(), bucketNanos);
    if (buckets > MAX_BUCKETS) {
      long fits = (data.end() - data.start() + MAX_BUCKETS * 1_000_000L - 1) / (MAX_BUCKETS * 1_000_000L);
      throw new QueryException(400, "bucket_ms=" + bucketMs + " would cut this " + ms(data.end() - data.start())
          + " ms trace into " + buckets + " buckets, more than " + MAX_BUCKETS + ": use bucket_ms ≥ " + Math.max(fits, bucketMs + 1));
    }
    return TraceConcurrency.analyze(intervals, data.start(), data.end(), bucketNanos, MAX_BUCKETS, order);
  }

  /** Seed 000's document, plus start_time_unix_ms, bucket_ms, source and (on request) the spans. */
  static ObjectNode toJson(TraceData data, TraceConcurrency.Result result, long bucketMs, String source, boolean withSpans) {
    ObjectNode root = JSON.objectNode();
    root.put("trace_id", data.id().hex());
    root.put("duration_ms", ms(data.end() - data.start()));
    root.put("start_time_unix_ms", epochMs(data.start()));
    root.put("bucket_ms", bucketMs);
    root.put("source", source);
    ObjectNode types = root.putObject("worker_types");
    for (WorkerTypeSeries t : result.workerTypes()) {
      ObjectNode o = types.putObject(t.workerType());
      o.put("span_count", t.spanCount());
      o.put("max_concurrent", t.maxConcurrent());
      o.put("utilization_pct", Math.round(t.utilizationPct() * 100) / 100.0);
      ArrayNode series = o.putArray("series");
      int[] peaks = t.series();
      for (int k = 0; k < peaks.length; k++) {
        series.addObject().put("time_ms", k * bucketMs).put("active", peaks[k]);
      }
    }
    if (withSpans) {
      ArrayNode spans = root.putArray("spans");
      for (TraceSpan s : data.spans()) {
        if (s.workerType() == null) {
          continue;
        }
        spans.addObject()
            .put("span_id", String.format(Locale.ROOT, "%016x", s.spanId()))
            .put("parent_span_id", s.parentSpanId() == 0 ? "" : String.format(Locale.ROOT, "%016x", s.parentSpanId()))
            .put("name", s.name())
            .put("worker_type", s.workerType())
            .put("start_ms", ms(s.start() - data.start()))
            .put("end_ms", ms(s.end() - data.start()))
            .put("status", s.status() == 1 ? "ok" : s.status() == 2 ? "error" : "unset");
      }
    }
    return root;
  }

  /** Nanoseconds as milliseconds, to the microsecond. */
  static double ms(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }

  /** Epoch nanoseconds as milliseconds with the microseconds as decimals, written out in full. */
  static java.math.BigDecimal epochMs(long nanos) {
    return java.math.BigDecimal.valueOf(Math.floorDiv(nanos, 1_000L), 3);
  }

  static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
