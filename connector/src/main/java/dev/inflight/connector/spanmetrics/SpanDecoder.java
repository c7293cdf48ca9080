package dev.inflight.connector.spanmetrics;

import dev.inflight.otlp.wire.OtlpWire.InstrumentationScope;
import dev.inflight.otlp.wire.OtlpWire.KeyValue;
import dev.inflight.otlp.wire.OtlpWire.Resource;
import dev.inflight.otlp.wire.OtlpWire.ResourceSpans;
import dev.inflight.otlp.wire.OtlpWire.ScopeSpans;
import dev.inflight.otlp.wire.OtlpWire.Span;
import dev.inflight.otlp.wire.OtlpWire.SpanEvent;
import dev.inflight.otlp.wire.OtlpWire.Status;
import dev.inflight.otlp.wire.OtlpWire.TraceRequest;
import dev.inflight.otlp.wire.WireReader;
import dev.inflight.pdata.MalformedDataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Walks an encoded {@code ExportTraceServiceRequest} the way the concurrency connector's decoder
 * does (one {@link WireReader}, fields read in place, the rest skipped by length) and writes each
 * span's series key into a {@link SpanBatch}: the service name, span name, kind, status and the
 * configured dimensions' values as their encoded {@code AnyValue} bytes. No object is made per span
 * or per attribute; values become protobuf objects only when a new series is created.
 *
 * <p>One per thread: scratch arrays are kept between requests.
 */
final class SpanDecoder {
  static final byte ABSENT = 0;
  static final byte PRESENT = 1;
  static final byte DEFAULTED = 2;

  private static final byte[] SERVICE_NAME = "service.name".getBytes(StandardCharsets.UTF_8);
  private static final byte[] EMPTY = new byte[0];

  private final SeriesLayout layout;
  /** The attribute names looked up (SeriesLayout.names). */
  private final byte[][] names;
  private final byte[][] resourceKeyNames;
  private final byte[][] scopeNames;
  private int scopeNameOff = -1;
  private int scopeNameLen;
  private int scopeVersionOff;
  private int scopeVersionLen;

  // Scratch: value ranges per looked-up name, for the resource, the span and one event.
  private final int[] resOff;
  private final int[] resLen;
  private final int[] spanOff;
  private final int[] spanLen;
  private final int[] evOff;
  private final int[] evLen;
  private int[] kvOff = new int[16];
  private int[] kvLen = new int[16];
  private int[] kvKeyOff = new int[16];
  private int[] kvKeyLen = new int[16];
  private int[] events = new int[16];
  private final WireReader in = new WireReader(EMPTY);

  SpanDecoder(SeriesLayout layout, List<String> resourceKeyAttributes) {
    this.layout = layout;
    this.scopeNames = layout.scopes.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    int n = layout.names.length;
    this.names = new byte[n][];
    for (int i = 0; i < n; i++) {
      names[i] = layout.names[i].getBytes(StandardCharsets.UTF_8);
    }
    this.resourceKeyNames =
        resourceKeyAttributes.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    resOff = new int[n];
    resLen = new int[n];
    spanOff = new int[n];
    spanLen = new int[n];
    evOff = new int[n];
    evLen = new int[n];
  }

  /** @throws MalformedDataException if the bytes are not a valid request */
  void decode(byte[] buf, SpanBatch batch) {
    WireReader in = this.in.reset(buf, 0, buf.length);
    try {
      while (in.next(TraceRequest.RESOURCE_SPANS)) {
        int limit = in.enter();
        resourceSpans(buf, in, batch);
        in.popLimit(limit);
      }
    } catch (IOException e) {
      throw new MalformedDataException("traces are not a valid ExportTraceServiceRequest", e);
    } finally {
      in.reset(EMPTY, 0, 0); // do not keep the request alive until the next one
    }
  }

