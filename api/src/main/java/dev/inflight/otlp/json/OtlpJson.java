package dev.inflight.otlp.json;

import dev.inflight.otlp.wire.InvalidRequestException;
import dev.inflight.otlp.wire.OtlpRequestChecker;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * OTLP/JSON to protobuf, once, at the edge, and back. OTLP/JSON is protobuf's JSON mapping with one
 * difference: trace and span ids are hex strings, not base64. So the JSON is read into a Jackson
 * tree, the id fields (found through the message descriptors, under either spelling) are decoded
 * from hex, and {@link OtlpJsonTree} builds the message with protobuf's JSON rules (those of
 * protobuf-java-util's {@code JsonFormat}, which did this before): lowerCamelCase and snake_case
 * names, enums as names or numbers, 64-bit integers as strings or numbers, unknown fields ignored.
 *
 * <p>That path costs tens of µs of CPU per span, so the receiver's {@link #traces} and {@link
 * #metrics} first try {@link OtlpJsonTranscoder}, one streaming pass from the JSON bytes to the same
 * protobuf bytes; whatever it does not take (invalid input among it) comes here, which converts it
 * or refuses it with the reason.
 *
 * <p>The receiver keeps to the spec: hex ids only. {@link #parseObject} and {@link
 * #tracesHexOrBase64} are for code elsewhere that reads traces other services wrote in protobuf's
 * JSON mapping (base64 ids, as Grafana Tempo's jsonpb writes them) or in OTLP/JSON (hex).
 */
public final class OtlpJson {

  private OtlpJson() {}

  /** How trace and span ids are written. */
  private enum Ids {
    /** OTLP/JSON: hex only, as the spec says. */
    HEX,
    /** Hex or base64, told apart by which gives an id of the right length. */
    HEX_OR_BASE64
  }

  /**
   * An OTLP/JSON trace request as protobuf bytes: {@link OtlpJsonTranscoder}'s one streaming pass
   * when it takes the input (valid requests as clients write them), else the tree path below
   * (JsonFormat's rules), which converts what the fast path leaves to it or refuses with the reason.
   */
  public static byte[] traces(byte[] json) throws InvalidRequestException {
    byte[] fast = OtlpJsonTranscoder.tryTraces(json);
    return fast != null ? fast : convert(json, ExportTraceServiceRequest.newBuilder());
  }

  /** As {@link #traces}, for metrics. */
  public static byte[] metrics(byte[] json) throws InvalidRequestException {
    byte[] fast = OtlpJsonTranscoder.tryMetrics(json);
    return fast != null ? fast : convert(json, ExportMetricsServiceRequest.newBuilder());
  }

  /** As {@link #traces}, for logs. */
  public static byte[] logs(byte[] json) throws InvalidRequestException {
    byte[] fast = OtlpJsonTranscoder.tryLogs(json);
    return fast != null ? fast : convert(json, ExportLogsServiceRequest.newBuilder());
  }

  /**
   * One OTLP/JSON trace request (hex ids, as the receiver and the {@code file} exporter's {@code
   * format: json} write it) as protobuf bytes, for code outside the receiver that reads such
   * requests back (recordings).
   *
   * @throws InvalidProtocolBufferException when it is not one; the message says why
   */
  public static byte[] decodeTraces(byte[] json) throws InvalidProtocolBufferException {
    try {
      return traces(json);
    } catch (InvalidRequestException e) {
      throw invalid(e);
    }
  }

  /** As {@link #decodeTraces}, for a metrics request. */
  public static byte[] decodeMetrics(byte[] json) throws InvalidProtocolBufferException {
    try {
      return metrics(json);
    } catch (InvalidRequestException e) {
      throw invalid(e);
    }
  }

  /** As {@link #decodeTraces}, for a logs request. */
  public static byte[] decodeLogs(byte[] json) throws InvalidProtocolBufferException {
    try {
      return logs(json);
    } catch (InvalidRequestException e) {
      throw invalid(e);
    }
  }

  /** The slow path alone (what {@link #traces} falls back to), for tests that compare the two. */
  static byte[] tracesSlow(byte[] json) throws InvalidRequestException {
    return convert(json, ExportTraceServiceRequest.newBuilder());
  }

  /** The slow path alone, for metrics. */
  static byte[] metricsSlow(byte[] json) throws InvalidRequestException {
    return convert(json, ExportMetricsServiceRequest.newBuilder());
  }

  /** The slow path alone, for logs. */
  static byte[] logsSlow(byte[] json) throws InvalidRequestException {
    return convert(json, ExportLogsServiceRequest.newBuilder());
  }

  /**
   * One JSON object, read with the same checks as the receiver's (depth counted before parsing,
   * nothing after the object), for a caller that reshapes it before {@link #tracesHexOrBase64}.
   *
   * @throws InvalidProtocolBufferException when the bytes are not one JSON object; the message says
   *     why
   */
  public static ObjectNode parseObject(byte[] json) throws InvalidProtocolBufferException {
    try {
      return readObject(json, "JSON object");
    } catch (InvalidRequestException e) {
      throw invalid(e);
    }
  }

  /**
   * A trace request from its JSON tree, in OTLP/JSON or in protobuf's own JSON mapping: each trace
   * or span id may be hex (OTLP/JSON) or base64 (protobuf JSON; Grafana Tempo writes these),
   * whichever decodes to the id's length (16 bytes for a trace id, 8 for a span id); names in
   * lowerCamelCase or snake_case; unknown fields ignored. The tree's ids are rewritten in place.
   *
   * @throws InvalidProtocolBufferException when the tree is not such a request; the message says
   *     where
   */
  public static ExportTraceServiceRequest tracesHexOrBase64(ObjectNode tree)
      throws InvalidProtocolBufferException {
    ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
    try {
      merge(tree, builder, Ids.HEX_OR_BASE64);
    } catch (InvalidRequestException e) {
      throw invalid(e);
    }
    return builder.build();
  }

  /**
   * A request (traces, metrics or logs) as OTLP/JSON on one line: protobuf's JSON mapping with trace and
   * span ids in hex, what {@link #traces} and an OTLP/HTTP JSON receiver read back. Other OTLP
   * messages print the same way (the receiver's {@code google.rpc.Status} error bodies). Written by
   * {@link OtlpJsonPrinter} in one pass over the message.
   */
  public static String print(Message request) {
    return OtlpJsonPrinter.print(request);
  }

  private static InvalidProtocolBufferException invalid(InvalidRequestException e) {
    InvalidProtocolBufferException out = new InvalidProtocolBufferException(e.getMessage());
    out.initCause(e.getCause());
    return out;
  }

  /**
   * Deepest nesting of objects and arrays accepted: OTLP needs about a dozen levels plus three per
   * nested attribute value. Checked before parsing, as the tree reader recurses.
   */
  static final int MAX_JSON_DEPTH = 200;

  private static byte[] convert(byte[] json, Message.Builder builder) throws InvalidRequestException {
    ObjectNode tree = readObject(json, "an " + builder.getDescriptorForType().getName() + " object");
    merge(tree, builder, Ids.HEX);
    return builder.build().toByteArray();
  }

  /** @param expected what the top-level value should be, for the message when it is not */
  private static ObjectNode readObject(byte[] json, String expected) throws InvalidRequestException {
    checkDepth(json);
    JsonNode tree;
    try {
      // Decoded first, as the Gson reader before had it: malformed UTF-8 becomes U+FFFD, no encoding is guessed.
      tree = OtlpJsonTree.read(new String(json, StandardCharsets.UTF_8));
    } catch (IOException | RuntimeException e) {
      String message = e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage();
      throw InvalidRequestException.malformed("invalid JSON: " + shorten(message), e);
    }
    if (tree == null) {
      throw InvalidRequestException.malformed("invalid JSON: no value, expected " + expected);
    }
    if (!tree.isObject()) {
      throw InvalidRequestException.malformed("invalid JSON: expected " + expected);
    }
    return (ObjectNode) tree;
  }

  private static void merge(ObjectNode tree, Message.Builder builder, Ids ids) throws InvalidRequestException {
    rewriteIds(tree, builder.getDescriptorForType(), OtlpRequestChecker.MAX_DEPTH, 0,
        ids == Ids.HEX ? OtlpJson::hexId : OtlpJson::anyId);
    try {
      OtlpJsonTree.merge(tree, builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw InvalidRequestException.malformed(
          "not a valid OTLP/JSON " + builder.getDescriptorForType().getName() + ": "
              + shorten(e.getMessage()), e);
    }
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

  /** How one id is decoded: {@code field} is its proto name (trace_id, span_id, parent_span_id). */
  private interface IdDecoder {
    byte[] apply(String field, String id) throws InvalidRequestException;
  }

  /**
   * Decodes every trace_id / span_id / parent_span_id string value in the tree, in place, into a
   * binary node (from hex, or as {@link Ids} allows), before the tree is merged.
   */
  private static void rewriteIds(ObjectNode object, Descriptor type, int maxDepth, int depth, IdDecoder decoder)
      throws InvalidRequestException {
    if (depth > maxDepth) {
      throw InvalidRequestException.malformed("invalid JSON: nested deeper than " + maxDepth + " levels");
    }
    Map<String, FieldDescriptor> fields = OtlpJsonTree.fields(type);
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      FieldDescriptor f = fields.get(e.getKey());
      if (f == null) {
        continue;
      }
      JsonNode value = e.getValue();
      if (f.getType() == FieldDescriptor.Type.MESSAGE) {
        if (value.isObject()) {
          rewriteIds((ObjectNode) value, f.getMessageType(), maxDepth, depth + 1, decoder);
        } else if (value.isArray()) {
          for (JsonNode item : value) {
            if (item.isObject()) {
              rewriteIds((ObjectNode) item, f.getMessageType(), maxDepth, depth + 1, decoder);
            }
          }
        }
      } else if (OtlpJsonPrinter.isId(f) && value.isTextual()) {
        e.setValue(BinaryNode.valueOf(decoder.apply(f.getName(), value.textValue())));
      }
    }
  }

  static byte[] hexId(String field, String hex) throws InvalidRequestException {
    byte[] bytes = hexBytes(hex);
    if (bytes == null) {
      throw notHex(field, hex);
    }
    return bytes;
  }

  /**
   * A hex or base64 id's bytes. Both spellings are tried and the one that gives the id's length
   * (16 bytes for {@code trace_id}, 8 for the span ids) wins: a 32-character hex trace id is also
   * valid base64 (of 24 bytes), and a 16-character hex span id too (of 12). When neither gives the
   * right length (a malformed id) hex is preferred, then base64, as they decode.
   */
  static byte[] anyId(String field, String id) throws InvalidRequestException {
    if (id.isEmpty()) {
      return new byte[0];
    }
    int length = field.equals("trace_id") ? 16 : 8;
    byte[] hex = hexBytes(id);
    if (hex != null && hex.length == length) {
      return hex;
    }
    byte[] base64 = base64Bytes(id);
    if (base64 != null && (base64.length == length || hex == null)) {
      return base64;
    }
    if (hex != null) {
      return hex;
    }
    throw InvalidRequestException.malformed(
        field + " \"" + shorten(id) + "\" is neither a hex nor a base64 string");
  }

  private static byte[] hexBytes(String hex) {
    int n = hex.length();
    if (n % 2 != 0) {
      return null;
    }
    byte[] bytes = new byte[n / 2];
    for (int i = 0; i < n; i += 2) {
      int hi = hexDigit(hex.charAt(i));
      int lo = hexDigit(hex.charAt(i + 1));
      if (hi < 0 || lo < 0) {
        return null;
      }
      bytes[i / 2] = (byte) (hi << 4 | lo);
    }
    return bytes;
  }

  /** Standard or URL-safe alphabet, padded or not; null when it is neither. */
  private static byte[] base64Bytes(String s) {
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      try {
        return Base64.getUrlDecoder().decode(s);
      } catch (IllegalArgumentException e2) {
        return null;
      }
    }
  }

  /** The value of one hex digit, either case; -1 when {@code c} is not one. */
  static int hexDigit(char c) {
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
