package dev.inflight.component.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process' memory as the kernel counts it, for self-metrics and the query extension's page. */
public final class ProcessMemory {
  private ProcessMemory() {}

  /** Resident set size in bytes from {@code /proc/self/status} (VmRSS), or -1 where there is none. */
  public static long residentSetBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
