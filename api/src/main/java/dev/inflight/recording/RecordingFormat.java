package dev.inflight.recording;

import dev.inflight.otlp.wire.OtlpWire;
import dev.inflight.otlp.wire.WireReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The on-disk layout of a recording, shared by the {@code file} exporter that writes it and
 * everything that reads it (the {@code file} receiver, {@code inflight replay}, {@code analyze},
 * {@code convert}, the viewer).
 *
 * <p>As the Collector's file exporter writes it: with {@code format: proto}, a sequence of records,
 * each a 4-byte big-endian unsigned length and then an OTLP {@code ExportTraceServiceRequest} (the
 * same bytes as {@code TracesData}), {@code ExportMetricsServiceRequest} or {@code
 * ExportLogsServiceRequest}, told apart by {@link #kindOf}; with {@code format: json}, one OTLP/JSON
 * request per line, told apart by its first key ({@code resourceSpans}, {@code resourceMetrics},
 * {@code resourceLogs}). With {@code compression: zstd} inflight compresses the
 * whole file as one zstd stream, flushed at every {@code flush_interval} so that a reader gets
 * everything up to the last flush; the Collector compresses each record instead (length, then a
 * zstd frame), which readers also take.
 */
public final class RecordingFormat {
  /** Bytes of the length before each record. */
  public static final int LENGTH_PREFIX_BYTES = 4;

  /** A zstd frame starts with these bytes (0xFD2FB528 little-endian). */
  public static final byte[] ZSTD_MAGIC = {(byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD};

  /** The largest record a reader believes; a longer length means a damaged file. */
  public static final int MAX_RECORD_BYTES = 1 << 30;

  /**
   * Bytes of the marker {@link #markAsLogs} puts first in a logs request's first log record: {@code
   * severity_number} (field 2, varint) set to 0, its default. Every protobuf parser reads the same
   * record with or without it (proto3: an explicit default is the field absent), and the varint wire
   * type at field 2 is what a {@code LogRecord} alone has ({@code Span.span_id} and {@code
   * Metric.description} are bytes), so {@link #kindOf} sees logs.
   */
  static final byte[] LOGS_MARKER = {(byte) OtlpWire.LogRecord.SEVERITY_NUMBER, 0};

  private RecordingFormat() {}

  /** What a record holds. Proto records do not say, so {@link #kindOf} looks. */
  public enum Kind {
    TRACES,
    METRICS,
    LOGS
  }

  /** The 4-byte big-endian length written before each proto record. */
  public static byte[] lengthPrefix(int length) {
    return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
  }

  /** True when {@code bytes} (from {@code offset}) start with {@link #ZSTD_MAGIC}. */
  public static boolean isZstd(byte[] bytes, int offset, int length) {
    if (length < ZSTD_MAGIC.length) {
      return false;
    }
    for (int i = 0; i < ZSTD_MAGIC.length; i++) {
      if (bytes[offset + i] != ZSTD_MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether an encoded request holds spans, metrics or log records. The three messages nest the same
   * way (field 1, then field 2, then field 2), so the answer is in the first element of the third
   * level, told by the wire types of its fields:
   *
   * <ul>
   *   <li>a {@code LogRecord} field that no {@code Span} or {@code Metric} field number has with
   *       that wire type: the times (fixed64 fields 1 and 11), {@code severity_number} (varint 2),
   *       {@code attributes} (bytes 6), {@code dropped_attributes_count} (varint 7), {@code flags}
   *       (fixed32 8): logs. Every log record an SDK or the Collector makes has an observed time;
   *       the file exporter marks the rest ({@link #markAsLogs});
   *   <li>else a {@code Span}'s start or end time (fixed64 fields 7 and 8; a {@code Metric} has no
   *       fixed64 field at all): traces;
   *   <li>else metrics.
   * </ul>
   *
   * A request with no such element is empty, and called traces. No span or metric has a field of
   * the first rule, so recordings of traces and metrics read as they always did.
   */
  public static Kind kindOf(byte[] encoded) {
    try {
      Kind kind = firstLeaf(new WireReader(encoded), 0, new LeafPath());
      return kind == null ? Kind.TRACES : kind;
    } catch (IOException e) {
      return Kind.TRACES; // not a valid request either way; the traces decoder says why
    }
  }

  /**
   * An encoded logs request that {@link #kindOf} reads as logs: {@code logs} itself when it already
   * does (every record with a time, an observed time, a severity number or attributes), else a copy
   * with {@link #LOGS_MARKER} first in its first log record and the three enclosing lengths grown to
   * match. Null when the request holds no log record (nothing to mark, nothing to replay).
   *
   * @throws IOException when {@code logs} is not a valid request
   */
  public static byte @Nullable [] markAsLogs(byte[] logs) throws IOException {
    LeafPath path = new LeafPath();
    Kind kind = firstLeaf(new WireReader(logs), 0, path);
    if (kind == null) {
      return null;
    }
    if (kind == Kind.LOGS) {
      return logs;
    }
    // Rebuild the path to the first record: each level's length grows by what the level below grew.
    int[] newLength = new int[3];
    int grown = LOGS_MARKER.length;
    for (int depth = 2; depth >= 0; depth--) {
      newLength[depth] = path.length[depth] + grown;
      grown += varintSize(newLength[depth]) - (path.contentAt[depth] - path.lengthAt[depth]);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(logs.length + grown);
    int from = 0;
    for (int depth = 0; depth < 3; depth++) {
      out.write(logs, from, path.lengthAt[depth] - from);
      writeVarint(out, newLength[depth]);
      from = path.contentAt[depth];
    }
    out.writeBytes(LOGS_MARKER);
    out.write(logs, from, logs.length - from);
    return out.toByteArray();
  }

  /** Where the first element at depth 3 and its enclosing two are: for {@link #markAsLogs}. */
  private static final class LeafPath {
    final int[] lengthAt = new int[3]; // where each level's length prefix starts
    final int[] contentAt = new int[3]; // where its content starts
    final int[] length = new int[3]; // the content's length
  }

  /**
   * The kind of the first element at depth 3 below {@code in}'s position at {@code depth}; null
   * when there is none. Fills {@code path} on the way.
   */
  private static @Nullable Kind firstLeaf(WireReader in, int depth, LeafPath path) throws IOException {
    // resource_*, then scope_*, then spans/metrics/log_records: numbered alike in the three requests
    int wantedTag =
        switch (depth) {
          case 0 -> OtlpWire.TraceRequest.RESOURCE_SPANS;
          case 1 -> OtlpWire.ResourceSpans.SCOPE_SPANS;
          default -> OtlpWire.ScopeSpans.SPANS;
        };
    while (in.next(wantedTag)) {
      path.lengthAt[depth] = in.position();
      int limit = in.enter();
      path.contentAt[depth] = in.position();
      path.length[depth] = in.bytesUntilLimit();
      Kind kind = depth == 2 ? leafKind(in) : firstLeaf(in, depth + 1, path);
      if (kind != null) {
        return kind;
      }
      in.popLimit(limit);
    }
    return null;
  }

  private static Kind leafKind(WireReader in) throws IOException {
    boolean spanTime = false;
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case OtlpWire.LogRecord.TIME_UNIX_NANO,
            OtlpWire.LogRecord.OBSERVED_TIME_UNIX_NANO,
            OtlpWire.LogRecord.SEVERITY_NUMBER,
            OtlpWire.LogRecord.ATTRIBUTES,
            OtlpWire.LogRecord.DROPPED_ATTRIBUTES_COUNT,
            OtlpWire.LogRecord.FLAGS -> {
          return Kind.LOGS;
        }
        case OtlpWire.Span.START_TIME_UNIX_NANO, OtlpWire.Span.END_TIME_UNIX_NANO -> spanTime = true;
        default -> {}
      }
      in.skipField(tag);
    }
    return spanTime ? Kind.TRACES : Kind.METRICS;
  }

  private static int varintSize(int value) {
    int size = 1;
    while ((value & ~0x7F) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }

  private static void writeVarint(ByteArrayOutputStream out, int value) {
    while ((value & ~0x7F) != 0) {
      out.write((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.write(value);
  }
}
