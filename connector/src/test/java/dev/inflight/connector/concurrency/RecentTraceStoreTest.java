package dev.inflight.connector.concurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inflight.component.concurrency.TraceStore.Stats;
import dev.inflight.component.concurrency.TraceStore.StoredSpan;
import dev.inflight.component.concurrency.TraceStore.TraceSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The recent-trace store fed as the connector feeds it: a {@link SpanBatch} filled the way {@link
 * SpanDecoder} fills it with {@code identify} on ({@code add} then {@code identify} per matched span,
 * {@code addExtent} per unmatched span with a trace id), groups from a real {@link
 * ConcurrencyEngine}, recorded into the engine and then added to the store with the worker type
 * indexes the store handed out. Checked against a model of what it must hold (contents, extents,
 * first-arrival order) and against {@link RetainedSize} for the byte bound.
 */
class RecentTraceStoreTest {
  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final long T0 = 1_795_392_000L * S;
  private static final long HOUR = 3600 * S;
  private static final String[] TYPES = {"account_workers", "storage_workers", "db_workers"};

  private final ConcurrencyEngine engine =
      new ConcurrencyEngine(S, 0, HOUR, 1000, new long[] {10 * MS, S}, TYPES.length, false, Long.MIN_VALUE);
  private final Group[] groups = new Group[TYPES.length];

  RecentTraceStoreTest() {
    for (int t = 0; t < TYPES.length; t++) {
      groups[t] = engine.group(new GroupKey(t, new String[0], false));
    }
  }

  /** A clock the test moves; a plain class (not a lambda) so RetainedSize can walk it. */
  static final class FakeClock implements LongSupplier {
    volatile long now = 1_000;

    @Override
    public long getAsLong() {
      return now;
    }
  }

  record Id(long hi, long lo) {}

  /** One request's batch, as one decoding thread fills and hands it over. */
  private final class Feed {
    final RecentTraceStore store;
    final int[] types;
    final SpanBatch batch = new SpanBatch();

    Feed(RecentTraceStore store) {
      this.store = store;
      this.types = store.workerTypeIndexes(TYPES);
    }

    Feed span(Id id, long spanId, long parentId, String name, int type, long start, long end, int status) {
      batch.add(groups[type], start, end, 1, status, null);
      batch.identify(id.hi(), id.lo(), spanId, parentId, name);
      return this;
    }

    Feed extent(Id id, long start, long end) {
      batch.addExtent(id.hi(), id.lo(), start, end);
      return this;
    }

    /** What {@code ConcurrencyConnector.consumeTraces} does with a decoded batch. */
    void send() {
      if (batch.size > 0) {
        engine.record(batch);
        store.add(batch, types);
      } else if (batch.extentSize > 0) {
        store.add(batch, types);
      }
      batch.clear();
    }
  }

  private static long align(long n) {
    return (n + 7) & ~7L;
  }

  /** Accounted size of a trace holding {@code capacity} spans. */
  private static long traceBytes(long capacity) {
    return RecentTraceStore.TRACE_BYTES + align(16 + 8L * RecentTraceStore.SPAN_LONGS * capacity);
  }

  /**
   * What {@link RetainedSize} finds in a store that its own account does not start with: the store
   * object, its lock (RetainedSize lumps java.util.concurrent types at 64 bytes + 256 per CPU), the
   * empty name map (object + 16-slot table) and list, and the test's clock. Everything that grows
   * (the trace table, traces, span arrays, names with their map nodes, boxed indexes and slots) is
   * in the account, so this is the whole slack, measured on an empty store.
   */
  private static long fixedSlack(LongSupplier clock) {
    RecentTraceStore empty = new RecentTraceStore(64 << 10, HOUR, clock);
    long slack = RetainedSize.of(empty).bytes() - empty.stats().bytes();
    long lock = RetainedSize.of(new ReentrantLock()).bytes();
    // store object 120, map 48 + 80, list 24 + 16, clock 24: under 1 KiB besides the lock.
    assertThat(slack).as("fixed slack").isPositive().isLessThan(1024 + lock);
    return slack;
  }

  private static void assertHonest(RecentTraceStore store, long slack) {
    Stats st = store.stats();
    assertThat(st.bytes()).as("accounted bytes").isLessThanOrEqualTo(st.maxBytes());
    long retained = RetainedSize.of(store).bytes();
    assertThat(retained).as("retained (walk) vs accounted %d + slack %d", st.bytes(), slack)
        .isLessThanOrEqualTo(st.bytes() + slack);
    assertThat(retained).as("retained (walk) vs budget").isLessThanOrEqualTo(st.maxBytes() + slack);
  }

  private static List<Id> ids(List<TraceSnapshot> snapshots) {
    return snapshots.stream().map(s -> new Id(s.traceIdHigh(), s.traceIdLow())).toList();
  }

  private static Optional<TraceSnapshot> get(RecentTraceStore store, Id id) {
    return store.get(id.hi(), id.lo());
  }

  // ---- contents ------------------------------------------------------------------------------

