package dev.inflight.otlp.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A protobuf message as OTLP/JSON, written with Jackson's streaming {@link JsonGenerator} from the
 * message descriptors: what protobuf-java-util's {@code JsonFormat} printer (enums as integers, no
 * whitespace) wrote before, with OTLP/JSON's one difference, trace and span ids in hex.
 *
 * <p>The rules, each as {@code JsonFormat} had them: fields in field-number order under their
 * lowerCamelCase json_name; a singular field only when it is present ({@code hasField}: non-default
 * for proto3 scalars, set for oneof members, {@code optional} fields and messages); a repeated field
 * only when it is not empty; 64-bit integers as decimal strings (unsigned ones unsigned), 32-bit ones
 * as numbers (unsigned ones unsigned); doubles and floats as {@code Double/Float.toString} writes
 * them, NaN and the infinities as the strings {@code "NaN"}, {@code "Infinity"}, {@code
 * "-Infinity"}; enums by number; bytes in padded standard base64. Strings are escaped as the Gson
 * tree the old printer went through escaped them: {@code \"}, {@code \\}, {@code \t \b \n \r \f},
 * other control characters, U+2028 and U+2029 as a backslash, u and four lower-case hex digits;
 * nothing else.
 */
final class OtlpJsonPrinter {
  private static final JsonFactory JSON = new JsonFactory().setCharacterEscapes(new GsonEscapes());
  private static final HexFormat HEX = HexFormat.of();

  /** Per message type, its fields in field-number order (JsonFormat prints getAllFields(), sorted so). */
  private static final Map<Descriptor, FieldDescriptor[]> BY_NUMBER = new ConcurrentHashMap<>();

  private OtlpJsonPrinter() {}

  private static FieldDescriptor[] byNumber(Descriptor type) {
    return type.getFields().stream()
        .sorted(Comparator.comparingInt(FieldDescriptor::getNumber))
        .toArray(FieldDescriptor[]::new);
  }

  static String print(Message message) {
    StringWriter out = new StringWriter(Math.max(64, message.getSerializedSize() * 2));
    try (JsonGenerator g = JSON.createGenerator(out)) {
      message(g, message);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static void message(JsonGenerator g, Message message) throws IOException {
    Descriptor type = message.getDescriptorForType();
    if (type.getFile().getPackage().equals("google.protobuf")) {
      // JsonFormat has its own JSON forms for well-known types; OTLP requests have none.
      throw new IllegalArgumentException("cannot print " + type.getFullName() + " as OTLP/JSON");
    }
    g.writeStartObject();
    for (FieldDescriptor f : BY_NUMBER.computeIfAbsent(type, OtlpJsonPrinter::byNumber)) {
      if (f.isRepeated()) {
        int n = message.getRepeatedFieldCount(f);
        if (n == 0) {
          continue;
        }
        if (f.isMapField()) {
          throw new IllegalArgumentException("cannot print map field " + f.getFullName() + " as OTLP/JSON");
        }
        g.writeFieldName(f.getJsonName());
        g.writeStartArray();
        for (Object value : (List<?>) message.getField(f)) {
          value(g, f, value);
        }
        g.writeEndArray();
      } else if (message.hasField(f)) {
        g.writeFieldName(f.getJsonName());
        value(g, f, message.getField(f));
      }
    }
    g.writeEndObject();
  }

  private static void value(JsonGenerator g, FieldDescriptor f, Object value) throws IOException {
    switch (f.getType()) {
      case INT32, SINT32, SFIXED32 -> g.writeNumber((Integer) value);
      case UINT32, FIXED32 -> g.writeNumber(Integer.toUnsignedLong((Integer) value));
      case INT64, SINT64, SFIXED64 -> g.writeString(Long.toString((Long) value));
      case UINT64, FIXED64 -> g.writeString(Long.toUnsignedString((Long) value));
      case BOOL -> g.writeBoolean((Boolean) value);
      case DOUBLE -> {
        double d = (Double) value;
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          g.writeString(Double.toString(d)); // "NaN", "Infinity", "-Infinity"
        } else {
          g.writeNumber(Double.toString(d)); // the text JsonFormat wrote, exactly
        }
      }
      case FLOAT -> {
        float x = (Float) value;
        if (Float.isNaN(x) || Float.isInfinite(x)) {
          g.writeString(Float.toString(x));
        } else {
          g.writeNumber(Float.toString(x));
        }
      }
      case STRING -> g.writeString((String) value);
      case BYTES -> {
        byte[] bytes = ((ByteString) value).toByteArray();
        g.writeString(isId(f) ? HEX.formatHex(bytes) : Base64.getEncoder().encodeToString(bytes));
      }
      case ENUM -> g.writeNumber(((EnumValueDescriptor) value).getNumber());
      case MESSAGE -> message(g, (Message) value);
      default -> throw new IllegalArgumentException("cannot print field " + f.getFullName() + " of type " + f.getType());
    }
  }

  /** trace_id, span_id, parent_span_id: hex in OTLP/JSON. */
  static boolean isId(FieldDescriptor f) {
    if (f.getType() != FieldDescriptor.Type.BYTES) {
      return false;
    }
    String name = f.getName();
    return name.equals("trace_id") || name.equals("span_id") || name.equals("parent_span_id");
  }

  /** Gson's escapes (its JsonWriter, not HTML-safe): lower-case hex digits, U+2028/2029 escaped too. */
  private static final class GsonEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private static final int[] ASCII = standardAsciiEscapesForJSON();
    private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
    private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");
    private static final SerializedString[] CONTROL = new SerializedString[32];

    static {
      for (int c = 0; c < 32; c++) {
        ASCII[c] = ESCAPE_CUSTOM;
        CONTROL[c] = new SerializedString(switch (c) {
          case '\t' -> "\\t";
          case '\b' -> "\\b";
          case '\n' -> "\\n";
          case '\r' -> "\\r";
          case '\f' -> "\\f";
          default -> String.format("\\u%04x", c);
        });
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ASCII;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch < 32) {
        return CONTROL[ch];
      }
      if (ch == (char) 0x2028) {
        return LINE_SEPARATOR;
      }
      if (ch == (char) 0x2029) {
        return PARAGRAPH_SEPARATOR;
      }
      return null;
    }
  }
}
