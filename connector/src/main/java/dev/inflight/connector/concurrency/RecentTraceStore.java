package dev.inflight.connector.concurrency;

import dev.inflight.component.concurrency.TraceStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The worker spans of recent traces, for per-trace questions ("how many account workers were busy
 * during trace X?"): ids, parent, name, worker type, start, end and status of every span a
 * concurrency connector matched, grouped by trace, plus each trace's extent (its earliest start and
 * latest end, unmatched spans of a stored trace included, so a root span that ends last widens it).
 *
 * <p>Bounded by bytes and by age, whatever the load: before anything grows, the oldest traces (by
 * first arrival) are evicted until it fits in {@code maxBytes}, and traces older than {@code maxAge}
 * are dropped. Sizes are accounted as HotSpot lays the objects out (64-bit, compressed oops), the
 * same estimate the memory tests measure. One trace may take at most an eighth of the budget;
 * further spans of it are counted as dropped.
 *
 * <p>Compact: a trace is one object and one {@code long[]} of five longs per span; names are
 * interned. A connector adds a whole request under one lock acquisition; readers copy under it.
 */
public final class RecentTraceStore implements TraceStore {
  public static final long DEFAULT_MAX_BYTES = 64L << 20;

  static final int SPAN_LONGS = 5;
  private static final int INITIAL_SPANS = 4;
  /**
   * Distinct span and worker type names kept; beyond it, or beyond a quarter of the budget (names
   * are never evicted), a span's name reads as null.
   */
  static final int MAX_NAMES = 4096;
  /** Shallow size of a {@link Trace}: 12-byte header, 5 longs, 3 references, an int, a boolean. */
  static final long TRACE_BYTES = align(12 + 5 * 8 + 3 * 4 + 4 + 1);
  /** A name: the String, its Latin-1 array (plus length), its map node and boxed index, list slot. */
  static final long NAME_OVERHEAD = 24 + 16 + 32 + 16 + 4 + 8;

  private final long maxBytes;
  private final long maxAgeNanos;
  private final long maxSpansPerTrace;
  private final LongSupplier nanoClock;
  private final ReentrantLock lock = new ReentrantLock();

  private Trace[] table = new Trace[16];
  private int traceCount;
  private Trace oldest;
  private Trace newest;
  private long bytes = tableBytes(16);
  private long spanCount;
  private long nameBytes;
  private final HashMap<String, Integer> nameIndex = new HashMap<>();
  private final ArrayList<String> names = new ArrayList<>();

  private long evictedForBytes;
  private long evictedForAge;
  private long droppedSpans;

  /** A stored trace; guarded by the store's lock. */
  static final class Trace {
    final long hi;
    final long lo;
    long minStart = Long.MAX_VALUE;
    long maxEnd = Long.MIN_VALUE;
    final long created;
    long[] spans = new long[INITIAL_SPANS * SPAN_LONGS];
    int size;
    Trace older;
    Trace newer;
    boolean full;

    Trace(long hi, long lo, long created) {
      this.hi = hi;
      this.lo = lo;
      this.created = created;
    }

    long bytes() {
      return TRACE_BYTES + align(16 + 8L * spans.length);
    }
  }

  /**
   * @param maxBytes the budget, at least 64 KiB
   * @param maxAgeNanos how long a trace is kept after its first span arrived
   * @param nanoClock a monotonic clock ({@link System#nanoTime} outside tests)
   */
  public RecentTraceStore(long maxBytes, long maxAgeNanos, LongSupplier nanoClock) {
    if (maxBytes < 64 << 10) {
      throw new IllegalArgumentException("the recent-trace store needs at least 64KiB, got " + maxBytes);
    }
    if (maxAgeNanos <= 0) {
      throw new IllegalArgumentException("max age must be positive");
    }
    this.maxBytes = maxBytes;
    this.maxAgeNanos = maxAgeNanos;
    this.nanoClock = nanoClock;
    this.maxSpansPerTrace = Math.max(INITIAL_SPANS, (maxBytes / 8 - TRACE_BYTES - 16) / (8 * SPAN_LONGS));
  }

  private static long align(long n) {
    return (n + 7) & ~7L;
  }

  private static long tableBytes(int length) {
    return align(16 + 4L * length);
  }

