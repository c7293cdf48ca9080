package dev.inflight.pdata.testing;

import com.google.protobuf.ByteString;
import dev.inflight.pdata.Logs;
import dev.inflight.pdata.Metrics;
import dev.inflight.pdata.Traces;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Optional;

/** Builds OTLP requests for tests, with the opentelemetry-proto classes. */
public final class TestData {
  private TestData() {}

  public static KeyValue attr(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  /**
   * A {@code resource_spans} without scopes: its resource has {@code service.name} and {@code
   * host.name}, its schema URL is semantic conventions 1.21.0.
   */
  public static ResourceSpans.Builder resourceSpans(String serviceName, String hostName) {
    return ResourceSpans.newBuilder()
        .setResource(
            Resource.newBuilder()
                .addAttributes(attr("service.name", serviceName))
                .addAttributes(attr("host.name", hostName)))
        .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0");
  }

  /**
   * A request with {@code spansPerScope[r][s]} spans in scope {@code s} of resource {@code r}. Every
   * span has attributes, an event and a status, every resource and scope has attributes, so a
   * decoder that miscounts nested fields shows it.
   */
  public static ExportTraceServiceRequest traceRequest(int[][] spansPerScope) {
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    long t = 1_700_000_000_000_000_000L;
    int spanNo = 0;
    for (int r = 0; r < spansPerScope.length; r++) {
      ResourceSpans.Builder rs = resourceSpans("svc-" + r, "host-" + r);
      for (int s = 0; s < spansPerScope[r].length; s++) {
        ScopeSpans.Builder ss =
            ScopeSpans.newBuilder()
                .setScope(
                    InstrumentationScope.newBuilder()
                        .setName("scope-" + s)
                        .setVersion("1.0")
                        .addAttributes(attr("scope.attr", "x")));
        for (int i = 0; i < spansPerScope[r][s]; i++) {
          spanNo++;
          byte[] traceId = new byte[16];
          traceId[15] = (byte) r;
          traceId[0] = 1;
          byte[] spanId = new byte[8];
          spanId[7] = (byte) spanNo;
          spanId[6] = (byte) (spanNo >> 8);
          spanId[0] = 2;
          ss.addSpans(
              Span.newBuilder()
                  .setTraceId(ByteString.copyFrom(traceId))
                  .setSpanId(ByteString.copyFrom(spanId))
                  .setName("account worker " + i)
                  .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                  .setStartTimeUnixNano(t + i * 1_000_000L)
                  .setEndTimeUnixNano(t + i * 1_000_000L + 5_000_000L)
                  .addAttributes(attr("job.id", "job-" + i))
                  .addAttributes(attr("queue", "q" + (i % 3)))
                  .addEvents(
                      Span.Event.newBuilder()
                          .setName("retry")
                          .setTimeUnixNano(t + i * 1_000_000L + 1_000L)
                          .addAttributes(attr("attempt", "2")))
                  .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_OK)));
        }
        rs.addScopeSpans(ss);
      }
      req.addResourceSpans(rs);
    }
    return req.build();
  }

  /** One resource, one scope, {@code spans} spans. */
  public static Traces traces(int spans) {
    return Traces.of(traceRequest(new int[][] {{spans}}));
  }

  /** One gauge per entry, with {@code points[i]} data points. */
  public static ExportMetricsServiceRequest metricsRequest(int... points) {
    ScopeMetrics.Builder sm = ScopeMetrics.newBuilder();
    for (int m = 0; m < points.length; m++) {
      Gauge.Builder g = Gauge.newBuilder();
      for (int p = 0; p < points[m]; p++) {
        g.addDataPoints(NumberDataPoint.newBuilder().setAsInt(p).setTimeUnixNano(1_000L + p));
      }
      sm.addMetrics(Metric.newBuilder().setName("m" + m).setGauge(g));
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(
            ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(attr("service.name", "svc")))
                .addScopeMetrics(sm))
        .build();
  }

  public static Metrics metrics(int... points) {
    return Metrics.of(metricsRequest(points));
  }

  /**
   * A log body of each {@link AnyValue} kind in turn ({@code i % 8}: string, bool, int, double,
   * bytes, array, kvlist, unset), so codecs see every kind.
   */
  public static AnyValue logBody(int i) {
    AnyValue.Builder v = AnyValue.newBuilder();
    switch (i % 8) {
      case 0 -> v.setStringValue("user 42 logged in: ünïcødé ✓ \"quoted\"");
      case 1 -> v.setBoolValue(i % 16 == 1);
      case 2 -> v.setIntValue(-1L - i * 1_000_000_007L);
      case 3 -> v.setDoubleValue(i + 0.25);
      case 4 -> v.setBytesValue(ByteString.copyFrom(new byte[] {0, 1, (byte) 0xFE, (byte) i}));
      case 5 ->
          v.setArrayValue(
              ArrayValue.newBuilder()
                  .addValues(AnyValue.newBuilder().setStringValue("a"))
                  .addValues(AnyValue.newBuilder().setIntValue(i))
                  .addValues(
                      AnyValue.newBuilder()
                          .setArrayValue(ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setBoolValue(true)))));
      case 6 ->
          v.setKvlistValue(
              KeyValueList.newBuilder()
                  .addValues(attr("event", "checkout"))
                  .addValues(
                      KeyValue.newBuilder()
                          .setKey("nested")
                          .setValue(
                              AnyValue.newBuilder()
                                  .setKvlistValue(
                                      KeyValueList.newBuilder()
                                          .addValues(
                                              KeyValue.newBuilder()
                                                  .setKey("n")
                                                  .setValue(AnyValue.newBuilder().setDoubleValue(1.5)))))));
      default -> {} // unset: a record without a body
    }
    return v.build();
  }

  /**
   * A request with {@code recordsPerScope[r][s]} log records in scope {@code s} of resource {@code
   * r}. Bodies cycle through every {@link AnyValue} kind ({@link #logBody}); records have
   * severities, attributes, both timestamps, and every other one trace context (trace id, span id,
   * flags), so a codec that drops or garbles a field shows it.
   */
  public static ExportLogsServiceRequest logsRequest(int[][] recordsPerScope) {
    ExportLogsServiceRequest.Builder req = ExportLogsServiceRequest.newBuilder();
    long t = 1_700_000_000_000_000_000L;
    int no = 0;
    SeverityNumber[] severities = {
      SeverityNumber.SEVERITY_NUMBER_INFO, SeverityNumber.SEVERITY_NUMBER_WARN,
      SeverityNumber.SEVERITY_NUMBER_ERROR, SeverityNumber.SEVERITY_NUMBER_DEBUG
    };
    for (int r = 0; r < recordsPerScope.length; r++) {
      ResourceLogs.Builder rl =
          ResourceLogs.newBuilder()
              .setResource(
                  Resource.newBuilder()
                      .addAttributes(attr("service.name", "svc-" + r))
                      .addAttributes(attr("host.name", "host-" + r)))
              .setSchemaUrl("https://opentelemetry.io/schemas/1.21.0");
      for (int s = 0; s < recordsPerScope[r].length; s++) {
        ScopeLogs.Builder sl =
            ScopeLogs.newBuilder()
                .setScope(InstrumentationScope.newBuilder().setName("logger-" + s).setVersion("2.0"));
        for (int i = 0; i < recordsPerScope[r][s]; i++) {
          SeverityNumber severity = severities[no % severities.length];
          LogRecord.Builder lr =
              LogRecord.newBuilder()
                  .setTimeUnixNano(t + no * 1_000_000L)
                  .setObservedTimeUnixNano(t + no * 1_000_000L + 7)
                  .setSeverityNumber(severity)
                  .setSeverityText(severity.name().substring("SEVERITY_NUMBER_".length()))
                  .setBody(logBody(no))
                  .addAttributes(attr("log.no", "n" + no))
                  .addAttributes(
                      KeyValue.newBuilder().setKey("count").setValue(AnyValue.newBuilder().setIntValue(no)));
          if (no % 2 == 0) {
            byte[] traceId = new byte[16];
            traceId[0] = 3;
            traceId[15] = (byte) no;
            byte[] spanId = new byte[8];
            spanId[0] = 4;
            spanId[7] = (byte) no;
            lr.setTraceId(ByteString.copyFrom(traceId)).setSpanId(ByteString.copyFrom(spanId)).setFlags(1);
          }
          sl.addLogRecords(lr);
          no++;
        }
        rl.addScopeLogs(sl);
      }
      req.addResourceLogs(rl);
    }
    return req.build();
  }

  /** One resource, one scope, {@code records} log records. */
  public static Logs logs(int records) {
    return Logs.of(logsRequest(new int[][] {{records}}));
  }

  public static Optional<String> resourceAttribute(Logs logs, String key) {
    return logs.request().getResourceLogs(0).getResource().getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst();
  }

  /** The value of a string attribute of the first resource, if set. */
  public static Optional<String> resourceAttribute(Traces traces, String key) {
    return traces.request().getResourceSpans(0).getResource().getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst();
  }

  public static Optional<String> resourceAttribute(Metrics metrics, String key) {
    return metrics.request().getResourceMetrics(0).getResource().getAttributesList().stream()
        .filter(kv -> kv.getKey().equals(key))
        .map(kv -> kv.getValue().getStringValue())
        .findFirst();
  }
}
