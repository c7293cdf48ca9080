package dev.inflight.service.telemetry;

import dev.inflight.component.telemetry.ProcessMemory;

import dev.inflight.component.telemetry.SelfMetric;
import io.opentelemetry.api.metrics.Meter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The process's self-metrics, under the Collector's names ({@code otelcol_process_*}; the JVM's
 * heap stands in for Go's), plus one of ours, {@link #THREADS}. All are read at each collection.
 */
final class ProcessTelemetry {
  static final SelfMetric UPTIME = new SelfMetric("otelcol_process_uptime", "s", "Uptime of the process");
  static final SelfMetric MEMORY_RSS =
      new SelfMetric("otelcol_process_memory_rss", "By", "Total physical memory (resident set size)");
  static final SelfMetric CPU_SECONDS =
      new SelfMetric("otelcol_process_cpu_seconds", "s", "Total CPU user and system time in seconds");
  static final SelfMetric HEAP_ALLOC_BYTES =
      new SelfMetric("otelcol_process_runtime_heap_alloc_bytes", "By", "Bytes of allocated heap objects");
  static final SelfMetric TOTAL_SYS_MEMORY_BYTES =
      new SelfMetric("otelcol_process_runtime_total_sys_memory_bytes", "By",
          "Total bytes of memory obtained from the OS (committed heap and non-heap)");
  static final SelfMetric THREADS = new SelfMetric("inflight_process_threads", "{threads}", "Live JVM threads");

  private static final long STARTED_NANOS = System.nanoTime();

  private ProcessTelemetry() {}

  /** Registers every process metric on {@code meter}, for the life of the meter provider. */
  static void register(Meter meter) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    UPTIME.observedDoubleCounter(meter, m -> m.record((System.nanoTime() - STARTED_NANOS) / 1e9));
    MEMORY_RSS.gauge(
        meter,
        m -> {
          long rss = ProcessMemory.residentSetBytes();
          if (rss >= 0) {
            m.record(rss);
          }
        });
    CPU_SECONDS.observedDoubleCounter(
        meter,
        m -> {
          if (ManagementFactory.getOperatingSystemMXBean()
              instanceof com.sun.management.OperatingSystemMXBean os) {
            m.record(os.getProcessCpuTime() / 1e9);
          }
        });
    HEAP_ALLOC_BYTES.gauge(meter, m -> m.record(memory.getHeapMemoryUsage().getUsed()));
    TOTAL_SYS_MEMORY_BYTES.gauge(
        meter,
        m ->
            m.record(
                memory.getHeapMemoryUsage().getCommitted()
                    + memory.getNonHeapMemoryUsage().getCommitted()));
    THREADS.gauge(meter, m -> m.record(ManagementFactory.getThreadMXBean().getThreadCount()));
  }
}
