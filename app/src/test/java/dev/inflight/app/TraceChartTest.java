package dev.inflight.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ASCII chart of {@code inflight trace}: known series give known rows. */
class TraceChartTest {
  private static TraceChart.Line line(String name, long... active) {
    return new TraceChart.Line(name, active);
  }

  @Test
  void oneLineStretchedOverMoreColumnsThanBuckets() {
    // 11 one-ms buckets over 13 columns; "a" is too wide to sit beside 12 columns, so it goes below.
    List<String> chart = TraceChart.render(
        List.of(line("a", 0, 1, 3, 4, 3, 1, 0, 0, 2, 2, 0)), 1, 20, false, true);

    assertThat(chart).containsExactly(
        "Active Workers",
        "4 ┤    ┌┐",
        "3 ┤   ┌┘└┐",
        "2 ┤   │  │   ┌─┐",
        "1 ┤  ┌┘  └─┐ │ │",
        "0 ┼──┘──┬──└─┘┬└► ms",
        "   0    5     10",
        "  ─── a");
  }

  @Test
  void twoLinesHaveTheirOwnGlyphsAndALegendWhereEachEnds() {
    List<String> chart = TraceChart.render(List.of(line("a", 1, 3, 3, 0), line("b", 2, 2, 1, 1)), 10, 24, false, true);

    assertThat(chart).containsExactly(
        "Active Workers",
        "3 ┤    ┌───────┐",
        "2 ┤━━━━│━━━┓   │     ← b",
        "1 ┤────┘   ┗━━━│━━━  ← a",
        "0 ┼┬───┬───┬───└───► ms",
        "   0   10  20  30");
  }

  @Test
  void manyWorkersGetRowsOfSeveralWithIntegerTicks() {
    // Seed 000's scale: 16 workers, a row per 2, ticks every 4.
    List<String> chart = TraceChart.render(List.of(line("w", 16, 8, 3, 1)), 5, 28, false, true);

    assertThat(chart.subList(0, 10)).extracting(row -> row.substring(0, 4)).containsExactly(
        "Acti", "16 ┤", "   │", "12 ┤", "   │", " 8 ┤", "   │", " 4 ┤", "   │", " 0 ┼");
    // 3 rounds to the row of 4, 1 is still drawn above the axis.
    assertThat(chart.get(8)).contains("─");
  }

  @Test
  void aOneBucketPeakSurvivesDownsampling() {
    long[] active = new long[1000];
    Arrays.fill(active, 1);
    active[537] = 9; // 537 does not start a column: sampling the first bucket of each would miss it

    List<String> chart = TraceChart.render(List.of(line("account_workers", active)), 5, 40, false, true);

    assertThat(chart.get(1)).as("the top row, 9 workers").matches(" {2}│ *┌┐");
    assertThat(chart.stream().filter(row -> row.contains("┌┐"))).hasSize(1);
    int columns = 40 - 3 - ("  ← account_workers".length());
    long[] shown = TraceChart.columnMaxima(active, 1000, columns);
    assertThat(shown).hasSize(columns);
    assertThat(Arrays.stream(shown).filter(v -> v == 9)).hasSize(1);
    assertThat(shown[537 * columns / 1000]).isEqualTo(9);
  }

  @Test
  void columnMaximaCoverEveryBucketOnce() {
    long[] active = {5, 0, 0, 7, 0, 0, 0, 2, 0, 0};
    assertThat(TraceChart.columnMaxima(active, 10, 3)).containsExactly(5, 7, 2);
    assertThat(TraceChart.columnMaxima(active, 10, 20)).hasSize(20).startsWith(5, 5, 0, 0, 0, 0, 7, 7);
  }

  @Test
  void noLineIsWiderThanTheWidth() {
    List<TraceChart.Line> lines = List.of(
        line("account_workers", 0, 4, 12, 16, 9, 3, 0), line("storage_workers", 1, 2, 4, 6, 4, 2, 1),
        line("x", 3, 3, 3, 3, 3, 3, 3));
    int axis = 0;
    for (int width = TraceChart.MIN_WIDTH; width <= 200; width++) {
      List<String> chart = TraceChart.render(lines, 7, width, false, true);
      int w = width;
      assertThat(chart).as("width %d", width).allSatisfy(row -> assertThat(row.length()).isLessThanOrEqualTo(w));
      axis = chart.stream().filter(r -> r.endsWith("► ms")).findFirst().orElseThrow().length();
    }
    // The plot takes all the room the labels and the legend leave.
    assertThat(axis).isEqualTo(200 - "  ← account_workers".length() + "► ms".length());
  }

  @Test
  void aboutEightLabelledTicksOnNiceMilliseconds() {
    assertThat(TraceChart.xTicks(160, 49)).extracting(t -> t[0])
        .containsExactly(0L, 20L, 40L, 60L, 80L, 100L, 120L, 140L);
    // Fewer when the labels would not fit.
    assertThat(TraceChart.xTicks(160, 20)).extracting(t -> t[0]).containsExactly(0L, 50L, 100L, 150L);
  }

  @Test
  void asciiOnlyWhenStdoutCannotEncodeBoxDrawing() {
    List<String> chart = TraceChart.render(List.of(line("a", 1, 3, 3, 0), line("b", 2, 2, 1, 1)), 10, 25, false, false);

    assertThat(String.join("\n", chart)).matches("[\\x20-\\x7e\\n]*");
    assertThat(chart).containsExactly(
        "Active Workers",
        "3 +    *********",
        "2 +####*####   *     <- b",
        "1 +*****   ####*###  <- a",
        "0 ++---+---+---****> ms",
        "   0   10  20  30");
  }

  @Test
  void colourPaintsEachLineButTakesNoRoom() {
    List<TraceChart.Line> lines = List.of(line("a", 1, 3, 3, 0), line("b", 2, 2, 1, 1));
    List<String> plain = TraceChart.render(lines, 10, 24, false, true);
    List<String> coloured = TraceChart.render(lines, 10, 24, true, true);

    assertThat(plain).noneMatch(row -> row.contains("\u001b"));
    assertThat(coloured).extracting(Ansi::strip).containsExactlyElementsOf(plain);
    assertThat(coloured.get(3)).contains(Ansi.CYAN.code() + "────┘" + Ansi.RESET)
        .contains(Ansi.YELLOW.code() + "┗━━━" + Ansi.RESET);
  }
}
