package dev.inflight.connector.concurrency;

import dev.inflight.otlp.wire.OtlpWire.AnyValue;
import dev.inflight.otlp.wire.OtlpWire.KeyValue;
import dev.inflight.otlp.wire.OtlpWire.Resource;
import dev.inflight.otlp.wire.OtlpWire.ResourceSpans;
import dev.inflight.otlp.wire.OtlpWire.ScopeSpans;
import dev.inflight.otlp.wire.OtlpWire.Span;
import dev.inflight.otlp.wire.OtlpWire.Status;
import dev.inflight.otlp.wire.OtlpWire.TraceRequest;
import dev.inflight.otlp.wire.WireReader;
import dev.inflight.pdata.MalformedDataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Walks an encoded {@code ExportTraceServiceRequest} and puts every span that belongs to a worker
 * type into a {@link SpanBatch}, reading only what the connector uses: the resource attributes
 * named by dimensions (and {@code service.name} when a worker type filters on it), the span's name,
 * start, end, status, tracestate, and span attributes only when the resource lacked a dimension.
 * Everything else is skipped by length. A span whose name matches no worker type is dropped as
 * soon as its name is read.
 *
 * <p>One per thread: it keeps scratch arrays and its {@link WireReader} between requests, so a
 * request is walked without allocating.
 */
final class SpanDecoder {
  /** Spans at or after this (ns since the epoch, year 2116) cannot be encoded as sweep events. */
  static final long MAX_TIME = 1L << 62;

  /** What one request held besides the matched spans. */
  static final class Counts {
    long unmatched;
    long missingTimestamps;
    long endBeforeStart;
    /** Latest end among matched spans, or {@link Long#MIN_VALUE}. */
    long maxEnd = Long.MIN_VALUE;

    void clear() {
      unmatched = 0;
      missingTimestamps = 0;
      endBeforeStart = 0;
      maxEnd = Long.MIN_VALUE;
    }
  }

  private final ConcurrencyEngine engine;
  private final WorkerTypes types;
  private final int dims;
  /** Keys looked up: the dimensions, then the instance attribute, then service.name. */
  private final byte[][] keys;
  private final String[] defaults;
  private final int instanceKey;
  private final int serviceKey;
  private final boolean adjustForSampling;
  private final double defaultWeight;
  /** Whether the connector keeps a recent-trace store (an extension asked for one): then ids and names are read too. */
  private final boolean identify;

  // Scratch, reset per resource or per span.
  private final String[] resourceValues;
  private final String[] spanValues;
  private final boolean[] typeAccepted;
  private final Group[] groupByType;
  private final boolean[] wantedOnSpan;
  private final WireReader in = new WireReader(new byte[0]);

  SpanDecoder(
      ConcurrencyEngine engine,
      WorkerTypes types,
      String[] dimensionNames,
      String[] dimensionDefaults,
      String instanceAttribute,
      boolean adjustForSampling,
      double samplingRatio,
      boolean identify) {
    this.engine = engine;
    this.identify = identify;
    this.types = types;
    this.dims = dimensionNames.length;
    this.defaults = dimensionDefaults.clone();
    int n = dims;
    this.instanceKey = instanceAttribute.isEmpty() ? -1 : n++;
    // A service.name dimension reads the same resource attribute: the filter shares its slot (a
    // second key of that name would stay empty, as an attribute fills only the first key it matches).
    int serviceDim = Arrays.asList(dimensionNames).indexOf("service.name");
    this.serviceKey = !types.filtersServices() ? -1 : serviceDim >= 0 ? serviceDim : n++;
    this.keys = new byte[n][];
    for (int i = 0; i < dims; i++) {
      keys[i] = dimensionNames[i].getBytes(StandardCharsets.UTF_8);
    }
    if (instanceKey >= 0) {
      keys[instanceKey] = instanceAttribute.getBytes(StandardCharsets.UTF_8);
    }
    if (serviceKey >= 0) {
      keys[serviceKey] = "service.name".getBytes(StandardCharsets.UTF_8);
    }
    this.adjustForSampling = adjustForSampling;
    this.defaultWeight = 1 / samplingRatio;
    this.resourceValues = new String[n];
    this.spanValues = new String[n];
    this.typeAccepted = new boolean[types.size()];
    this.groupByType = new Group[types.size()];
    this.wantedOnSpan = new boolean[n];
  }

