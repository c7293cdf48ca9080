package dev.inflight.connector.concurrency;

import java.util.Arrays;

/**
 * What makes a group: a worker type and the values of the dimensions ({@code null} where a span had
 * none and no default applies). Overflow groups carry no dimension values.
 */
final class GroupKey {
  final int workerType;
  final String[] dimensions;
  final boolean overflow;
  private final int hash;

  /** Takes ownership of {@code dimensions}: the caller must not change the array afterwards. */
  GroupKey(int workerType, String[] dimensions, boolean overflow) {
    this.workerType = workerType;
    this.dimensions = dimensions;
    this.overflow = overflow;
    this.hash = (31 * workerType + Arrays.hashCode(dimensions)) * 2 + (overflow ? 1 : 0);
  }

  static GroupKey overflow(int workerType) {
    return new GroupKey(workerType, new String[0], true);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupKey k
        && k.hash == hash
        && k.workerType == workerType
        && k.overflow == overflow
        && Arrays.equals(k.dimensions, dimensions);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "GroupKey[type=" + workerType + ", dims=" + Arrays.toString(dimensions)
        + (overflow ? ", overflow" : "") + "]";
  }
}