  /**
   * Indexes of these worker type names in the store's name table, for {@link #add}; called once by
   * each connector as it attaches.
   */
  int[] workerTypeIndexes(String[] typeNames) {
    lock.lock();
    try {
      int[] out = new int[typeNames.length];
      for (int i = 0; i < typeNames.length; i++) {
        out[i] = intern(typeNames[i]);
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stores the batch's matched spans (their group's worker type mapped through {@code typeIndex})
   * and widens stored traces by its unmatched spans' extents.
   */
  void add(SpanBatch batch, int[] typeIndex) {
    lock.lock();
    try {
      long now = nanoClock.getAsLong();
      expire(now);
      for (int i = 0; i < batch.size; i++) {
        long hi = batch.traceHi[i];
        long lo = batch.traceLo[i];
        if (hi == 0 && lo == 0) {
          droppedSpans++; // no trace id: nothing to find it by
          continue;
        }
        int type = typeIndex[batch.groups[i].key.workerType];
        int name = intern(batch.names[i]);
        long meta = ((long) name << 32) | ((long) (type & 0xffff) << 8) | (batch.statuses[i] & 0xff);
        append(hi, lo, now, batch.spanIds[i], batch.parentIds[i], batch.starts[i], batch.ends[i], meta);
      }
      for (int i = 0; i < batch.extentSize; i++) {
        Trace t = find(batch.extentHi[i], batch.extentLo[i]);
        if (t != null) {
          t.minStart = Math.min(t.minStart, batch.extentStart[i]);
          t.maxEnd = Math.max(t.maxEnd, batch.extentEnd[i]);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void append(long hi, long lo, long now, long spanId, long parentId, long start, long end, long meta) {
    Trace t = find(hi, lo);
    if (t == null) {
      t = create(hi, lo, now);
    }
    if (t.full) {
      droppedSpans++;
      return;
    }
    int off = t.size * SPAN_LONGS;
    if (off == t.spans.length) {
      if (t.size >= maxSpansPerTrace) {
        t.full = true;
        droppedSpans++;
        return;
      }
      int grown = (int) Math.min(maxSpansPerTrace, (long) t.size * 2);
      long growth = align(16 + 8L * grown * SPAN_LONGS) - align(16 + 8L * t.spans.length);
      makeRoom(growth);
      if (t.older == null && oldest != t) {
        // Evicted itself to make room (it was the oldest): start it afresh.
        t = create(hi, lo, now);
        off = 0;
      } else {
        t.spans = Arrays.copyOf(t.spans, grown * SPAN_LONGS);
        bytes += growth;
      }
    }
    long[] s = t.spans;
    s[off] = spanId;
    s[off + 1] = parentId;
    s[off + 2] = start;
    s[off + 3] = end;
    s[off + 4] = meta;
    t.size++;
    spanCount++;
    t.minStart = Math.min(t.minStart, start);
    t.maxEnd = Math.max(t.maxEnd, end);
  }

  private Trace create(long hi, long lo, long now) {
    Trace t = new Trace(hi, lo, now);
    long need = t.bytes();
    if ((traceCount + 1) * 2 > table.length) {
      need += tableBytes(table.length * 2) - tableBytes(table.length);
    }
    makeRoom(need);
    if ((traceCount + 1) * 2 > table.length) {
      resize(table.length * 2);
    }
    insert(t);
    traceCount++;
    bytes += t.bytes();
    t.older = newest;
    if (newest != null) {
      newest.newer = t;
    } else {
      oldest = t;
    }
    newest = t;
    return t;
  }

  /** Evicts the oldest traces until {@code need} more bytes fit in the budget. */
  private void makeRoom(long need) {
    while (bytes + need > maxBytes && oldest != null) {
      evictOldest();
      evictedForBytes++;
    }
  }

  private void evictOldest() {
    Trace t = oldest;
    remove(t);
    traceCount--;
    bytes -= t.bytes();
    spanCount -= t.size;
    oldest = t.newer;
    if (oldest != null) {
      oldest.older = null;
    } else {
      newest = null;
    }
    t.newer = null;
    t.older = null;
  }

  private void expire(long now) {
    while (oldest != null && now - oldest.created > maxAgeNanos) {
      evictOldest();
      evictedForAge++;
    }
  }

  /** Drops traces past the age limit; the query extension calls it periodically. */
  @Override
  public void expire() {
    lock.lock();
    try {
      expire(nanoClock.getAsLong());
    } finally {
      lock.unlock();
    }
  }

  private int intern(String name) {
    if (name == null) {
      return -1;
    }
    Integer idx = nameIndex.get(name);
    if (idx != null) {
      return idx;
    }
    if (names.size() >= MAX_NAMES) {
      return -1;
    }
    long need = NAME_OVERHEAD + align(16 + 2L * name.length()); // UTF-16 at worst
    if (nameBytes + need > maxBytes / 4) {
      return -1; // evicting traces cannot free names: they keep to a quarter, traces get the rest
    }
    makeRoom(need);
    int i = names.size();
    names.add(name);
    nameIndex.put(name, i);
    bytes += need;
    nameBytes += need;
    return i;
  }

  private String name(int idx) {
    return idx < 0 ? null : names.get(idx);
  }

  // Open addressing with linear probing; a table at most half full.

  private static int slot(long hi, long lo, int mask) {
    long h = (hi ^ (lo * 0x9E3779B97F4A7C15L)) * 0xBF58476D1CE4E5B9L;
    return (int) (h ^ (h >>> 31)) & mask;
  }

  private Trace find(long hi, long lo) {
    int mask = table.length - 1;
    for (int i = slot(hi, lo, mask); ; i = (i + 1) & mask) {
      Trace t = table[i];
      if (t == null) {
        return null;
      }
      if (t.hi == hi && t.lo == lo) {
        return t;
      }
    }
  }

  private void insert(Trace t) {
    int mask = table.length - 1;
    int i = slot(t.hi, t.lo, mask);
    while (table[i] != null) {
      i = (i + 1) & mask;
    }
    table[i] = t;
  }

  private void resize(int length) {
    Trace[] old = table;
    bytes += tableBytes(length) - tableBytes(old.length);
    table = new Trace[length];
    for (Trace t : old) {
      if (t != null) {
        insert(t);
      }
    }
  }

  /** Removes with backward shift, so probes never meet a hole inside a run. */
  private void remove(Trace t) {
    int mask = table.length - 1;
    int i = slot(t.hi, t.lo, mask);
    while (table[i] != t) {
      i = (i + 1) & mask;
    }
    table[i] = null;
    for (int j = (i + 1) & mask; table[j] != null; j = (j + 1) & mask) {
      Trace moved = table[j];
      int home = slot(moved.hi, moved.lo, mask);
      // Move it into the hole unless its home lies cyclically in (i, j].
      boolean stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!stays) {
        table[i] = moved;
        table[j] = null;
        i = j;
      }
    }
  }

  /** A copy of the trace, spans by start time; empty when the store does not hold it. */
  @Override
  public Optional<TraceSnapshot> get(long traceIdHigh, long traceIdLow) {
    lock.lock();
    try {
      expire(nanoClock.getAsLong());
      Trace t = find(traceIdHigh, traceIdLow);
      return t == null ? Optional.empty() : Optional.of(snapshot(t));
    } finally {
      lock.unlock();
    }
  }

  private TraceSnapshot snapshot(Trace t) {
    List<StoredSpan> spans = new ArrayList<>(t.size);
    for (int i = 0; i < t.size; i++) {
      spans.add(storedSpan(t.spans, i * SPAN_LONGS));
    }
    return snapshot(t, spans);
  }

  private static TraceSnapshot snapshot(Trace t, List<StoredSpan> spans) {
    spans.sort((a, b) -> a.startNanos() != b.startNanos()
        ? Long.compare(a.startNanos(), b.startNanos()) : Long.compare(a.endNanos(), b.endNanos()));
    return new TraceSnapshot(t.hi, t.lo, t.minStart, t.maxEnd, spans);
  }

  private StoredSpan storedSpan(long[] s, int off) {
    long meta = s[off + 4];
    return new StoredSpan(
        s[off], s[off + 1], name((int) (meta >> 32)), name((short) (meta >>> 8)), // 0xffff: -1
        s[off + 2], s[off + 3], (int) (meta & 0xff));
  }

  /** The newest traces, newest first (by first arrival). */
  @Override
  public List<TraceSnapshot> newest(int limit) {
    lock.lock();
    try {
      expire(nanoClock.getAsLong());
      List<TraceSnapshot> out = new ArrayList<>(Math.min(limit, traceCount));
      for (Trace t = newest; t != null && out.size() < limit; t = t.older) {
        out.add(snapshot(t));
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The worker spans whose {@code [start, end)} overlaps {@code [fromNanos, toNanos)} (a span of
   * zero length counts when it starts inside), newest traces first (by first arrival), each
   * trace's spans by start time; at most {@code maxSpans} spans, {@code truncated} when more
   * overlapped. A snapshot's extent is its whole trace's.
   */
  @Override
  public SpansInRange overlapping(long fromNanos, long toNanos, int maxSpans) {
    lock.lock();
    try {
      expire(nanoClock.getAsLong());
      List<TraceSnapshot> out = new ArrayList<>();
      int copied = 0;
      for (Trace t = newest; t != null; t = t.older) {
        if (t.minStart >= toNanos || t.maxEnd < fromNanos) {
          continue; // the extent covers every stored span of the trace
        }
        List<StoredSpan> spans = new ArrayList<>();
        long[] s = t.spans;
        for (int i = 0; i < t.size; i++) {
          int off = i * SPAN_LONGS;
          long start = s[off + 2];
          long end = s[off + 3];
          if (start < toNanos && (end > fromNanos || (end == start && start >= fromNanos))) {
            if (copied == maxSpans) {
              if (!spans.isEmpty()) {
                out.add(snapshot(t, spans));
              }
              return new SpansInRange(out, true);
            }
            spans.add(storedSpan(s, off));
            copied++;
          }
        }
        if (!spans.isEmpty()) {
          out.add(snapshot(t, spans));
        }
      }
      return new SpansInRange(out, false);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Stats stats() {
    lock.lock();
    try {
      return new Stats(traceCount, spanCount, bytes, maxBytes, maxAgeNanos, evictedForBytes, evictedForAge, droppedSpans);
    } finally {
      lock.unlock();
    }
  }
}