  /**
   * Adds the request's matched spans to {@code batch} and counts the rest in {@code counts}.
   *
   * @throws MalformedDataException if the bytes are not a valid request
   */
  void decode(byte[] encoded, SpanBatch batch, Counts counts) {
    WireReader in = this.in.reset(encoded, 0, encoded.length);
    try {
      while (in.next(TraceRequest.RESOURCE_SPANS)) {
        int limit = in.enter();
        resourceSpans(encoded, in, batch, counts);
        in.popLimit(limit);
      }
    } catch (IOException e) {
      throw new MalformedDataException("traces are not a valid ExportTraceServiceRequest", e);
    } finally {
      in.reset(EMPTY, 0, 0); // do not keep the request alive until the next one
    }
  }

  private static final byte[] EMPTY = new byte[0];

  private void resourceSpans(byte[] buf, WireReader in, SpanBatch batch, Counts counts)
      throws IOException {
    // The resource may follow the spans on the wire, so find it first: a skip per field.
    int start = in.position();
    Arrays.fill(resourceValues, null);
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == ResourceSpans.RESOURCE && keys.length > 0) {
        int limit = in.enter();
        int t;
        while ((t = in.readTag()) != 0) {
          if (t == Resource.ATTRIBUTES) {
            int kvLimit = in.enter();
            keyValue(buf, in, resourceValues, null);
            in.popLimit(kvLimit);
          } else {
            in.skipField(t);
          }
        }
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
    boolean spanLookup = false;
    for (int k = 0; k < keys.length; k++) {
      wantedOnSpan[k] = resourceValues[k] == null && (k != serviceKey || k < dims);
      spanLookup |= wantedOnSpan[k];
    }
    String service = serviceKey >= 0 ? resourceValues[serviceKey] : null;
    for (int t = 0; t < typeAccepted.length; t++) {
      typeAccepted[t] = types.acceptsService(t, service);
      groupByType[t] = null;
    }

    // Second pass over the same bytes, now for the spans.
    in.seek(start);
    while (in.next(ResourceSpans.SCOPE_SPANS)) {
      int limit = in.enter();
      while (in.next(ScopeSpans.SPANS)) {
        int spanLimit = in.enter();
        span(buf, in, spanLookup, batch, counts);
        in.popLimit(spanLimit);
      }
      in.popLimit(limit);
    }
  }

