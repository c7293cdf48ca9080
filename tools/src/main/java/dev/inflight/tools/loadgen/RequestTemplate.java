package dev.inflight.tools.loadgen;

import dev.inflight.otlp.json.OtlpJson;
import dev.inflight.otlp.wire.OtlpWire;
import dev.inflight.otlp.wire.WireReader;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One export request encoded once (OTLP protobuf or OTLP/JSON), with the places of every span's
 * start time, end time and trace id. Before each send {@link #stamp} rewrites just those bytes in
 * the sender's own copy: times move so the request's last span ends now (a live stream, as a
 * concurrency connector on wall-clock time expects), and trace ids become new, so a receiver
 * storing traces sees a new trace each time. That costs a few nanoseconds per span, so the
 * generator is not what limits the rate.
 */
public final class RequestTemplate {
  /** Trace ids are unique per send: {@code sequence × this + index of the trace in the request}. */
  private static final long TRACES_PER_SEQUENCE = 100_000L;
  /** Digits of a time in ns since 1970 between 2001 and 2286, as OTLP/JSON writes it (a string). */
  private static final int TIME_DIGITS = 19;

  private final byte[] encoded;
  private final boolean json;
  private final int spans;
  private final long lastEnd;
  /** Offsets of the times (8 bytes little endian, or 19 decimal digits) and their template values. */
  private final int[] timeAt;
  private final long[] times;
  /** Offsets of the low 8 bytes of each trace id (16 hex digits in JSON), and the trace's index. */
  private final int[] traceIdAt;
  private final int[] traceIndex;

  private RequestTemplate(byte[] encoded, boolean json, int spans, int[] timeAt, long[] times,
      int[] traceIdAt, int[] traceIndex) {
    this.encoded = encoded;
    this.json = json;
    this.spans = spans;
    this.timeAt = timeAt;
    this.times = times;
    this.traceIdAt = traceIdAt;
    this.traceIndex = traceIndex;
    this.lastEnd = Arrays.stream(times).max().orElse(0);
  }

  /**
   * @param traceIndex per span, the index of its trace within the request (below 100000)
   */
  static RequestTemplate of(ExportTraceServiceRequest request, int[] traceIndex, boolean json) {
    return json ? ofJson(request, traceIndex) : ofProtobuf(request, traceIndex);
  }

  public int spans() {
    return spans;
  }

  public boolean json() {
    return json;
  }

  /** A copy for one sender to stamp and send, again and again. */
  public byte[] newBuffer() {
    return encoded.clone();
  }

  /** The request as encoded, before any stamp: for a reader that wants the same bytes. */
  public byte[] encoded() {
    return encoded.clone();
  }

  /**
   * Rewrites {@code buffer} (from {@link #newBuffer}) so its last span ends at {@code endNanos}, all
   * spans keeping their place relative to it, and its trace ids are those of send {@code sequence}.
   */
  public void stamp(byte[] buffer, long endNanos, long sequence) {
    long delta = endNanos - lastEnd;
    long traceBase = sequence * TRACES_PER_SEQUENCE;
    if (json) {
      for (int i = 0; i < timeAt.length; i++) {
        writeDecimal(buffer, timeAt[i], times[i] + delta);
      }
      for (int i = 0; i < traceIdAt.length; i++) {
        writeHex(buffer, traceIdAt[i], traceBase + traceIndex[i]);
      }
    } else {
      for (int i = 0; i < timeAt.length; i++) {
        writeLittleEndian(buffer, timeAt[i], times[i] + delta);
      }
      for (int i = 0; i < traceIdAt.length; i++) {
        writeBigEndian(buffer, traceIdAt[i], traceBase + traceIndex[i]);
      }
    }
  }

  private static RequestTemplate ofProtobuf(ExportTraceServiceRequest request, int[] traceIndex) {
    byte[] bytes = request.toByteArray();
    int spans = traceIndex.length;
    int[] timeAt = new int[spans * 2];
    long[] times = new long[spans * 2];
    int[] idAt = new int[spans];
    int[] found = new int[2]; // times found, ids found
    try {
      WireReader in = new WireReader(bytes);
      // request.resource_spans → scope_spans → spans → trace_id, start, end
      walk(in, OtlpWire.TraceRequest.RESOURCE_SPANS,
          () -> walk(in, OtlpWire.ResourceSpans.SCOPE_SPANS,
              () -> walk(in, OtlpWire.ScopeSpans.SPANS, () -> span(in, timeAt, times, idAt, found))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (found[0] != spans * 2 || found[1] != spans) {
      throw new IllegalStateException("template has " + spans + " spans but " + found[0] + " times, " + found[1] + " trace ids");
    }
    return new RequestTemplate(bytes, false, spans, timeAt, times, idAt, traceIndex.clone());
  }

  private interface Body {
    void read() throws IOException;
  }

  /** Reads the message at {@code in}'s limit, descending into each length-delimited field {@code wanted}. */
  private static void walk(WireReader in, int wanted, Body body) throws IOException {
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == wanted) {
        int limit = in.enter();
        body.read();
        in.popLimit(limit);
      } else {
        in.skipField(tag);
      }
    }
  }

  private static void span(WireReader in, int[] timeAt, long[] times, int[] idAt, int[] found)
      throws IOException {
    int tag;
    while ((tag = in.readTag()) != 0) {
      switch (tag) {
        case OtlpWire.Span.TRACE_ID -> { // 16 bytes; the last 8 are rewritten
          int length = in.readLength();
          idAt[found[1]++] = in.position() + length - 8;
          in.skip(length);
        }
        case OtlpWire.Span.START_TIME_UNIX_NANO, OtlpWire.Span.END_TIME_UNIX_NANO -> {
          timeAt[found[0]] = in.position();
          times[found[0]++] = in.readFixed64();
        }
        default -> in.skipField(tag);
      }
    }
  }

  private static RequestTemplate ofJson(ExportTraceServiceRequest request, int[] traceIndex) {
    byte[] bytes = OtlpJson.print(request).getBytes(StandardCharsets.UTF_8);
    String text = new String(bytes, StandardCharsets.ISO_8859_1); // one char per byte: offsets match
    int spans = traceIndex.length;
    int[] timeAt = new int[spans * 2];
    long[] times = new long[spans * 2];
    int[] idAt = new int[spans];
    // The printer writes fields in field order and spans in order, so the k-th occurrence of each
    // key is the k-th span's (no attribute value in a template contains these keys).
    int t = 0;
    int from = 0;
    for (int k = 0; k < spans; k++) {
      idAt[k] = valueAt(text, "\"traceId\":\"", from) + 16; // the last 16 of 32 hex digits
      for (String key : new String[] {"\"startTimeUnixNano\":\"", "\"endTimeUnixNano\":\""}) {
        int at = valueAt(text, key, idAt[k]);
        times[t] = Long.parseLong(text.substring(at, at + TIME_DIGITS));
        if (text.charAt(at + TIME_DIGITS) != '"') {
          throw new IllegalStateException("template time is not " + TIME_DIGITS + " digits: " + times[t]);
        }
        timeAt[t++] = at;
        from = at;
      }
    }
    return new RequestTemplate(bytes, true, spans, timeAt, times, idAt, traceIndex.clone());
  }

  private static int valueAt(String text, String key, int from) {
    int at = text.indexOf(key, from);
    if (at < 0) {
      throw new IllegalStateException("template JSON has no " + key + " after offset " + from);
    }
    return at + key.length();
  }

  private static void writeLittleEndian(byte[] b, int at, long v) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }

  private static void writeBigEndian(byte[] b, int at, long v) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] = (byte) v;
      v >>>= 8;
    }
  }

  private static void writeDecimal(byte[] b, int at, long v) {
    for (int i = TIME_DIGITS - 1; i >= 0; i--) {
      b[at + i] = (byte) ('0' + v % 10);
      v /= 10;
    }
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static void writeHex(byte[] b, int at, long v) {
    for (int i = 15; i >= 0; i--) {
      b[at + i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
  }
}
