package dev.inflight.connector.spanmetrics;

import java.util.Arrays;

/**
 * A series or resource key: a range of bytes. The connector looks keys up with one reused probe
 * over the batch's bytes, and copies the bytes into a key of its own only for a new series, so a
 * span that lands in an existing series allocates nothing.
 */
final class SeriesKey {
  byte[] bytes;
  int off;
  int len;
  int hash;

  SeriesKey() {}

  /** An owned copy of {@code probe}. */
  SeriesKey(SeriesKey probe) {
    this.bytes = Arrays.copyOfRange(probe.bytes, probe.off, probe.off + probe.len);
    this.off = 0;
    this.len = probe.len;
    this.hash = probe.hash;
  }

  SeriesKey set(byte[] bytes, int off, int len) {
    this.bytes = bytes;
    this.off = off;
    this.len = len;
    int h = 1;
    for (int i = off; i < off + len; i++) {
      h = 31 * h + bytes[i];
    }
    this.hash = h;
    return this;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeriesKey k && k.hash == hash
        && Arrays.equals(bytes, off, off + len, k.bytes, k.off, k.off + k.len);
  }
}
