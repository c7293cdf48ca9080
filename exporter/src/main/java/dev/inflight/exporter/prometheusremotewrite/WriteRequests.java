package dev.inflight.exporter.prometheusremotewrite;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes remote write 1.0 {@code WriteRequest}s with protobuf-java's {@link CodedOutputStream},
 * without generated classes, and splits a batch into requests of at most a given size. The
 * messages and field numbers are Prometheus' {@code prompb/remote.proto} and {@code
 * prompb/types.proto} (also in the remote write 1.0 specification):
 *
 * <pre>
 * message WriteRequest { repeated TimeSeries timeseries = 1; reserved 2; reserved 3; }
 * message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * message Label        { string name = 1; string value = 2; }
 * message Sample       { double value = 1; int64 timestamp = 2; }
 * </pre>
 *
 * As Go's encoder does, fields holding their proto3 default (an empty string, {@code 0.0}, {@code
 * 0}) are left out; the two forms decode alike.
 */
final class WriteRequests {
  private WriteRequests() {}

  // prompb/remote.proto
  static final int WRITE_REQUEST_TIMESERIES = 1;
  // prompb/types.proto
  static final int TIME_SERIES_LABELS = 1;
  static final int TIME_SERIES_SAMPLES = 2;
  static final int LABEL_NAME = 1;
  static final int LABEL_VALUE = 2;
  static final int SAMPLE_VALUE = 1;
  static final int SAMPLE_TIMESTAMP = 2;

  /**
   * One series of a request: its labels as name/value pairs sorted by name, and its samples in
   * time order (timestamps in ms, values as raw IEEE 754 bits so that the staleness NaN's payload
   * survives).
   */
  record Series(SeriesId id, long[] timestamps, long[] valueBits) {}

  /** The newest sample of a series in a request: what a 2xx for the request acknowledges. */
  record Newest(SeriesId id, long timestamp, long valueBits) {}

  /** An encoded {@code WriteRequest} (not compressed) and the newest sample of each of its series. */
  record Request(byte[] body, List<Newest> newest) {
    int seriesCount() {
      return newest.size();
    }
  }

  /**
   * The series as {@code WriteRequest} bodies (not compressed) of at most {@code maxBytes} each, in
   * order: series are packed whole while they fit; one that does not fit in a request of its own is
   * split by time into several, so a request is larger than {@code maxBytes} only when a single
   * sample with its labels is.
   */
  static List<Request> encode(List<Series> series, long maxBytes) {
    List<Request> requests = new ArrayList<>();
    List<byte[]> current = new ArrayList<>();
    List<Newest> newest = new ArrayList<>();
    long currentSize = 0;
    for (Series s : series) {
      List<byte[]> parts = new ArrayList<>(1);
      List<Integer> ends = new ArrayList<>(1);
      timeSeries(s, maxBytes, parts, ends);
      for (int p = 0; p < parts.size(); p++) {
        byte[] ts = parts.get(p);
        long size = fieldSize(ts.length);
        if (!current.isEmpty() && currentSize + size > maxBytes) {
          requests.add(new Request(request(current, currentSize), List.copyOf(newest)));
          current = new ArrayList<>();
          newest = new ArrayList<>();
          currentSize = 0;
        }
        current.add(ts);
        int last = ends.get(p) - 1;
        newest.add(new Newest(s.id(), s.timestamps()[last], s.valueBits()[last]));
        currentSize += size;
      }
    }
    if (!current.isEmpty()) {
      requests.add(new Request(request(current, currentSize), List.copyOf(newest)));
    }
    return requests;
  }

  /** The bytes a length-delimited field of {@code length} bytes takes, tag and length included. */
  private static long fieldSize(int length) {
    return CodedOutputStream.computeTagSize(WRITE_REQUEST_TIMESERIES)
        + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
  }

