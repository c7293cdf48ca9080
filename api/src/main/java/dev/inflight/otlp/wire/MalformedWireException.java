package dev.inflight.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * Bytes that are not well-formed protobuf: what is wrong ({@link #reason()}, e.g. {@code
 * truncated}) and at which byte of the buffer. A protobuf-java {@link
 * InvalidProtocolBufferException}, so callers that handle bytes protobuf-java refuses handle these
 * alike. Cheap to throw (no stack trace): walkers of untrusted input turn it into a refusal, not a
 * crash.
 */
public final class MalformedWireException extends InvalidProtocolBufferException {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final int offset;

  MalformedWireException(String reason, int offset) {
    super(reason + " at byte " + offset);
    this.reason = reason;
    this.offset = offset;
  }

  /** What is wrong, without the position: {@code truncated}, {@code malformed varint}, ... */
  public String reason() {
    return reason;
  }

  /** Where in the buffer the reader was when it found out. */
  public int offset() {
    return offset;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
