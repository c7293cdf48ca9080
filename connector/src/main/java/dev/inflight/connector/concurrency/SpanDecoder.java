package dev.inflight.connector.concurrency;

import com.google.protobuf.CodedInputStream;
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
 * <p>One per thread: it keeps scratch arrays between requests.
 */
final class SpanDecoder {
  // Tags: field number << 3 | wire type (2 = length-delimited, 1 = fixed64, 0 = varint).
  private static final int REQUEST_RESOURCE_SPANS = 1 << 3 | 2;
  private static final int RESOURCE_SPANS_RESOURCE = 1 << 3 | 2;
  private static final int RESOURCE_SPANS_SCOPE_SPANS = 2 << 3 | 2;
  private static final int RESOURCE_ATTRIBUTES = 1 << 3 | 2;
  private static final int SCOPE_SPANS_SPANS = 2 << 3 | 2;
  private static final int SPAN_TRACE_ID = 1 << 3 | 2;
  private static final int SPAN_SPAN_ID = 2 << 3 | 2;
  private static final int SPAN_TRACE_STATE = 3 << 3 | 2;
  private static final int SPAN_PARENT_SPAN_ID = 4 << 3 | 2;
  private static final int SPAN_NAME = 5 << 3 | 2;
  private static final int SPAN_START = 7 << 3 | 1;
  private static final int SPAN_END = 8 << 3 | 1;
  private static final int SPAN_ATTRIBUTES = 9 << 3 | 2;
  private static final int SPAN_STATUS = 15 << 3 | 2;
  private static final int STATUS_CODE = 3 << 3;
  private static final int KEY_VALUE_KEY = 1 << 3 | 2;
  private static final int KEY_VALUE_VALUE = 2 << 3 | 2;
  private static final int ANY_STRING = 1 << 3 | 2;
  private static final int ANY_BOOL = 2 << 3;
  private static final int ANY_INT = 3 << 3;
  private static final int ANY_DOUBLE = 4 << 3 | 1;

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
  /** Whether a recent-trace store is attached: then ids and names are read too. */
  private final boolean identify;

