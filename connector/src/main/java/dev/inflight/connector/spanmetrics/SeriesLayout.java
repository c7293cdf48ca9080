package dev.inflight.connector.spanmetrics;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.inflight.connector.spanmetrics.SpanMetricsConnectorConfig.Dimension;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.List;

/**
 * What a series key holds and in which order (the default dimensions not excluded, then the
 * configured ones), and how a key becomes the point's attributes: the decoder writes keys, the
 * connector reads them back only when it creates a series.
 */
final class SeriesLayout {
  static final String SERVICE_NAME = "service.name";
  static final String SPAN_NAME = "span.name";
  static final String SPAN_KIND = "span.kind";
  static final String STATUS_CODE = "status.code";
  static final String SCOPE_NAME = "span.instrumentation.scope.name";
  static final String SCOPE_VERSION = "span.instrumentation.scope.version";

  /** contrib's traceutil.SpanKindStr, by the proto enum's number. */
  static final String[] KINDS = {
    "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT",
    "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"
  };
  static final String[] STATUSES = {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};

  final boolean service;
  final boolean name;
  final boolean kind;
  final boolean status;
  /** Every attribute looked up: dimensions, calls_dimensions, histogram.dimensions, events.dimensions. */
  final String[] names;
  /** Their defaults; null where there is none. */
  private final String[] defaults;
  /** Which of {@link #names} each metric's series are keyed by, in order. */
  final int[] calls;
  final int[] histogram;
  final int[] eventDims;
  /** calls_dimensions or histogram.dimensions: calls and durations are series of their own. */
  final boolean split;
  final boolean events;
  /** include_instrumentation_scope: scopes whose name and version go on the points. */
  final List<String> scopes;

  /** Metrics whose series keys have a layout of their own. */
  enum Kind { CALLS, HISTOGRAM, EVENTS }

  SeriesLayout(SpanMetricsConnectorConfig config) {
    List<String> excluded = config.excludeDimensions();
    this.service = !excluded.contains(SERVICE_NAME);
    this.name = !excluded.contains(SPAN_NAME);
    this.kind = !excluded.contains(SPAN_KIND);
    this.status = !excluded.contains(STATUS_CODE);
    this.events = config.events().enabled();
    this.scopes = config.includeInstrumentationScope();
    List<Dimension> all = new ArrayList<>(config.dimensions());
    all.addAll(config.callsDimensions());
    all.addAll(config.histogram().dimensions());
    if (events) {
      all.addAll(config.events().dimensions());
    }
    this.names = all.stream().map(Dimension::name).toArray(String[]::new);
    this.defaults = all.stream().map(Dimension::defaultValue).toArray(String[]::new);
    int base = config.dimensions().size();
    int c = config.callsDimensions().size();
    int h = config.histogram().dimensions().size();
    this.calls = indexes(base, base, c);
    this.histogram = indexes(base, base + c, h);
    this.eventDims = indexes(base, base + c + h, all.size() - base - c - h);
    this.split = c > 0 || h > 0;
  }

  /** {@code [0, base)} then {@code [from, from + n)}. */
  private static int[] indexes(int base, int from, int n) {
    int[] out = new int[base + n];
    for (int i = 0; i < base; i++) {
      out[i] = i;
    }
    for (int i = 0; i < n; i++) {
      out[base + i] = from + i;
    }
    return out;
  }

  int[] dimensions(Kind metric) {
    return switch (metric) {
      case CALLS -> calls;
      case HISTOGRAM -> histogram;
      case EVENTS -> eventDims;
    };
  }

  boolean hasDefault(int dimension) {
    return defaults[dimension] != null;
  }

  /** The attributes of the series whose key is {@code key[off, off + len)}, in contrib's order. */
  List<KeyValue> attributes(byte[] key, int off, int len, Kind metric) {
    Cursor c = new Cursor(key, off);
    List<KeyValue> out = new ArrayList<>(4 + defaults.length);
    if (service) {
      out.add(KeyValue.newBuilder().setKey(SERVICE_NAME)
          .setValue(AnyValue.newBuilder().setStringValue(asString(c.anyValue()))).build());
    }
    if (name) {
      out.add(string(SPAN_NAME, c.string()));
    }
    if (kind) {
      out.add(string(SPAN_KIND, KINDS[key[c.pos++]]));
    }
    if (status) {
      out.add(string(STATUS_CODE, STATUSES[key[c.pos++]]));
    }
    for (int d : dimensions(metric)) {
      String dimName = names[d];
      byte marker = key[c.pos++];
      if (marker == SpanDecoder.PRESENT) {
        out.add(KeyValue.newBuilder().setKey(dimName).setValue(c.anyValue()).build());
      } else if (marker == SpanDecoder.DEFAULTED) {
        out.add(string(dimName, defaults[d]));
      }
    }
    if (!scopes.isEmpty() && key[c.pos++] == SpanDecoder.PRESENT) {
      out.add(string(SCOPE_NAME, c.string()));
      String version = c.string();
      if (!version.isEmpty()) {
        out.add(string(SCOPE_VERSION, version));
      }
    }
    if (c.pos != off + len) {
      throw new IllegalStateException("series key read " + (c.pos - off) + " of " + len + " bytes");
    }
    return out;
  }

  static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  /** contrib's Value.AsString for the scalar kinds service.name takes. */
  static String asString(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> Long.toString(v.getIntValue());
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      default -> v.toString();
    };
  }

  private static final class Cursor {
    final byte[] key;
    int pos;

    Cursor(byte[] key, int pos) {
      this.key = key;
      this.pos = pos;
    }

    int length() {
      int v = 0;
      int shift = 0;
      byte b;
      do {
        b = key[pos++];
        v |= (b & 0x7f) << shift;
        shift += 7;
      } while (b < 0);
      return v;
    }

    String string() {
      int len = length();
      String s = new String(key, pos, len, java.nio.charset.StandardCharsets.UTF_8);
      pos += len;
      return s;
    }

    AnyValue anyValue() {
      int len = length();
      try {
        AnyValue v = AnyValue.parseFrom(com.google.protobuf.ByteString.copyFrom(key, pos, len));
        pos += len;
        return v;
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("an attribute value the receiver checked did not parse", e);
      }
    }
  }
}
