package dev.inflight.connector.concurrency;

/**
 * Reads the OpenTelemetry sampling threshold from a W3C {@code tracestate}: the {@code th} sub-key
 * of the {@code ot} member ({@code ot=th:c;rv:...}), 1 to 14 hex digits of a 56-bit rejection
 * threshold T, right-padded with zeros. A span kept with probability p = 1 - T/2^56 stands for
 * 1/p spans: its adjusted count. Works on the encoded bytes in place.
 */
final class SamplingThreshold {
  private static final double TWO_56 = 0x1p56;

  private SamplingThreshold() {}

  /** The adjusted count, or NaN when the tracestate has no valid {@code th}. */
  static double adjustedCount(byte[] buf, int off, int len) {
    int end = off + len;
    int i = off;
    while (i < end) {
      // One list member: skip optional whitespace, then "key=value" up to the next ','.
      while (i < end && (buf[i] == ' ' || buf[i] == '\t')) {
        i++;
      }
      int memberEnd = i;
      while (memberEnd < end && buf[memberEnd] != ',') {
        memberEnd++;
      }
      if (memberEnd - i >= 3 && buf[i] == 'o' && buf[i + 1] == 't' && buf[i + 2] == '=') {
        return threshold(buf, i + 3, memberEnd);
      }
      i = memberEnd + 1;
    }
    return Double.NaN;
  }

  /** Looks for {@code th:} among the ';'-separated sub-keys of the ot value in {@code [from, to)}. */
  private static double threshold(byte[] buf, int from, int to) {
    int i = from;
    while (i < to) {
      int subEnd = i;
      while (subEnd < to && buf[subEnd] != ';') {
        subEnd++;
      }
      if (subEnd - i >= 3 && buf[i] == 't' && buf[i + 1] == 'h' && buf[i + 2] == ':') {
        return fromHex(buf, i + 3, trimEnd(buf, i + 3, subEnd));
      }
      i = subEnd + 1;
    }
    return Double.NaN;
  }

  private static int trimEnd(byte[] buf, int from, int to) {
    while (to > from && (buf[to - 1] == ' ' || buf[to - 1] == '\t')) {
      to--;
    }
    return to;
  }

  private static double fromHex(byte[] buf, int from, int to) {
    int digits = to - from;
    if (digits < 1 || digits > 14) {
      return Double.NaN;
    }
    long t = 0;
    for (int i = from; i < to; i++) {
      int d = Character.digit(buf[i], 16);
      if (d < 0 || (buf[i] >= 'A' && buf[i] <= 'F')) { // lowercase only, as the spec writes it
        return Double.NaN;
      }
      t = (t << 4) | d;
    }
    t <<= 4 * (14 - digits);
    return TWO_56 / (TWO_56 - t);
  }
}
