package dev.inflight.tools.analyze;

import com.google.protobuf.CodedInputStream;
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

  // Tags: field number << 3 | wire type (2 = length-delimited, 1 = fixed64, 0 = varint).
  private static final int REQUEST_RESOURCE_SPANS = 1 << 3 | 2;
  private static final int RESOURCE_SPANS_RESOURCE = 1 << 3 | 2;
  private static final int RESOURCE_SPANS_SCOPE_SPANS = 2 << 3 | 2;
  private static final int RESOURCE_ATTRIBUTES = 1 << 3 | 2;
  private static final int SCOPE_SPANS_SPANS = 2 << 3 | 2;
  private static final int SPAN_TRACE_ID = 1 << 3 | 2;
  private static final int SPAN_SPAN_ID = 2 << 3 | 2;
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
    CodedInputStream in = CodedInputStream.newInstance(encoded);
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag != REQUEST_RESOURCE_SPANS) {
        in.skipField(tag);
        continue;
      }
      int length = in.readRawVarint32();
      int off = in.getTotalBytesRead();
      in.skipRawBytes(length);
      resourceSpans(off, length, sink);
    }
  }

  private void resourceSpans(int off, int length, Sink sink) throws IOException {
    // The resource may follow the spans on the wire: find it first.
    service = -1;
    resourceInstance = -1;
    CodedInputStream in = CodedInputStream.newInstance(buf, off, length);
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag != RESOURCE_SPANS_RESOURCE) {
        in.skipField(tag);
        continue;
      }
      int limit = in.pushLimit(in.readRawVarint32());
      int t;
      while ((t = in.readTag()) != 0) {
        if (t == RESOURCE_ATTRIBUTES) {
          int kvLimit = in.pushLimit(in.readRawVarint32());
          resourceAttribute(in, off);
          in.popLimit(kvLimit);
        } else {
          in.skipField(t);
        }
      }
      in.popLimit(limit);
    }
    in = CodedInputStream.newInstance(buf, off, length);
    while ((tag = in.readTag()) != 0) {
      if (tag != RESOURCE_SPANS_SCOPE_SPANS) {
        in.skipField(tag);
        continue;
      }
      int limit = in.pushLimit(in.readRawVarint32());
      int t;
      while ((t = in.readTag()) != 0) {
        if (t != SCOPE_SPANS_SPANS) {
          in.skipField(t);
          continue;
        }
        int spanLimit = in.pushLimit(in.readRawVarint32());
        span(in, off);
        in.popLimit(spanLimit);
        sink.span(this);
      }
      in.popLimit(limit);
    }
  }

  private void resourceAttribute(CodedInputStream in, int base) throws IOException {
    int keyOff = -1;
    int keyLen = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == KEY_VALUE_KEY) {
        keyLen = in.readRawVarint32();
        keyOff = base + in.getTotalBytesRead();
        in.skipRawBytes(keyLen);
      } else if (tag == KEY_VALUE_VALUE && keyOff >= 0) {
        boolean isService = equals(SERVICE_NAME, keyOff, keyLen);
        boolean isInstance = instanceKey != null && equals(instanceKey, keyOff, keyLen);
        if (!isService && !isInstance) {
          in.skipField(tag);
          continue;
        }
        int limit = in.pushLimit(in.readRawVarint32());
        int v = value(in, base);
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

  private void span(CodedInputStream in, int base) throws IOException {
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
        case SPAN_TRACE_ID -> {
          traceLen = in.readRawVarint32();
          traceOff = base + in.getTotalBytesRead();
          in.skipRawBytes(traceLen);
        }
        case SPAN_SPAN_ID -> {
          spanLen = in.readRawVarint32();
          spanOff = base + in.getTotalBytesRead();
          in.skipRawBytes(spanLen);
        }
        case SPAN_NAME -> {
          int len = in.readRawVarint32();
          name = names.intern(buf, base + in.getTotalBytesRead(), len);
          in.skipRawBytes(len);
        }
        case SPAN_START -> start = in.readFixed64();
        case SPAN_END -> end = in.readFixed64();
        case SPAN_STATUS -> {
          int limit = in.pushLimit(in.readRawVarint32());
          int t;
          while ((t = in.readTag()) != 0) {
            if (t == STATUS_CODE) {
              int code = in.readEnum();
              status = code == 2 ? STATUS_ERROR : code == 1 ? STATUS_OK : STATUS_UNSET;
            } else {
              in.skipField(t);
            }
          }
          in.popLimit(limit);
        }
        case SPAN_ATTRIBUTES -> {
          if (instanceKey == null) {
            in.skipField(tag);
          } else {
            int limit = in.pushLimit(in.readRawVarint32());
            spanAttribute(in, base);
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

  private void spanAttribute(CodedInputStream in, int base) throws IOException {
    boolean wanted = false;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == KEY_VALUE_KEY) {
        int len = in.readRawVarint32();
        wanted = equals(instanceKey, base + in.getTotalBytesRead(), len);
        in.skipRawBytes(len);
        if (!wanted) {
          in.skipRawBytes(in.getBytesUntilLimit());
          return;
        }
      } else if (tag == KEY_VALUE_VALUE && wanted) {
        int limit = in.pushLimit(in.readRawVarint32());
        instance = value(in, base);
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
  }

  /** An AnyValue as an interned string: strings as they are, numbers and booleans as text; -1 for others. */
  private int value(CodedInputStream in, int base) throws IOException {
    int v = -1;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case ANY_STRING -> {
          int len = in.readRawVarint32();
          v = values.intern(buf, base + in.getTotalBytesRead(), len);
          in.skipRawBytes(len);
        }
        case ANY_BOOL -> v = values.intern(Boolean.toString(in.readBool()));
        case ANY_INT -> v = values.intern(Long.toString(in.readInt64()));
        case ANY_DOUBLE -> v = values.intern(Double.toString(in.readDouble()));
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
