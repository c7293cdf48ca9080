package dev.inflight.tools.analyze;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The worker spans of a recording, column by column: per worker type a {@code long[]} of starts,
 * one of ends and, when instances are analysed, an {@code int[]} of instance ids (interned by the
 * caller). That is {@value #BYTES_PER_SPAN} bytes per worker span with an instance attribute, 16
 * without (plus up to half as much again of slack while the arrays grow by 1.5×). Ids and names are
 * not kept per span: errors are counted and the longest spans picked as spans arrive. Spans of no
 * worker type are only counted, and widen the recording's range.
 *
 * <p>Not thread-safe.
 */
public final class RecordedSpans {
  /** Bytes held per worker span: start and end (8 each) and the instance id (4). */
  public static final int BYTES_PER_SPAN = 20;

  private final boolean instances;
  private final int longest;
  private final List<Column> columns = new ArrayList<>();
  private long spans;
  private long unmatched;
  private long invalid;
  private long minStart = Long.MAX_VALUE;
  private long maxEnd = Long.MIN_VALUE;

  /**
   * @param instances whether to keep each span's instance id
   * @param longest how many of the longest spans to keep per worker type
   */
  public RecordedSpans(boolean instances, int longest) {
    this.instances = instances;
    this.longest = longest;
  }

  /** One worker type's spans. */
  static final class Column {
    long[] start = new long[16];
    long[] end = new long[16];
    int[] instance;
    int size;
    long errors;
    final LongestSpans longest;

    Column(boolean instances, int longest) {
      this.instance = instances ? new int[16] : null;
      this.longest = new LongestSpans(longest);
    }

    void add(long s, long e, int inst) {
      if (size == start.length) {
        int cap = size + (size >> 1) + 16;
        start = Arrays.copyOf(start, cap);
        end = Arrays.copyOf(end, cap);
        if (instance != null) {
          instance = Arrays.copyOf(instance, cap);
        }
      }
      start[size] = s;
      end[size] = e;
      if (instance != null) {
        instance[size] = inst;
      }
      size++;
    }
  }

  /**
   * Whether a span's times can be analysed: both set, and the end not before the start. Spans that
   * fail it are counted by {@link #invalid} and ignored.
   */
  public static boolean validTimes(long start, long end) {
    return start > 0 && end > 0 && end >= start;
  }

  /** Counts a span that matched no worker type; its times widen the range. */
  public void unmatched(long start, long end) {
    spans++;
    if (!validTimes(start, end)) {
      invalid++;
      return;
    }
    unmatched++;
    widen(start, end);
  }

  /**
   * Adds a span of worker type {@code type}.
   *
   * @param instance the instance id, or -1 when the span has none
   * @return the span's duration when it was added and may be among the longest (then call {@link
   *     #offerLongest}), else -1
   */
  public long add(int type, long start, long end, boolean error, int instance) {
    spans++;
    if (!validTimes(start, end)) {
      invalid++;
      return -1;
    }
    widen(start, end);
    while (columns.size() <= type) {
      columns.add(new Column(instances, longest));
    }
    Column c = columns.get(type);
    c.add(start, end, instance);
    if (error) {
      c.errors++;
    }
    long d = end - start;
    return c.longest.wants(d) ? d : -1;
  }

  /** Offers a span {@link #add} said may be among the longest of its type. */
  public void offerLongest(int type, LongSpan span) {
    columns.get(type).longest.offer(span);
  }

  private void widen(long start, long end) {
    if (start < minStart) {
      minStart = start;
    }
    if (end > maxEnd) {
      maxEnd = end;
    }
  }

  /** Whether instance ids are kept. */
  public boolean hasInstances() {
    return instances;
  }

  /** Every span read: worker spans, unmatched ones and invalid ones. */
  public long spans() {
    return spans;
  }

  /** Spans with valid times that matched no worker type. */
  public long unmatched() {
    return unmatched;
  }

  /** Spans without a start or end time, or ending before they start: not analysed. */
  public long invalid() {
    return invalid;
  }

  /** The earliest start of any valid span, or {@link Long#MAX_VALUE} when there is none. */
  public long rangeStart() {
    return minStart;
  }

  /** The latest end of any valid span, or {@link Long#MIN_VALUE} when there is none. */
  public long rangeEnd() {
    return maxEnd;
  }

  /** Worker types with a column (some may be empty). */
  int columnCount() {
    return columns.size();
  }

  /** The column of a type, or null when no span of it was added. */
  Column column(int type) {
    return type < columns.size() ? columns.get(type) : null;
  }

  /** Bytes the columns hold now, slack included. */
  public long heldBytes() {
    long b = 0;
    for (Column c : columns) {
      b += 16L * c.start.length + (c.instance == null ? 0 : 4L * c.instance.length);
    }
    return b;
  }
}
