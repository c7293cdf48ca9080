package dev.inflight.processor.internal.attraction;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Config values as OTLP values and OTLP values as strings, as the Collector's {@code pcommon}. */
public final class AnyValues {
  private AnyValues() {}

  /**
   * A config value as an OTLP value, keeping its YAML type: string, int (64-bit), double, bool, or
   * an array / key-value list of those (the Collector's {@code pcommon.Value.FromRaw}).
   *
   * @throws IllegalArgumentException naming what cannot be represented (the message follows
   *     "value ")
   */
  public static AnyValue of(@Nullable Object value) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (value == null) {
      return b.build(); // an empty value, as inside a list written with a bare "-"
    }
    if (value instanceof String s) {
      return b.setStringValue(s).build();
    }
    if (value instanceof Boolean bool) {
      return b.setBoolValue(bool).build();
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      return b.setIntValue(((Number) value).longValue()).build();
    }
    if (value instanceof BigInteger big) {
      if (big.bitLength() >= 64) {
        throw new IllegalArgumentException(
            big + " is out of range for a 64-bit integer; quote it to send it as a string");
      }
      return b.setIntValue(big.longValue()).build();
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      return b.setDoubleValue(((Number) value).doubleValue()).build();
    }
    if (value instanceof List<?> list) {
      ArrayValue.Builder array = ArrayValue.newBuilder();
      for (Object item : list) {
        array.addValues(of(item));
      }
      return b.setArrayValue(array).build();
    }
    if (value instanceof Map<?, ?> map) {
      KeyValueList.Builder kvs = KeyValueList.newBuilder();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        kvs.addValues(
            KeyValue.newBuilder().setKey(String.valueOf(e.getKey())).setValue(of(e.getValue())));
      }
      return b.setKvlistValue(kvs).build();
    }
    throw new IllegalArgumentException(
        "has an unsupported type " + value.getClass().getSimpleName()
            + "; use a string, number, boolean, list or map");
  }

  /**
   * The value as the Collector's {@code Value.AsString}: strings as they are, numbers in decimal
   * without exponent, booleans as true/false, bytes in base64, arrays and maps as JSON.
   */
  public static String asString(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> formatDouble(v.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE, KVLIST_VALUE -> {
        StringBuilder sb = new StringBuilder();
        json(v, sb);
        yield sb.toString();
      }
      default -> "";
    };
  }

  /**
   * As the Collector's {@code AsString} writes a double (ES6 number to string): the shortest
   * decimal that reads back the same, without exponent between 1e-6 and 1e21, else as 1.5e-7.
   */
  static String formatDouble(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "json: unsupported value: " + (Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf");
    }
    if (d == 0) {
      return 1 / d < 0 ? "-0" : "0";
    }
    BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    double abs = Math.abs(d);
    if (abs >= 1e-6 && abs < 1e21) {
      return shortest.toPlainString();
    }
    String digits = shortest.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - shortest.scale();
    return (d < 0 ? "-" : "") + digits.charAt(0) + (digits.length() > 1 ? "." + digits.substring(1) : "")
        + "e" + (exponent < 0 ? "-" : "+") + Math.abs(exponent);
  }

  private static void json(AnyValue v, StringBuilder sb) {
    switch (v.getValueCase()) {
      case STRING_VALUE, BYTES_VALUE -> quote(asString(v), sb);
      case BOOL_VALUE, INT_VALUE, DOUBLE_VALUE -> sb.append(asString(v));
      case ARRAY_VALUE -> {
        sb.append('[');
        List<AnyValue> items = v.getArrayValue().getValuesList();
        for (int i = 0; i < items.size(); i++) {
          sb.append(i > 0 ? "," : "");
          json(items.get(i), sb);
        }
        sb.append(']');
      }
      case KVLIST_VALUE -> {
        sb.append('{');
        List<KeyValue> kvs = v.getKvlistValue().getValuesList();
        for (int i = 0; i < kvs.size(); i++) {
          sb.append(i > 0 ? "," : "");
          quote(kvs.get(i).getKey(), sb);
          sb.append(':');
          json(kvs.get(i).getValue(), sb);
        }
        sb.append('}');
      }
      default -> sb.append("null");
    }
  }

  private static void quote(String s, StringBuilder sb) {
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
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
