package dev.inflight.exporter.debug;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pieces of the debug exporter's text shared by spans, metrics and log records: ids in hex, times in RFC 3339
 * with nanoseconds, attribute values typed as the Collector prints them ({@code Str(GET)}, {@code
 * Int(200)}).
 */
final class OtlpText {
  // Nine fraction digits always: the columns line up and nothing is lost.
  private static final DateTimeFormatter RFC3339_NANOS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private OtlpText() {}

  /** Lower-case hex, empty for an absent id (as the Collector prints it). */
  static String hex(ByteString id) {
    return HEX.formatHex(id.toByteArray());
  }

  /** {@code 2020-02-11T20:26:12.000000321Z}. */
  static String time(long unixNanos) {
    return RFC3339_NANOS.format(
        Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L), Math.floorMod(unixNanos, 1_000_000_000L)));
  }

  /** A value with its type: {@code Str(GET)}, {@code Int(200)}, {@code Slice(["a",1])}. */
  static String typed(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> "Str(" + v.getStringValue() + ")";
      case BOOL_VALUE -> "Bool(" + v.getBoolValue() + ")";
      case INT_VALUE -> "Int(" + v.getIntValue() + ")";
      case DOUBLE_VALUE -> "Double(" + number(v.getDoubleValue()) + ")";
      case BYTES_VALUE -> "Bytes(" + Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()) + ")";
      case ARRAY_VALUE -> "Slice(" + plain(v) + ")";
      case KVLIST_VALUE -> "Map(" + plain(v) + ")";
      case STRING_VALUE_STRINDEX -> "StrIndex(" + v.getStringValueStrindex() + ")";
      default -> "Empty()";
    };
  }

  /** A value without its type; lists and maps as JSON (map keys sorted), like pcommon's {@code AsString}. */
  static String plain(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case ARRAY_VALUE, KVLIST_VALUE -> {
        StringBuilder sb = new StringBuilder();
        json(sb, v);
        yield sb.toString();
      }
      case BOOL_VALUE -> String.valueOf(v.getBoolValue());
      case INT_VALUE -> String.valueOf(v.getIntValue());
      case DOUBLE_VALUE -> number(v.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case STRING_VALUE_STRINDEX -> String.valueOf(v.getStringValueStrindex());
      default -> "";
    };
  }

  private static void json(StringBuilder sb, AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> quote(sb, v.getStringValue());
      case BYTES_VALUE -> quote(sb, Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        sb.append('[');
        List<AnyValue> values = v.getArrayValue().getValuesList();
        for (int i = 0; i < values.size(); i++) {
          sb.append(i == 0 ? "" : ",");
          json(sb, values.get(i));
        }
        sb.append(']');
      }
      case KVLIST_VALUE -> {
        // As pcommon's AsString: keys sorted (Go's JSON of a map), the last of a repeated key wins.
        Map<String, AnyValue> sorted = new TreeMap<>();
        for (KeyValue kv : v.getKvlistValue().getValuesList()) {
          sorted.put(kv.getKey(), kv.getValue());
        }
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, AnyValue> e : sorted.entrySet()) {
          sb.append(first ? "" : ",");
          first = false;
          quote(sb, e.getKey());
          sb.append(':');
          json(sb, e.getValue());
        }
        sb.append('}');
      }
      case DOUBLE_VALUE -> {
        double d = v.getDoubleValue();
        if (Double.isFinite(d)) {
          sb.append(number(d));
        } else {
          quote(sb, number(d)); // JSON has no NaN or Infinity
        }
      }
      case BOOL_VALUE, INT_VALUE, STRING_VALUE_STRINDEX -> sb.append(plain(v));
      default -> sb.append("null");
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** The shortest exact decimal: {@code 1.5}, {@code 200}, {@code 0.001}; not {@code 1.0E-3}. */
  static String number(double d) {
    if (!Double.isFinite(d)) {
      return Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";
    }
    if (d == 0) {
      return "0";
    }
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  /** Go's {@code %f}: six decimals, as the Collector prints metric values. */
  static String fixed(double d) {
    if (!Double.isFinite(d)) {
      return number(d);
    }
    return String.format(Locale.ROOT, "%f", d);
  }

  /** {@code header:} and one {@code -> key: Str(value)} line per attribute; nothing when empty. */
  static void attributes(StringBuilder out, String indent, String header, List<KeyValue> attributes) {
    if (attributes.isEmpty()) {
      return;
    }
    out.append(indent).append(header).append(":\n");
    for (KeyValue kv : attributes) {
      out.append(indent).append("     -> ").append(kv.getKey()).append(": ")
          .append(typed(kv.getValue())).append('\n');
    }
  }

  /** {@code k=v} pairs joined by {@code sep}, for the one-line (normal) form. */
  static String pairs(List<KeyValue> attributes, String sep) {
    StringBuilder sb = new StringBuilder();
    for (KeyValue kv : attributes) {
      sb.append(sb.length() == 0 ? "" : sep).append(kv.getKey()).append('=').append(plain(kv.getValue()));
    }
    return sb.toString();
  }

  static void scope(StringBuilder out, InstrumentationScope scope) {
    out.append("InstrumentationScope ").append(scope.getName()).append(' ')
        .append(scope.getVersion()).append('\n');
    attributes(out, "", "InstrumentationScope attributes", scope.getAttributesList());
  }

  /** {@code     Name           : value}: the Collector's aligned field lines. */
  static void field(StringBuilder out, String name, String value) {
    out.append("    ").append(name);
    for (int i = name.length(); i < 15; i++) {
      out.append(' ');
    }
    out.append(": ").append(value).append('\n');
  }
}
