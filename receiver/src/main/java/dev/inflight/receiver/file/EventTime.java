package dev.inflight.receiver.file;

import com.google.protobuf.CodedInputStream;
import dev.inflight.recording.RecordingReader.Record;
import java.io.IOException;

/**
 * When a recorded request happened, for pacing a replay: for spans the latest span end in it (a
 * span is exported when it ends, so that is when the request could have been sent), for metrics
 * the latest point time. Found with a streaming walk of the encoded request, nothing parsed.
 */
public final class EventTime {
  private EventTime() {}

  // Length-delimited tags (field << 3 | 2) on the way down, and the fixed64 time fields (| 1).
  private static final int LEVEL_1 = 1 << 3 | 2; // resource_spans / resource_metrics
  private static final int LEVEL_2 = 2 << 3 | 2; // scope_spans / scope_metrics
  private static final int LEVEL_3 = 2 << 3 | 2; // spans / metrics
  private static final int SPAN_END = 8 << 3 | 1; // Span.end_time_unix_nano
  private static final int DATA_POINTS = 1 << 3 | 2; // Gauge/Sum/Histogram/... .data_points
  private static final int POINT_TIME = 3 << 3 | 1; // *DataPoint.time_unix_nano

  /** The record's event time in Unix nanoseconds; 0 when it has none (or does not decode). */
  public static long of(Record record) {
    return switch (record.kind()) {
      case TRACES -> latestSpanEnd(record.encoded());
      case METRICS -> latestPointTime(record.encoded());
    };
  }

  /** The latest {@code end_time_unix_nano} of an encoded {@code ExportTraceServiceRequest}; 0 if none. */
  public static long latestSpanEnd(byte[] request) {
    return walk(request, true);
  }

  /** The latest point {@code time_unix_nano} of an encoded {@code ExportMetricsServiceRequest}; 0 if none. */
  public static long latestPointTime(byte[] request) {
    return walk(request, false);
  }

  private static long walk(byte[] request, boolean spans) {
    long latest = 0;
    try {
      CodedInputStream in = CodedInputStream.newInstance(request);
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (tag != LEVEL_1) {
          in.skipField(tag);
          continue;
        }
        int l1 = in.pushLimit(in.readRawVarint32());
        while ((tag = in.readTag()) != 0) {
          if (tag != LEVEL_2) {
            in.skipField(tag);
            continue;
          }
          int l2 = in.pushLimit(in.readRawVarint32());
          while ((tag = in.readTag()) != 0) {
            if (tag != LEVEL_3) {
              in.skipField(tag);
              continue;
            }
            int l3 = in.pushLimit(in.readRawVarint32());
            latest = Math.max(latest, spans ? spanEnd(in) : metricTime(in));
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

  private static long spanEnd(CodedInputStream in) throws IOException {
    long end = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == SPAN_END) {
        end = in.readFixed64();
      } else {
        in.skipField(tag);
      }
    }
    return end;
  }

  /** Metric: gauge 5, sum 7, histogram 9, exponential_histogram 10, summary 11; each has data_points 1. */
  private static long metricTime(CodedInputStream in) throws IOException {
    long latest = 0;
    int tag;
    while ((tag = in.readTag()) != 0) {
      int field = tag >>> 3;
      boolean data = (tag & 7) == 2 && (field == 5 || field == 7 || field == 9 || field == 10 || field == 11);
      if (!data) {
        in.skipField(tag);
        continue;
      }
      int dataLimit = in.pushLimit(in.readRawVarint32());
      while ((tag = in.readTag()) != 0) {
        if (tag != DATA_POINTS) {
          in.skipField(tag);
          continue;
        }
        int pointLimit = in.pushLimit(in.readRawVarint32());
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
