package dev.inflight.otlp.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The slow OTLP/JSON path: a Jackson tree, merged into a protobuf builder with the rules
 * protobuf-java-util's {@code JsonFormat} parser (4.x, unknown fields ignored) had, so that what
 * {@link OtlpJsonTranscoder} leaves to it is converted or refused as before: field names as
 * json_name or proto name, a field given under both names or two members of one oneof refused,
 * 64-bit integers as numbers or strings, JSON numbers for string fields and one-element arrays for
 * scalars taken as their text, enum names or numbers (an unknown name drops the field), {@code
 * null} as absent, bytes in standard or URL-safe base64. The messages are {@code JsonFormat}'s.
 *
 * <p>The tree is read as the Gson tree before it was: the bytes as UTF-8 (malformed sequences
 * replaced), a repeated key keeps the last value, raw control characters and backslash escapes in
 * strings taken; numbers keep their exact decimal value.
 */
final class OtlpJsonTree {
  private static final JsonMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
                  .enable(JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
                  // OtlpJson.checkDepth bounds nesting before this runs; Gson had no length limits.
                  .streamReadConstraints(StreamReadConstraints.builder()
                      .maxNestingDepth(Integer.MAX_VALUE)
                      .maxNumberLength(Integer.MAX_VALUE)
                      .maxStringLength(Integer.MAX_VALUE)
                      .maxNameLength(Integer.MAX_VALUE)
                      .build())
                  .build())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
          .build();

  // JsonFormat's bounds.
  private static final BigInteger MAX_UINT32 = new BigInteger("FFFFFFFF", 16);
  private static final BigInteger MAX_UINT64 = new BigInteger("FFFFFFFFFFFFFFFF", 16);
  private static final double EPSILON = 1e-6;
  private static final BigDecimal MORE_THAN_ONE = new BigDecimal(String.valueOf(1.0 + EPSILON));
  private static final BigDecimal MAX_DOUBLE = new BigDecimal(String.valueOf(Double.MAX_VALUE)).multiply(MORE_THAN_ONE);
  private static final BigDecimal MIN_DOUBLE = new BigDecimal(String.valueOf(-Double.MAX_VALUE)).multiply(MORE_THAN_ONE);
  private static final int MAX_NUMERIC_STRING_LENGTH = 1000;

  /** Per message type: its fields under both names (json_name and the proto name). */
  private static final Map<Descriptor, Map<String, FieldDescriptor>> FIELDS = new ConcurrentHashMap<>();

  private OtlpJsonTree() {}

  /** One JSON value, and nothing after it; null when the input holds no value at all. */
  static JsonNode read(String json) throws IOException {
    // Gson skipped one byte order mark; Jackson skips it only when it guesses the encoding from bytes.
    try (JsonParser p = MAPPER.createParser(json.startsWith("\uFEFF") ? json.substring(1) : json)) {
      JsonNode tree = MAPPER.readTree(p);
      if (tree != null && !tree.isMissingNode() && p.nextToken() != null) {
        throw new IOException("more data after the top-level object");
      }
      return tree == null || tree.isMissingNode() ? null : tree;
    }
  }

  static ObjectNode newObject() {
    return MAPPER.createObjectNode();
  }

  static Map<String, FieldDescriptor> fields(Descriptor type) {
    return FIELDS.computeIfAbsent(type, t -> {
      Map<String, FieldDescriptor> byName = new HashMap<>();
      for (FieldDescriptor f : t.getFields()) {
        byName.put(f.getName(), f);
        byName.put(f.getJsonName(), f);
      }
      return byName;
    });
  }

  /** Merges the tree into the builder as JsonFormat did; unknown fields ignored. */
  static void merge(JsonNode json, Message.Builder builder) throws InvalidProtocolBufferException {
    if (!json.isObject()) {
      throw new InvalidProtocolBufferException("Expect message object but got: " + json);
    }
    Map<String, FieldDescriptor> fields = fields(builder.getDescriptorForType());
    for (Map.Entry<String, JsonNode> e : json.properties()) {
      FieldDescriptor field = fields.get(e.getKey());
      if (field != null) {
        mergeField(field, e.getValue(), builder);
      }
    }
  }

