package dev.inflight.processor.internal.attraction;

import io.opentelemetry.proto.common.v1.AnyValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/** The value changes of hash and convert, byte for byte as the Collector's attraction. */
final class Converter {
  static final Set<String> TYPES = Set.of("int", "double", "string");

  private Converter() {}

  /**
   * The lowercase hex SHA-256 of the value's bytes: a string's UTF-8, a bool as one byte 1/0, an int
   * or double as 8 little-endian bytes; other types become an empty string, as in the Collector.
   */
  static AnyValue hash(AnyValue v) {
    byte[] bytes =
        switch (v.getValueCase()) {
          case STRING_VALUE -> v.getStringValueBytes().toByteArray();
          case BOOL_VALUE -> new byte[] {(byte) (v.getBoolValue() ? 1 : 0)};
          case INT_VALUE -> littleEndian(v.getIntValue());
          case DOUBLE_VALUE -> littleEndian(Double.doubleToRawLongBits(v.getDoubleValue()));
          default -> null; // empty, maps, arrays, bytes
        };
    String hashed = bytes == null ? "" : HexFormat.of().formatHex(sha256().digest(bytes));
    return AnyValue.newBuilder().setStringValue(hashed).build();
  }

  private static byte[] littleEndian(long x) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (x >>> (8 * i));
    }
    return b;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * The value as {@code type} (int, double or string), or {@code v} itself when it cannot be
   * converted (a string that is no number, as Go's {@code strconv} reads numbers: no spaces), which
   * leaves the attribute as it was.
   */
  static AnyValue convert(AnyValue v, String type) {
    AnyValue.Builder b = AnyValue.newBuilder();
    String s = v.getStringValue();
    switch (type) {
      case "int" -> {
        switch (v.getValueCase()) {
          case INT_VALUE -> {
            return v;
          }
          case DOUBLE_VALUE -> {
            return b.setIntValue((long) v.getDoubleValue()).build();
          }
          case BOOL_VALUE -> {
            return b.setIntValue(v.getBoolValue() ? 1 : 0).build();
          }
          case STRING_VALUE -> {
            try {
              return b.setIntValue(Long.parseLong(s)).build();
            } catch (NumberFormatException e) {
              return v;
            }
          }
          default -> {
            return v;
          }
        }
      }
      case "double" -> {
        switch (v.getValueCase()) {
          case DOUBLE_VALUE -> {
            return v;
          }
          case INT_VALUE -> {
            return b.setDoubleValue(v.getIntValue()).build();
          }
          case BOOL_VALUE -> {
            return b.setDoubleValue(v.getBoolValue() ? 1 : 0).build();
          }
          case STRING_VALUE -> {
            // Java also reads " 1", "1d" and "1f"; Go's ParseFloat does not.
            if (s.isEmpty() || s.strip().length() != s.length() || "dDfF".indexOf(s.charAt(s.length() - 1)) >= 0) {
              return v;
            }
            try {
              return b.setDoubleValue(Double.parseDouble(s)).build();
            } catch (NumberFormatException e) {
              return v;
            }
          }
          default -> {
            return v;
          }
        }
      }
      case "string" -> {
        return v.getValueCase() == AnyValue.ValueCase.STRING_VALUE
            ? v
            : b.setStringValue(AnyValues.asString(v)).build();
      }
      default -> throw new IllegalArgumentException("converted_type " + type);
    }
  }
}
