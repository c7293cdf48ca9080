package dev.inflight.otlp.wire;

/**
 * The tags ({@code field number << 3 | wire type}) of the OTLP fields inflight's walkers read, one
 * nested class per message, one constant per field, named as in the {@code .proto}. They are
 * compile-time constants so walkers can {@code switch} on a tag; {@code OtlpWireTest} checks each
 * against the generated descriptors, so a wrong number or wire type fails a test, not a decode.
 * Field numbers are {@link #fieldNumber} of a tag.
 */
public final class OtlpWire {
  /** Wire types. */
  public static final int VARINT = 0;
  public static final int FIXED64 = 1;
  public static final int LEN = 2;
  public static final int START_GROUP = 3;
  public static final int END_GROUP = 4;
  public static final int FIXED32 = 5;

  private OtlpWire() {}

  /** The tag of field {@code fieldNumber} with {@code wireType}, for tags computed from descriptors. */
  public static int tag(int fieldNumber, int wireType) {
    return fieldNumber << 3 | wireType;
  }

  public static int fieldNumber(int tag) {
    return tag >>> 3;
  }

  public static int wireType(int tag) {
    return tag & 7;
  }

  /** {@code ExportTraceServiceRequest}. */
  public static final class TraceRequest {
    public static final int RESOURCE_SPANS = 1 << 3 | LEN;

    private TraceRequest() {}
  }

  /** {@code ExportMetricsServiceRequest}. */
  public static final class MetricsRequest {
    public static final int RESOURCE_METRICS = 1 << 3 | LEN;

    private MetricsRequest() {}
  }

  /** {@code ExportLogsServiceRequest}. */
  public static final class LogsRequest {
    public static final int RESOURCE_LOGS = 1 << 3 | LEN;

    private LogsRequest() {}
  }

  /** {@code ExportTraceServiceResponse}. */
  public static final class TraceResponse {
    public static final int PARTIAL_SUCCESS = 1 << 3 | LEN;

    private TraceResponse() {}
  }

  /** {@code ExportTracePartialSuccess}. */
  public static final class TracePartialSuccess {
    public static final int REJECTED_SPANS = 1 << 3 | VARINT;
    public static final int ERROR_MESSAGE = 2 << 3 | LEN;

    private TracePartialSuccess() {}
  }

  /** {@code ExportMetricsServiceResponse}. */
  public static final class MetricsResponse {
    public static final int PARTIAL_SUCCESS = 1 << 3 | LEN;

    private MetricsResponse() {}
  }

  /** {@code ExportMetricsPartialSuccess}. */
  public static final class MetricsPartialSuccess {
    public static final int REJECTED_DATA_POINTS = 1 << 3 | VARINT;
    public static final int ERROR_MESSAGE = 2 << 3 | LEN;

    private MetricsPartialSuccess() {}
  }

  /** {@code ExportLogsServiceResponse}. */
  public static final class LogsResponse {
    public static final int PARTIAL_SUCCESS = 1 << 3 | LEN;

    private LogsResponse() {}
  }

  /** {@code ExportLogsPartialSuccess}. */
  public static final class LogsPartialSuccess {
    public static final int REJECTED_LOG_RECORDS = 1 << 3 | VARINT;
    public static final int ERROR_MESSAGE = 2 << 3 | LEN;

    private LogsPartialSuccess() {}
  }

  /** {@code ResourceSpans}. */
  public static final class ResourceSpans {
    public static final int RESOURCE = 1 << 3 | LEN;
    public static final int SCOPE_SPANS = 2 << 3 | LEN;
    public static final int SCHEMA_URL = 3 << 3 | LEN;

    private ResourceSpans() {}
  }

  /** {@code ResourceMetrics}. */
  public static final class ResourceMetrics {
    public static final int RESOURCE = 1 << 3 | LEN;
    public static final int SCOPE_METRICS = 2 << 3 | LEN;
    public static final int SCHEMA_URL = 3 << 3 | LEN;

    private ResourceMetrics() {}
  }