  private void resourceSpans(byte[] buf, WireReader in, SpanBatch batch) throws IOException {
    // The resource may follow the spans on the wire: find it first.
    int start = in.position();
    Arrays.fill(resLen, -1);
    int serviceOff = -1;
    int serviceLen = 0;
    int resourceOff = -1;
    int resourceLen = -1;
    int kvs = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag != ResourceSpans.RESOURCE) {
        in.skipField(tag);
        continue;
      }
      resourceLen = in.readLength();
      resourceOff = in.position();
      int limit = in.pushLimit(resourceLen);
      kvs = 0;
      int t;
      while ((t = in.readTag()) != 0) {
        if (t != Resource.ATTRIBUTES) {
          in.skipField(t);
          continue;
        }
        int len = in.readLength();
        int off = in.position();
        int kvLimit = in.pushLimit(len);
        int keyOff = -1;
        int keyLen = 0;
        int valueOff = -1;
        int valueLen = 0;
        int f;
        while ((f = in.readTag()) != 0) {
          if (f == KeyValue.KEY) {
            keyLen = in.readLength();
            keyOff = in.position();
            in.skip(keyLen);
          } else if (f == KeyValue.VALUE) {
            valueLen = in.readLength();
            valueOff = in.position();
            in.skip(valueLen);
          } else {
            in.skipField(f);
          }
        }
        in.popLimit(kvLimit);
        if (keyOff < 0) {
          continue;
        }
        if (Arrays.equals(SERVICE_NAME, 0, SERVICE_NAME.length, buf, keyOff, keyOff + keyLen)) {
          serviceOff = valueOff < 0 ? 0 : valueOff;
          serviceLen = valueOff < 0 ? 0 : valueLen;
        }
        int k = match(buf, keyOff, keyLen);
        if (k >= 0) {
          resOff[k] = valueOff;
          resLen[k] = valueOff < 0 ? 0 : valueLen;
        }
        if (resourceKeyNames.length == 0 || matches(resourceKeyNames, buf, keyOff, keyLen)) {
          if (kvs == kvOff.length) {
            int n = kvs * 2;
            kvOff = Arrays.copyOf(kvOff, n);
            kvLen = Arrays.copyOf(kvLen, n);
            kvKeyOff = Arrays.copyOf(kvKeyOff, n);
            kvKeyLen = Arrays.copyOf(kvKeyLen, n);
          }
          kvOff[kvs] = off;
          kvLen[kvs] = len;
          kvKeyOff[kvs] = keyOff;
          kvKeyLen[kvs] = keyLen;
          kvs++;
        }
      }
      in.popLimit(limit);
    }
    if (serviceOff < 0) {
      return; // as contrib: spans of a resource without service.name make no metrics
    }
    int res = batch.addResource(batch.keysSize, 0, resourceOff, resourceLen);
    // The resource's identity does not depend on attribute order: sort by key (few attributes).
    for (int i = 1; i < kvs; i++) {
      for (int j = i; j > 0 && compareKeys(buf, j - 1, j) > 0; j--) {
        swap(j - 1, j);
      }
    }
    for (int i = 0; i < kvs; i++) {
      batch.putBytes(buf, kvOff[i], kvLen[i]);
    }
    batch.resourceKeyLen[res] = batch.keysSize - batch.resourceKeyOff[res];

    in.seek(start);
    while (in.next(ResourceSpans.SCOPE_SPANS)) {
      int limit = in.enter();
      if (scopeNames.length > 0) {
        scope(buf, in);
      }
      while (in.next(ScopeSpans.SPANS)) {
        int spanLimit = in.enter();
        span(buf, in, batch, res, serviceOff, serviceLen);
        in.popLimit(spanLimit);
      }
      in.popLimit(limit);
    }
  }

  /**
   * Finds the scope of the ScopeSpans the reader is in (it may follow the spans) and whether its
   * name is one of include_instrumentation_scope; leaves the reader where it was.
   */
  private void scope(byte[] buf, WireReader in) throws IOException {
    int start = in.position();
    scopeNameOff = -1;
    scopeVersionOff = 0;
    scopeVersionLen = 0;
    while (in.next(ScopeSpans.SCOPE)) {
      int limit = in.enter();
      int t;
      while ((t = in.readTag()) != 0) {
        if (t == InstrumentationScope.NAME || t == InstrumentationScope.VERSION) {
          int len = in.readLength();
          int off = in.position();
          in.skip(len);
          if (t == InstrumentationScope.NAME) {
            scopeNameOff = len > 0 && matches(scopeNames, buf, off, len) ? off : -1;
            scopeNameLen = len;
          } else {
            scopeVersionOff = off;
            scopeVersionLen = len;
          }
        } else {
          in.skipField(t);
        }
      }
      in.popLimit(limit);
    }
    in.seek(start);
  }

  private void span(byte[] buf, WireReader in, SpanBatch batch, int res, int serviceOff, int serviceLen)
      throws IOException {
    int nameOff = 0;
    int nameLen = 0;
    int kind = 0;
    int status = 0;
    long startTime = 0;
    long endTime = 0;
    int traceId = -1;
    int spanId = -1;
    int eventCount = 0;
    Arrays.fill(spanLen, -1);
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case Span.NAME -> {
          nameLen = in.readLength();
          nameOff = in.position();
          in.skip(nameLen);
        }
        case Span.KIND -> kind = in.readEnum();
        case Span.START_TIME_UNIX_NANO -> startTime = in.readFixed64();
        case Span.END_TIME_UNIX_NANO -> endTime = in.readFixed64();
        case Span.TRACE_ID, Span.SPAN_ID -> {
          int len = in.readLength();
          int off = in.position();
          in.skip(len);
          if (tag == Span.TRACE_ID) {
            traceId = len == 16 && !allZero(buf, off, 16) ? off : -1;
          } else {
            spanId = len == 8 ? off : -1;
          }
        }
        case Span.STATUS -> {
          int limit = in.enter();
          int t;
          while ((t = in.readTag()) != 0) {
            if (t == Status.CODE) {
              status = in.readEnum();
            } else {
              in.skipField(t);
            }
          }
          in.popLimit(limit);
        }
        case Span.ATTRIBUTES -> {
          if (names.length > 0) {
            int limit = in.enter();
            keyValue(buf, in, spanOff, spanLen);
            in.popLimit(limit);
          } else {
            in.skipField(tag);
          }
        }
        case Span.EVENTS -> {
          int len = in.readLength();
          if (layout.events) {
            if (2 * eventCount + 2 > events.length) {
              events = Arrays.copyOf(events, events.length * 2);
            }
            events[2 * eventCount] = in.position();
            events[2 * eventCount + 1] = len;
            eventCount++;
          }
          in.skip(len);
        }
        default -> in.skipField(tag);
      }
    }
    // Protect against end before start, as contrib: a zero duration.
    long duration = endTime > startTime ? endTime - startTime : 0;
    int keyOff = batch.keysSize;
    writePrefix(batch, buf, serviceOff, serviceLen, nameOff, nameLen, kind, status);
    for (int d : layout.calls) {
      writeValue(batch, buf, d, spanOff[d], spanLen[d], resOff[d], resLen[d]);
    }
    writeScope(batch, buf);
    batch.add(res, SpanBatch.CALL, keyOff, batch.keysSize - keyOff, duration, endTime, traceId, spanId);
    if (layout.split) { // calls_dimensions or histogram.dimensions: the duration's own series
      int histogramKeyOff = batch.keysSize;
      writePrefix(batch, buf, serviceOff, serviceLen, nameOff, nameLen, kind, status);
      for (int d : layout.histogram) {
        writeValue(batch, buf, d, spanOff[d], spanLen[d], resOff[d], resLen[d]);
      }
      writeScope(batch, buf);
      batch.add(res, SpanBatch.HISTOGRAM, histogramKeyOff, batch.keysSize - histogramKeyOff, duration, endTime,
          traceId, spanId);
    }

    // Events: looked up on the span first, then the event, then the resource (contrib's order).
    for (int e = 0; e < eventCount; e++) {
      Arrays.fill(evLen, -1);
      int saved = in.position();
      in.seek(events[2 * e]);
      int evLimit = in.pushLimit(events[2 * e + 1]);
      int t;
      while ((t = in.readTag()) != 0) {
        if (t == SpanEvent.ATTRIBUTES) {
          int kvLimit = in.enter();
          keyValue(buf, in, evOff, evLen);
          in.popLimit(kvLimit);
        } else {
          in.skipField(t);
        }
      }
      in.popLimit(evLimit);
      in.seek(saved);
      int eventKeyOff = batch.keysSize;
      writePrefix(batch, buf, serviceOff, serviceLen, nameOff, nameLen, kind, status);
      for (int d : layout.eventDims) {
        if (spanLen[d] >= 0) {
          writeValue(batch, buf, d, spanOff[d], spanLen[d], -1, -1);
        } else {
          writeValue(batch, buf, d, evOff[d], evLen[d], resOff[d], resLen[d]);
        }
      }
      writeScope(batch, buf);
      batch.add(res, SpanBatch.EVENT, eventKeyOff, batch.keysSize - eventKeyOff, duration, endTime, traceId, spanId);
    }
  }

  private void writePrefix(
      SpanBatch batch, byte[] buf, int serviceOff, int serviceLen, int nameOff, int nameLen, int kind, int status) {
    if (layout.service) {
      batch.putBytes(buf, serviceOff, serviceLen);
    }
    if (layout.name) {
      batch.putBytes(buf, nameOff, nameLen);
    }
    if (layout.kind) {
      batch.putByte(kind < 0 || kind > 5 ? 0 : kind);
    }
    if (layout.status) {
      batch.putByte(status < 0 || status > 2 ? 0 : status);
    }
  }

  /** With include_instrumentation_scope, whether the scope is included, then its name and version. */
  private void writeScope(SpanBatch batch, byte[] buf) {
    if (scopeNames.length == 0) {
      return;
    }
    if (scopeNameOff < 0) {
      batch.putByte(ABSENT);
    } else {
      batch.putByte(PRESENT);
      batch.putBytes(buf, scopeNameOff, scopeNameLen);
      batch.putBytes(buf, scopeVersionOff, scopeVersionLen);
    }
  }

  private void writeValue(SpanBatch batch, byte[] buf, int d, int off, int len, int fallbackOff, int fallbackLen) {
    if (len < 0) {
      off = fallbackOff;
      len = fallbackLen;
    }
    if (len >= 0 && off >= 0) {
      batch.putByte(PRESENT);
      batch.putBytes(buf, off, len);
    } else if (len >= 0) {
      batch.putByte(PRESENT); // the attribute is there with no value: an empty AnyValue
      batch.putBytes(buf, 0, 0);
    } else {
      batch.putByte(layout.hasDefault(d) ? DEFAULTED : ABSENT);
    }
  }

  /** One KeyValue: if its key is looked up, records where its AnyValue is (the first one wins). */
  private void keyValue(byte[] buf, WireReader in, int[] offs, int[] lens) throws IOException {
    int key = -1;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == KeyValue.KEY) {
        int len = in.readLength();
        int off = in.position();
        in.skip(len);
        key = match(buf, off, len);
        if (key < 0 || lens[key] >= 0) {
          in.skipToLimit();
          return;
        }
        lens[key] = 0;
        offs[key] = -1;
      } else if (tag == KeyValue.VALUE && key >= 0) {
        lens[key] = in.readLength();
        offs[key] = in.position();
        in.skip(lens[key]);
      } else {
        in.skipField(tag);
      }
    }
  }

  private int match(byte[] buf, int off, int len) {
    for (int k = 0; k < names.length; k++) {
      byte[] name = names[k];
      if (name.length == len && Arrays.equals(name, 0, len, buf, off, off + len)) {
        return k;
      }
    }
    return -1;
  }

  private static boolean matches(byte[][] names, byte[] buf, int off, int len) {
    for (byte[] name : names) {
      if (name.length == len && Arrays.equals(name, 0, len, buf, off, off + len)) {
        return true;
      }
    }
    return false;
  }

  private int compareKeys(byte[] buf, int a, int b) {
    return Arrays.compareUnsigned(
        buf, kvKeyOff[a], kvKeyOff[a] + kvKeyLen[a], buf, kvKeyOff[b], kvKeyOff[b] + kvKeyLen[b]);
  }

  private void swap(int a, int b) {
    int t = kvOff[a]; kvOff[a] = kvOff[b]; kvOff[b] = t;
    t = kvLen[a]; kvLen[a] = kvLen[b]; kvLen[b] = t;
    t = kvKeyOff[a]; kvKeyOff[a] = kvKeyOff[b]; kvKeyOff[b] = t;
    t = kvKeyLen[a]; kvKeyLen[a] = kvKeyLen[b]; kvKeyLen[b] = t;
  }

  private static boolean allZero(byte[] buf, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (buf[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
