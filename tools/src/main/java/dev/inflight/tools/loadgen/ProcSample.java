package dev.inflight.tools.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's CPU time and memory from Linux's {@code /proc}: user + system time of all its threads,
 * live and ended ({@code /proc/<pid>/stat} fields 14 and 15, in clock ticks of 10 ms), and its
 * resident set ({@code VmRSS}) and peak resident set ({@code VmHWM}) from {@code /proc/<pid>/status}.
 */
public record ProcSample(long cpuNanos, long rssBytes, long peakRssBytes, long atNanos) {
  /** USER_HZ: 100 on every Linux architecture the JDK runs on (the kernel's ABI, not CONFIG_HZ). */
  private static final long NANOS_PER_TICK = 10_000_000L;

  public static ProcSample read(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14, 15 = utime, stime
    long rss = 0;
    long hwm = 0;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = kilobytes(line);
      } else if (line.startsWith("VmHWM:")) {
        hwm = kilobytes(line);
      }
    }
    return new ProcSample(ticks * NANOS_PER_TICK, rss, hwm, System.nanoTime());
  }

  private static long kilobytes(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
  }

  /** CPU time since {@code earlier}, in seconds. */
  public double cpuSecondsSince(ProcSample earlier) {
    return (cpuNanos - earlier.cpuNanos) / 1e9;
  }

  /** Share of one core used since {@code earlier}, in percent. */
  public double cpuPercentSince(ProcSample earlier) {
    long wall = atNanos - earlier.atNanos;
    return wall <= 0 ? 0 : 100.0 * (cpuNanos - earlier.cpuNanos) / wall;
  }
}