  private void span(byte[] buf, WireReader in, boolean spanLookup, SpanBatch batch, Counts counts)
      throws IOException {
    int type = -2; // -2: name not read yet
    boolean unmatched = false;
    String name = null;
    long traceHi = 0;
    long traceLo = 0;
    long spanId = 0;
    long parentId = 0;
    long startTime = 0;
    long endTime = 0;
    int status = SpanBatch.STATUS_UNSET;
    int stateOff = -1;
    int stateLen = 0;
    if (spanLookup) {
      Arrays.fill(spanValues, null);
    }
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case Span.NAME -> {
          int len = in.readLength();
          int off = in.position();
          in.skip(len);
          WorkerTypes.Entry entry = types.lookup(buf, off, len);
          type = firstAccepted(entry.types());
          if (type < 0) {
            counts.unmatched++;
            if (!identify) {
              in.skipToLimit();
              return;
            }
            unmatched = true; // read on for its times: it may widen a stored trace
          }
          name = entry.name();
        }
        case Span.START_TIME_UNIX_NANO -> startTime = in.readFixed64();
        case Span.END_TIME_UNIX_NANO -> endTime = in.readFixed64();
        case Span.TRACE_ID -> {
          if (identify) {
            int len = in.readLength();
            int off = in.position();
            in.skip(len);
            if (len == 16) {
              traceHi = longAt(buf, off);
              traceLo = longAt(buf, off + 8);
            }
          } else {
            in.skipField(tag);
          }
        }
        case Span.SPAN_ID, Span.PARENT_SPAN_ID -> {
          if (identify) {
            int len = in.readLength();
            int off = in.position();
            in.skip(len);
            long id = len == 8 ? longAt(buf, off) : 0;
            if (tag == Span.SPAN_ID) {
              spanId = id;
            } else {
              parentId = id;
            }
          } else {
            in.skipField(tag);
          }
        }
        case Span.TRACE_STATE -> {
          stateLen = in.readLength();
          stateOff = in.position();
          in.skip(stateLen);
        }
        case Span.STATUS -> {
          int limit = in.enter();
          int t;
          while ((t = in.readTag()) != 0) {
            if (t == Status.CODE) {
              int code = in.readEnum();
              status = code == 1 ? SpanBatch.STATUS_OK : code == 2 ? SpanBatch.STATUS_ERROR : SpanBatch.STATUS_UNSET;
            } else {
              in.skipField(t);
            }
          }
          in.popLimit(limit);
        }
        case Span.ATTRIBUTES -> {
          if (spanLookup) {
            int limit = in.enter();
            keyValue(buf, in, spanValues, wantedOnSpan);
            in.popLimit(limit);
          } else {
            in.skipField(tag);
          }
        }
        default -> in.skipField(tag);
      }
      if (unmatched && startTime != 0 && endTime != 0 && (traceHi != 0 || traceLo != 0)) {
        in.skipToLimit(); // that is all an unmatched span can tell the store
        break;
      }
    }
    if (unmatched) {
      if ((traceHi != 0 || traceLo != 0) && startTime > 0 && endTime >= startTime && endTime < MAX_TIME) {
        batch.addExtent(traceHi, traceLo, startTime, endTime);
      }
      return;
    }
    if (type < 0) { // no name at all: an empty name, matched like any other
      type = firstAccepted(types.candidates(buf, 0, 0));
      name = "";
      if (type < 0) {
        counts.unmatched++;
        return;
      }
    }
    if (startTime == 0 || endTime == 0 || startTime >= MAX_TIME || endTime >= MAX_TIME
        || startTime < 0 || endTime < 0) {
      counts.missingTimestamps++;
      return;
    }
    if (endTime < startTime) {
      counts.endBeforeStart++;
      return;
    }
    double weight = defaultWeight;
    if (adjustForSampling && stateLen > 0) {
      double adjusted = SamplingThreshold.adjustedCount(buf, stateOff, stateLen);
      if (!Double.isNaN(adjusted)) {
        weight = adjusted;
      }
    }
    Group group;
    String instance = null;
    if (!spanLookup) {
      group = groupByType[type];
      if (group == null) {
        group = engine.group(new GroupKey(type, Arrays.copyOf(resourceValues, dims), false));
        groupByType[type] = group;
      }
      if (instanceKey >= 0) {
        instance = resourceValues[instanceKey];
      }
    } else {
      String[] values = new String[dims];
      for (int d = 0; d < dims; d++) {
        String v = resourceValues[d] != null ? resourceValues[d] : spanValues[d];
        values[d] = v != null ? v : defaults[d];
      }
      group = engine.group(new GroupKey(type, values, false));
      if (instanceKey >= 0) {
        instance = resourceValues[instanceKey] != null ? resourceValues[instanceKey] : spanValues[instanceKey];
      }
    }
    batch.add(group, startTime, endTime, weight, status, instance);
    if (identify) {
      batch.identify(traceHi, traceLo, spanId, parentId, name);
    }
    if (endTime > counts.maxEnd) {
      counts.maxEnd = endTime;
    }
  }

  /** The big-endian long at {@code buf[off, off + 8)}: ids as their hex form reads. */
  private static long longAt(byte[] buf, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[off + i] & 0xff);
    }
    return v;
  }

  private int firstAccepted(int[] candidates) {
    for (int c : candidates) {
      if (typeAccepted[c]) {
        return c;
      }
    }
    return -1;
  }

  /**
   * Reads one KeyValue (the reader is limited to it); if its key is one we look for (and, with a
   * filter, still wanted), stores its value as a string. Other values are skipped unread.
   */
  private void keyValue(byte[] buf, WireReader in, String[] values, boolean[] wanted)
      throws IOException {
    int key = -1;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == KeyValue.KEY) {
        int len = in.readLength();
        int off = in.position();
        key = match(buf, off, len, wanted);
        in.skip(len);
        if (key < 0) {
          in.skipToLimit();
          return;
        }
      } else if (tag == KeyValue.VALUE && key >= 0) {
        int limit = in.enter();
        String v = anyValue(in);
        if (v != null) {
          values[key] = v;
        }
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
  }

  private int match(byte[] buf, int off, int len, boolean[] wanted) {
    for (int k = 0; k < keys.length; k++) {
      byte[] key = keys[k];
      if ((wanted == null || wanted[k]) && key.length == len && Arrays.equals(key, 0, len, buf, off, off + len)) {
        return k;
      }
    }
    return -1;
  }

  /** A scalar AnyValue as text; null for arrays, maps, bytes and empty values. */
  private static String anyValue(WireReader in) throws IOException {
    String v = null;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case AnyValue.STRING_VALUE -> v = in.readString();
        case AnyValue.BOOL_VALUE -> v = in.readBool() ? "true" : "false";
        case AnyValue.INT_VALUE -> v = Long.toString(in.readInt64());
        case AnyValue.DOUBLE_VALUE -> v = Double.toString(in.readDouble());
        default -> in.skipField(tag);
      }
    }
    return v;
  }
}
