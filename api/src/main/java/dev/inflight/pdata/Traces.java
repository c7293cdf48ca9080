package dev.inflight.pdata;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.inflight.otlp.wire.OtlpWire;
import dev.inflight.otlp.wire.WireReader;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.util.Objects;

/**
 * A batch of spans as an OTLP {@code ExportTraceServiceRequest}. It travels encoded: the receiver
 * hands on the bytes it got, a component that reads a few fields walks them, and the message is
 * parsed only when a component asks for {@link #request()}. Immutable.
 */
public final class Traces implements SignalData {
  private final byte[] encoded;
  private volatile ExportTraceServiceRequest request;
  private volatile int spanCount = -1;
  private volatile int resourceSpansCount = -1;

  private Traces(byte[] encoded, ExportTraceServiceRequest request, int spanCount) {
    this.encoded = encoded;
    this.request = request;
    this.spanCount = spanCount;
  }

  /** Wraps encoded bytes without copying them; the caller must not change the array afterwards. */
  public static Traces ofEncoded(byte[] encoded) {
    return new Traces(Objects.requireNonNull(encoded, "encoded"), null, -1);
  }

  /** Wraps encoded bytes whose span count a receiver already established while checking them. */
  public static Traces ofEncoded(byte[] encoded, int spanCount) {
    return new Traces(Objects.requireNonNull(encoded, "encoded"), null, spanCount);
  }

  public static Traces of(ExportTraceServiceRequest request) {
    Objects.requireNonNull(request, "request");
    return new Traces(request.toByteArray(), request, -1);
  }

  /** The encoded request. Shared, not copied: do not modify. */
  @Override
  public byte[] encoded() {
    return encoded;
  }

  /** The parsed message, made on first use. */
  public ExportTraceServiceRequest request() {
    ExportTraceServiceRequest r = request;
    if (r == null) {
      try {
        r = ExportTraceServiceRequest.parseFrom(encoded);
      } catch (InvalidProtocolBufferException e) {
        throw new MalformedDataException("traces are not a valid ExportTraceServiceRequest", e);
      }
      request = r;
    }
    return r;
  }

  public int spanCount() {
    if (spanCount < 0) {
      count();
    }
    return spanCount;
  }

  /** The spans: what self-metrics count for traces. */
  @Override
  public int itemCount() {
    return spanCount();
  }

  public int resourceSpansCount() {
    if (resourceSpansCount < 0) {
      count();
    }
    return resourceSpansCount;
  }

  /** Counts without parsing: walks the three levels of length-delimited fields. */
  private void count() {
    int resources = 0;
    int spans = 0;
    try {
      WireReader in = new WireReader(encoded);
      int tag;
      while (in.next(OtlpWire.TraceRequest.RESOURCE_SPANS)) {
        resources++;
        int rsLimit = in.enter();
        while (in.next(OtlpWire.ResourceSpans.SCOPE_SPANS)) {
          int ssLimit = in.enter();
          while ((tag = in.readTag()) != 0) {
            if (tag == OtlpWire.ScopeSpans.SPANS) {
              spans++;
            }
            in.skipField(tag);
          }
          in.popLimit(ssLimit);
        }
        in.popLimit(rsLimit);
      }
    } catch (IOException e) {
      throw new MalformedDataException("traces are not a valid ExportTraceServiceRequest", e);
    }
    resourceSpansCount = resources;
    spanCount = spans;
  }

  @Override
  public String toString() {
    return "Traces[" + encoded.length + " bytes]";
  }
}
