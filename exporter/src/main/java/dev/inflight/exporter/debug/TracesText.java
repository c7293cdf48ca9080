package dev.inflight.exporter.debug;

import static dev.inflight.exporter.debug.OtlpText.attributes;
import static dev.inflight.exporter.debug.OtlpText.field;
import static dev.inflight.exporter.debug.OtlpText.hex;
import static dev.inflight.exporter.debug.OtlpText.time;

import dev.inflight.component.config.DurationFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;

/** Spans as the debug exporter prints them: one line each (normal) or every field (detailed). */
final class TracesText {
  private TracesText() {}

  /** {@code <name> <trace id> <span id> <duration>} per span, e.g. {@code GET /a 4bf9… 00f0… 1.5ms}. */
  static String normal(ExportTraceServiceRequest request) {
    StringBuilder out = new StringBuilder();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          out.append(span.getName()).append(' ').append(hex(span.getTraceId())).append(' ')
              .append(hex(span.getSpanId())).append(' ').append(duration(span)).append('\n');
        }
      }
    }
    return out.toString();
  }

  /** The Collector's detailed layout (otlptext), with RFC 3339 times. */
  static String detailed(ExportTraceServiceRequest request) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < request.getResourceSpansCount(); i++) {
      ResourceSpans rs = request.getResourceSpans(i);
      out.append("ResourceSpans #").append(i).append('\n');
      out.append("Resource SchemaURL: ").append(rs.getSchemaUrl()).append('\n');
      attributes(out, "", "Resource attributes", rs.getResource().getAttributesList());
      for (int j = 0; j < rs.getScopeSpansCount(); j++) {
        ScopeSpans ss = rs.getScopeSpans(j);
        out.append("ScopeSpans #").append(j).append('\n');
        out.append("ScopeSpans SchemaURL: ").append(ss.getSchemaUrl()).append('\n');
        OtlpText.scope(out, ss.getScope());
        for (int k = 0; k < ss.getSpansCount(); k++) {
          out.append("Span #").append(k).append('\n');
          span(out, ss.getSpans(k));
        }
      }
    }
    return out.toString();
  }

  private static void span(StringBuilder out, Span span) {
    field(out, "Trace ID", hex(span.getTraceId()));
    field(out, "Parent ID", hex(span.getParentSpanId()));
    field(out, "ID", hex(span.getSpanId()));
    field(out, "Name", span.getName());
    field(out, "Kind", kind(span.getKind()));
    if (!span.getTraceState().isEmpty()) {
      field(out, "TraceState", span.getTraceState());
    }
    field(out, "Start time", time(span.getStartTimeUnixNano()));
    field(out, "End time", time(span.getEndTimeUnixNano()));
    field(out, "Duration", duration(span));
    field(out, "Status code", status(span.getStatus().getCode()));
    field(out, "Status message", span.getStatus().getMessage());
    attributes(out, "", "Attributes", span.getAttributesList());
    if (span.getEventsCount() > 0) {
      out.append("Events:\n");
      for (int i = 0; i < span.getEventsCount(); i++) {
        Span.Event e = span.getEvents(i);
        out.append("SpanEvent #").append(i).append('\n');
        out.append("     -> Name: ").append(e.getName()).append('\n');
        out.append("     -> Timestamp: ").append(time(e.getTimeUnixNano())).append('\n');
        out.append("     -> DroppedAttributesCount: ").append(e.getDroppedAttributesCount()).append('\n');
        attributes(out, "     ", "-> Attributes", e.getAttributesList());
      }
    }
    if (span.getLinksCount() > 0) {
      out.append("Links:\n");
      for (int i = 0; i < span.getLinksCount(); i++) {
        Span.Link l = span.getLinks(i);
        out.append("SpanLink #").append(i).append('\n');
        out.append("     -> Trace ID: ").append(hex(l.getTraceId())).append('\n');
        out.append("     -> ID: ").append(hex(l.getSpanId())).append('\n');
        out.append("     -> TraceState: ").append(l.getTraceState()).append('\n');
        out.append("     -> DroppedAttributesCount: ").append(l.getDroppedAttributesCount()).append('\n');
        attributes(out, "     ", "-> Attributes", l.getAttributesList());
      }
    }
  }

  /** Go spelling ({@code 1.5ms}); what a reader of a span line wants first after its name. */
  static String duration(Span span) {
    return DurationFormat.format(
        Duration.ofNanos(span.getEndTimeUnixNano() - span.getStartTimeUnixNano()));
  }

  /** pdata's names: {@code Server}, {@code Client}, ... */
  static String kind(Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_INTERNAL -> "Internal";
      case SPAN_KIND_SERVER -> "Server";
      case SPAN_KIND_CLIENT -> "Client";
      case SPAN_KIND_PRODUCER -> "Producer";
      case SPAN_KIND_CONSUMER -> "Consumer";
      default -> "Unspecified";
    };
  }

  static String status(Status.StatusCode code) {
    return switch (code) {
      case STATUS_CODE_OK -> "Ok";
      case STATUS_CODE_ERROR -> "Error";
      default -> "Unset";
    };
  }
}
