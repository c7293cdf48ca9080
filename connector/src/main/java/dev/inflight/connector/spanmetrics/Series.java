package dev.inflight.connector.spanmetrics;

import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** One series: its attributes, its calls, its durations and the exemplars since the last flush. */
final class Series {
  final @Nullable SeriesKey key;
  final List<KeyValue> attributes;
  /** Start of the series: arrival (flush mode) or first span end (event time), or the last delta point's time. */
  final long startTime;
  long calls;
  final long @Nullable [] buckets;
  final @Nullable ExponentialHistogram exponential;
  double sum;
  long histogramCount;
  /** Latest span end counted; Long.MIN_VALUE before the first. */
  long lastEnd = Long.MIN_VALUE;

  int exemplars;
  long[] exTraceHi = new long[0];
  long[] exTraceLo = new long[0];
  long[] exSpanId = new long[0];
  double[] exValue = new double[0];
  long[] exTime = new long[0];

  Series(@Nullable SeriesKey key, List<KeyValue> attributes, long startTime, int bucketCount, int exponentialMaxSize) {
    this.key = key;
    this.attributes = attributes;
    this.startTime = startTime;
    this.buckets = bucketCount > 0 ? new long[bucketCount] : null;
    this.exponential = exponentialMaxSize > 0 ? new ExponentialHistogram(exponentialMaxSize) : null;
  }

  void observe(double[] bounds, double value) {
    histogramCount++;
    sum += value;
    if (buckets != null) {
      // The first bound at or above the value, as contrib's sort.SearchFloat64s: bounds are inclusive.
      int i = Arrays.binarySearch(bounds, value);
      if (i < 0) {
        i = -i - 1;
      } else {
        while (i > 0 && bounds[i - 1] == value) {
          i--;
        }
      }
      buckets[i]++;
    } else if (exponential != null) {
      exponential.record(value);
    }
  }

  void addExemplar(long hi, long lo, long spanId, double value, long time, int max) {
    if (exemplars >= max) {
      return;
    }
    if (exemplars == exTraceHi.length) {
      int n = Math.max(4, exemplars * 2);
      exTraceHi = Arrays.copyOf(exTraceHi, n);
      exTraceLo = Arrays.copyOf(exTraceLo, n);
      exSpanId = Arrays.copyOf(exSpanId, n);
      exValue = Arrays.copyOf(exValue, n);
      exTime = Arrays.copyOf(exTime, n);
    }
    exTraceHi[exemplars] = hi;
    exTraceLo[exemplars] = lo;
    exSpanId[exemplars] = spanId;
    exValue[exemplars] = value;
    exTime[exemplars] = time;
    exemplars++;
  }
}
