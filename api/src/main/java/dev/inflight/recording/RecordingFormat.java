package dev.inflight.recording;

import dev.inflight.otlp.wire.OtlpWire;
import dev.inflight.otlp.wire.WireReader;
import java.io.IOException;

/**
 * The on-disk layout of a recording, shared by the {@code file} exporter that writes it and
 * everything that reads it (the {@code file} receiver, {@code inflight replay}, {@code analyze},
 * {@code convert}, the viewer).
 *
 * <p>As the Collector's file exporter writes it: with {@code format: proto}, a sequence of records,
 * each a 4-byte big-endian unsigned length and then an OTLP {@code ExportTraceServiceRequest} (the
 * same bytes as {@code TracesData}) or {@code ExportMetricsServiceRequest}; with {@code format:
 * json}, one OTLP/JSON request per line. With {@code compression: zstd} inflight compresses the
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

  private RecordingFormat() {}

  /** What a record holds. Proto records do not say, so {@link #kindOf} looks. */
  public enum Kind {
    TRACES,
    METRICS
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
   * Whether an encoded request holds spans or metrics. Both messages nest the same way (field 1,
   * then field 2, then field 2), so the answer is in the first element of the third level: a
   * {@code Span} has its start and end times as fixed64 fields 7 and 8; a {@code Metric} has no
   * fixed64 field at all. A request with no such element is empty, and called traces.
   */
  public static Kind kindOf(byte[] encoded) {
    try {
      Boolean span = firstElementIsSpan(new WireReader(encoded), 0);
      return span == null || span ? Kind.TRACES : Kind.METRICS;
    } catch (IOException e) {
      return Kind.TRACES; // not a valid request either way; the traces decoder says why
    }
  }

  /** Null when there is no element at depth 3 below {@code in}'s position at {@code depth}. */
  private static Boolean firstElementIsSpan(WireReader in, int depth) throws IOException {
    // resource_*, then scope_*, then spans/metrics: numbered alike in both requests
    int wantedTag =
        switch (depth) {
          case 0 -> OtlpWire.TraceRequest.RESOURCE_SPANS;
          case 1 -> OtlpWire.ResourceSpans.SCOPE_SPANS;
          default -> OtlpWire.ScopeSpans.SPANS;
        };
    while (in.next(wantedTag)) {
      int limit = in.enter();
      Boolean span = depth == 2 ? Boolean.valueOf(hasFixed64Time(in)) : firstElementIsSpan(in, depth + 1);
      if (span != null) {
        return span;
      }
      in.popLimit(limit);
    }
    return null;
  }

  private static boolean hasFixed64Time(WireReader in) throws IOException {
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == OtlpWire.Span.START_TIME_UNIX_NANO || tag == OtlpWire.Span.END_TIME_UNIX_NANO) {
        return true;
      }
      in.skipField(tag);
    }
    return false;
  }
}
