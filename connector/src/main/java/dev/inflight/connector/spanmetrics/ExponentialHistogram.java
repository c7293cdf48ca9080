package dev.inflight.connector.spanmetrics;

import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;

/**
 * A base-2 exponential histogram of positive values that keeps at most {@code maxSize} buckets,
 * halving its scale when a value falls outside them: the structure contrib uses
 * (lightstep/go-expohisto) and the OpenTelemetry SDKs implement, starting at scale 20.
 * Durations are never negative, so there is no negative range; zero goes in the zero bucket.
 */
final class ExponentialHistogram {
  static final int MAX_SCALE = 20;

  private final int maxSize;
  private int scale = MAX_SCALE;
  /** counts[i] is the bucket of index {@code offset + i}. */
  private long[] counts = new long[0];
  private int offset;
  private int usedLo;
  private int usedHi;
  private long zeroCount;
  private long count;
  private double sum;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  ExponentialHistogram(int maxSize) {
    this.maxSize = maxSize;
  }

  void record(double value) {
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
    if (value <= 0) {
      zeroCount++;
      return;
    }
    int index = index(value, scale);
    if (counts.length == 0) {
      counts = new long[maxSize];
      offset = index;
      usedLo = index;
      usedHi = index;
    } else {
      long lo = Math.min(usedLo, index);
      long hi = Math.max(usedHi, index);
      int shift = 0;
      while ((hi >> shift) - (lo >> shift) + 1 > maxSize) {
        shift++;
      }
      if (shift > 0) {
        downscale(shift);
        index = index(value, scale);
      }
      if (index < offset || index >= offset + maxSize) {
        rebase(Math.min(usedLo, index));
      }
      usedLo = Math.min(usedLo, index);
      usedHi = Math.max(usedHi, index);
    }
    counts[index - offset]++;
  }

  /** Moves the window of buckets to start at {@code newOffset} (every used bucket fits). */
  private void rebase(int newOffset) {
    long[] moved = new long[maxSize];
    for (int i = usedLo; i <= usedHi; i++) {
      moved[i - newOffset] = counts[i - offset];
    }
    counts = moved;
    offset = newOffset;
  }

  private void downscale(int shift) {
    scale -= shift;
    long[] merged = new long[maxSize];
    int newLo = usedLo >> shift;
    for (int i = usedLo; i <= usedHi; i++) {
      merged[(i >> shift) - newLo] += counts[i - offset];
    }
    counts = merged;
    offset = newLo;
    usedLo = newLo;
    usedHi = usedHi >> shift;
  }

  /** The bucket of {@code value} at {@code scale}: bucket i holds (base^i, base^(i+1)]. */
  static int index(double value, int scale) {
    int exp = Math.getExponent(value);
    long mantissa = Double.doubleToRawLongBits(value) & 0x000F_FFFF_FFFF_FFFFL;
    boolean powerOfTwo = mantissa == 0 && exp >= Double.MIN_EXPONENT;
    if (scale <= 0) {
      return ((powerOfTwo ? exp - 1 : exp)) >> -scale;
    }
    if (powerOfTwo) {
      return (exp << scale) - 1;
    }
    double scaleFactor = Math.scalb(1 / Math.log(2), scale);
    return (int) Math.ceil(Math.log(value) * scaleFactor) - 1;
  }

  long count() {
    return count;
  }

  void writeTo(ExponentialHistogramDataPoint.Builder b) {
    b.setCount(count).setSum(sum).setScale(scale).setZeroCount(zeroCount);
    if (count > 0) {
      b.setMin(min).setMax(max);
    }
    ExponentialHistogramDataPoint.Buckets.Builder positive = ExponentialHistogramDataPoint.Buckets.newBuilder();
    if (counts.length > 0) {
      positive.setOffset(usedLo);
      for (int i = usedLo; i <= usedHi; i++) {
        positive.addBucketCounts(counts[i - offset]);
      }
    }
    b.setPositive(positive);
  }
}
