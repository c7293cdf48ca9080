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

  void clear() {
    // Drop references so a removed group or instance name is not kept alive by an idle thread.
    Arrays.fill(groups, 0, size, null);
    Arrays.fill(instances, 0, size, null);
    size = 0;
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

  /** Fills {@link #order} so spans of one group are adjacent, in arrival order within a group. */
  void sortByGroup() {
    for (int i = 0; i < size; i++) {
      order[i] = ((long) groups[i].id << 32) | i;
    }
    Arrays.sort(order, 0, size);
  }
}