  /** {@code ResourceLogs}. */
  public static final class ResourceLogs {
    public static final int RESOURCE = 1 << 3 | LEN;
    public static final int SCOPE_LOGS = 2 << 3 | LEN;
    public static final int SCHEMA_URL = 3 << 3 | LEN;

    private ResourceLogs() {}
  }

  /** {@code Resource}. */
  public static final class Resource {
    public static final int ATTRIBUTES = 1 << 3 | LEN;
    public static final int DROPPED_ATTRIBUTES_COUNT = 2 << 3 | VARINT;

    private Resource() {}
  }

  /** {@code ScopeSpans}. */
  public static final class ScopeSpans {
    public static final int SCOPE = 1 << 3 | LEN;
    public static final int SPANS = 2 << 3 | LEN;
    public static final int SCHEMA_URL = 3 << 3 | LEN;

    private ScopeSpans() {}
  }

  /** {@code ScopeMetrics}. */
  public static final class ScopeMetrics {
    public static final int SCOPE = 1 << 3 | LEN;
    public static final int METRICS = 2 << 3 | LEN;
    public static final int SCHEMA_URL = 3 << 3 | LEN;

    private ScopeMetrics() {}
  }

  /** {@code ScopeLogs}. */
  public static final class ScopeLogs {
    public static final int SCOPE = 1 << 3 | LEN;
    public static final int LOG_RECORDS = 2 << 3 | LEN;
    public static final int SCHEMA_URL = 3 << 3 | LEN;

    private ScopeLogs() {}
  }

  /** {@code InstrumentationScope}. */
  public static final class InstrumentationScope {
    public static final int NAME = 1 << 3 | LEN;
    public static final int VERSION = 2 << 3 | LEN;
    public static final int ATTRIBUTES = 3 << 3 | LEN;
    public static final int DROPPED_ATTRIBUTES_COUNT = 4 << 3 | VARINT;

    private InstrumentationScope() {}
  }

  /** {@code Span}. */
  public static final class Span {
    public static final int TRACE_ID = 1 << 3 | LEN;
    public static final int SPAN_ID = 2 << 3 | LEN;
    public static final int TRACE_STATE = 3 << 3 | LEN;
    public static final int PARENT_SPAN_ID = 4 << 3 | LEN;
    public static final int NAME = 5 << 3 | LEN;
    public static final int KIND = 6 << 3 | VARINT;
    public static final int START_TIME_UNIX_NANO = 7 << 3 | FIXED64;
    public static final int END_TIME_UNIX_NANO = 8 << 3 | FIXED64;
    public static final int ATTRIBUTES = 9 << 3 | LEN;
    public static final int DROPPED_ATTRIBUTES_COUNT = 10 << 3 | VARINT;
    public static final int EVENTS = 11 << 3 | LEN;
    public static final int DROPPED_EVENTS_COUNT = 12 << 3 | VARINT;
    public static final int LINKS = 13 << 3 | LEN;
    public static final int DROPPED_LINKS_COUNT = 14 << 3 | VARINT;
    public static final int STATUS = 15 << 3 | LEN;
    public static final int FLAGS = 16 << 3 | FIXED32;

    private Span() {}
  }

  /** {@code Span.Event}. */
  public static final class SpanEvent {
    public static final int TIME_UNIX_NANO = 1 << 3 | FIXED64;
    public static final int NAME = 2 << 3 | LEN;
    public static final int ATTRIBUTES = 3 << 3 | LEN;
    public static final int DROPPED_ATTRIBUTES_COUNT = 4 << 3 | VARINT;

    private SpanEvent() {}
  }

  /** {@code LogRecord}. */
  public static final class LogRecord {
    public static final int TIME_UNIX_NANO = 1 << 3 | FIXED64;
    public static final int SEVERITY_NUMBER = 2 << 3 | VARINT;
    public static final int SEVERITY_TEXT = 3 << 3 | LEN;
    public static final int BODY = 5 << 3 | LEN;
    public static final int ATTRIBUTES = 6 << 3 | LEN;
    public static final int DROPPED_ATTRIBUTES_COUNT = 7 << 3 | VARINT;
    public static final int FLAGS = 8 << 3 | FIXED32;
    public static final int TRACE_ID = 9 << 3 | LEN;
    public static final int SPAN_ID = 10 << 3 | LEN;
    public static final int OBSERVED_TIME_UNIX_NANO = 11 << 3 | FIXED64;
    public static final int EVENT_NAME = 12 << 3 | LEN;

