package dev.inflight.otlp.wire;

/**
 * The {@code partial_success} of an OTLP export response, read from its bytes. The trace, metrics
 * and logs responses number their fields alike ({@code partial_success} 1; in it the rejected
 * count 1 and {@code error_message} 2; {@code OtlpWireTest} checks it), so one walk reads any of
 * them and an exporter needs no parser per signal.
 *
 * @param rejected the spans, data points or log records the server rejected
 * @param errorMessage why, as the server wrote it; empty when it gave no reason
 */
public record PartialSuccess(long rejected, String errorMessage) {
  /** An answer without {@code partial_success}: everything accepted. */
  public static final PartialSuccess NONE = new PartialSuccess(0, "");

  /** Whether the server said anything: rejected items or a message (a warning without rejections). */
  public boolean isPresent() {
    return rejected != 0 || !errorMessage.isEmpty();
  }

  /**
   * Reads an {@code Export*ServiceResponse}. Repeated fields merge as protobuf merges them: the last
   * value of each wins.
   *
   * @throws MalformedWireException when the bytes are not such a response
   */
  public static PartialSuccess read(byte[] response) throws MalformedWireException {
    long rejected = 0;
    String message = "";
    WireReader in = new WireReader(response);
    while (in.next(OtlpWire.TraceResponse.PARTIAL_SUCCESS)) {
      int limit = in.enter();
      int tag;
      while ((tag = in.readTag()) != 0) {
        switch (tag) {
          case OtlpWire.TracePartialSuccess.REJECTED_SPANS -> rejected = in.readInt64();
          case OtlpWire.TracePartialSuccess.ERROR_MESSAGE -> message = in.readString();
          default -> in.skipField(tag);
        }
      }
      in.popLimit(limit);
    }
    return rejected == 0 && message.isEmpty() ? NONE : new PartialSuccess(rejected, message);
  }
}
