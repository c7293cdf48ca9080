package dev.inflight.tools.analyze;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.Writer;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes spans as JSON lines, one flat object per span, for ad-hoc analysis ({@code jq}, DuckDB,
 * pandas): {@code trace_id}, {@code span_id}, {@code parent_span_id} (hex, "" for a root),
 * {@code name}, {@code service}, {@code worker_type} (null when none), {@code start_ns}, {@code
 * end_ns}, {@code duration_ms}, {@code status} (ok, error, unset), {@code attributes} and {@code
 * resource} (attributes as a JSON object: strings, booleans, integers and doubles as JSON values,
 * arrays as arrays, key-value lists as objects, bytes as base64), in that order.
 */
public final class SpanJsonl {
  private static final HexFormat HEX = HexFormat.of();
  private final JsonGenerator json;
  private final WorkerTypeSet types;
  private long spans;

  public SpanJsonl(Writer out, WorkerTypeSet types) throws IOException {
    this.json = new JsonFactory().createGenerator(out);
    this.json.setRootValueSeparator(null);
    this.json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    this.types = types;
  }

  /** Writes every span of the request, one line each. */
  public void write(ExportTraceServiceRequest request, Writer out) throws IOException {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      List<KeyValue> resource = rs.getResource().getAttributesList();
      String service = "";
      for (KeyValue kv : resource) {
        if (kv.getKey().equals("service.name") && kv.getValue().hasStringValue()) {
          service = kv.getValue().getStringValue();
          break;
        }
      }
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          span(s, service, resource);
          json.flush();
          out.write('\n');
          spans++;
        }
      }
    }
  }

  private void span(Span s, String service, List<KeyValue> resource) throws IOException {
    json.writeStartObject();
    json.writeStringField("trace_id", hex(s.getTraceId()));
    json.writeStringField("span_id", hex(s.getSpanId()));
    json.writeStringField("parent_span_id", hex(s.getParentSpanId()));
    json.writeStringField("name", s.getName());
    json.writeStringField("service", service);
    int type = types.typeOf(s.getName(), service.isEmpty() ? null : service);
    if (type < 0) {
      json.writeNullField("worker_type");
    } else {
      json.writeStringField("worker_type", types.name(type));
    }
    json.writeNumberField("start_ns", s.getStartTimeUnixNano());
    json.writeNumberField("end_ns", s.getEndTimeUnixNano());
    json.writeNumberField("duration_ms", (s.getEndTimeUnixNano() - s.getStartTimeUnixNano()) / 1e6);
    json.writeStringField("status", s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR ? "error"
        : s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_OK ? "ok" : "unset");
    json.writeFieldName("attributes");
    attributes(s.getAttributesList());
    json.writeFieldName("resource");
    attributes(resource);
    json.writeEndObject();
  }

  private void attributes(List<KeyValue> attributes) throws IOException {
    json.writeStartObject();
    for (KeyValue kv : attributes) {
      json.writeFieldName(kv.getKey());
      value(kv.getValue());
    }
    json.writeEndObject();
  }

  private void value(AnyValue v) throws IOException {
    switch (v.getValueCase()) {
      case STRING_VALUE -> json.writeString(v.getStringValue());
      case BOOL_VALUE -> json.writeBoolean(v.getBoolValue());
      case INT_VALUE -> json.writeNumber(v.getIntValue());
      case DOUBLE_VALUE -> {
        double d = v.getDoubleValue();
        if (Double.isFinite(d)) {
          json.writeNumber(d);
        } else {
          json.writeString(Double.toString(d)); // JSON has no NaN or Infinity
        }
      }
      case ARRAY_VALUE -> {
        json.writeStartArray();
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          value(e);
        }
        json.writeEndArray();
      }
      case KVLIST_VALUE -> attributes(v.getKvlistValue().getValuesList());
      case BYTES_VALUE -> json.writeString(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      default -> json.writeNull();
    }
  }

  private static String hex(ByteString id) {
    return HEX.formatHex(id.toByteArray());
  }

  /** Spans written so far. */
  public long spans() {
    return spans;
  }
}
