package dev.inflight.exporter.prometheusremotewrite;

import java.util.Arrays;

/**
 * A series as Prometheus identifies it: its whole label set, {@code __name__} included, as
 * name/value pairs sorted by name (the order remote write requires). Immutable; the array must not
 * be changed after construction.
 */
final class SeriesId {
  private final String[] labels;
  private final int hash;

  SeriesId(String[] labels) {
    this.labels = labels;
    this.hash = Arrays.hashCode(labels);
  }

  /** name0, value0, name1, value1, ... sorted by name. */
  String[] labels() {
    return labels;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SeriesId s && s.hash == hash && Arrays.equals(s.labels, labels);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** {@code name{a="x", b="y"}}, for logs and tests. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    String name = "";
    for (int i = 0; i < labels.length; i += 2) {
      if (labels[i].equals("__name__")) {
        name = labels[i + 1];
        continue;
      }
      b.append(b.length() == 0 ? "" : ", ").append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
    }
    return name + "{" + b + "}";
  }
}
