package dev.inflight.exporter.debug;

import static dev.inflight.exporter.debug.OtlpText.attributes;
import static dev.inflight.exporter.debug.OtlpText.hex;
import static dev.inflight.exporter.debug.OtlpText.plain;
import static dev.inflight.exporter.debug.OtlpText.time;
import static dev.inflight.exporter.debug.OtlpText.typed;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import java.util.List;
import java.util.Locale;

/**
 * Log records as the Collector's debug exporter prints them: a line per record under a line per
 * resource and scope (normal), or every field (detailed).
 */
final class LogsText {
  private static final String SEVERITY_PREFIX = "SEVERITY_NUMBER_";

  private LogsText() {}

  /**
   * The Collector's normal layout: {@code ResourceLog #0 [schema URL] k=v ...}, {@code ScopeLog #0
   * name@version [schema URL] k=v ...}, then per record its body and its attributes on one line,
   * {@code <body> k=v k=v} (a multi-line body stays multi-line, as there).
   */
  static String normal(ExportLogsServiceRequest request) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < request.getResourceLogsCount(); i++) {
      ResourceLogs rl = request.getResourceLogs(i);
      out.append("ResourceLog #").append(i);
      if (!rl.getSchemaUrl().isEmpty()) {
        out.append(" [").append(rl.getSchemaUrl()).append(']');
      }
      pairs(out, rl.getResource().getAttributesList());
      out.append('\n');
      for (int j = 0; j < rl.getScopeLogsCount(); j++) {
        ScopeLogs sl = rl.getScopeLogs(j);
        out.append("ScopeLog #").append(j).append(scopeDetails(sl.getScope(), sl.getSchemaUrl()));
        pairs(out, sl.getScope().getAttributesList());
        out.append('\n');
        for (LogRecord record : sl.getLogRecordsList()) {
          // The Collector writes "%s %s": the space comes even when there are no attributes.
          out.append(plain(record.getBody())).append(' ');
          List<KeyValue> attributes = record.getAttributesList();
          for (int k = 0; k < attributes.size(); k++) {
            out.append(k == 0 ? "" : " ").append(attributes.get(k).getKey()).append('=')
                .append(plain(attributes.get(k).getValue()));
          }
          out.append('\n');
        }
      }
    }
    return out.toString();
  }

  /** {@code " k=v k=v"}, nothing when there are none. */
  private static void pairs(StringBuilder out, List<KeyValue> attributes) {
    for (KeyValue kv : attributes) {
      out.append(' ').append(kv.getKey()).append('=').append(plain(kv.getValue()));
    }
  }

  /** {@code " name@version [schema URL]"}, each part only when set. */
  private static String scopeDetails(InstrumentationScope scope, String schemaUrl) {
    String details = scope.getName();
    if (!scope.getVersion().isEmpty()) {
      details += "@" + scope.getVersion();
    }
    if (!schemaUrl.isEmpty()) {
      details += (details.isEmpty() ? "" : " ") + "[" + schemaUrl + "]";
    }
    return details.isEmpty() ? "" : " " + details;
  }

  /** The Collector's detailed layout (otlptext), with RFC 3339 times. */
  static String detailed(ExportLogsServiceRequest request) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < request.getResourceLogsCount(); i++) {
      ResourceLogs rl = request.getResourceLogs(i);
      out.append("ResourceLog #").append(i).append('\n');
      out.append("Resource SchemaURL: ").append(rl.getSchemaUrl()).append('\n');
      attributes(out, "", "Resource attributes", rl.getResource().getAttributesList());
      for (int j = 0; j < rl.getScopeLogsCount(); j++) {
        ScopeLogs sl = rl.getScopeLogs(j);
        out.append("ScopeLogs #").append(j).append('\n');
        out.append("ScopeLogs SchemaURL: ").append(sl.getSchemaUrl()).append('\n');
        OtlpText.scope(out, sl.getScope());
        for (int k = 0; k < sl.getLogRecordsCount(); k++) {
          out.append("LogRecord #").append(k).append('\n');
          record(out, sl.getLogRecords(k));
        }
      }
    }
    return out.toString();
  }

  private static void record(StringBuilder out, LogRecord record) {
    out.append("ObservedTimestamp: ").append(time(record.getObservedTimeUnixNano())).append('\n');
    out.append("Timestamp: ").append(time(record.getTimeUnixNano())).append('\n');
    out.append("SeverityText: ").append(record.getSeverityText()).append('\n');
    out.append("SeverityNumber: ").append(severity(record.getSeverityNumber()))
        .append('(').append(record.getSeverityNumberValue()).append(")\n");
    if (!record.getEventName().isEmpty()) {
      out.append("EventName: ").append(record.getEventName()).append('\n');
    }
    out.append("Body: ").append(typed(record.getBody())).append('\n');
    attributes(out, "", "Attributes", record.getAttributesList());
    out.append("Trace ID: ").append(hex(record.getTraceId())).append('\n');
    out.append("Span ID: ").append(hex(record.getSpanId())).append('\n');
    out.append("Flags: ").append(Integer.toUnsignedString(record.getFlags())).append('\n');
  }

  /** pdata's names: {@code Info}, {@code Warn2}, {@code Unspecified}; empty for a number OTLP does not define. */
  static String severity(SeverityNumber severity) {
    if (severity == SeverityNumber.UNRECOGNIZED) {
      return "";
    }
    String name = severity.name().substring(SEVERITY_PREFIX.length());
    return name.charAt(0) + name.substring(1).toLowerCase(Locale.ROOT);
  }
}
