package dev.inflight.receiver.file;

import dev.inflight.otlp.wire.OtlpWire;
import dev.inflight.otlp.wire.WireReader;
import dev.inflight.recording.RecordingReader.Record;
import java.io.IOException;

/**
 * When a recorded request happened, for pacing a replay: for spans the latest span end in it (a
 * span is exported when it ends, so that is when the request could have been sent), for metrics
 * the latest point time, for logs the latest record time ({@code time_unix_nano}, or {@code
 * observed_time_unix_nano} for a record without one: when it was seen is the best there is). Found
 * with a streaming walk of the encoded request, nothing parsed.
 */
public final class EventTime {
  private EventTime() {}

  // Traces, metrics and logs requests nest alike (OtlpWireTest checks it): level 1 resource_*, 2
  // scope_*, 3 spans / metrics / log_records.
  private static final int LEVEL_1 = OtlpWire.TraceRequest.RESOURCE_SPANS;
  private static final int LEVEL_2 = OtlpWire.ResourceSpans.SCOPE_SPANS;
  private static final int LEVEL_3 = OtlpWire.ScopeSpans.SPANS;
  // Every data message numbers data_points alike, every point type time_unix_nano alike.
  private static final int DATA_POINTS = OtlpWire.Gauge.DATA_POINTS;
  private static final int POINT_TIME = OtlpWire.NumberDataPoint.TIME_UNIX_NANO;

  /** The record's event time in Unix nanoseconds; 0 when it has none (or does not decode). */
  public static long of(Record record) {
    return switch (record.kind()) {
      case TRACES -> latestSpanEnd(record.encoded());
      case METRICS -> latestPointTime(record.encoded());
      case LOGS -> latestLogTime(record.encoded());
    };
  }

  /** The latest {@code end_time_unix_nano} of an encoded {@code ExportTraceServiceRequest}; 0 if none. */
  public static long latestSpanEnd(byte[] request) {
    return walk(request, EventTime::spanEnd);
  }

  /** The latest point {@code time_unix_nano} of an encoded {@code ExportMetricsServiceRequest}; 0 if none. */
  public static long latestPointTime(byte[] request) {
    return walk(request, EventTime::metricTime);
  }

  /**
   * The latest log record time of an encoded {@code ExportLogsServiceRequest}, each record's {@code
   * time_unix_nano} or, when that is 0, its {@code observed_time_unix_nano}; 0 if none.
   */
  public static long latestLogTime(byte[] request) {
    return walk(request, EventTime::logTime);
  }

  /** The event time of the level-3 element {@code in} is limited to. */
  @FunctionalInterface
  private interface ElementTime {
    long of(WireReader in) throws IOException;
  }

  private static long walk(byte[] request, ElementTime time) {
    long latest = 0;
    try {
      WireReader in = new WireReader(request);
      while (in.next(LEVEL_1)) {
        int l1 = in.enter();
        while (in.next(LEVEL_2)) {
          int l2 = in.enter();
          while (in.next(LEVEL_3)) {
            int l3 = in.enter();
            latest = Math.max(latest, time.of(in));
            in.popLimit(l3);
          }
          in.popLimit(l2);
        }
        in.popLimit(l1);
      }
    } catch (IOException e) {
      return latest; // what could be read; the consumer says what is wrong with the rest
    }
    return latest;
  }

  private static long spanEnd(WireReader in) throws IOException {
    long end = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == OtlpWire.Span.END_TIME_UNIX_NANO) {
        end = in.readFixed64();
      } else {
        in.skipField(tag);
      }
    }
    return end;
  }

  private static long logTime(WireReader in) throws IOException {
    long time = 0;
    long observed = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == OtlpWire.LogRecord.TIME_UNIX_NANO) {
        time = in.readFixed64();
      } else if (tag == OtlpWire.LogRecord.OBSERVED_TIME_UNIX_NANO) {
        observed = in.readFixed64();
      } else {
        in.skipField(tag);
      }
    }
    return time != 0 ? time : observed;
  }

  /** A Metric's data (gauge, sum, histogram, exponential_histogram or summary), each with data_points. */
  private static long metricTime(WireReader in) throws IOException {
    long latest = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      boolean data =
          switch (tag) {
            case OtlpWire.Metric.GAUGE,
                OtlpWire.Metric.SUM,
                OtlpWire.Metric.HISTOGRAM,
                OtlpWire.Metric.EXPONENTIAL_HISTOGRAM,
                OtlpWire.Metric.SUMMARY -> true;
            default -> false;
          };
      if (!data) {
        in.skipField(tag);
        continue;
      }
      int dataLimit = in.enter();
      while (in.next(DATA_POINTS)) {
        int pointLimit = in.enter();
        while ((tag = in.readTag()) != 0) {
          if (tag == POINT_TIME) {
            latest = Math.max(latest, in.readFixed64());
          } else {
            in.skipField(tag);
          }
        }
        in.popLimit(pointLimit);
      }
      in.popLimit(dataLimit);
    }
    return latest;
  }
}