  private static void mergeField(FieldDescriptor field, JsonNode json, Message.Builder builder)
      throws InvalidProtocolBufferException {
    if (field.isRepeated() ? builder.getRepeatedFieldCount(field) > 0 : builder.hasField(field)) {
      throw new InvalidProtocolBufferException("Field " + field.getFullName() + " has already been set.");
    }
    if (field.isRepeated() && json.isNull()) {
      return;
    }
    if (field.isMapField()) {
      throw new InvalidProtocolBufferException("Map field " + field.getFullName() + " is not OTLP");
    } else if (field.isRepeated()) {
      if (!json.isArray()) {
        throw new InvalidProtocolBufferException("Expected an array for " + field.getName() + " but found " + json);
      }
      for (JsonNode item : json) {
        Object value = parseFieldValue(field, item, builder);
        if (value == null) {
          if (field.getType() == FieldDescriptor.Type.ENUM) {
            continue; // an unknown enum name, ignored as unknown fields are
          }
          throw new InvalidProtocolBufferException(
              "Repeated field elements cannot be null in field: " + field.getFullName());
        }
        builder.addRepeatedField(field, value);
      }
    } else if (field.getContainingOneof() != null) {
      Object value = parseFieldValue(field, json, builder);
      if (value == null) {
        return;
      }
      if (builder.getOneofFieldDescriptor(field.getContainingOneof()) != null) {
        throw oneofSet(field, builder);
      }
      builder.setField(field, value);
    } else {
      Object value = parseFieldValue(field, json, builder);
      if (value != null) {
        builder.setField(field, value);
      }
    }
  }

  private static InvalidProtocolBufferException oneofSet(FieldDescriptor field, Message.Builder builder) {
    FieldDescriptor other = builder.getOneofFieldDescriptor(field.getContainingOneof());
    return new InvalidProtocolBufferException("Cannot set field " + field.getFullName() + " because another field "
        + other.getFullName() + " belonging to the same oneof has already been set "); // sic, JsonFormat's
  }

  /** The field's value, or null for absent (JSON null, an unknown enum name). */
  private static Object parseFieldValue(FieldDescriptor field, JsonNode json, Message.Builder builder)
      throws InvalidProtocolBufferException {
    if (json.isNull()) {
      return null;
    }
    if (json.isObject() && field.getType() != FieldDescriptor.Type.MESSAGE
        && field.getType() != FieldDescriptor.Type.GROUP) {
      throw new InvalidProtocolBufferException("Invalid value: " + json + " for expected type: " + field.getType());
    }
    switch (field.getType()) {
      case INT32:
      case SINT32:
      case SFIXED32:
        return parseInt32(json);
      case INT64:
      case SINT64:
      case SFIXED64:
        return parseInt64(json);
      case BOOL:
        return parseBool(json);
      case FLOAT:
        return parseFloat(json);
      case DOUBLE:
        return parseDouble(json);
      case UINT32:
      case FIXED32:
        return parseUint32(json);
      case UINT64:
      case FIXED64:
        return parseUint64(json);
      case STRING:
        return text(json);
      case BYTES:
        return parseBytes(json);
      case ENUM:
        return parseEnum(field.getEnumType(), json);
      case MESSAGE:
        Message.Builder sub = builder.newBuilderForField(field);
        merge(json, sub);
        return sub.build();
      default:
        throw new InvalidProtocolBufferException("Invalid field type: " + field.getType());
    }
  }

  /**
   * A scalar's text as Gson's {@code getAsString()} gave it: a string's value, a number's digits, a
   * bool's name, a one-element array's element; objects, nulls and other arrays throw.
   */
  static String text(JsonNode json) {
    if (json.isTextual()) {
      return json.textValue();
    }
    if (json.isBigDecimal()) {
      return json.decimalValue().toString();
    }
    if (json.isNumber() || json.isBoolean()) {
      return json.asText();
    }
    if (json.isBinary()) {
      return Base64.getEncoder().encodeToString(((BinaryNode) json).binaryValue());
    }
    if (json.isArray()) {
      if (json.size() == 1) {
        return text(json.get(0));
      }
      throw new IllegalStateException();
    }
    throw new UnsupportedOperationException(json.isObject() ? "JsonObject" : "JsonNull");
  }

  private static int parseInt32(JsonNode json) throws InvalidProtocolBufferException {
    try {
      return Integer.parseInt(text(json));
    } catch (RuntimeException e) {
      // not a plain integer: below
    }
    try {
      return parseBigDecimal(text(json)).intValueExact();
    } catch (RuntimeException e) {
      throw invalid("Not an int32 value: " + json, e);
    }
  }

  private static long parseInt64(JsonNode json) throws InvalidProtocolBufferException {
    try {
      return Long.parseLong(text(json));
    } catch (RuntimeException e) {
      // not a plain integer: below
    }
    try {
      return parseBigDecimal(text(json)).longValueExact();
    } catch (RuntimeException e) {
      throw invalid("Not an int64 value: " + json, e);
    }
  }

