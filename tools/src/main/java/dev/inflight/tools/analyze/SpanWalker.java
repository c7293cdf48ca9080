package dev.inflight.tools.analyze;

import dev.inflight.otlp.wire.OtlpWire.AnyValue;
import dev.inflight.otlp.wire.OtlpWire.KeyValue;
import dev.inflight.otlp.wire.OtlpWire.Resource;
import dev.inflight.otlp.wire.OtlpWire.ResourceSpans;
import dev.inflight.otlp.wire.OtlpWire.ScopeSpans;
import dev.inflight.otlp.wire.OtlpWire.Span;
import dev.inflight.otlp.wire.OtlpWire.Status;
import dev.inflight.otlp.wire.OtlpWire.TraceRequest;
import dev.inflight.otlp.wire.WireReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Walks an encoded {@code ExportTraceServiceRequest} span by span and reads only what the analysis
 * uses: trace and span id, name, start, end, status code, the resource's {@code service.name} and
 * the instance attribute (on the span, else on the resource). Everything else is skipped by length,
 * and a span costs no allocation once its name and instance have been seen (they are interned).
 *
 * <p>The fields of the current span are read from this object inside {@link Sink#span}; they are
 * overwritten by the next span. Not thread-safe.
 */
public final class SpanWalker {
  /** Told about each span of a request, in order. */
  @FunctionalInterface
  public interface Sink {
    void span(SpanWalker span);
  }

  private static final byte[] SERVICE_NAME = "service.name".getBytes(StandardCharsets.UTF_8);

  /** Status codes as OTLP numbers them. */
  public static final int STATUS_UNSET = 0;
  public static final int STATUS_OK = 1;
  public static final int STATUS_ERROR = 2;

  private final byte[] instanceKey;
  private final Interner names = new Interner();
  private final Interner values = new Interner();

  // The current span.
  private byte[] buf;
  private int traceOff;
  private int traceLen;
  private int spanOff;
  private int spanLen;
  private int name;
  private long start;
  private long end;
  private int status;
  private int instance;
  private int service;
  private int resourceInstance;

  /** @param instanceAttribute the attribute naming a span's instance, or null for none */
  public SpanWalker(String instanceAttribute) {
    this.instanceKey = instanceAttribute == null || instanceAttribute.isEmpty()
        ? null : instanceAttribute.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Tells {@code sink} about every span of the request.
   *
   * @throws IOException when the bytes are not a valid request (spans before the damage were told)
   */
  public void walk(byte[] encoded, Sink sink) throws IOException {
    buf = encoded;
    WireReader in = new WireReader(encoded);
    while (in.next(TraceRequest.RESOURCE_SPANS)) {
      int limit = in.enter();
      resourceSpans(in, sink);
      in.popLimit(limit);
    }
  }

  private void resourceSpans(WireReader in, Sink sink) throws IOException {
    // The resource may follow the spans on the wire: find it first.
    service = -1;
    resourceInstance = -1;
    int start = in.position();
    while (in.next(ResourceSpans.RESOURCE)) {
      int limit = in.enter();
      int t;
      while ((t = in.readTag()) != 0) {
        if (t == Resource.ATTRIBUTES) {
          int kvLimit = in.enter();
          resourceAttribute(in);
          in.popLimit(kvLimit);
        } else {
          in.skipField(t);
        }
      }
      in.popLimit(limit);
    }
    in.seek(start);
    while (in.next(ResourceSpans.SCOPE_SPANS)) {
      int limit = in.enter();
      while (in.next(ScopeSpans.SPANS)) {
        int spanLimit = in.enter();
        span(in);
        in.popLimit(spanLimit);
        sink.span(this);
      }
      in.popLimit(limit);
    }
  }

  private void resourceAttribute(WireReader in) throws IOException {
    int keyOff = -1;
    int keyLen = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == KeyValue.KEY) {
        keyLen = in.readLength();
        keyOff = in.position();
        in.skip(keyLen);
      } else if (tag == KeyValue.VALUE && keyOff >= 0) {
        boolean isService = equals(SERVICE_NAME, keyOff, keyLen);
        boolean isInstance = instanceKey != null && equals(instanceKey, keyOff, keyLen);
        if (!isService && !isInstance) {
          in.skipField(tag);
          continue;
        }
        int limit = in.enter();
        int v = value(in);
        in.popLimit(limit);
        if (isService) {
          service = v;
        }
        if (isInstance) {
          resourceInstance = v;
        }
      } else {
        in.skipField(tag);
      }
    }
  }

  private void span(WireReader in) throws IOException {
    traceLen = 0;
    spanLen = 0;
    name = -1;
    start = 0;
    end = 0;
    status = STATUS_UNSET;
    instance = -1;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case Span.TRACE_ID -> {
          traceLen = in.readLength();
          traceOff = in.position();
          in.skip(traceLen);
        }
        case Span.SPAN_ID -> {
          spanLen = in.readLength();
          spanOff = in.position();
          in.skip(spanLen);
        }
        case Span.NAME -> {
          int len = in.readLength();
          name = names.intern(buf, in.position(), len);
          in.skip(len);
        }
        case Span.START_TIME_UNIX_NANO -> start = in.readFixed64();
        case Span.END_TIME_UNIX_NANO -> end = in.readFixed64();
        case Span.STATUS -> {
          int limit = in.enter();
          int t;
          while ((t = in.readTag()) != 0) {
            if (t == Status.CODE) {
              int code = in.readEnum();
              status = code == 2 ? STATUS_ERROR : code == 1 ? STATUS_OK : STATUS_UNSET;
            } else {
              in.skipField(t);
            }
          }
          in.popLimit(limit);
        }
        case Span.ATTRIBUTES -> {
          if (instanceKey == null) {
            in.skipField(tag);
          } else {
            int limit = in.enter();
            spanAttribute(in);
            in.popLimit(limit);
          }
        }
        default -> in.skipField(tag);
      }
    }
    if (name < 0) {
      name = names.intern(buf, 0, 0);
    }
  }

  private void spanAttribute(WireReader in) throws IOException {
    boolean wanted = false;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == KeyValue.KEY) {
        int len = in.readLength();
        wanted = equals(instanceKey, in.position(), len);
        in.skip(len);
        if (!wanted) {
          in.skipToLimit();
          return;
        }
      } else if (tag == KeyValue.VALUE && wanted) {
        int limit = in.enter();
        instance = value(in);
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
  }

  /** An AnyValue as an interned string: strings as they are, numbers and booleans as text; -1 for others. */
  private int value(WireReader in) throws IOException {
    int v = -1;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case AnyValue.STRING_VALUE -> {
          int len = in.readLength();
          v = values.intern(buf, in.position(), len);
          in.skip(len);
        }
        case AnyValue.BOOL_VALUE -> v = values.intern(Boolean.toString(in.readBool()));
        case AnyValue.INT_VALUE -> v = values.intern(Long.toString(in.readInt64()));
        case AnyValue.DOUBLE_VALUE -> v = values.intern(Double.toString(in.readDouble()));
        default -> in.skipField(tag);
      }
    }
    return v;
  }

  private boolean equals(byte[] key, int off, int len) {
    return key.length == len && java.util.Arrays.equals(key, 0, len, buf, off, off + len);
  }

  /** The span's name as an id in the name table ({@link #nameText(int)}). */
  public int nameId() {
    return name;
  }

  public String nameText() {
    return names.get(name);
  }

  /** The name of a name id. */
  public String nameText(int id) {
    return names.get(id);
  }

  public long start() {
    return start;
  }

  public long end() {
    return end;
  }

  /** {@link #STATUS_UNSET}, {@link #STATUS_OK} or {@link #STATUS_ERROR}. */
  public int status() {
    return status;
  }

  /** The resource's {@code service.name} as a value id, or -1. */
  public int serviceId() {
    return service;
  }

  /** The instance attribute's value id (span attribute, else resource attribute), or -1. */
  public int instanceId() {
    return instance >= 0 ? instance : resourceInstance;
  }

  /** The text of a value id ({@link #serviceId}, {@link #instanceId}); null for -1. */
  public String value(int id) {
    return id < 0 ? null : values.get(id);
  }

  /** The trace id in hex (32 digits, or what the span held). */
  public String traceIdHex() {
    return HexFormat.of().formatHex(buf, traceOff, traceOff + traceLen);
  }

  /** The span id in hex (16 digits, or what the span held). */
  public String spanIdHex() {
    return HexFormat.of().formatHex(buf, spanOff, spanOff + spanLen);
  }
}