  @Test
  void getReturnsExactlyTheStoredSpansSortedByStartWithTheTraceExtent() {
    RecentTraceStore store = new RecentTraceStore(8L << 20, HOUR, new FakeClock());
    Feed feed = new Feed(store);
    Random rnd = new Random(1);
    List<Id> traces = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      long hi = i % 5 == 0 ? 0 : rnd.nextLong(); // a zero high half is a valid id (64-bit ids)
      long lo = i % 7 == 0 ? 0 : rnd.nextLong();
      if (hi == 0 && lo == 0) {
        lo = 1;
      }
      traces.add(new Id(hi, lo));
    }
    // Same low half, different high half: two traces.
    traces.add(new Id(42, traces.get(1).lo()));
    List<Id> neverMatched = List.of(new Id(7, 7), new Id(0, 99), new Id(traces.get(2).hi(), 12345));
    String[] names = {"account worker 1", "account worker 2", "storage write", "", "db query", "ünïcode wörker"};

    Map<Id, List<StoredSpan>> model = new LinkedHashMap<>();
    Map<Id, long[]> extents = new HashMap<>();
    long zeroIdSpans = 0;
    for (int b = 0; b < 300; b++) {
      int spans = rnd.nextInt(8);
      for (int k = 0; k < spans; k++) {
        Id id = rnd.nextInt(60) == 0 ? new Id(0, 0) : traces.get(rnd.nextInt(traces.size()));
        long start = T0 + rnd.nextInt(40) * 10 * MS; // coarse: equal starts are common
        long end = start + (rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(30) * 10 * MS);
        int type = rnd.nextInt(TYPES.length);
        int status = rnd.nextInt(3);
        String name = names[rnd.nextInt(names.length)];
        long spanId = rnd.nextLong();
        long parent = rnd.nextInt(5) == 0 ? 0 : rnd.nextLong();
        feed.span(id, spanId, parent, name, type, start, end, status);
        if (id.hi() == 0 && id.lo() == 0) {
          zeroIdSpans++;
          continue;
        }
        model.computeIfAbsent(id, x -> new ArrayList<>())
            .add(new StoredSpan(spanId, parent, name, TYPES[type], start, end, status));
        long[] e = extents.computeIfAbsent(id, x -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
        e[0] = Math.min(e[0], start);
        e[1] = Math.max(e[1], end);
      }
      // Unmatched spans: of stored traces (also of one first stored in this very request), and of
      // traces never stored, which must be ignored.
      int unmatched = rnd.nextInt(4);
      for (int k = 0; k < unmatched; k++) {
        Id id = rnd.nextInt(3) == 0 ? neverMatched.get(rnd.nextInt(neverMatched.size())) : traces.get(rnd.nextInt(traces.size()));
        long start = T0 - 500 * MS + rnd.nextInt(100) * 10 * MS;
        long end = start + rnd.nextInt(100) * 10 * MS;
        feed.extent(id, start, end);
        long[] e = extents.get(id);
        if (e != null) {
          e[0] = Math.min(e[0], start);
          e[1] = Math.max(e[1], end);
        }
      }
      feed.send();
    }
    // A trace only ever seen unmatched is not created; once matched, its extent starts afresh.
    Id late = new Id(99, 99);
    feed.extent(late, T0 - 10 * S, T0 + 10 * S).send();
    assertThat(get(store, late)).isEmpty();
    feed.span(late, 1, 0, "account worker 1", 0, T0, T0 + MS, 0).send();
    model.put(late, new ArrayList<>(List.of(new StoredSpan(1, 0, "account worker 1", TYPES[0], T0, T0 + MS, 0))));
    extents.put(late, new long[] {T0, T0 + MS});

    Comparator<StoredSpan> byStart =
        Comparator.comparingLong(StoredSpan::startNanos).thenComparingLong(StoredSpan::endNanos);
    for (Map.Entry<Id, List<StoredSpan>> e : model.entrySet()) {
      Id id = e.getKey();
      TraceSnapshot snap = get(store, id).orElseThrow(() -> new AssertionError("missing " + id));
      assertThat(snap.traceIdHigh()).isEqualTo(id.hi());
      assertThat(snap.traceIdLow()).isEqualTo(id.lo());
      assertThat(snap.spans()).as("spans of %s", id).containsExactlyInAnyOrderElementsOf(e.getValue());
      assertThat(snap.spans()).as("order of %s", id).isSortedAccordingTo(byStart);
      assertThat(snap.startNanos()).as("extent start of %s", id).isEqualTo(extents.get(id)[0]);
      assertThat(snap.endNanos()).as("extent end of %s", id).isEqualTo(extents.get(id)[1]);
    }
    for (Id id : neverMatched) {
      assertThat(get(store, id)).as("%s was only seen unmatched", id).isEmpty();
    }
    assertThat(get(store, new Id(0, 0))).isEmpty();
    assertThat(get(store, new Id(123, 456))).isEmpty();
    assertThat(model.keySet()).as("every trace of the model was fed").hasSizeGreaterThan(35);

    Stats st = store.stats();
    assertThat(st.traces()).isEqualTo(model.size());
    assertThat(st.spans()).isEqualTo(model.values().stream().mapToLong(List::size).sum());
    assertThat(st.droppedSpans()).as("spans without a trace id").isEqualTo(zeroIdSpans).isPositive();
    assertThat(st.evictedForBytes()).isZero();
    assertThat(st.evictedForAge()).isZero();
    assertThat(Set.copyOf(ids(store.newest(Integer.MAX_VALUE)))).isEqualTo(model.keySet());
  }

