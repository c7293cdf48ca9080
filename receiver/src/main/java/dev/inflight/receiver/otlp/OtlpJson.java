package dev.inflight.receiver.otlp;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * OTLP/JSON to protobuf, once, at the edge. OTLP/JSON is protobuf's JSON mapping with one
 * difference: trace and span ids are hex strings, not base64. So the JSON is read into a tree, the
 * id fields (found through the message descriptors, under either spelling) are turned from hex into
 * base64, and protobuf-java-util's {@link JsonFormat} builds the message, which accepts
 * lowerCamelCase and snake_case names, enums as names or numbers, 64-bit integers as strings or
 * numbers, and ignores unknown fields.
 */
final class OtlpJson {
  private static final TypeAdapter<JsonElement> TREE = new Gson().getAdapter(JsonElement.class);
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  /** Per message type: its fields under both names (json_name and the proto name). */
  private static final Map<Descriptor, Map<String, FieldDescriptor>> FIELDS = new HashMap<>();

  static {
    index(ExportTraceServiceRequest.getDescriptor());
    index(ExportMetricsServiceRequest.getDescriptor());
  }

  private OtlpJson() {}

  private static void index(Descriptor d) {
    if (FIELDS.containsKey(d)) {
      return;
    }
    Map<String, FieldDescriptor> byName = new HashMap<>();
    FIELDS.put(d, byName);
    for (FieldDescriptor f : d.getFields()) {
      byName.put(f.getName(), f);
      byName.put(f.getJsonName(), f);
      if (f.getType() == FieldDescriptor.Type.MESSAGE) {
        index(f.getMessageType());
      }
    }
  }

  static byte[] traces(byte[] json) throws InvalidRequestException {
    return convert(json, ExportTraceServiceRequest.newBuilder());
  }

  static byte[] metrics(byte[] json) throws InvalidRequestException {
    return convert(json, ExportMetricsServiceRequest.newBuilder());
  }

  /**
   * Deepest nesting of objects and arrays accepted: OTLP needs about a dozen levels plus three per
   * nested attribute value. Checked before parsing, as Gson's tree reader recurses.
   */
  static final int MAX_JSON_DEPTH = 200;

  private static byte[] convert(byte[] json, Message.Builder builder) throws InvalidRequestException {
    checkDepth(json);
    JsonElement tree;
    try (JsonReader reader =
        new JsonReader(new InputStreamReader(new ByteArrayInputStream(json), StandardCharsets.UTF_8))) {
      reader.setLenient(false);
      tree = TREE.read(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw InvalidRequestException.malformed("invalid JSON: more data after the top-level object");
      }
    } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
      throw InvalidRequestException.malformed("invalid JSON: " + shorten(e.getMessage()), e);
    }
    if (tree == null || !tree.isJsonObject()) {
      throw InvalidRequestException.malformed(
          "invalid JSON: expected an " + builder.getDescriptorForType().getName() + " object");
    }
    hexIdsToBase64(tree.getAsJsonObject(), builder.getDescriptorForType(), 0);
    try {
      PARSER.merge(tree.toString(), builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw InvalidRequestException.malformed(
          "not a valid OTLP/JSON " + builder.getDescriptorForType().getName() + ": "
              + shorten(e.getMessage()), e);
    }
    return builder.build().toByteArray();
  }

  /** One pass over the bytes, strings skipped, counting open brackets. */
  static void checkDepth(byte[] json) throws InvalidRequestException {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < json.length; i++) {
      byte b = json[i];
      if (inString) {
        if (b == '\\') {
          i++;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        if (++depth > MAX_JSON_DEPTH) {
          throw InvalidRequestException.malformed("invalid JSON: nested deeper than " + MAX_JSON_DEPTH + " levels");
        }
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
  }

  /** Rewrites trace_id / span_id / parent_span_id values from hex to base64, in place. */
  private static void hexIdsToBase64(JsonObject object, Descriptor type, int depth)
      throws InvalidRequestException {
    if (depth > OtlpRequestChecker.MAX_DEPTH) {
      throw InvalidRequestException.malformed(
          "invalid JSON: nested deeper than " + OtlpRequestChecker.MAX_DEPTH + " levels");
    }
    Map<String, FieldDescriptor> fields = FIELDS.get(type);
    if (fields == null) {
      return;
    }
    for (Map.Entry<String, JsonElement> e : object.entrySet()) {
      FieldDescriptor f = fields.get(e.getKey());
      if (f == null) {
        continue;
      }
      JsonElement value = e.getValue();
      if (f.getType() == FieldDescriptor.Type.MESSAGE) {
        if (value.isJsonObject()) {
          hexIdsToBase64(value.getAsJsonObject(), f.getMessageType(), depth + 1);
        } else if (value.isJsonArray()) {
          JsonArray array = value.getAsJsonArray();
          for (JsonElement item : array) {
            if (item.isJsonObject()) {
              hexIdsToBase64(item.getAsJsonObject(), f.getMessageType(), depth + 1);
            }
          }
        }
      } else if (f.getType() == FieldDescriptor.Type.BYTES
          && isId(f.getName())
          && value.isJsonPrimitive()
          && value.getAsJsonPrimitive().isString()) {
        e.setValue(new JsonPrimitive(hexToBase64(f.getName(), value.getAsString())));
      }
    }
  }

  private static boolean isId(String name) {
    return name.equals("trace_id") || name.equals("span_id") || name.equals("parent_span_id");
  }

  static String hexToBase64(String field, String hex) throws InvalidRequestException {
    int n = hex.length();
    if (n % 2 != 0) {
      throw notHex(field, hex);
    }
    byte[] bytes = new byte[n / 2];
    for (int i = 0; i < n; i += 2) {
      int hi = hexDigit(hex.charAt(i));
      int lo = hexDigit(hex.charAt(i + 1));
      if (hi < 0 || lo < 0) {
        throw notHex(field, hex);
      }
      bytes[i / 2] = (byte) (hi << 4 | lo);
    }
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static InvalidRequestException notHex(String field, String value) {
    return InvalidRequestException.malformed(
        field + " \"" + shorten(value) + "\" is not a hex string (OTLP/JSON writes ids in hex)");
  }

  private static String shorten(String s) {
    if (s == null) {
      return "";
    }
    String oneLine = s.replace('\n', ' ');
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
  }
}
