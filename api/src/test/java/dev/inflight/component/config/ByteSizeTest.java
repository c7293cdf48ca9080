package dev.inflight.component.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteSizeTest {
  @ParameterizedTest
  @CsvSource({
    "4MiB, 4194304, 4MiB",
    "512KiB, 524288, 512KiB",
    "20MB, 20000000, 20000000B",
    "1GiB, 1073741824, 1GiB",
    "100, 100, 100B",
    "0, 0, 0B",
    "100B, 100, 100B",
    "1.5KiB, 1536, 1536B",
    "1.5MiB, 1572864, 1536KiB",
    "2kb, 2000, 2000B",
    "2kB, 2000, 2000B",
    "3mib, 3145728, 3MiB",
    "' 8 MiB ', 8388608, 8MiB",
    "1TiB, 1099511627776, 1TiB",
    "1024TiB, 1125899906842624, 1024TiB",
    "2G, 2000000000, 1953125KiB",
  })
  void parsesAndPrintsSizes(String text, long bytes, String printed) {
    ByteSize size = ByteSize.parse(text);
    assertThat(size.bytes()).isEqualTo(bytes);
    assertThat(size).hasToString(printed);
    assertThat(ByteSize.parse(size.toString())).isEqualTo(size);
  }

  @Test
  void anUnknownUnitIsNamed() {
    assertThatThrownBy(() -> ByteSize.parse("4MiBs"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("invalid size \"4MiBs\": unknown unit \"MiBs\" (use B, KiB, MiB, GiB, TiB, kB, MB, GB or TB)");
    assertThatThrownBy(() -> ByteSize.parse("10XB"))
        .hasMessage("invalid size \"10XB\": unknown unit \"XB\" (use B, KiB, MiB, GiB, TiB, kB, MB, GB or TB)");
  }

  @Test
  void somethingThatIsNotASizeSaysWhatIsAccepted() {
    for (String bad : new String[] {"", "MiB", "-1MiB", "4 M i B", "1e3"}) {
      assertThatThrownBy(() -> ByteSize.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("invalid size \"" + bad + "\": use a number with a unit such as 512KiB, 4MiB, 1GiB or 20MB");
    }
  }

  @Test
  void aSizeBeyondALongIsTooLarge() {
    assertThatThrownBy(() -> ByteSize.parse("9000000TiB")).hasMessage("invalid size \"9000000TiB\": too large");
    // 2^63 bytes exactly is one more than a long holds.
    assertThatThrownBy(() -> ByteSize.parse("8388608TiB")).hasMessage("invalid size \"8388608TiB\": too large");
    assertThat(ByteSize.parse("8388607TiB").bytes()).isEqualTo(8388607L << 40);
  }

  @Test
  void helpersAndOrder() {
    assertThat(ByteSize.ofMebibytes(4)).isEqualTo(ByteSize.parse("4MiB"));
    assertThat(ByteSize.parse("4MiB").mebibytes()).isEqualTo(4);
    assertThat(ByteSize.ofBytes(1)).isLessThan(ByteSize.ofBytes(2));
    assertThatThrownBy(() -> ByteSize.ofBytes(-1)).hasMessage("a size cannot be negative: -1");
  }
}
