package dev.inflight.otlp.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads protobuf wire format from a {@code byte[]}, field by field, without building messages: the
 * one reader every component that walks encoded OTLP uses (tags from {@link OtlpWire}).
 *
 * <p>Positions are indexes into the buffer, so a walker can remember where a field starts and
 * ends, compare keys in place, or come back with {@link #seek}. A length-delimited field is entered
 * with {@link #enter()} (the reader then stops at its end: {@link #readTag()} returns 0 there) and
 * left with {@link #popLimit}; everything checks lengths against the current limit and throws
 * {@link MalformedWireException} saying what and where. Nothing allocates except {@link
 * #readString()} and {@link #readBytes()}, and one reader can be {@link #reset} per request, so the
 * hot path walks without garbage. The semantics follow protobuf-java's {@code CodedInputStream}
 * (the same bytes are accepted and refused), which the walkers used before.
 *
 * <p>Not thread-safe: one per walk, or one per thread.
 */
public final class WireReader {
  /** Groups (deprecated, none in OTLP) nested deeper than this are refused, as by protobuf-java. */
  static final int MAX_GROUP_DEPTH = 100;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] buf;
  private int pos;
  private int limit;

  /** A reader over all of {@code buf}. */
  public WireReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  /** A reader over {@code buf[offset, offset + length)}. */
  public WireReader(byte[] buf, int offset, int length) {
    reset(buf, offset, length);
  }

  /** Starts over on {@code buf[offset, offset + length)}; returns this. */
  public WireReader reset(byte[] buf, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, buf.length);
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
    return this;
  }

  /** The buffer read; positions are indexes into it. */
  public byte[] buffer() {
    return buf;
  }

  /** The index of the next byte to read. */
  public int position() {
    return pos;
  }

  /** The index where the current message (or the buffer) ends. */
  public int limit() {
    return limit;
  }

  public int bytesUntilLimit() {
    return limit - pos;
  }

  /** Goes back (or forward) to {@code position}, inside the current limit. */
  public void seek(int position) {
    Objects.checkIndex(position, limit + 1);
    pos = position;
  }

  /** The next field's tag ({@code field << 3 | wire type}), or 0 at the limit. */
  public int readTag() throws MalformedWireException {
    if (pos >= limit) {
      return 0;
    }
    int tag = readVarint32();
    if (tag >>> 3 == 0) {
      throw new MalformedWireException("invalid tag (field number 0)", pos);
    }
    return tag;
  }

  /**
   * Reads a length prefix and limits reading to the field it announces; returns the limit to give
   * {@link #popLimit} when the field is done.
   */
  public int enter() throws MalformedWireException {
    return pushLimit(readVarint32());
  }

  /** Limits reading to the next {@code length} bytes; returns the previous limit. */
  public int pushLimit(int length) throws MalformedWireException {
    checkLength(length);
    int old = limit;
    limit = pos + length;
    return old;
  }

  /** Restores the limit {@link #enter} or {@link #pushLimit} returned. */
  public void popLimit(int oldLimit) {
    limit = oldLimit;
  }

  /** A length prefix, checked to fit before the limit; the field's bytes start at {@link #position()}. */
  public int readLength() throws MalformedWireException {
    int length = readVarint32();
    checkLength(length);
    return length;
  }

  public void skip(int length) throws MalformedWireException {
    checkLength(length);
    pos += length;
  }

  /** Skips what is left of the current message. */
  public void skipToLimit() {
    pos = limit;
  }

  /**
   * Skips fields until one with {@code tag} (read, its value next); false at the limit. The walk
   * every OTLP reader does to reach a repeated field: {@code while (in.next(ScopeSpans.SPANS))}.
   */
  public boolean next(int tag) throws MalformedWireException {
    int t;
    while ((t = readTag()) != 0) {
      if (t == tag) {
        return true;
      }
      skipField(t);
    }
    return false;
  }

  /**
   * Skips the field whose tag was just read, a group with everything in it. An end-group tag
   * outside its group is refused, as protobuf-java 4 does.
   */
  public void skipField(int tag) throws MalformedWireException {
    switch (tag & 7) {
      case OtlpWire.VARINT -> readVarint64();
      case OtlpWire.FIXED64 -> skip(8);
      case OtlpWire.LEN -> skip(readVarint32());
      case OtlpWire.START_GROUP -> skipGroup(tag >>> 3, 1);
      case OtlpWire.END_GROUP -> throw new MalformedWireException(GROUP_MISMATCH, pos);
      case OtlpWire.FIXED32 -> skip(4);
      default -> throw new MalformedWireException("invalid wire type", pos);
    }
  }

  private static final String GROUP_MISMATCH = "end-group tag does not match its group";

  private void skipGroup(int number, int depth) throws MalformedWireException {
    if (depth > MAX_GROUP_DEPTH) {
      throw new MalformedWireException("groups nested deeper than " + MAX_GROUP_DEPTH, pos);
    }
    int tag;
    while ((tag = readTag()) != 0) {
      switch (tag & 7) {
        case OtlpWire.START_GROUP -> skipGroup(tag >>> 3, depth + 1);
        case OtlpWire.END_GROUP -> {
          if (tag >>> 3 == number) {
            return;
          }
          throw new MalformedWireException(GROUP_MISMATCH, pos);
        }
        default -> skipField(tag);
      }
    }
    throw new MalformedWireException(GROUP_MISMATCH, pos);
  }

  /** A varint's low 32 bits (a length, an enum, an int32). */
  public int readVarint32() throws MalformedWireException {
    int p = pos;
    if (p < limit) {
      int x = buf[p++];
      if (x >= 0) {
        pos = p;
        return x;
      }
      if (limit - p >= 9) {
        // Unrolled as in CodedInputStream: lengths of spans and attributes take two or three bytes.
        if ((x ^= (buf[p++] << 7)) < 0) {
          x ^= (~0 << 7);
        } else if ((x ^= (buf[p++] << 14)) >= 0) {
          x ^= (~0 << 7) ^ (~0 << 14);
        } else if ((x ^= (buf[p++] << 21)) < 0) {
          x ^= (~0 << 7) ^ (~0 << 14) ^ (~0 << 21);
        } else {
          int y = buf[p++];
          x ^= y << 28;
          x ^= (~0 << 7) ^ (~0 << 14) ^ (~0 << 21) ^ (~0 << 28);
          if (y < 0 && buf[p++] < 0 && buf[p++] < 0 && buf[p++] < 0 && buf[p++] < 0 && buf[p++] < 0) {
            return (int) readVarint64(); // more than ten bytes: says "malformed varint"
          }
        }
        pos = p;
        return x;
      }
    }
    return (int) readVarint64();
  }

  public long readVarint64() throws MalformedWireException {
    int p = pos;
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p >= limit) {
        throw new MalformedWireException("truncated", p);
      }
      byte b = buf[p++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        pos = p;
        return result;
      }
    }
    throw new MalformedWireException("malformed varint", pos);
  }

  public int readEnum() throws MalformedWireException {
    return readVarint32();
  }

  public long readInt64() throws MalformedWireException {
    return readVarint64();
  }

  public boolean readBool() throws MalformedWireException {
    return readVarint64() != 0;
  }

  public long readFixed64() throws MalformedWireException {
    int p = pos;
    if (limit - p < 8) {
      throw new MalformedWireException("truncated", p);
    }
    pos = p + 8;
    return (long) LONGS.get(buf, p);
  }

  public int readFixed32() throws MalformedWireException {
    int p = pos;
    if (limit - p < 4) {
      throw new MalformedWireException("truncated", p);
    }
    pos = p + 4;
    return (int) INTS.get(buf, p);
  }

  public double readDouble() throws MalformedWireException {
    return Double.longBitsToDouble(readFixed64());
  }

  /** A length-delimited string; refused unless it is well-formed UTF-8, as protobuf-java does. */
  public String readString() throws MalformedWireException {
    int length = readLength();
    int p = pos;
    if (!isValidUtf8(buf, p, p + length)) {
      throw new MalformedWireException("invalid UTF-8", p);
    }
    pos = p + length;
    return new String(buf, p, length, StandardCharsets.UTF_8);
  }

  /** A length-delimited field's bytes, copied. */
  public byte[] readBytes() throws MalformedWireException {
    int length = readLength();
    int p = pos;
    pos = p + length;
    return Arrays.copyOfRange(buf, p, p + length);
  }

  private void checkLength(int length) throws MalformedWireException {
    if (length < 0) {
      throw new MalformedWireException("negative length", pos);
    }
    if (length > limit - pos) {
      throw new MalformedWireException("truncated", pos);
    }
  }

  // ---- UTF-8 -----------------------------------------------------------------------------------

  /**
   * Whether {@code b[from, to)} is well-formed UTF-8 as protobuf-java requires: no overlong forms,
   * no surrogates, nothing above U+10FFFF. ASCII, the common case, is checked eight bytes at a time.
   */
  static boolean isValidUtf8(byte[] b, int from, int to) {
    int i = from;
    while (i < to) {
      if (to - i >= 8 && ((long) LONGS.get(b, i) & 0x8080808080808080L) == 0) {
        i += 8;
        continue;
      }
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
      } else if (c < 0xC2) {
        return false; // a continuation byte, or an overlong two-byte form
      } else if (c < 0xE0) {
        if (i + 1 >= to || !continuation(b[i + 1])) {
          return false;
        }
        i += 2;
      } else if (c < 0xF0) {
        if (i + 2 >= to || !continuation(b[i + 1]) || !continuation(b[i + 2])) {
          return false;
        }
        int c1 = b[i + 1] & 0xFF;
        if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) {
          return false; // overlong, or a surrogate
        }
        i += 3;
      } else if (c < 0xF5) {
        if (i + 3 >= to
            || !continuation(b[i + 1])
            || !continuation(b[i + 2])
            || !continuation(b[i + 3])) {
          return false;
        }
        int c1 = b[i + 1] & 0xFF;
        if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90)) {
          return false; // overlong, or above U+10FFFF
        }
        i += 4;
      } else {
        return false;
      }
    }
    return true;
  }

  private static boolean continuation(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
