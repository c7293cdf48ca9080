package dev.inflight.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One span with everything OTLP carries for it (its resource and scope included), in a form that
 * compares with {@code equals}: what a client sent (the Java SDK's {@link SpanData}, the Node SDK's
 * manifest) against what a backend received (a parsed {@link ExportTraceServiceRequest}). How spans
 * are grouped into requests, resources and scopes does not matter; every value does, its type included
 * (an int 3 is not a double 3.0). Attribute values are String, Boolean, Long, Double, List (arrays),
 * Map (kvlists) or byte[] wrapped as {@link Bytes}; {@link CanonicalLogs} uses the same values.
 */
final class CanonicalSpans {
  private CanonicalSpans() {}

  record Res(Map<String, Object> attributes, String schemaUrl, int droppedAttributes) {}

  record Scope(String name, String version, Map<String, Object> attributes, String schemaUrl) {}

  record Event(String name, long timeUnixNano, Map<String, Object> attributes, int droppedAttributes) {}

  record Link(String traceId, String spanId, String traceState, int flags, Map<String, Object> attributes,
      int droppedAttributes) {}

  record Span(Res resource, Scope scope, String traceId, String spanId, String traceState, String parentSpanId,
      int flags, String name, int kind, long startTimeUnixNano, long endTimeUnixNano, Map<String, Object> attributes,
      int droppedAttributes, List<Event> events, int droppedEvents, List<Link> links, int droppedLinks,
      int statusCode, String statusMessage) {}

  record Bytes(String hex) {}

  /** Span id to span, failing on a span id seen twice. */
  static Map<String, Span> bySpanId(Collection<Span> spans) {
    return spans.stream().collect(Collectors.toMap(Span::spanId, Function.identity(), (a, b) -> {
      throw new AssertionError("span id " + a.spanId() + " more than once:\n" + a + "\n" + b);
    }, TreeMap::new));
  }

  // ---- from OTLP protobuf (what a backend received)