    private LogRecord() {}
  }

  /** {@code Status}. */
  public static final class Status {
    public static final int MESSAGE = 2 << 3 | LEN;
    public static final int CODE = 3 << 3 | VARINT;

    private Status() {}
  }

  /** {@code KeyValue}. */
  public static final class KeyValue {
    public static final int KEY = 1 << 3 | LEN;
    public static final int VALUE = 2 << 3 | LEN;

    private KeyValue() {}
  }

  /** {@code AnyValue}. */
  public static final class AnyValue {
    public static final int STRING_VALUE = 1 << 3 | LEN;
    public static final int BOOL_VALUE = 2 << 3 | VARINT;
    public static final int INT_VALUE = 3 << 3 | VARINT;
    public static final int DOUBLE_VALUE = 4 << 3 | FIXED64;
    public static final int ARRAY_VALUE = 5 << 3 | LEN;
    public static final int KVLIST_VALUE = 6 << 3 | LEN;
    public static final int BYTES_VALUE = 7 << 3 | LEN;

    private AnyValue() {}
  }

  /** {@code Metric}. */
  public static final class Metric {
    public static final int NAME = 1 << 3 | LEN;
    public static final int DESCRIPTION = 2 << 3 | LEN;
    public static final int UNIT = 3 << 3 | LEN;
    public static final int GAUGE = 5 << 3 | LEN;
    public static final int SUM = 7 << 3 | LEN;
    public static final int HISTOGRAM = 9 << 3 | LEN;
    public static final int EXPONENTIAL_HISTOGRAM = 10 << 3 | LEN;
    public static final int SUMMARY = 11 << 3 | LEN;

    private Metric() {}
  }

  /** {@code Gauge}. */
  public static final class Gauge {
    public static final int DATA_POINTS = 1 << 3 | LEN;

    private Gauge() {}
  }

  /** {@code Sum}. */
  public static final class Sum {
    public static final int DATA_POINTS = 1 << 3 | LEN;

    private Sum() {}
  }

  /** {@code Histogram}. */
  public static final class Histogram {
    public static final int DATA_POINTS = 1 << 3 | LEN;

    private Histogram() {}
  }

  /** {@code ExponentialHistogram}. */
  public static final class ExponentialHistogram {
    public static final int DATA_POINTS = 1 << 3 | LEN;

    private ExponentialHistogram() {}
  }

  /** {@code Summary}. */
  public static final class Summary {
    public static final int DATA_POINTS = 1 << 3 | LEN;

    private Summary() {}
  }

  /** {@code NumberDataPoint}. */
  public static final class NumberDataPoint {
    public static final int START_TIME_UNIX_NANO = 2 << 3 | FIXED64;
    public static final int TIME_UNIX_NANO = 3 << 3 | FIXED64;

    private NumberDataPoint() {}
  }

  /** {@code HistogramDataPoint}. */
  public static final class HistogramDataPoint {
    public static final int START_TIME_UNIX_NANO = 2 << 3 | FIXED64;
    public static final int TIME_UNIX_NANO = 3 << 3 | FIXED64;

    private HistogramDataPoint() {}
  }

  /** {@code ExponentialHistogramDataPoint}. */
  public static final class ExponentialHistogramDataPoint {
    public static final int START_TIME_UNIX_NANO = 2 << 3 | FIXED64;
    public static final int TIME_UNIX_NANO = 3 << 3 | FIXED64;

    private ExponentialHistogramDataPoint() {}
  }

  /** {@code SummaryDataPoint}. */
  public static final class SummaryDataPoint {
    public static final int START_TIME_UNIX_NANO = 2 << 3 | FIXED64;
    public static final int TIME_UNIX_NANO = 3 << 3 | FIXED64;

    private SummaryDataPoint() {}
  }
}
