package dev.inflight.extension.query;

import dev.inflight.component.telemetry.ProcessMemory;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * inflight's own CPU, memory and threads, as {@code inflight top} shows them. CPU is a rate, so it
 * is sampled: {@link #sample} runs every second, and the percentage covers the last interval (100%
 * = one core busy, as top and psutil count).
 */
final class ProcessStats {
  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
  private long lastCpuNanos = cpuNanos();
  private long lastWallNanos = System.nanoTime();
  private volatile double cpuPercent;

  /** Process CPU time, ns; -1 where the JVM cannot tell. */
  long cpuNanos() {
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  synchronized void sample() {
    long cpu = cpuNanos();
    long wall = System.nanoTime();
    if (cpu >= 0 && lastCpuNanos >= 0 && wall > lastWallNanos) {
      cpuPercent = 100.0 * (cpu - lastCpuNanos) / (wall - lastWallNanos);
    }
    lastCpuNanos = cpu;
    lastWallNanos = wall;
  }

  double cpuPercent() {
    return cpuPercent;
  }

  /** Resident set size, bytes; -1 without /proc. */
  long rssBytes() {
    return ProcessMemory.residentSetBytes();
  }

  long heapUsedBytes() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }
}