  @Test
  void anUnmatchedSpanWidensOnlyAnAlreadyStoredTraceAndOnlyOutward() {
    RecentTraceStore store = new RecentTraceStore(1 << 20, HOUR, new FakeClock());
    Feed feed = new Feed(store);
    Id a = new Id(1, 2);
    feed.extent(a, T0 - S, T0 + 5 * S).send(); // the root, before any worker span: nothing to widen
    assertThat(get(store, a)).isEmpty();
    assertThat(store.stats().traces()).isZero();

    feed.span(a, 10, 1, "account worker", 0, T0 + 100 * MS, T0 + 300 * MS, SpanBatch.STATUS_OK).send();
    assertThat(get(store, a).orElseThrow()).extracting(TraceSnapshot::startNanos, TraceSnapshot::endNanos)
        .containsExactly(T0 + 100 * MS, T0 + 300 * MS);

    feed.extent(a, T0 + 150 * MS, T0 + 200 * MS).send(); // inside: no change
    assertThat(get(store, a).orElseThrow()).extracting(TraceSnapshot::startNanos, TraceSnapshot::endNanos)
        .containsExactly(T0 + 100 * MS, T0 + 300 * MS);

    feed.extent(a, T0, T0 + S).send(); // the root again, after its children: widens both ends
    TraceSnapshot snap = get(store, a).orElseThrow();
    assertThat(snap.startNanos()).isEqualTo(T0);
    assertThat(snap.endNanos()).isEqualTo(T0 + S);
    assertThat(snap.spans()).singleElement().isEqualTo(
        new StoredSpan(10, 1, "account worker", TYPES[0], T0 + 100 * MS, T0 + 300 * MS, SpanBatch.STATUS_OK));

    // In one request the unmatched parent may come first: it still widens the trace it creates.
    Id b = new Id(3, 4);
    feed.extent(b, T0 - 2 * S, T0 + 2 * S).span(b, 20, 2, "storage write", 1, T0, T0 + MS, 0).send();
    assertThat(get(store, b).orElseThrow()).extracting(TraceSnapshot::startNanos, TraceSnapshot::endNanos)
        .containsExactly(T0 - 2 * S, T0 + 2 * S);
    assertThat(store.stats().spans()).isEqualTo(2);
  }

  @Test
  void aSpanWithoutATraceIdIsDroppedAndCounted() {
    RecentTraceStore store = new RecentTraceStore(1 << 20, HOUR, new FakeClock());
    Feed feed = new Feed(store);
    feed.span(new Id(0, 0), 1, 0, "account worker", 0, T0, T0 + MS, 0)
        .span(new Id(0, 0), 2, 0, "account worker", 0, T0, T0 + MS, 0)
        .extent(new Id(0, 0), T0, T0 + S)
        .span(new Id(0, 5), 3, 0, "account worker", 0, T0, T0 + MS, 0)
        .span(new Id(5, 0), 4, 0, "account worker", 0, T0, T0 + MS, 0)
        .send();
    Stats st = store.stats();
    assertThat(st.droppedSpans()).isEqualTo(2);
    assertThat(st.traces()).isEqualTo(2);
    assertThat(st.spans()).isEqualTo(2);
    assertThat(get(store, new Id(0, 0))).isEmpty();
    assertThat(get(store, new Id(0, 5)).orElseThrow().spans()).extracting(StoredSpan::spanId).containsExactly(3L);
    assertThat(get(store, new Id(5, 0)).orElseThrow().spans()).extracting(StoredSpan::spanId).containsExactly(4L);
  }

