package dev.inflight.tests;

import static dev.inflight.tests.CanonicalSpans.attributes;
import static dev.inflight.tests.CanonicalSpans.hex;
import static dev.inflight.tests.CanonicalSpans.nullToEmpty;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inflight.tests.CanonicalSpans.Res;
import dev.inflight.tests.CanonicalSpans.Scope;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One log record with everything OTLP carries for it (its resource and scope included), in a form
 * that compares with {@code equals}, as {@link CanonicalSpans} is for spans: what a client sent (the
 * Java SDK's {@link LogRecordData}, the Node SDK's manifest) against what a backend received (a parsed
 * {@link ExportLogsServiceRequest}). Grouping into requests, resources and scopes does not matter;
 * every value does, its type included. Values are those of {@link CanonicalSpans#value}. A record
 * without a body and one whose body is the empty AnyValue are the same, as in the Collector's data
 * model (an SDK may send either for the same record: the Node SDK's JSON exporter writes
 * {@code "body":{}}, its protobuf exporter leaves the field out).
 */
final class CanonicalLogs {
  private CanonicalLogs() {}

  record Log(Res resource, Scope scope, long timeUnixNano, long observedTimeUnixNano, int severityNumber,
      String severityText, Object body, Map<String, Object> attributes, int droppedAttributes, int flags,
      String traceId, String spanId, String eventName) {
    /**
     * What tells the records of one fixture apart: their observed times (every fixture gives each
     * record its own, and a record without a time still has one).
     */
    long key() {
      return observedTimeUnixNano;
    }
  }

  /** Observed time to record, failing on a time seen twice (a duplicate delivery). */
  static Map<Long, Log> byKey(Collection<Log> logs) {
    return logs.stream().collect(Collectors.toMap(Log::key, Function.identity(), (a, b) -> {
      throw new AssertionError("log record observed at " + a.key() + " more than once:\n" + a + "\n" + b);
    }, TreeMap::new));
  }

  // ---- from OTLP protobuf (what a backend received)

  static List<Log> fromRequest(ExportLogsServiceRequest request) {
    List<Log> out = new ArrayList<>();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      var r = rl.getResource();
      Res res = new Res(attributes(r.getAttributesList()), rl.getSchemaUrl(), r.getDroppedAttributesCount());
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        var s = sl.getScope();
        Scope scope = new Scope(s.getName(), s.getVersion(), attributes(s.getAttributesList()), sl.getSchemaUrl());
        for (io.opentelemetry.proto.logs.v1.LogRecord l : sl.getLogRecordsList()) {
          out.add(new Log(res, scope, l.getTimeUnixNano(), l.getObservedTimeUnixNano(), l.getSeverityNumberValue(),
              l.getSeverityText(), CanonicalSpans.value(l.getBody()),
              attributes(l.getAttributesList()), l.getDroppedAttributesCount(), l.getFlags(), hex(l.getTraceId()),
              hex(l.getSpanId()), l.getEventName()));
        }
      }
    }
    return out;
  }

  // ---- from the OpenTelemetry Java SDK (what it sent)

  static Log fromSdk(LogRecordData l) {
    var r = l.getResource();
    Res res = new Res(attributes(r.getAttributes()), nullToEmpty(r.getSchemaUrl()), 0);
    InstrumentationScopeInfo i = l.getInstrumentationScopeInfo();
    Scope scope = new Scope(i.getName(), nullToEmpty(i.getVersion()), attributes(i.getAttributes()),
        nullToEmpty(i.getSchemaUrl()));
    SpanContext c = l.getSpanContext();
    Value<?> body = l.getBodyValue();
    return new Log(res, scope, l.getTimestampEpochNanos(), l.getObservedTimestampEpochNanos(),
        l.getSeverity().getSeverityNumber(), nullToEmpty(l.getSeverityText()),
        body == null ? CanonicalSpans.value(Value.empty()) : CanonicalSpans.value(body), attributes(l.getAttributes()),
        l.getTotalAttributeCount() - l.getAttributes().size(),
        // OTLP log flags are the W3C trace flags alone (no is_remote bits, unlike spans).
        c.isValid() ? c.getTraceFlags().asByte() & 0xff : 0,
        c.isValid() ? c.getTraceId() : "", c.isValid() ? c.getSpanId() : "", nullToEmpty(l.getEventName()));
  }

  // ---- from the Node SDK's manifest (tests/node/send-logs.mjs: what it sent)

  static List<Log> fromNodeManifest(JsonNode manifest) {
    List<Log> out = new ArrayList<>();
    for (JsonNode l : manifest.get("logs")) {
      JsonNode r = l.get("resource");
      JsonNode sc = l.get("scope");
      JsonNode body = l.get("body");
      out.add(new Log(new Res(CanonicalSpans.typed(r.get("attributes")), r.get("schemaUrl").asText(), 0),
          new Scope(sc.get("name").asText(), sc.get("version").asText(), Map.of(), sc.get("schemaUrl").asText()),
          Long.parseLong(l.get("timeUnixNano").asText()), Long.parseLong(l.get("observedTimeUnixNano").asText()),
          l.get("severityNumber").asInt(), l.get("severityText").asText(),
          CanonicalSpans.typedValue(body), CanonicalSpans.typed(l.get("attributes")),
          l.get("droppedAttributesCount").asInt(), l.get("flags").asInt(), l.get("traceId").asText(),
          l.get("spanId").asText(), l.get("eventName").asText()));
    }
    return out;
  }
}
