package dev.inflight.receiver.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pacing on a fake clock: when each record is released, for speeds 1, 2 and max, and with gaps. */
class ReplayPacerTest {
  private static final long S = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  /** Unix nanoseconds of a recording's first record. */
  private static final long T0 = 1_790_000_000L * S;

  /** A clock that only moves when slept on (or told to), and remembers every sleep. */
  static final class FakeClock implements ReplayPacer.Clock {
    long now = 5 * S;
    final List<Long> sleeps = new ArrayList<>();

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleepNanos(long nanos) {
      sleeps.add(nanos);
      now += nanos;
    }
  }

  /** When each event time is released, relative to the first release. */
  private static List<Long> releases(double speed, Duration maxGap, FakeClock clock, List<Long> gaps, long... events)
      throws InterruptedException {
    ReplayPacer pacer = ReplayPacer.create(speed, maxGap, clock, (gap, max) -> gaps.add(gap));
    List<Long> out = new ArrayList<>();
    long start = clock.now;
    for (long e : events) {
      pacer.await(e);
      out.add(clock.now - start);
    }
    return out;
  }

  @Test
  void speedOneReleasesEachRecordAsLongAfterTheFirstAsItWasRecorded() throws Exception {
    FakeClock clock = new FakeClock();
    List<Long> gaps = new ArrayList<>();
    assertThat(releases(1, Duration.ofMinutes(1), clock, gaps, T0, T0 + 250 * MS, T0 + 1_000 * MS, T0 + 3 * S + 7))
        .containsExactly(0L, 250 * MS, 1_000 * MS, 3 * S + 7);
    assertThat(gaps).isEmpty();
  }

  @Test
  void speedTwoHalvesEveryWaitAndHalfSpeedDoublesIt() throws Exception {
    assertThat(releases(2, Duration.ofMinutes(1), new FakeClock(), new ArrayList<>(), T0, T0 + S, T0 + 3 * S))
        .containsExactly(0L, S / 2, 3 * S / 2);
    assertThat(releases(0.5, Duration.ofMinutes(1), new FakeClock(), new ArrayList<>(), T0, T0 + S, T0 + 3 * S))
        .containsExactly(0L, 2 * S, 6 * S);
  }

  @Test
  void maxNeverSleeps() throws Exception {
    FakeClock clock = new FakeClock();
    assertThat(releases(ReplayPacer.MAX, Duration.ofMinutes(1), clock, new ArrayList<>(), T0, T0 + S, T0 + 3_600 * S))
        .containsExactly(0L, 0L, 0L);
    assertThat(clock.sleeps).isEmpty();
  }

  @Test
  void aRecordNotLaterThanTheLatestIsReleasedAtOnceAndMovesNothing() throws Exception {
    FakeClock clock = new FakeClock();
    // The third record ended before the second (records are in export order): no negative wait,
    // and the fourth is still due 2s after the first.
    assertThat(releases(1, Duration.ofMinutes(1), clock, new ArrayList<>(), T0, T0 + S, T0 + 500 * MS, T0 + 2 * S))
        .containsExactly(0L, S, S, 2 * S);
    assertThat(clock.sleeps).allMatch(n -> n > 0);
  }

  @Test
  void aRecordWithoutEventTimeIsReleasedAtOnce() throws Exception {
    FakeClock clock = new FakeClock();
    assertThat(releases(1, Duration.ofMinutes(1), clock, new ArrayList<>(), 0, T0, 0, T0 + S))
        .containsExactly(0L, 0L, 0L, S);
  }

  @Test
  void aGapLongerThanMaxGapIsShortenedToItAndReported() throws Exception {
    FakeClock clock = new FakeClock();
    List<Long> gaps = new ArrayList<>();
    // An overnight stop between two rotated files: 10h becomes 1m; the gaps after it stay as they were.
    assertThat(releases(1, Duration.ofMinutes(1), clock, gaps, T0, T0 + S, T0 + S + 36_000 * S, T0 + 2 * S + 36_000 * S))
        .containsExactly(0L, S, S + 60 * S, 2 * S + 60 * S);
    assertThat(gaps).containsExactly(36_000 * S);

    // At speed 2 the shortened gap is halved too.
    assertThat(releases(2, Duration.ofSeconds(10), new FakeClock(), new ArrayList<>(), T0, T0 + 100 * S))
        .containsExactly(0L, 5 * S);
  }

  @Test
  void aSlowConsumerIsNotMadeToWaitAgainUntilTheReplayCatchesUp() throws Exception {
    FakeClock clock = new FakeClock();
    ReplayPacer pacer = ReplayPacer.create(1, Duration.ofMinutes(1), clock, (g, m) -> { });
    long start = clock.now;
    pacer.await(T0);
    clock.now += 5 * S; // the pipeline took 5s for the first record
    pacer.await(T0 + S);
    pacer.await(T0 + 2 * S);
    assertThat(clock.now - start).isEqualTo(5 * S);
    assertThat(clock.sleeps).isEmpty();
    pacer.await(T0 + 7 * S);
    assertThat(clock.now - start).isEqualTo(7 * S);
  }

  @Test
  void anInterruptEndsAWait() {
    ReplayPacer pacer = ReplayPacer.create(1, Duration.ofMinutes(1), (g, m) -> { });
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> {
      pacer.await(T0);
      pacer.await(T0 + 30 * S);
    }).isInstanceOf(InterruptedException.class);
  }

  @Test
  void speedsAsWritten() {
    assertThat(ReplayPacer.parseSpeed("max")).isEqualTo(ReplayPacer.MAX);
    assertThat(ReplayPacer.parseSpeed(" MAX ")).isEqualTo(ReplayPacer.MAX);
    assertThat(ReplayPacer.parseSpeed("1")).isEqualTo(1.0);
    assertThat(ReplayPacer.parseSpeed("2.5")).isEqualTo(2.5);
    assertThat(ReplayPacer.parseSpeed("10x")).isEqualTo(10.0);
    for (String bad : new String[] {"0", "-1", "fast", "", "NaN", "Infinity"}) {
      assertThatThrownBy(() -> ReplayPacer.parseSpeed(bad))
          .hasMessage("speed must be a number above 0 (1 = as recorded, 2 = twice as fast) or max, got \"" + bad + "\"");
    }
    assertThat(ReplayPacer.formatSpeed(ReplayPacer.MAX)).isEqualTo("max");
    assertThat(ReplayPacer.formatSpeed(2)).isEqualTo("2");
    assertThat(ReplayPacer.formatSpeed(0.5)).isEqualTo("0.5");
  }
}
