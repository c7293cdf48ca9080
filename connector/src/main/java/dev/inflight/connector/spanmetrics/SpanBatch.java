package dev.inflight.connector.spanmetrics;

import java.util.Arrays;

/**
 * What one request contributes, decoded but not yet aggregated: per resource its key, per span (and
 * per span event) the series key, duration and ids, all as ranges of two reusable byte arrays. One
 * per thread; {@link #clear()} before each request. Aggregating it is the only part under the lock.
 */
final class SpanBatch {
  static final byte CALL = 0;
  static final byte EVENT = 1;
  /** Only with calls_dimensions or histogram.dimensions: a duration apart from its call. */
  static final byte HISTOGRAM = 2;

  /** Series and resource keys, back to back. */
  byte[] keys = new byte[4096];
  int keysSize;

  int resources;
  int[] resourceKeyOff = new int[8];
  int[] resourceKeyLen = new int[8];
  /** The encoded Resource message in the request, or length -1 when the request had none. */
  int[] resourceOff = new int[8];
  int[] resourceLen = new int[8];

  int size;
  int[] resource = new int[64];
  byte[] kind = new byte[64];
  int[] keyOff = new int[64];
  int[] keyLen = new int[64];
  long[] durationNanos = new long[64];
  long[] endTime = new long[64];
  /** Offsets of the 16-byte trace id and 8-byte span id in the request, or -1. */
  int[] traceIdOff = new int[64];
  int[] spanIdOff = new int[64];

  void clear() {
    keysSize = 0;
    resources = 0;
    size = 0;
  }

  int addResource(int keyOff, int keyLen, int off, int len) {
    if (resources == resourceKeyOff.length) {
      int n = resources * 2;
      resourceKeyOff = Arrays.copyOf(resourceKeyOff, n);
      resourceKeyLen = Arrays.copyOf(resourceKeyLen, n);
      resourceOff = Arrays.copyOf(resourceOff, n);
      resourceLen = Arrays.copyOf(resourceLen, n);
    }
    resourceKeyOff[resources] = keyOff;
    resourceKeyLen[resources] = keyLen;
    resourceOff[resources] = off;
    resourceLen[resources] = len;
    return resources++;
  }

  void add(int res, byte k, int off, int len, long duration, long end, int traceId, int spanId) {
    if (size == resource.length) {
      int n = size * 2;
      resource = Arrays.copyOf(resource, n);
      kind = Arrays.copyOf(kind, n);
      keyOff = Arrays.copyOf(keyOff, n);
      keyLen = Arrays.copyOf(keyLen, n);
      durationNanos = Arrays.copyOf(durationNanos, n);
      endTime = Arrays.copyOf(endTime, n);
      traceIdOff = Arrays.copyOf(traceIdOff, n);
      spanIdOff = Arrays.copyOf(spanIdOff, n);
    }
    resource[size] = res;
    kind[size] = k;
    keyOff[size] = off;
    keyLen[size] = len;
    durationNanos[size] = duration;
    endTime[size] = end;
    traceIdOff[size] = traceId;
    spanIdOff[size] = spanId;
    size++;
  }

  // Writing keys.

  void ensure(int more) {
    if (keysSize + more > keys.length) {
      keys = Arrays.copyOf(keys, Math.max(keys.length * 2, keysSize + more));
    }
  }

  void putByte(int b) {
    ensure(1);
    keys[keysSize++] = (byte) b;
  }

  /** A length-prefixed copy of {@code src[off, off + len)}. */
  void putBytes(byte[] src, int off, int len) {
    ensure(len + 5);
    int v = len;
    while ((v & ~0x7f) != 0) {
      keys[keysSize++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    keys[keysSize++] = (byte) v;
    System.arraycopy(src, off, keys, keysSize, len);
    keysSize += len;
  }
}
