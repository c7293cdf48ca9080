package dev.inflight.extension.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.inflight.otlp.json.OtlpJson;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * A trace as Grafana Tempo writes it in JSON, read into OTLP. Tempo has written four shapes over the
 * years, all protobuf JSON from Go's jsonpb (ids in base64, 64-bit integers as strings, enums by
 * name):
 *
 * <ul>
 *   <li>{@code GET /api/traces/{id}}, Tempo 1.x: {@code {"batches":[{"resource":…,
 *       "instrumentationLibrarySpans":[{"instrumentationLibrary":…,"spans":[…]}]}]}} (OTLP before
 *       0.18, whose ResourceSpans field 2 has since been renamed; OTLP now reserves the JSON name);
 *   <li>{@code GET /api/traces/{id}}, Tempo 2.x and later: {@code {"batches":[{"resource":…,
 *       "scopeSpans":[…]}]}} (tempopb.Trace's {@code resourceSpans} renamed back to {@code batches}
 *       for compatibility, see Tempo's {@code MarshalToJSONV1});
 *   <li>{@code GET /api/v2/traces/{id}}: {@code {"trace":{"resourceSpans":[…]},"metrics":…,
 *       "status":…,"message":…}} (a TraceByIDResponse);
 *   <li>a bare tempopb.Trace, {@code {"resourceSpans":[…]}}.
 * </ul>
 *
 * <p>OTLP/JSON proper ({@code {"resourceSpans":[…]}} with hex ids) is read too, as a proxy in front
 * of Tempo may answer with it: each id is taken as hex or base64, whichever gives an id of the right
 * length. Unknown fields are ignored.
 */
final class TempoTraceJson {
  private TempoTraceJson() {}

  /**
   * @throws InvalidProtocolBufferException when the bytes are not JSON, or are JSON but not a trace
   *     in any of the shapes above; the message says which
   */
  static ExportTraceServiceRequest parse(byte[] json) throws InvalidProtocolBufferException {
    ObjectNode root = OtlpJson.parseObject(json);
    ObjectNode trace = unwrap(root);
    ArrayNode resourceSpans = merge(trace, List.of("batches", "resourceSpans", "resource_spans"));
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    if (resourceSpans != null) {
      for (JsonNode rs : resourceSpans) {
        if (rs.isObject()) {
          scopeSpansFromInstrumentationLibrarySpans((ObjectNode) rs);
        }
      }
      request.set("resourceSpans", resourceSpans);
    }
    return OtlpJson.tracesHexOrBase64(request);
  }

  /** The trace object: the v2 answer's {@code trace}, or the document itself. */
  private static ObjectNode unwrap(ObjectNode root) throws InvalidProtocolBufferException {
    if (root.has("batches") || root.has("resourceSpans") || root.has("resource_spans")) {
      return root;
    }
    if (root.has("trace")) {
      JsonNode trace = root.get("trace");
      if (trace.isNull()) {
        return JsonNodeFactory.instance.objectNode();
      }
      if (!trace.isObject()) {
        throw new InvalidProtocolBufferException("JSON \"trace\" is not an object");
      }
      return (ObjectNode) trace;
    }
    if (root.size() == 0) {
      return root; // an empty trace, as Tempo writes one
    }
    throw new InvalidProtocolBufferException(
        "JSON is not a trace: expected \"batches\", \"resourceSpans\" or \"trace\", found "
            + shorten(String.join(", ", names(root))));
  }

  /** Renames ResourceSpans' OTLP-before-0.18 fields to today's, merging with today's when both are there. */
  private static List<String> names(ObjectNode o) {
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void scopeSpansFromInstrumentationLibrarySpans(ObjectNode resourceSpans)
      throws InvalidProtocolBufferException {
    List<String> names = List.of("scopeSpans", "scope_spans", "instrumentationLibrarySpans", "instrumentation_library_spans");
    ArrayNode scopeSpans = merge(resourceSpans, names);
    if (scopeSpans == null) {
      return;
    }
    for (JsonNode ss : scopeSpans) {
      if (ss.isObject()) {
        ObjectNode o = (ObjectNode) ss;
        JsonNode library = o.remove("instrumentationLibrary");
        if (library == null) {
          library = o.remove("instrumentation_library");
        }
        if (library != null && !o.has("scope")) {
          o.set("scope", library);
        }
      }
    }
    resourceSpans.set("scopeSpans", scopeSpans);
  }

  /**
   * Removes each of {@code names} from {@code o} and returns their arrays' elements in one array,
   * or null when none is there (or all are null).
   */
  private static ArrayNode merge(ObjectNode o, List<String> names) throws InvalidProtocolBufferException {
    ArrayNode out = null;
    for (String name : names) {
      JsonNode value = o.remove(name);
      if (value == null || value.isNull()) {
        continue;
      }
      if (!value.isArray()) {
        throw new InvalidProtocolBufferException("JSON \"" + name + "\" is not an array");
      }
      if (out == null) {
        out = (ArrayNode) value;
      } else {
        out.addAll((ArrayNode) value);
      }
    }
    return out;
  }

  private static String shorten(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