  @Test
  void theBudgetMustBeAtLeast64KiBAndTheAgePositive() {
    assertThatThrownBy(() -> new RecentTraceStore((64 << 10) - 1, HOUR, System::nanoTime))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RecentTraceStore(64 << 10, 0, System::nanoTime))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new RecentTraceStore(64 << 10, 1, System::nanoTime).stats().maxBytes()).isEqualTo(64 << 10);
  }

  // ---- the byte bound ------------------------------------------------------------------------

  /** Spans per trace: mostly a few, some tens to hundreds, a few beyond the per-trace cap. */
  private static int traceSize(Random rnd) {
    double u = rnd.nextDouble();
    if (u < 0.7) {
      return 1 + rnd.nextInt(8);
    } else if (u < 0.95) {
      return 9 + rnd.nextInt(92);
    } else if (u < 0.995) {
      return 100 + rnd.nextInt(300);
    }
    return 900 + rnd.nextInt(200);
  }

  private static final String[] POOL = new String[64];

  static {
    for (int i = 0; i < POOL.length; i++) {
      POOL[i] = "worker op " + i;
    }
  }

  /**
   * One writer's load: {@code traces} traces with ids unique to {@code writer}, each sent in one to
   * three chunks interleaved with up to three other open traces, with unmatched spans of recent
   * traces; {@code afterBatch} runs after every request.
   */
  private void load(Feed feed, int writer, int traces, long seed, Runnable afterBatch) {
    Random rnd = new Random(seed);
    ArrayDeque<long[]> open = new ArrayDeque<>(); // {lo, remaining}
    long next = 1;
    int started = 0;
    while (started < traces || !open.isEmpty()) {
      if (started < traces && (open.size() < 3 || rnd.nextInt(4) == 0)) {
        open.add(new long[] {next++, traceSize(rnd)});
        started++;
      }
      long[] t = open.poll();
      long hi = writer + 1;
      int chunk = (int) Math.min(t[1], rnd.nextInt(3) == 0 ? t[1] : 1 + rnd.nextInt((int) t[1]));
      long base = T0 + (t[0] % 1000) * MS;
      for (int k = 0; k < chunk; k++) {
        long start = base + rnd.nextInt(200) * MS;
        feed.span(new Id(hi, t[0]), rnd.nextLong(), rnd.nextLong(), POOL[rnd.nextInt(POOL.length)],
            rnd.nextInt(TYPES.length), start, start + rnd.nextInt(50) * MS, rnd.nextInt(3));
      }
      if (rnd.nextInt(3) == 0) {
        long lo = Math.max(1, t[0] - rnd.nextInt(20));
        feed.extent(new Id(hi, lo), base - 5 * MS, base + 400 * MS);
      }
      feed.send();
      afterBatch.run();
      t[1] -= chunk;
      if (t[1] > 0) {
        open.add(t);
      }
    }
  }

  private static void assertConsistent(RecentTraceStore store) {
    Stats st = store.stats();
    List<TraceSnapshot> all = store.newest(Integer.MAX_VALUE);
    assertThat(all).hasSize((int) st.traces());
    assertThat(all.stream().mapToLong(s -> s.spans().size()).sum()).isEqualTo(st.spans());
    long cap = (st.maxBytes() / 8 - RecentTraceStore.TRACE_BYTES - 16) / (8 * RecentTraceStore.SPAN_LONGS);
    for (TraceSnapshot s : all) {
      assertThat((long) s.spans().size()).isLessThanOrEqualTo(cap);
      assertThat(traceBytes(s.spans().size())).isLessThanOrEqualTo(st.maxBytes() / 8);
    }
  }

  @Test
  void theByteBoundHoldsAfterEveryBatchAndTheAccountIsHonest() {
    long max = 256 << 10;
    FakeClock clock = new FakeClock();
    long slack = fixedSlack(clock);
    RecentTraceStore store = new RecentTraceStore(max, HOUR, clock);
    Feed feed = new Feed(store);
    long[] batches = {0};
    load(feed, 0, 20_000, 11, () -> {
      assertThat(store.stats().bytes()).as("after batch %d", batches[0]).isLessThanOrEqualTo(max);
      if (++batches[0] % 25 == 0) {
        assertHonest(store, slack);
      }
    });
    assertHonest(store, slack);
    assertConsistent(store);
    Stats st = store.stats();
    assertThat(st.evictedForBytes()).as("the load overflowed the budget many times over").isGreaterThan(10_000);
    assertThat(st.droppedSpans()).as("traces beyond an eighth of the budget").isPositive();
    assertThat(st.bytes()).as("evicting only as needed keeps the store well filled").isGreaterThan(max / 2);
  }

  @Test
  void theByteBoundHoldsUnderConcurrentWritersAndReaders() throws Exception {
    long max = 256 << 10;
    FakeClock clock = new FakeClock();
    long slack = fixedSlack(clock);
    RecentTraceStore store = new RecentTraceStore(max, HOUR, clock);
    int writers = 4;
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong highest = new AtomicLong();
    AtomicLong samples = new AtomicLong();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      threads.add(new Thread(() -> {
        try {
          Feed feed = new Feed(store); // one batch per thread, as the connector's scratch
          go.await();
          load(feed, writer, 20_000, 100 + writer, () -> {});
        } catch (Throwable e) {
          failures.add(e);
        }
      }, "writer-" + w));
    }
    Thread reader = new Thread(() -> {
      Random rnd = new Random(5);
      try {
        go.await();
        while (!done.get()) {
          Stats st = store.stats();
          highest.accumulateAndGet(st.bytes(), Math::max);
          samples.incrementAndGet();
          // Readers copy under the lock: a snapshot is never torn, whatever the writers do.
          List<TraceSnapshot> recent = store.newest(3);
          recent.forEach(RecentTraceStoreTest::assertWellFormed);
          store.get(1 + rnd.nextInt(writers), 1 + rnd.nextInt(20_000)).ifPresent(RecentTraceStoreTest::assertWellFormed);
        }
      } catch (Throwable e) {
        failures.add(e);
      }
    }, "reader");
    threads.forEach(Thread::start);
    reader.start();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    done.set(true);
    reader.join();

    assertThat(failures).isEmpty();
    assertThat(samples.get()).isPositive();
    assertThat(highest.get()).as("highest accounted bytes seen by the reader").isLessThanOrEqualTo(max);
    assertHonest(store, slack);
    assertConsistent(store);
    Stats st = store.stats();
    assertThat(st.evictedForBytes()).isGreaterThan(40_000);
    assertThat(st.bytes()).isGreaterThan(max / 2);
    store.newest(Integer.MAX_VALUE).forEach(RecentTraceStoreTest::assertWellFormed);
  }

  /** What the load above sends: every span within its trace's extent, names from the pool, by start. */
  private static void assertWellFormed(TraceSnapshot s) {
    assertThat(s.traceIdHigh()).isBetween(1L, 4L);
    assertThat(s.spans()).isNotEmpty().isSortedAccordingTo(Comparator.comparingLong(StoredSpan::startNanos));
    for (StoredSpan x : s.spans()) {
      assertThat(x.startNanos()).isGreaterThanOrEqualTo(s.startNanos());
      assertThat(x.endNanos()).isLessThanOrEqualTo(s.endNanos()).isGreaterThanOrEqualTo(x.startNanos());
      assertThat(x.name()).isIn((Object[]) POOL);
      assertThat(x.workerType()).isIn((Object[]) TYPES);
    }
  }

  // ---- eviction order ------------------------------------------------------------------------

  @Test
  void theOldestTracesByFirstArrivalAreEvictedFirst() {
    long max = 64 << 10;
    FakeClock clock = new FakeClock();
    long slack = fixedSlack(clock);
    RecentTraceStore store = new RecentTraceStore(max, HOUR, clock);
    Feed feed = new Feed(store);
    String[] names = {"a", "b", "c"};
    store.workerTypeIndexes(names); // interned up front: no name makes room mid-request
    Random rnd = new Random(3);
    List<Id> arrivals = new ArrayList<>();
    Map<Id, Integer> sent = new HashMap<>();
    List<TraceSnapshot> stored = List.of();
    boolean overflowed = false;
    int touchedWhileOld = 0;
    for (int i = 0; i < 3000; i++) {
      // First, touch an older single-span trace still stored: one more span (no growth, the array
      // holds four) and an unmatched span. First arrival, not last touch, decides its age.
      List<TraceSnapshot> singles = stored.stream().filter(s -> s.spans().size() == 1).toList();
      if (!singles.isEmpty() && rnd.nextBoolean()) {
        TraceSnapshot old = singles.get(singles.size() - 1 - rnd.nextInt(Math.min(singles.size(), 20)));
        Id id = new Id(old.traceIdHigh(), old.traceIdLow());
        feed.span(id, rnd.nextLong(), 0, names[rnd.nextInt(3)], 0, T0, T0 + MS, 0).extent(id, T0 - S, T0 + S);
        sent.merge(id, 1, Integer::sum);
        touchedWhileOld++;
      }
      Id id = new Id(i + 1, ~(long) i);
      int n = rnd.nextInt(10) == 0 ? 20 + rnd.nextInt(60) : 1 + rnd.nextInt(3);
      for (int k = 0; k < n; k++) {
        feed.span(id, k + 1, 0, names[rnd.nextInt(3)], rnd.nextInt(TYPES.length), T0 + k * MS, T0 + (k + 2) * MS, 0);
      }
      feed.send();
      arrivals.add(id);
      sent.put(id, n);

      stored = store.newest(Integer.MAX_VALUE);
      List<Id> expected = new ArrayList<>(arrivals.subList(arrivals.size() - stored.size(), arrivals.size()));
      java.util.Collections.reverse(expected);
      assertThat(ids(stored)).as("after trace %d: the newest by first arrival, newest first", i).isEqualTo(expected);
      for (TraceSnapshot s : stored) {
        assertThat(s.spans()).as("a kept trace keeps every span").hasSize(sent.get(new Id(s.traceIdHigh(), s.traceIdLow())));
      }
      Stats st = store.stats();
      assertThat(st.evictedForBytes()).isEqualTo(arrivals.size() - stored.size());
      assertThat(st.bytes()).isLessThanOrEqualTo(max);
      if (st.evictedForBytes() > 0) {
        overflowed = true;
        assertThat(st.bytes()).as("only as many evicted as needed").isGreaterThan(max * 3 / 4);
      }
      if (i % 50 == 0) { // many small traces: a few bytes missing per trace would show
        assertHonest(store, slack);
      }
    }
    assertThat(overflowed).isTrue();
    assertThat(touchedWhileOld).isGreaterThan(500);
    assertThat(store.stats().droppedSpans()).isZero();
  }

  @Test
  void newestIsNewestFirstAndLimited() {
    RecentTraceStore store = new RecentTraceStore(1 << 20, HOUR, new FakeClock());
    Feed feed = new Feed(store);
    List<Id> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Id id = new Id(100 - i, i); // ids in no particular order
      ids.add(id);
      feed.span(id, i, 0, "x", 0, T0 + (10 - i) * MS, T0 + 20 * MS, 0).send();
    }
    // A later span of the first trace does not make it newer.
    feed.span(ids.get(0), 99, 0, "x", 0, T0, T0 + MS, 0).send();
    List<Id> reversed = new ArrayList<>(ids);
    java.util.Collections.reverse(reversed);
    assertThat(ids(store.newest(3))).isEqualTo(reversed.subList(0, 3));
    assertThat(ids(store.newest(100))).isEqualTo(reversed);
    assertThat(store.newest(0)).isEmpty();
    assertThat(store.newest(1).get(0).spans()).hasSize(1);
  }

  @Test
  void overlappingCopiesTheSpansInTheRangeNewestTracesFirstUpToTheLimit() {
    RecentTraceStore store = new RecentTraceStore(8L << 20, HOUR, new FakeClock());
    Feed feed = new Feed(store);
    Random rnd = new Random(3);
    // Traces in arrival order; each one's spans, with zero-length ones and spans touching the range.
    List<Id> arrival = new ArrayList<>();
    Map<Id, List<StoredSpan>> model = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      Id id = new Id(i + 1, rnd.nextLong());
      arrival.add(id);
      for (int k = 0; k < 1 + rnd.nextInt(6); k++) {
        long start = T0 + rnd.nextInt(100) * 10 * MS;
        long end = start + (rnd.nextInt(5) == 0 ? 0 : rnd.nextInt(30) * 10 * MS);
        StoredSpan span = new StoredSpan(rnd.nextLong(), 0, "account worker " + k, TYPES[k % TYPES.length], start, end, k % 3);
        feed.span(id, span.spanId(), 0, span.name(), k % TYPES.length, start, end, span.status());
        model.computeIfAbsent(id, x -> new ArrayList<>()).add(span);
      }
      // An unmatched span far outside the range widens the extent, not what overlaps.
      feed.extent(id, T0 - HOUR, T0 + HOUR).send();
    }
    long from = T0 + 300 * MS;
    long to = T0 + 600 * MS;
    List<Id> newestFirst = new ArrayList<>(arrival);
    java.util.Collections.reverse(newestFirst);
    List<StoredSpan> expected = new ArrayList<>();
    Comparator<StoredSpan> byStart =
        Comparator.comparingLong(StoredSpan::startNanos).thenComparingLong(StoredSpan::endNanos);
    for (Id id : newestFirst) {
      model.get(id).stream()
          .filter(s -> s.startNanos() < to && (s.endNanos() > from || (s.endNanos() == s.startNanos() && s.startNanos() >= from)))
          .sorted(byStart)
          .forEach(expected::add);
    }
    assertThat(expected).as("the range holds spans of many traces, zero-length ones too").hasSizeGreaterThan(20)
        .anySatisfy(s -> assertThat(s.endNanos()).isEqualTo(s.startNanos()));

    RecentTraceStore.SpansInRange all = store.overlapping(from, to, Integer.MAX_VALUE);
    assertThat(all.truncated()).isFalse();
    assertThat(all.traces().stream().flatMap(t -> t.spans().stream()).toList()).isEqualTo(expected);
    assertThat(all.traces()).allSatisfy(t -> {
      assertThat(t.startNanos()).as("the whole trace's extent").isEqualTo(T0 - HOUR);
      assertThat(t.spans()).isNotEmpty();
    });
    List<Id> order = ids(all.traces());
    assertThat(order).isEqualTo(newestFirst.stream().filter(order::contains).toList());

    // A span ending exactly at the range's start, or starting at its end, does not overlap it.
    assertThat(store.overlapping(T0 + 2000 * MS, T0 + 3000 * MS, 10).traces())
        .allSatisfy(t -> assertThat(t.spans()).allSatisfy(s -> assertThat(s.endNanos()).isGreaterThan(T0 + 2000 * MS)));

    int limit = expected.size() / 2;
    RecentTraceStore.SpansInRange cut = store.overlapping(from, to, limit);
    assertThat(cut.truncated()).isTrue();
    assertThat(cut.traces().stream().mapToInt(t -> t.spans().size()).sum()).isEqualTo(limit);
    // Whole traces, newest first, then part of the next one.
    int last = cut.traces().size() - 1;
    assertThat(ids(cut.traces())).isEqualTo(order.subList(0, last + 1));
    assertThat(cut.traces().subList(0, last)).isEqualTo(all.traces().subList(0, last));
    assertThat(all.traces().get(last).spans()).containsAll(cut.traces().get(last).spans());
    assertThat(cut.traces().get(last).spans()).isSortedAccordingTo(byStart);
    assertThat(store.overlapping(from, to, expected.size()).truncated()).as("exactly the limit").isFalse();
    assertThat(store.overlapping(T0 + 5 * HOUR, T0 + 6 * HOUR, 10).traces()).isEmpty();
  }

  @Test
  void aTraceWhoseOwnGrowthEvictsItselfIsStoredAfresh() {
    long max = 64 << 10;
    RecentTraceStore store = new RecentTraceStore(max, HOUR, new FakeClock());
    Feed feed = new Feed(store);
    long cap = (max / 8 - RecentTraceStore.TRACE_BYTES - 16) / (8 * RecentTraceStore.SPAN_LONGS);
    assertThat(cap).isGreaterThan(128);
    Id a = new Id(1, 1);
    for (int k = 0; k < 128; k++) { // 4 → 8 → … → 128: its array is exactly full
      feed.span(a, k + 1, 0, "a", 0, T0 + k * MS, T0 + (k + 1) * MS, 0);
    }
    feed.send();
    // Its next span needs the array grown to the cap: this many more bytes.
    long growth = align(16 + 8L * RecentTraceStore.SPAN_LONGS * Math.min(cap, 256)) - align(16 + 8L * RecentTraceStore.SPAN_LONGS * 128);
    long fillers = 0;
    // Fill with one-span traces while that growth would still fit (each filler then fits too, even
    // with the table doubling: at most 2 KiB here).
    while (max - store.stats().bytes() >= growth) {
      fillers++;
      feed.span(new Id(2, fillers), 1, 0, "a", 1, T0, T0 + MS, 0).send();
    }
    assertThat(store.stats().evictedForBytes()).isZero();
    assertThat(store.stats().traces()).isEqualTo(fillers + 1);
    assertThat(ids(store.newest(Integer.MAX_VALUE))).last().isEqualTo(a); // a is the oldest

    feed.span(a, 1000, 0, "a", 2, T0 + 500 * MS, T0 + 600 * MS, SpanBatch.STATUS_ERROR).send();

    Stats st = store.stats();
    assertThat(st.evictedForBytes()).as("a itself, and nothing else").isEqualTo(1);
    assertThat(st.traces()).isEqualTo(fillers + 1);
    assertThat(st.bytes()).isLessThanOrEqualTo(max);
    assertThat(ids(store.newest(1))).containsExactly(a);
    TraceSnapshot snap = get(store, a).orElseThrow();
    assertThat(snap.spans()).containsExactly(
        new StoredSpan(1000, 0, "a", TYPES[2], T0 + 500 * MS, T0 + 600 * MS, SpanBatch.STATUS_ERROR));
    assertThat(snap.startNanos()).isEqualTo(T0 + 500 * MS);
    assertThat(snap.endNanos()).isEqualTo(T0 + 600 * MS);
    for (long f = 1; f <= fillers; f++) {
      assertThat(get(store, new Id(2, f))).isPresent();
    }
  }

  // ---- the per-trace cap ---------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(longs = {64 << 10, 256 << 10, 1 << 20})
  void oneTraceTakesAtMostAnEighthOfTheBudget(long max) {
    FakeClock clock = new FakeClock();
    long slack = fixedSlack(clock);
    RecentTraceStore store = new RecentTraceStore(max, HOUR, clock);
    Feed feed = new Feed(store);
    Id big = new Id(1, 1);
    int total = 0;
    for (int b = 0; b < 60; b++) {
      for (int k = 0; k < 100; k++) {
        feed.span(big, total + 1, 0, "big", 0, T0 + total * MS, T0 + total * MS + S, 0);
        total++;
      }
      feed.span(new Id(2, b + 1), 1, 0, "small", 1, T0, T0 + MS, 0);
      feed.send();
    }
    TraceSnapshot snap = get(store, big).orElseThrow();
    long kept = snap.spans().size();
    assertThat(traceBytes(kept)).as("the trace's bytes").isLessThanOrEqualTo(max / 8);
    assertThat(traceBytes(kept + 1)).as("one more span would pass an eighth").isGreaterThan(max / 8);
    // The first ones are kept, the rest counted as dropped.
    assertThat(snap.spans()).extracting(StoredSpan::spanId)
        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, kept).boxed().toList());
    Stats st = store.stats();
    assertThat(st.droppedSpans()).isEqualTo(total - kept);
    assertThat(st.traces()).isEqualTo(61);
    assertThat(st.spans()).isEqualTo(kept + 60);
    assertHonest(store, slack);
  }

  // ---- age -----------------------------------------------------------------------------------

  private enum Op { ADD, GET, NEWEST, EXPIRE }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(Op.class)
  void tracesOlderThanMaxAgeGoOnTheNextOperation(Op op) {
    FakeClock clock = new FakeClock();
    long age = 10 * S;
    RecentTraceStore store = new RecentTraceStore(1 << 20, age, clock);
    Feed feed = new Feed(store);
    Id a = new Id(1, 1);
    Id b = new Id(2, 2);
    long t = clock.now;
    feed.span(a, 1, 0, "x", 0, T0, T0 + MS, 0).send();
    clock.now = t + age / 2;
    feed.span(b, 2, 0, "x", 0, T0, T0 + MS, 0).send();
    clock.now = t + age - 1;
    feed.span(a, 3, 0, "x", 0, T0, T0 + MS, 0).send(); // more spans do not make it younger
    int[] c = {100};
    Supplier<Id> operate = () -> {
      Id added = null;
      switch (op) {
        case ADD -> {
          added = new Id(3, c[0]++);
          feed.span(added, 9, 0, "x", 0, T0, T0 + MS, 0).send();
        }
        case GET -> store.get(9, 9);
        case NEWEST -> store.newest(1);
        case EXPIRE -> store.expire();
      }
      return added;
    };

    clock.now = t + age; // exactly max age: not older than it
    Id added1 = operate.get();
    assertThat(store.stats().evictedForAge()).isZero();
    assertThat(get(store, a)).isPresent();

    clock.now = t + age + 1;
    Id added2 = operate.get();
    Stats st = store.stats();
    assertThat(st.evictedForAge()).isEqualTo(1);
    assertThat(st.traces()).isEqualTo(1 + (op == Op.ADD ? 2 : 0));
    assertThat(st.spans()).isEqualTo(1 + (op == Op.ADD ? 2 : 0));
    assertThat(get(store, a)).isEmpty();
    assertThat(get(store, b)).isPresent();

    clock.now = t + age / 2 + age + 1;
    Id added3 = operate.get();
    assertThat(store.stats().evictedForAge()).isEqualTo(2);
    assertThat(get(store, b)).isEmpty();
    if (op == Op.ADD) { // the traces added on the way are younger than max age
      assertThat(get(store, added1)).isPresent();
      assertThat(get(store, added2)).isPresent();
      assertThat(get(store, added3)).isPresent();
    }
    assertThat(store.stats().evictedForBytes()).isZero();

    // A trace stored again after it expired is a new trace, with its own age.
    feed.span(a, 4, 0, "x", 0, T0, T0 + MS, 0).send();
    assertThat(get(store, a).orElseThrow().spans()).extracting(StoredSpan::spanId).containsExactly(4L);
  }

  // ---- names ---------------------------------------------------------------------------------

  @Test
  void beyondMaxNamesNewNamesReadAsNullAndNothingBreaks() {
    long max = 4L << 20;
    FakeClock clock = new FakeClock();
    long slack = fixedSlack(clock);
    RecentTraceStore store = new RecentTraceStore(max, HOUR, clock);
    Feed feed = new Feed(store); // interns the 3 worker type names
    int distinct = RecentTraceStore.MAX_NAMES + 1000;
    int keptNames = RecentTraceStore.MAX_NAMES - TYPES.length;
    for (int i = 0; i < distinct; i++) {
      feed.span(new Id(1, i / 10 + 1), i + 1, 0, String.format("op-%05d", i), i % TYPES.length, T0 + i, T0 + i + 1, 0);
      if (i % 10 == 9) {
        feed.send();
      }
    }
    feed.send();
    // A name already in the table still resolves after the table is full.
    feed.span(new Id(2, 1), 1, 0, "op-00007", 0, T0, T0 + 1, 0).send();

    for (int i = 0; i < distinct; i++) {
      StoredSpan s = get(store, new Id(1, i / 10 + 1)).orElseThrow().spans().get(i % 10);
      assertThat(s.spanId()).isEqualTo(i + 1);
      assertThat(s.name()).as("name of span %d", i).isEqualTo(i < keptNames ? String.format("op-%05d", i) : null);
      assertThat(s.workerType()).isEqualTo(TYPES[i % TYPES.length]);
    }
    assertThat(get(store, new Id(2, 1)).orElseThrow().spans().get(0).name()).isEqualTo("op-00007");
    assertThat(store.stats().evictedForBytes()).isZero();
    assertHonest(store, slack);
  }

  @Test
  void aFloodOfDistinctNamesCannotPushTheStorePastItsBudgetNorCrowdOutTraces() {
    long max = 256 << 10;
    FakeClock clock = new FakeClock();
    long slack = fixedSlack(clock);
    RecentTraceStore store = new RecentTraceStore(max, HOUR, clock);
    Feed feed = new Feed(store);
    // Span names with an id in them: every one distinct, as a badly named span would be.
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      String name = "GET /users/" + String.format("%08d", i) + "/orders/details-xyz";
      feed.span(new Id(1, i + 1), i + 1, 0, name, 0, T0, T0 + MS, 0).send();
      assertThat(store.stats().bytes()).as("after %d distinct names", i + 1).isLessThanOrEqualTo(max);
    }
    assertHonest(store, slack);
    for (TraceSnapshot s : store.newest(Integer.MAX_VALUE)) {
      String name = s.spans().get(0).name();
      assertThat(name).isIn(null, "GET /users/" + String.format("%08d", s.traceIdLow() - 1) + "/orders/details-xyz");
    }
    // Traces still fit: the next 200 one-span traces are all kept.
    for (int i = 0; i < 200; i++) {
      feed.span(new Id(2, i + 1), 1, 0, "GET /users/00000000/orders/details-xyz", 0, T0, T0 + MS, 0).send();
    }
    assertThat(ids(store.newest(200))).allMatch(id -> id.hi() == 2);
    assertThat(store.stats().traces()).isGreaterThanOrEqualTo(200);
    assertHonest(store, slack);
  }

  @Test
  void aWorkerTypeNameThatFindsTheNameTableFullReadsAsNull() {
    RecentTraceStore store = new RecentTraceStore(4L << 20, HOUR, new FakeClock());
    String[] filler = new String[RecentTraceStore.MAX_NAMES + 10];
    for (int i = 0; i < filler.length; i++) {
      filler[i] = "n" + i;
    }
    int[] idx = store.workerTypeIndexes(filler);
    for (int i = 0; i < filler.length; i++) {
      assertThat(idx[i]).isEqualTo(i < RecentTraceStore.MAX_NAMES ? i : -1);
    }
    // A connector attaching now (a second connector, or one started again) gets no index.
    int[] late = store.workerTypeIndexes(new String[] {"late_workers", "n5"});
    assertThat(late).containsExactly(-1, 5);
    SpanBatch batch = new SpanBatch();
    batch.add(groups[0], T0, T0 + MS, 1, 0, null);
    batch.identify(1, 1, 7, 0, "n3");
    batch.add(groups[1], T0, T0 + 2 * MS, 1, 1, null);
    batch.identify(1, 1, 8, 7, "never seen");
    store.add(batch, late);

    TraceSnapshot snap = store.get(1, 1).orElseThrow();
    assertThat(snap.spans()).containsExactly(
        new StoredSpan(7, 0, "n3", null, T0, T0 + MS, 0),
        new StoredSpan(8, 7, null, "n5", T0, T0 + 2 * MS, 1));
    assertThat(store.newest(1)).hasSize(1);
  }

  @Test
  void aRemovedTraceLeavesNoHoleInItsProbeRun() {
    // Many traces in a small table with evictions and expiry interleaved: every stored trace must
    // stay findable (backward-shift deletion) and every evicted one gone.
    FakeClock clock = new FakeClock();
    long slack = fixedSlack(clock);
    long age = 1_000;
    RecentTraceStore store = new RecentTraceStore(64 << 10, age, clock);
    Feed feed = new Feed(store);
    Random rnd = new Random(9);
    Set<Id> all = new HashSet<>();
    for (int i = 0; i < 5000; i++) {
      clock.now += rnd.nextInt(5);
      Id id = new Id(rnd.nextInt(4), rnd.nextInt(100_000) + 1);
      all.add(id);
      feed.span(id, i, 0, "x", 0, T0, T0 + MS, 0).send();
      if (i % 50 == 0) {
        Set<Id> stored = Set.copyOf(ids(store.newest(Integer.MAX_VALUE)));
        for (Id x : all) {
          assertThat(get(store, x).isPresent()).as("%s", x).isEqualTo(stored.contains(x));
        }
        assertHonest(store, slack);
      }
    }
    Stats st = store.stats();
    assertThat(st.evictedForAge() + st.evictedForBytes()).isPositive();
  }
}
