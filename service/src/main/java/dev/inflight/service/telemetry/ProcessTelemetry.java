package dev.inflight.service.telemetry;

import io.opentelemetry.api.metrics.Meter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The process's self-metrics, under the Collector's names ({@code otelcol_process_*}; the JVM's
 * heap stands in for Go's), plus one of ours, {@link #THREADS}. All are read at each collection.
 */
final class ProcessTelemetry {
  static final String UPTIME = "otelcol_process_uptime";
  static final String UPTIME_DESCRIPTION = "Uptime of the process";
  static final String MEMORY_RSS = "otelcol_process_memory_rss";
  static final String MEMORY_RSS_DESCRIPTION = "Total physical memory (resident set size)";
  static final String CPU_SECONDS = "otelcol_process_cpu_seconds";
  static final String CPU_SECONDS_DESCRIPTION = "Total CPU user and system time in seconds";
  static final String HEAP_ALLOC_BYTES = "otelcol_process_runtime_heap_alloc_bytes";
  static final String HEAP_ALLOC_BYTES_DESCRIPTION = "Bytes of allocated heap objects";
  static final String TOTAL_SYS_MEMORY_BYTES = "otelcol_process_runtime_total_sys_memory_bytes";
  static final String TOTAL_SYS_MEMORY_BYTES_DESCRIPTION =
      "Total bytes of memory obtained from the OS (committed heap and non-heap)";
  static final String THREADS = "inflight_process_threads";
  static final String THREADS_DESCRIPTION = "Live JVM threads";

  private static final long STARTED_NANOS = System.nanoTime();

  private ProcessTelemetry() {}

  /** Registers every process metric on {@code meter}, for the life of the meter provider. */
  static void register(Meter meter) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    meter
        .counterBuilder(UPTIME)
        .ofDoubles()
        .setUnit("s")
        .setDescription(UPTIME_DESCRIPTION)
        .buildWithCallback(m -> m.record((System.nanoTime() - STARTED_NANOS) / 1e9));
    meter
        .gaugeBuilder(MEMORY_RSS)
        .ofLongs()
        .setUnit("By")
        .setDescription(MEMORY_RSS_DESCRIPTION)
        .buildWithCallback(
            m -> {
              long rss = SelfTelemetry.residentSetBytes();
              if (rss >= 0) {
                m.record(rss);
              }
            });
    meter
        .counterBuilder(CPU_SECONDS)
        .ofDoubles()
        .setUnit("s")
        .setDescription(CPU_SECONDS_DESCRIPTION)
        .buildWithCallback(
            m -> {
              if (ManagementFactory.getOperatingSystemMXBean()
                  instanceof com.sun.management.OperatingSystemMXBean os) {
                m.record(os.getProcessCpuTime() / 1e9);
              }
            });
    meter
        .gaugeBuilder(HEAP_ALLOC_BYTES)
        .ofLongs()
        .setUnit("By")
        .setDescription(HEAP_ALLOC_BYTES_DESCRIPTION)
        .buildWithCallback(m -> m.record(memory.getHeapMemoryUsage().getUsed()));
    meter
        .gaugeBuilder(TOTAL_SYS_MEMORY_BYTES)
        .ofLongs()
        .setUnit("By")
        .setDescription(TOTAL_SYS_MEMORY_BYTES_DESCRIPTION)
        .buildWithCallback(
            m ->
                m.record(
                    memory.getHeapMemoryUsage().getCommitted()
                        + memory.getNonHeapMemoryUsage().getCommitted()));
    meter
        .gaugeBuilder(THREADS)
        .ofLongs()
        .setUnit("{threads}")
        .setDescription(THREADS_DESCRIPTION)
        .buildWithCallback(m -> m.record(ManagementFactory.getThreadMXBean().getThreadCount()));
  }
}