  private static int parseUint32(JsonNode json) throws InvalidProtocolBufferException {
    try {
      long result = Long.parseLong(text(json));
      if (result < 0 || result > 0xFFFFFFFFL) {
        throw new InvalidProtocolBufferException("Out of range uint32 value: " + json);
      }
      return (int) result;
    } catch (RuntimeException e) {
      // not a plain integer: below
    }
    try {
      BigInteger value = parseBigDecimal(text(json)).toBigIntegerExact();
      if (value.signum() < 0 || value.compareTo(MAX_UINT32) > 0) {
        throw new InvalidProtocolBufferException("Out of range uint32 value: " + json);
      }
      return value.intValue();
    } catch (RuntimeException e) {
      throw invalid("Not an uint32 value: " + json, e);
    }
  }

  private static long parseUint64(JsonNode json) throws InvalidProtocolBufferException {
    try {
      return Long.parseUnsignedLong(text(json));
    } catch (RuntimeException e) {
      // not a plain unsigned integer: below
    }
    try {
      BigInteger value = parseBigDecimal(text(json)).toBigIntegerExact();
      if (value.signum() < 0 || value.compareTo(MAX_UINT64) > 0) {
        throw new InvalidProtocolBufferException("Out of range uint64 value: " + json);
      }
      return value.longValue();
    } catch (RuntimeException e) {
      throw invalid("Not an uint64 value: " + json, e);
    }
  }

  /** Numbers parsed from text longer than this are refused, as JsonFormat does (BigDecimal is superlinear). */
  private static BigDecimal parseBigDecimal(String value) throws InvalidProtocolBufferException {
    if (value.length() > MAX_NUMERIC_STRING_LENGTH) {
      throw new InvalidProtocolBufferException("Numeric value is too long: " + value.length() + " characters");
    }
    return new BigDecimal(value);
  }

  private static boolean parseBool(JsonNode json) throws InvalidProtocolBufferException {
    String value = text(json);
    if (value.equals("true")) {
      return true;
    }
    if (value.equals("false")) {
      return false;
    }
    throw new InvalidProtocolBufferException("Invalid bool value: " + json);
  }

  private static float parseFloat(JsonNode json) throws InvalidProtocolBufferException {
    String value = text(json);
    Double special = special(value);
    if (special != null) {
      return special.floatValue();
    }
    double d;
    try {
      d = Double.parseDouble(value);
    } catch (RuntimeException e) {
      throw invalid("Not a float value: " + json, e);
    }
    if (d > Float.MAX_VALUE * (1.0 + EPSILON) || d < -Float.MAX_VALUE * (1.0 + EPSILON)) {
      throw new InvalidProtocolBufferException("Out of range float value: " + json);
    }
    return (float) d;
  }

  private static double parseDouble(JsonNode json) throws InvalidProtocolBufferException {
    String value = text(json);
    Double special = special(value);
    if (special != null) {
      return special;
    }
    BigDecimal d;
    try {
      d = parseBigDecimal(value);
    } catch (RuntimeException e) {
      throw invalid("Not a double value: " + json, e);
    }
    if (d.compareTo(MAX_DOUBLE) > 0 || d.compareTo(MIN_DOUBLE) < 0) {
      throw new InvalidProtocolBufferException("Out of range double value: " + json);
    }
    return d.doubleValue();
  }

  /** "NaN", "Infinity" and "-Infinity", the strings JsonFormat reads as those doubles; null for others. */
  private static Double special(String value) {
    switch (value) {
      case "NaN":
        return Double.NaN;
      case "Infinity":
        return Double.POSITIVE_INFINITY;
      case "-Infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        return null;
    }
  }

  /** Standard base64, else URL-safe; neither throws IllegalArgumentException, as JsonFormat's did. */
  private static ByteString parseBytes(JsonNode json) {
    if (json.isBinary()) {
      return ByteString.copyFrom(((BinaryNode) json).binaryValue());
    }
    String value = text(json);
    try {
      return ByteString.copyFrom(Base64.getDecoder().decode(value));
    } catch (IllegalArgumentException e) {
      return ByteString.copyFrom(Base64.getUrlDecoder().decode(value));
    }
  }

  /** By name, else by number (open enums keep unknown numbers); null (dropped) when neither. */
  private static EnumValueDescriptor parseEnum(EnumDescriptor type, JsonNode json) throws InvalidProtocolBufferException {
    String value;
    try {
      value = text(json);
    } catch (RuntimeException e) {
      throw invalid("Invalid enum value: " + json + " for enum type: " + type.getFullName(), e);
    }
    EnumValueDescriptor result = type.findValueByName(value);
    if (result == null) {
      try {
        int number = parseInt32(json);
        result = type.isClosed() ? type.findValueByNumber(number) : type.findValueByNumberCreatingIfUnknown(number);
      } catch (InvalidProtocolBufferException e) {
        // not a number either: dropped, as an unknown field is
      }
    }
    return result;
  }

  private static InvalidProtocolBufferException invalid(String message, Exception cause) {
    InvalidProtocolBufferException e = new InvalidProtocolBufferException(message);
    e.initCause(cause);
    return e;
  }
}
