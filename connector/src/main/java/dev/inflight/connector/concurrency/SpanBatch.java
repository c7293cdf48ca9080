package dev.inflight.connector.concurrency;

import java.util.Arrays;

/**
 * The matched spans of one request, decoded and assigned to groups, held in parallel primitive
 * arrays so decoding allocates nothing per span. One per thread, reused: {@link #clear()} before
 * each request.
 */
final class SpanBatch {
  static final int STATUS_UNSET = 0;
  static final int STATUS_OK = 1;
  static final int STATUS_ERROR = 2;

  int size;
  Group[] groups = new Group[64];
  long[] starts = new long[64];
  long[] ends = new long[64];
  double[] weights = new double[64];
  byte[] statuses = new byte[64];
  String[] instances = new String[64];
  /** Scratch for ordering spans by group: (group id << 32 | index). */
  long[] order = new long[64];

  // Filled only when the connector keeps a recent-trace store: the matched spans' ids and names, and the
  // trace id and times of unmatched spans, which widen a stored trace's extent.
  long[] traceHi = new long[0];
  long[] traceLo = new long[0];
  long[] spanIds = new long[0];
  long[] parentIds = new long[0];
  String[] names = new String[0];
  int extentSize;
  long[] extentHi = new long[0];
  long[] extentLo = new long[0];
  long[] extentStart = new long[0];
  long[] extentEnd = new long[0];

  void clear() {
    // Drop references so a removed group or instance name is not kept alive by an idle thread.
    Arrays.fill(groups, 0, size, null);
    Arrays.fill(instances, 0, size, null);
    if (names.length > 0) {
      Arrays.fill(names, 0, Math.min(size, names.length), null);
    }
    size = 0;
    extentSize = 0;
  }

  void add(Group group, long start, long end, double weight, int status, String instance) {
    if (size == groups.length) {
      int n = size * 2;
      groups = Arrays.copyOf(groups, n);
      starts = Arrays.copyOf(starts, n);
      ends = Arrays.copyOf(ends, n);
      weights = Arrays.copyOf(weights, n);
      statuses = Arrays.copyOf(statuses, n);
      instances = Arrays.copyOf(instances, n);
      order = new long[n];
    }
    groups[size] = group;
    starts[size] = start;
    ends[size] = end;
    weights[size] = weight;
    statuses[size] = (byte) status;
    instances[size] = instance;
    size++;
  }

  /** The ids and name of the span just {@link #add}ed, for the recent-trace store. */
  void identify(long hi, long lo, long spanId, long parentId, String name) {
    int i = size - 1;
    if (traceHi.length <= i) {
      int n = Math.max(64, groups.length);
      traceHi = Arrays.copyOf(traceHi, n);
      traceLo = Arrays.copyOf(traceLo, n);
      spanIds = Arrays.copyOf(spanIds, n);
      parentIds = Arrays.copyOf(parentIds, n);
      names = Arrays.copyOf(names, n);
    }
    traceHi[i] = hi;
    traceLo[i] = lo;
    spanIds[i] = spanId;
    parentIds[i] = parentId;
    names[i] = name;
  }

  /** An unmatched span's trace and times: it may widen a stored trace's extent. */
  void addExtent(long hi, long lo, long start, long end) {
    if (extentSize == extentHi.length) {
      int n = Math.max(64, extentSize * 2);
      extentHi = Arrays.copyOf(extentHi, n);
      extentLo = Arrays.copyOf(extentLo, n);
      extentStart = Arrays.copyOf(extentStart, n);
      extentEnd = Arrays.copyOf(extentEnd, n);
    }
    extentHi[extentSize] = hi;
    extentLo[extentSize] = lo;
    extentStart[extentSize] = start;
    extentEnd[extentSize] = end;
    extentSize++;
  }

  /** Fills {@link #order} so spans of one group are adjacent, in arrival order within a group. */
  void sortByGroup() {
    for (int i = 0; i < size; i++) {
      order[i] = ((long) groups[i].id << 32) | i;
    }
    Arrays.sort(order, 0, size);
  }
}