  private static byte[] request(List<byte[]> timeSeries, long size) {
    byte[] out = new byte[Math.toIntExact(size)];
    CodedOutputStream c = CodedOutputStream.newInstance(out);
    try {
      for (byte[] ts : timeSeries) {
        c.writeByteArray(WRITE_REQUEST_TIMESERIES, ts);
      }
      c.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return out;
  }

  /**
   * A series as one or more encoded {@code TimeSeries} (each fitting in {@code maxBytes} if it can)
   * into {@code out}, and into {@code ends} where each one's samples end (exclusive).
   */
  private static void timeSeries(Series s, long maxBytes, List<byte[]> out, List<Integer> ends) {
    String[] labels = s.id().labels();
    int labelsSize = 0;
    int[] labelSizes = new int[labels.length / 2];
    for (int i = 0; i < labelSizes.length; i++) {
      labelSizes[i] = labelSize(labels[2 * i], labels[2 * i + 1]);
      labelsSize += CodedOutputStream.computeTagSize(TIME_SERIES_LABELS)
          + CodedOutputStream.computeUInt32SizeNoTag(labelSizes[i]) + labelSizes[i];
    }
    int n = s.timestamps().length;
    int[] sampleSizes = new int[n];
    int from = 0;
    int size = labelsSize;
    for (int i = 0; i < n; i++) {
      sampleSizes[i] = sampleSize(s.valueBits()[i], s.timestamps()[i]);
      int field = CodedOutputStream.computeTagSize(TIME_SERIES_SAMPLES)
          + CodedOutputStream.computeUInt32SizeNoTag(sampleSizes[i]) + sampleSizes[i];
      if (i > from && fieldSize(size + field) > maxBytes) {
        out.add(timeSeries(s, labelSizes, sampleSizes, size, from, i));
        ends.add(i);
        from = i;
        size = labelsSize;
      }
      size += field;
    }
    out.add(timeSeries(s, labelSizes, sampleSizes, size, from, n));
    ends.add(n);
  }

  private static byte[] timeSeries(Series s, int[] labelSizes, int[] sampleSizes, int size, int from, int to) {
    byte[] out = new byte[size];
    CodedOutputStream c = CodedOutputStream.newInstance(out);
    try {
      String[] labels = s.id().labels();
      for (int i = 0; i < labelSizes.length; i++) {
        c.writeTag(TIME_SERIES_LABELS, 2); // wire type 2: length-delimited
        c.writeUInt32NoTag(labelSizes[i]);
        writeString(c, LABEL_NAME, labels[2 * i]);
        writeString(c, LABEL_VALUE, labels[2 * i + 1]);
      }
      for (int i = from; i < to; i++) {
        c.writeTag(TIME_SERIES_SAMPLES, 2);
        c.writeUInt32NoTag(sampleSizes[i]);
        long bits = s.valueBits()[i];
        if (bits != 0) {
          c.writeFixed64(SAMPLE_VALUE, bits); // a double is its bits as fixed64 on the wire
        }
        if (s.timestamps()[i] != 0) {
          c.writeInt64(SAMPLE_TIMESTAMP, s.timestamps()[i]);
        }
      }
      c.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static void writeString(CodedOutputStream c, int field, String value) throws IOException {
    if (!value.isEmpty()) {
      c.writeString(field, value);
    }
  }

  private static int labelSize(String name, String value) {
    return (name.isEmpty() ? 0 : CodedOutputStream.computeStringSize(LABEL_NAME, name))
        + (value.isEmpty() ? 0 : CodedOutputStream.computeStringSize(LABEL_VALUE, value));
  }

  private static int sampleSize(long valueBits, long timestamp) {
    return (valueBits == 0 ? 0 : CodedOutputStream.computeFixed64Size(SAMPLE_VALUE, valueBits))
        + (timestamp == 0 ? 0 : CodedOutputStream.computeInt64Size(SAMPLE_TIMESTAMP, timestamp));
  }
}