  static List<Span> fromRequest(ExportTraceServiceRequest request) {
    List<Span> out = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Resource r = rs.getResource();
      Res res = new Res(attributes(r.getAttributesList()), rs.getSchemaUrl(), r.getDroppedAttributesCount());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        var s = ss.getScope();
        Scope scope = new Scope(s.getName(), s.getVersion(), attributes(s.getAttributesList()), ss.getSchemaUrl());
        for (io.opentelemetry.proto.trace.v1.Span span : ss.getSpansList()) {
          out.add(new Span(res, scope, hex(span.getTraceId()), hex(span.getSpanId()), span.getTraceState(),
              hex(span.getParentSpanId()), span.getFlags(), span.getName(), span.getKindValue(),
              span.getStartTimeUnixNano(), span.getEndTimeUnixNano(), attributes(span.getAttributesList()),
              span.getDroppedAttributesCount(),
              span.getEventsList().stream().map(e -> new Event(e.getName(), e.getTimeUnixNano(),
                  attributes(e.getAttributesList()), e.getDroppedAttributesCount())).toList(),
              span.getDroppedEventsCount(),
              span.getLinksList().stream().map(l -> new Link(hex(l.getTraceId()), hex(l.getSpanId()),
                  l.getTraceState(), l.getFlags(), attributes(l.getAttributesList()), l.getDroppedAttributesCount()))
                  .toList(),
              span.getDroppedLinksCount(), span.getStatus().getCodeValue(), span.getStatus().getMessage()));
        }
      }
    }
    return out;
  }

  static String hex(ByteString b) {
    return HexFormat.of().formatHex(b.toByteArray());
  }

  static Map<String, Object> attributes(List<KeyValue> kvs) {
    Map<String, Object> out = new TreeMap<>();
    for (KeyValue kv : kvs) {
      if (out.put(kv.getKey(), value(kv.getValue())) != null) {
        throw new AssertionError("attribute " + kv.getKey() + " more than once in " + kvs);
      }
    }
    return out;
  }

  static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> v.getBoolValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(CanonicalSpans::value).toList();
      case KVLIST_VALUE -> attributes(v.getKvlistValue().getValuesList());
      case BYTES_VALUE -> new Bytes(hex(v.getBytesValue()));
      case VALUE_NOT_SET -> "<empty AnyValue>";
      default -> "<AnyValue " + v.getValueCase() + ">";
    };
  }

  // ---- from the OpenTelemetry Java SDK (what it sent)

  /** OTLP span flags: the W3C trace flags, plus "has is_remote" and "is_remote" (bits 8 and 9). */
  static int flags(SpanContext context, boolean remote) {
    return (context.getTraceFlags().asByte() & 0xff) | 0x100 | (remote ? 0x200 : 0);
  }

  static Span fromSdk(SpanData s) {
    var r = s.getResource();
    Res res = new Res(attributes(r.getAttributes()), nullToEmpty(r.getSchemaUrl()), 0);
    InstrumentationScopeInfo i = s.getInstrumentationScopeInfo();
    Scope scope = new Scope(i.getName(), nullToEmpty(i.getVersion()), attributes(i.getAttributes()),
        nullToEmpty(i.getSchemaUrl()));
    SpanContext parent = s.getParentSpanContext();
    return new Span(res, scope, s.getTraceId(), s.getSpanId(), traceState(s.getSpanContext().getTraceState()),
        parent.isValid() ? parent.getSpanId() : "", flags(s.getSpanContext(), parent.isRemote()), s.getName(),
        s.getKind().ordinal() + 1, // INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER: OTLP's 1..5
        s.getStartEpochNanos(), s.getEndEpochNanos(), attributes(s.getAttributes()),
        s.getTotalAttributeCount() - s.getAttributes().size(),
        s.getEvents().stream().map(CanonicalSpans::event).toList(),
        s.getTotalRecordedEvents() - s.getEvents().size(),
        s.getLinks().stream().map(CanonicalSpans::link).toList(),
        s.getTotalRecordedLinks() - s.getLinks().size(),
        s.getStatus().getStatusCode().ordinal(), // UNSET, OK, ERROR: OTLP's 0..2
        s.getStatus().getDescription());
  }

  private static Event event(EventData e) {
    return new Event(e.getName(), e.getEpochNanos(), attributes(e.getAttributes()), e.getDroppedAttributesCount());
  }

  private static Link link(LinkData l) {
    SpanContext c = l.getSpanContext();
    return new Link(c.getTraceId(), c.getSpanId(), traceState(c.getTraceState()), flags(c, c.isRemote()),
        attributes(l.getAttributes()), l.getTotalAttributeCount() - l.getAttributes().size());
  }

  private static String traceState(TraceState ts) {
    List<String> entries = new ArrayList<>();
    ts.forEach((k, v) -> entries.add(k + "=" + v));
    return String.join(",", entries);
  }

  static Map<String, Object> attributes(Attributes attributes) {
    Map<String, Object> out = new TreeMap<>();
    attributes.forEach((AttributeKey<?> k, Object v) -> out.put(k.getKey(), switch (k.getType()) {
      case STRING, BOOLEAN, LONG, DOUBLE, STRING_ARRAY, BOOLEAN_ARRAY, LONG_ARRAY, DOUBLE_ARRAY -> v;
      case VALUE -> value((Value<?>) v);
    }));
    return out;
  }

  /** The SDK's {@link Value} (a log body, a VALUE attribute) in the form {@link #value(AnyValue)} gives. */
  @SuppressWarnings("unchecked")
  static Object value(Value<?> v) {
    return switch (v.getType()) {
      case STRING, BOOLEAN, LONG, DOUBLE -> v.getValue();
      case ARRAY -> ((List<Value<?>>) v.getValue()).stream().map(CanonicalSpans::value).toList();
      case KEY_VALUE_LIST -> {
        Map<String, Object> out = new TreeMap<>();
        for (io.opentelemetry.api.common.KeyValue kv : (List<io.opentelemetry.api.common.KeyValue>) v.getValue()) {
          if (out.put(kv.getKey(), value(kv.getValue())) != null) {
            throw new AssertionError("key " + kv.getKey() + " more than once in " + v);
          }
        }
        yield out;
      }
      case BYTES -> {
        ByteBuffer b = ((ByteBuffer) v.getValue()).duplicate();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        yield new Bytes(HexFormat.of().formatHex(bytes));
      }
      case EMPTY -> "<empty AnyValue>";
    };
  }

  static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  // ---- from the Node SDK's manifest (tests/node/send-spans.mjs: what it sent)

  static List<Span> fromNodeManifest(JsonNode manifest) {
    List<Span> out = new ArrayList<>();
    for (JsonNode s : manifest.get("spans")) {
      JsonNode r = s.get("resource");
      JsonNode sc = s.get("scope");
      JsonNode status = s.get("status");
      List<Event> events = new ArrayList<>();
      s.get("events").forEach(e -> events.add(new Event(e.get("name").asText(), Long.parseLong(e.get("timeUnixNano").asText()),
          typed(e.get("attributes")), e.get("droppedAttributesCount").asInt())));
      List<Link> links = new ArrayList<>();
      s.get("links").forEach(l -> links.add(new Link(l.get("traceId").asText(), l.get("spanId").asText(),
          l.get("traceState").asText(), l.get("flags").asInt(), typed(l.get("attributes")),
          l.get("droppedAttributesCount").asInt())));
      out.add(new Span(new Res(typed(r.get("attributes")), r.get("schemaUrl").asText(), 0),
          new Scope(sc.get("name").asText(), sc.get("version").asText(), Map.of(), sc.get("schemaUrl").asText()),
          s.get("traceId").asText(), s.get("spanId").asText(), s.get("traceState").asText(),
          s.get("parentSpanId").asText(), s.get("flags").asInt(), s.get("name").asText(), s.get("kind").asInt(),
          Long.parseLong(s.get("startTimeUnixNano").asText()), Long.parseLong(s.get("endTimeUnixNano").asText()),
          typed(s.get("attributes")), s.get("droppedAttributesCount").asInt(), events,
          s.get("droppedEventsCount").asInt(), links, s.get("droppedLinksCount").asInt(),
          status.get("code").asInt(), status.get("message").asText()));
    }
    return out;
  }

  static Map<String, Object> typed(JsonNode attributes) {
    Map<String, Object> out = new TreeMap<>();
    attributes.properties().forEach(e -> out.put(e.getKey(), typedValue(e.getValue())));
    return out;
  }

  /**
   * {@code [type, value]}, type s|b|i|d|a (string, bool, int as a decimal string, double, array), and
   * for log bodies and attributes also m (a map of typed values), y (bytes as hex) and e (empty).
   */
  static Object typedValue(JsonNode tv) {
    JsonNode v = tv.get(1);
    return switch (tv.get(0).asText()) {
      case "s" -> v.asText();
      case "b" -> v.asBoolean();
      case "i" -> Long.parseLong(v.asText());
      case "d" -> v.asDouble();
      case "a" -> {
        List<Object> values = new ArrayList<>();
        v.forEach(x -> values.add(typedValue(x)));
        yield values;
      }
      case "m" -> typed(v);
      case "y" -> new Bytes(v.asText());
      case "e" -> "<empty AnyValue>";
      default -> throw new IllegalArgumentException("manifest value " + tv);
    };
  }
}