  // Scratch, reset per resource or per span.
  private final String[] resourceValues;
  private final String[] spanValues;
  private final boolean[] typeAccepted;
  private final Group[] groupByType;
  private final boolean[] wantedOnSpan;

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
    try {
      CodedInputStream in = CodedInputStream.newInstance(encoded);
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag != REQUEST_RESOURCE_SPANS) {
          in.skipField(tag);
          continue;
        }
        int length = in.readRawVarint32();
        int start = in.getTotalBytesRead();
        int limit = in.pushLimit(length);
        resourceSpans(encoded, in, start, length, batch, counts);
        in.popLimit(limit);
      }
    } catch (IOException e) {
      throw new MalformedDataException("traces are not a valid ExportTraceServiceRequest", e);
    }
  }

  private void resourceSpans(
      byte[] buf, CodedInputStream in, int start, int length, SpanBatch batch, Counts counts)
      throws IOException {
    // The resource may follow the spans on the wire, so find it first: a skip per field.
    Arrays.fill(resourceValues, null);
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == RESOURCE_SPANS_RESOURCE && keys.length > 0) {
        int limit = in.pushLimit(in.readRawVarint32());
        int t;
        while ((t = in.readTag()) != 0) {
          if (t == RESOURCE_ATTRIBUTES) {
            int kvLimit = in.pushLimit(in.readRawVarint32());
            keyValue(buf, 0, in, resourceValues, null);
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
    CodedInputStream again = CodedInputStream.newInstance(buf, start, length);
    while ((tag = again.readTag()) != 0) {
      if (tag != RESOURCE_SPANS_SCOPE_SPANS) {
        again.skipField(tag);
        continue;
      }
      int limit = again.pushLimit(again.readRawVarint32());
      int t;
      while ((t = again.readTag()) != 0) {
        if (t != SCOPE_SPANS_SPANS) {
          again.skipField(t);
          continue;
        }
        int spanLimit = again.pushLimit(again.readRawVarint32());
        span(buf, start, again, spanLookup, batch, counts);
        again.popLimit(spanLimit);
      }
      again.popLimit(limit);
    }
  }

  private void span(
      byte[] buf, int base, CodedInputStream in, boolean spanLookup, SpanBatch batch, Counts counts)
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
        case SPAN_NAME -> {
          int len = in.readRawVarint32();
          int off = base + in.getTotalBytesRead();
          in.skipRawBytes(len);
          WorkerTypes.Entry entry = types.lookup(buf, off, len);
          type = firstAccepted(entry.types());
          if (type < 0) {
            counts.unmatched++;
            if (!identify) {
              in.skipRawBytes(in.getBytesUntilLimit());
              return;
            }
            unmatched = true; // read on for its times: it may widen a stored trace
          }
          name = entry.name();
        }
        case SPAN_START -> startTime = in.readFixed64();
        case SPAN_END -> endTime = in.readFixed64();
        case SPAN_TRACE_ID -> {
          if (identify) {
            int len = in.readRawVarint32();
            int off = base + in.getTotalBytesRead();
            in.skipRawBytes(len);
            if (len == 16) {
              traceHi = longAt(buf, off);
              traceLo = longAt(buf, off + 8);
            }
          } else {
            in.skipField(tag);
          }
        }
        case SPAN_SPAN_ID, SPAN_PARENT_SPAN_ID -> {
          if (identify) {
            int len = in.readRawVarint32();
            int off = base + in.getTotalBytesRead();
            in.skipRawBytes(len);
            long id = len == 8 ? longAt(buf, off) : 0;
            if (tag == SPAN_SPAN_ID) {
              spanId = id;
            } else {
              parentId = id;
            }
          } else {
            in.skipField(tag);
          }
        }
        case SPAN_TRACE_STATE -> {
          stateLen = in.readRawVarint32();
          stateOff = base + in.getTotalBytesRead();
          in.skipRawBytes(stateLen);
        }
        case SPAN_STATUS -> {
          int limit = in.pushLimit(in.readRawVarint32());
          int t;
          while ((t = in.readTag()) != 0) {
            if (t == STATUS_CODE) {
              int code = in.readEnum();
              status = code == 1 ? SpanBatch.STATUS_OK : code == 2 ? SpanBatch.STATUS_ERROR : SpanBatch.STATUS_UNSET;
            } else {
              in.skipField(t);
            }
          }
          in.popLimit(limit);
        }
        case SPAN_ATTRIBUTES -> {
          if (spanLookup) {
            int limit = in.pushLimit(in.readRawVarint32());
            keyValue(buf, base, in, spanValues, wantedOnSpan);
            in.popLimit(limit);
          } else {
            in.skipField(tag);
          }
        }
        default -> in.skipField(tag);
      }
      if (unmatched && startTime != 0 && endTime != 0 && (traceHi != 0 || traceLo != 0)) {
        in.skipRawBytes(in.getBytesUntilLimit()); // that is all an unmatched span can tell the store
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
   * Reads one KeyValue (the stream is limited to it; {@code base} is where the stream's first byte
   * is in {@code buf}); if its key is one we look for (and, with a
   * filter, still wanted), stores its value as a string. Other values are skipped unread.
   */
  private void keyValue(byte[] buf, int base, CodedInputStream in, String[] values, boolean[] wanted)
      throws IOException {
    int key = -1;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == KEY_VALUE_KEY) {
        int len = in.readRawVarint32();
        int off = base + in.getTotalBytesRead();
        key = match(buf, off, len, wanted);
        in.skipRawBytes(len);
        if (key < 0) {
          in.skipRawBytes(in.getBytesUntilLimit());
          return;
        }
      } else if (tag == KEY_VALUE_VALUE && key >= 0) {
        int limit = in.pushLimit(in.readRawVarint32());
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
  private static String anyValue(CodedInputStream in) throws IOException {
    String v = null;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case ANY_STRING -> v = in.readStringRequireUtf8();
        case ANY_BOOL -> v = in.readBool() ? "true" : "false";
        case ANY_INT -> v = Long.toString(in.readInt64());
        case ANY_DOUBLE -> v = Double.toString(in.readDouble());
        default -> in.skipField(tag);
      }
    }
    return v;
  }
}
