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
  final String[] dimensionNames;
  final String[] eventDimensionNames;
  /** Defaults of dimensions then event dimensions; null where there is none. */
  private final String[] defaults;
  final boolean events;
  /** include_instrumentation_scope: scopes whose name and version go on the points. */
  final List<String> scopes;

  SeriesLayout(List<String> excluded, List<Dimension> dimensions, boolean events, List<Dimension> eventDimensions) {
    this(excluded, dimensions, events, eventDimensions, List.of());
  }

  SeriesLayout(List<String> excluded, List<Dimension> dimensions, boolean events, List<Dimension> eventDimensions,
      List<String> scopes) {
    this.scopes = List.copyOf(scopes);
    this.service = !excluded.contains(SERVICE_NAME);
    this.name = !excluded.contains(SPAN_NAME);
    this.kind = !excluded.contains(SPAN_KIND);
    this.status = !excluded.contains(STATUS_CODE);
    this.dimensionNames = dimensions.stream().map(Dimension::name).toArray(String[]::new);
    this.events = events;
    List<Dimension> ev = events ? eventDimensions : List.of();
    this.eventDimensionNames = ev.stream().map(Dimension::name).toArray(String[]::new);
    this.defaults = new String[dimensionNames.length + eventDimensionNames.length];
    for (int i = 0; i < defaults.length; i++) {
      defaults[i] = (i < dimensionNames.length ? dimensions.get(i) : ev.get(i - dimensionNames.length)).defaultValue();
    }
  }

  boolean hasDefault(int dimension) {
    return defaults[dimension] != null;
  }

  /** The attributes of the series whose key is {@code key[off, off + len)}, in contrib's order. */
  List<KeyValue> attributes(byte[] key, int off, int len, boolean event) {
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
    int n = event ? defaults.length : dimensionNames.length;
    for (int d = 0; d < n; d++) {
      String dimName = d < dimensionNames.length ? dimensionNames[d] : eventDimensionNames[d - dimensionNames.length];
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
