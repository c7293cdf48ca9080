package dev.inflight.connector.concurrency;

import dev.inflight.bench.OtlpBenchmark;
import java.util.List;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * What reading the open windows ("provisional", {@link OpenWindowsReader}) costs next to recording
 * the spans it reads. One call is one second of span time at {@code rate} spans per second for
 * {@code groups} groups: the spans (10-200 ms long, ending in that second) are recorded in batches
 * of 512 as the connector records requests, the watermark moves one second (windows 15 s old
 * close), and {@code recordAndRead} then reads every open window, as one poll of {@code inflight
 * top} or the page does once a second. {@code record} is the same without the read: the difference
 * is the reader's cost per second of load, with the 16 open windows the default lateness keeps.
 */
public class OpenWindowsBenchmark extends OtlpBenchmark {
  @Param({"100000"})
  public int rate;

  @Param({"4"})
  public int groups;

  private static final long SECOND = 1_000_000_000L;
  private static final long LATENESS = 15 * SECOND;

  private ConcurrencyEngine engine;
  private final SpanBatch batch = new SpanBatch();
  private Group[] group;
  private long[] offsets;
  private long[] durations;
  private long second;

  @Setup
  public void setUp() {
    engine = new ConcurrencyEngine(SECOND, LATENESS, 300 * SECOND, 1000, new long[] {5_000_000, 50_000_000}, 1, false, 0);
    group = new Group[groups];
    for (int g = 0; g < groups; g++) {
      group[g] = engine.group(new GroupKey(0, new String[] {"svc-" + g}, false));
    }
    Random random = new Random(42);
    offsets = new long[rate];
    durations = new long[rate];
    for (int i = 0; i < rate; i++) {
      offsets[i] = (long) i * SECOND / rate;
      durations[i] = 10_000_000L + random.nextInt(190_000_000);
    }
    second = 20; // start well after the epoch's first windows, so spans never begin before 0
    for (int s = 0; s < 17; s++) {
      recordSecond(); // fill the open windows first: every call then finds 16 of them
    }
  }

  /** One second of spans, then the watermark one second on. */
  private void recordSecond() {
    long base = second * SECOND;
    for (int i = 0; i < rate; i++) {
      long end = base + offsets[i];
      batch.add(group[i % groups], end - durations[i], end, 1, SpanBatch.STATUS_OK, null);
      if (batch.size == 512) {
        engine.record(batch);
        batch.clear();
      }
    }
    engine.record(batch);
    batch.clear();
    second++;
    engine.advance(second * SECOND);
  }

  @Benchmark
  public int record() {
    recordSecond();
    return engine.groupCount();
  }

  @Benchmark
  public List<WindowPoint> recordAndRead() {
    recordSecond();
    return engine.openWindows(second * SECOND);
  }
}
