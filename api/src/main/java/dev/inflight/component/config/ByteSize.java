package dev.inflight.component.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes, written in config as {@code 4MiB}, {@code 512KiB}, {@code 20MB}, {@code 1GiB} or
 * a plain number of bytes. Binary (KiB, MiB, GiB) and decimal (kB, MB, GB) units are both accepted.
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {
  private static final Pattern FORMAT =
      Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([a-zA-Z]*)\\s*");

  public ByteSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("a size cannot be negative: " + bytes);
    }
  }

  public static ByteSize ofBytes(long bytes) {
    return new ByteSize(bytes);
  }

  public static ByteSize ofMebibytes(long mib) {
    return new ByteSize(mib << 20);
  }

  /**
   * Parses {@code 4MiB} and friends.
   *
   * @throws IllegalArgumentException saying what is accepted
   */
  public static ByteSize parse(String text) {
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid size \"" + text + "\": use a number with a unit such as 512KiB, 4MiB, 1GiB or 20MB");
    }
    double number = Double.parseDouble(m.group(1));
    long unit =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "", "b" -> 1L;
          case "k", "kb" -> 1_000L;
          case "ki", "kib" -> 1L << 10;
          case "m", "mb" -> 1_000_000L;
          case "mi", "mib" -> 1L << 20;
          case "g", "gb" -> 1_000_000_000L;
          case "gi", "gib" -> 1L << 30;
          case "t", "tb" -> 1_000_000_000_000L;
          case "ti", "tib" -> 1L << 40;
          default ->
              throw new IllegalArgumentException(
                  "invalid size \"" + text + "\": unknown unit \"" + m.group(2)
                      + "\" (use B, KiB, MiB, GiB, TiB, kB, MB, GB or TB)");
        };
    double bytes = number * unit;
    if (bytes >= 0x1p63) { // 2^63: one more than a long holds
      throw new IllegalArgumentException("invalid size \"" + text + "\": too large");
    }
    return new ByteSize(Math.round(bytes));
  }

  public long mebibytes() {
    return bytes >> 20;
  }

  /** The shortest exact spelling: {@code 4MiB}, {@code 1536KiB}, {@code 100B}. */
  @Override
  public String toString() {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    long v = bytes;
    int u = 0;
    while (v != 0 && v % 1024 == 0 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return v + units[u];
  }

  @Override
  public int compareTo(ByteSize o) {
    return Long.compare(bytes, o.bytes);
  }
}
