package dev.inflight.otlp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpWireTest {
  /** Each nested class of OtlpWire and the message it stands for. */
  private static final Map<String, Descriptor> MESSAGES =
      Map.ofEntries(
          Map.entry("TraceRequest", ExportTraceServiceRequest.getDescriptor()),
          Map.entry("MetricsRequest", ExportMetricsServiceRequest.getDescriptor()),
          Map.entry("LogsRequest", ExportLogsServiceRequest.getDescriptor()),
          Map.entry("TraceResponse", ExportTraceServiceResponse.getDescriptor()),
          Map.entry("TracePartialSuccess", ExportTracePartialSuccess.getDescriptor()),
          Map.entry("MetricsResponse", ExportMetricsServiceResponse.getDescriptor()),
          Map.entry("MetricsPartialSuccess", ExportMetricsPartialSuccess.getDescriptor()),
          Map.entry("LogsResponse", ExportLogsServiceResponse.getDescriptor()),
          Map.entry("LogsPartialSuccess", ExportLogsPartialSuccess.getDescriptor()),
          Map.entry("ResourceLogs", ResourceLogs.getDescriptor()),
          Map.entry("ScopeLogs", ScopeLogs.getDescriptor()),
          Map.entry("LogRecord", LogRecord.getDescriptor()),
          Map.entry("ResourceSpans", ResourceSpans.getDescriptor()),
          Map.entry("ResourceMetrics", ResourceMetrics.getDescriptor()),
          Map.entry("Resource", Resource.getDescriptor()),
          Map.entry("ScopeSpans", ScopeSpans.getDescriptor()),
          Map.entry("ScopeMetrics", ScopeMetrics.getDescriptor()),
          Map.entry("InstrumentationScope", InstrumentationScope.getDescriptor()),
          Map.entry("Span", Span.getDescriptor()),
          Map.entry("SpanEvent", Span.Event.getDescriptor()),
          Map.entry("Status", Status.getDescriptor()),
          Map.entry("KeyValue", KeyValue.getDescriptor()),
          Map.entry("AnyValue", AnyValue.getDescriptor()),
          Map.entry("Metric", Metric.getDescriptor()),
          Map.entry("Gauge", Gauge.getDescriptor()),
          Map.entry("Sum", Sum.getDescriptor()),
          Map.entry("Histogram", Histogram.getDescriptor()),
          Map.entry("ExponentialHistogram", ExponentialHistogram.getDescriptor()),
          Map.entry("Summary", Summary.getDescriptor()),
          Map.entry("NumberDataPoint", NumberDataPoint.getDescriptor()),
          Map.entry("HistogramDataPoint", HistogramDataPoint.getDescriptor()),
          Map.entry("ExponentialHistogramDataPoint", ExponentialHistogramDataPoint.getDescriptor()),
          Map.entry("SummaryDataPoint", SummaryDataPoint.getDescriptor()));

  @Test
  void everyTagHasTheDescriptorsFieldNumberAndWireType() throws Exception {
    int checked = 0;
    for (Class<?> message : OtlpWire.class.getDeclaredClasses()) {
      Descriptor descriptor = MESSAGES.get(message.getSimpleName());
      assertThat(descriptor).as("descriptor for OtlpWire.%s", message.getSimpleName()).isNotNull();
      for (Field constant : message.getDeclaredFields()) {
        if (!Modifier.isStatic(constant.getModifiers()) || constant.getType() != int.class) {
          continue;
        }
        String fieldName = constant.getName().toLowerCase(Locale.ROOT);
        FieldDescriptor field = descriptor.findFieldByName(fieldName);
        String what = message.getSimpleName() + "." + constant.getName();
        assertThat(field).as("%s names a field of %s", what, descriptor.getFullName()).isNotNull();
        int tag = constant.getInt(null);
        assertThat(OtlpWire.fieldNumber(tag)).as("%s field number", what).isEqualTo(field.getNumber());
        assertThat(OtlpWire.wireType(tag)).as("%s wire type", what).isEqualTo(field.getLiteType().getWireType());
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(50);
  }

  @Test
  void wireTypesAreProtobufs() {
    assertThat(OtlpWire.VARINT).isEqualTo(com.google.protobuf.WireFormat.WIRETYPE_VARINT);
    assertThat(OtlpWire.FIXED64).isEqualTo(com.google.protobuf.WireFormat.WIRETYPE_FIXED64);
    assertThat(OtlpWire.LEN).isEqualTo(com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
    assertThat(OtlpWire.START_GROUP).isEqualTo(com.google.protobuf.WireFormat.WIRETYPE_START_GROUP);
    assertThat(OtlpWire.END_GROUP).isEqualTo(com.google.protobuf.WireFormat.WIRETYPE_END_GROUP);
    assertThat(OtlpWire.FIXED32).isEqualTo(com.google.protobuf.WireFormat.WIRETYPE_FIXED32);
    assertThat(OtlpWire.tag(15, OtlpWire.LEN)).isEqualTo(OtlpWire.Span.STATUS);
  }

  /** Walkers that read traces and metrics with one constant rely on these being equal. */
  @Test
  void sharedNumberingHolds() {
    assertThat(OtlpWire.MetricsRequest.RESOURCE_METRICS).isEqualTo(OtlpWire.TraceRequest.RESOURCE_SPANS);
    assertThat(OtlpWire.ResourceMetrics.RESOURCE).isEqualTo(OtlpWire.ResourceSpans.RESOURCE);
    assertThat(OtlpWire.ResourceMetrics.SCOPE_METRICS).isEqualTo(OtlpWire.ResourceSpans.SCOPE_SPANS);
    assertThat(OtlpWire.ScopeMetrics.METRICS).isEqualTo(OtlpWire.ScopeSpans.SPANS);
    assertThat(OtlpWire.Sum.DATA_POINTS)
        .isEqualTo(OtlpWire.Gauge.DATA_POINTS)
        .isEqualTo(OtlpWire.Histogram.DATA_POINTS)
        .isEqualTo(OtlpWire.ExponentialHistogram.DATA_POINTS)
        .isEqualTo(OtlpWire.Summary.DATA_POINTS);
    // PartialSuccess reads every signal's export response with the trace tags.
    assertThat(OtlpWire.MetricsResponse.PARTIAL_SUCCESS)
        .isEqualTo(OtlpWire.LogsResponse.PARTIAL_SUCCESS)
        .isEqualTo(OtlpWire.TraceResponse.PARTIAL_SUCCESS);
    assertThat(OtlpWire.MetricsPartialSuccess.REJECTED_DATA_POINTS)
        .isEqualTo(OtlpWire.LogsPartialSuccess.REJECTED_LOG_RECORDS)
        .isEqualTo(OtlpWire.TracePartialSuccess.REJECTED_SPANS);
    assertThat(OtlpWire.MetricsPartialSuccess.ERROR_MESSAGE)
        .isEqualTo(OtlpWire.LogsPartialSuccess.ERROR_MESSAGE)
        .isEqualTo(OtlpWire.TracePartialSuccess.ERROR_MESSAGE);
    assertThat(OtlpWire.HistogramDataPoint.TIME_UNIX_NANO)
        .isEqualTo(OtlpWire.NumberDataPoint.TIME_UNIX_NANO)
        .isEqualTo(OtlpWire.ExponentialHistogramDataPoint.TIME_UNIX_NANO)
        .isEqualTo(OtlpWire.SummaryDataPoint.TIME_UNIX_NANO);
  }
}
