package dev.inflight.otlp.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Test fixtures: a request in the other spellings protobuf's JSON mapping allows, the ones
 * protobuf-java-util's {@code JsonFormat} printer options wrote (proto field names, enums by name,
 * fields without presence at their defaults, base64 ids, pretty printing), each made from {@link
 * OtlpJson#print}'s JSON tree through the descriptors.
 */
public final class ProtobufJsonPrintings {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();

  private ProtobufJsonPrintings() {}

  /** As {@code JsonFormat.printer().print(message)} wrote it (pretty, enums by name), ids in hex. */
  public static String protobufJson(Message message) {
    return pretty(enumNames(tree(message), message.getDescriptorForType()));
  }

  /** {@link #protobufJson} with ids in base64, exactly protobuf's own JSON mapping. */
  public static String protobufJsonBase64Ids(Message message) {
    Descriptor type = message.getDescriptorForType();
    return pretty(base64Ids(enumNames(tree(message), type), type));
  }

  /** OtlpJson.print's output as a tree. */
  static ObjectNode tree(Message message) {
    try {
      return (ObjectNode) MAPPER.readTree(OtlpJson.print(message));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String compact(JsonNode tree) {
    return tree.toString();
  }

  static String pretty(JsonNode tree) {
    return tree.toPrettyString();
  }

  /** The field of {@code type} under either of its names, or null. */
  static FieldDescriptor field(Descriptor type, String name) {
    for (FieldDescriptor f : type.getFields()) {
      if (f.getName().equals(name) || f.getJsonName().equals(name)) {
        return f;
      }
    }
    return null;
  }

  static boolean isId(FieldDescriptor f) {
    return f.getType() == FieldDescriptor.Type.BYTES
        && (f.getName().equals("trace_id") || f.getName().equals("span_id") || f.getName().equals("parent_span_id"));
  }

  /** Changes one object of a message type, in place. */
  private interface Change {
    void apply(ObjectNode object, Descriptor type);
  }

  /** A copy of the tree with {@code change} applied to every message object, innermost first. */
  private static ObjectNode changed(ObjectNode tree, Descriptor type, Change change) {
    ObjectNode copy = tree.deepCopy();
    walk(copy, type, change);
    return copy;
  }

  private static void walk(ObjectNode object, Descriptor type, Change change) {
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      FieldDescriptor f = field(type, e.getKey());
      if (f == null || f.getType() != FieldDescriptor.Type.MESSAGE) {
        continue;
      }
      if (e.getValue().isObject()) {
        walk((ObjectNode) e.getValue(), f.getMessageType(), change);
      } else if (e.getValue().isArray()) {
        for (JsonNode item : e.getValue()) {
          walk((ObjectNode) item, f.getMessageType(), change);
        }
      }
    }
    change.apply(object, type);
  }

  /** {@code preservingProtoFieldNames()}: snake_case names. */
  static ObjectNode protoNames(ObjectNode tree, Descriptor type) {
    return changed(tree, type, (object, t) -> {
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
      object.removeAll();
      for (Map.Entry<String, JsonNode> e : entries) {
        FieldDescriptor f = field(t, e.getKey());
        object.set(f == null ? e.getKey() : f.getName(), e.getValue());
      }
    });
  }

  /** Without {@code printingEnumsAsInts()}: known enum values by name, unknown ones as numbers. */
  static ObjectNode enumNames(ObjectNode tree, Descriptor type) {
    return changed(tree, type, (object, t) -> {
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        FieldDescriptor f = field(t, e.getKey());
        if (f != null && f.getType() == FieldDescriptor.Type.ENUM && e.getValue().isInt()) {
          EnumValueDescriptor v = f.getEnumType().findValueByNumber(e.getValue().intValue());
          if (v != null) {
            e.setValue(NODES.textNode(v.getName()));
          }
        }
      }
    });
  }

  /**
   * {@code alwaysPrintFieldsWithNoPresence()}: absent repeated fields as empty arrays, absent
   * singular fields without presence at their defaults.
   */
  static ObjectNode withDefaults(ObjectNode tree, Descriptor type) {
    return changed(tree, type, (object, t) -> {
      for (FieldDescriptor f : t.getFields()) {
        if (object.has(f.getJsonName()) || object.has(f.getName())) {
          continue;
        }
        if (f.isRepeated()) {
          object.set(f.getJsonName(), NODES.arrayNode());
        } else if (!f.hasPresence()) {
          object.set(f.getJsonName(), defaultValue(f));
        }
      }
    });
  }

  private static JsonNode defaultValue(FieldDescriptor f) {
    switch (f.getType()) {
      case INT64: case SINT64: case SFIXED64: case UINT64: case FIXED64:
        return NODES.textNode("0");
      case DOUBLE: case FLOAT:
        return NODES.numberNode(0.0);
      case BOOL:
        return NODES.booleanNode(false);
      case STRING: case BYTES:
        return NODES.textNode("");
      default:
        return NODES.numberNode(0); // 32-bit integers, enums
    }
  }

  /** Protobuf's own JSON mapping: ids in base64, as every other bytes field. */
  static ObjectNode base64Ids(ObjectNode tree, Descriptor type) {
    return changed(tree, type, (object, t) -> {
      for (Map.Entry<String, JsonNode> e : object.properties()) {
        FieldDescriptor f = field(t, e.getKey());
        if (f != null && isId(f) && e.getValue().isTextual()) {
          e.setValue(NODES.textNode(Base64.getEncoder().encodeToString(HEX.parseHex(e.getValue().textValue()))));
        }
      }
    });
  }

  /** A scalar's text, as Gson's getAsString() gave it. */
  static String text(JsonNode value) {
    return value.isTextual() ? value.textValue() : value.asText();
  }

  static ArrayNode array() {
    return NODES.arrayNode();
  }
}
